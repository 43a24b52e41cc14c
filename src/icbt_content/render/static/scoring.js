/* Scoring of questionnaires: the one scoring module of the site.
 *
 * score() and compare() are the twin of icbt_content/measures/scoring.py: a browser test checks
 * they agree on every possible answer set of PHQ-9 and GAD-7, and on many of PCL-5. Change both
 * together. Pure functions of a measure's definition (its JSON, as the build writes it) and
 * answers: no page, no storage.
 */

/** The option set that answers item. */
export function optionSet(def, item) {
  for (const set of def.option_sets) {
    if (set.id === item.options) return set;
  }
  throw new Error(`item '${item.id}' names no known option set`);
}

/** Whether value is an answer the option set allows. */
export function allows(set, value) {
  if (set.kind === "choice") return set.options.some((option) => option.value === value);
  return value >= set.min && value <= set.max && (value - set.min) % set.step === 0;
}

// Not pagedata.js's has(): this module reads no page (see above).
const own = (object, name) => Object.prototype.hasOwnProperty.call(object, name);

/* Scale a total of `answered` items up to `items`, rounding halves up, in exact integers. */
function prorate(total, items, answered) {
  return Math.floor((2 * total * items + answered) / (2 * answered));
}

/** How many answers may be missing when `answered` items were answered. */
export function allowedMissing(def, answered) {
  return def.missing.policy === "prorate" && answered ? def.missing.max_missing : 0;
}

/** Score answers ({item id: value or null}) as the measure's rules say. */
export function score(def, answers = {}) {
  answers = answers || {};
  const known = new Set(def.items.map((item) => item.id));
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) throw new Error(`${def.id}: no item called ${key}`);
  }
  const values = {};
  const missing = [];
  const risk = [];
  let sum = 0;
  let answered = 0;
  for (const item of def.items) {
    const answer = own(answers, item.id) ? answers[item.id] : undefined;
    if (answer === null || answer === undefined) {
      missing.push(item.id);
      continue;
    }
    const set = optionSet(def, item);
    if (typeof answer !== "number" || !Number.isInteger(answer) || !allows(set, answer)) {
      throw new Error(`${def.id}: ${answer} is not an answer to item '${item.id}'`);
    }
    const value = item.reverse ? set.min + set.max - answer : answer;
    values[item.id] = value;
    sum += value;
    answered += 1;
    if (item.risk && answer > item.risk.above) {
      risk.push({item: item.id, answer, triggers: item.risk.triggers.slice()});
    }
  }
  let total = null;
  if (def.scoring === "sum" && missing.length <= allowedMissing(def, answered)) {
    total = prorate(sum, def.items.length, answered);
  }
  const subscales = {};
  for (const subscale of def.subscales || []) {
    const got = subscale.items.filter((id) => own(values, id));
    const subtotal = got.reduce((acc, id) => acc + values[id], 0);
    subscales[subscale.id] = total !== null && got.length
      ? prorate(subtotal, subscale.items.length, got.length) : null;
  }
  let band = null;
  if (total !== null) {
    band = (def.bands || []).find((b) => b.min <= total && total <= b.max) || null;
  }
  let caseness = null;
  if (total !== null && def.caseness !== null && def.caseness !== undefined) {
    caseness = total >= def.caseness;
  }
  const triggered = (name) => risk.some((flag) => flag.triggers.includes(name));
  return {
    measure: def.id,
    total,
    complete: missing.length === 0,
    prorated: missing.length > 0 && total !== null,
    missing,
    items: values,
    subscales,
    band,
    caseness,
    risk,
    crisisHelp: triggered("crisis-help"),
    flagTherapist: triggered("flag-therapist"),
  };
}

function totalOf(def, value) {
  const total = value !== null && typeof value === "object" ? value.total : value;
  if (typeof total !== "number") throw new Error(`${def.id}: cannot compare a score without a total`);
  return total;
}

/** Reliable change between two scores (or totals) of the same measure. */
export function compare(def, before, after) {
  if (def.reliable_change === null || def.reliable_change === undefined) {
    throw new Error(`${def.id} has no reliable-change value`);
  }
  const change = totalOf(def, after) - totalOf(def, before);
  if (change <= -def.reliable_change) return "reliable-improvement";
  if (change >= def.reliable_change) return "reliable-deterioration";
  return "no-reliable-change";
}

/** The lowest and highest possible total. */
export function totalRange(def) {
  let low = 0;
  let high = 0;
  for (const item of def.items) {
    const set = optionSet(def, item);
    low += set.min;
    high += set.max;
  }
  return [low, high];
}
