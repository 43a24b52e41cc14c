/* The client's record: every answer saved in this browser, with its question, grouped by module
 * in programme order, with dates; each questionnaire's results with their score and band.
 *
 * Written from the outline the build puts on "My answers" (<script type="application/json"
 * data-icbt-contents>: modules, their exercises with each field's words, their questionnaires'
 * definitions, in the page's language) and the records in storage. The same record goes into
 * the page of their work a client saves (answers.js), there without charts: only text and
 * tables, which read the same on any device. Every answer is set as text, never as markup.
 */
import {bandOf, el, inWording, keepCharts, resultsTable, shortDate} from "./chart.js";
import {markLanguage, message, showMessage} from "./messages.js";
import {byTime, has, isObject, readJson} from "./pagedata.js";
import {load} from "./storage.js";

function readContents() {
  const found = readJson("contents");
  const groups = isObject(found) && Array.isArray(found.groups) ? found.groups : [];
  return groups.filter((group) => isObject(group) && Array.isArray(group.items));
}

/** The outline of the record: [{id, title, items: [{kind, key, title, ...}]}]. */
export const contents = readContents();

/** A date and time as the page's language writes them. */
export function longDate(iso) {
  const date = new Date(iso);
  if (typeof iso !== "string" || Number.isNaN(date.getTime())) return "";
  const lang = document.documentElement.lang || undefined;
  try {
    return date.toLocaleString(lang, {dateStyle: "medium", timeStyle: "short"});
  } catch (error) {
    return date.toISOString().slice(0, 16).replace("T", " ");
  }
}

/** The answer to a field as words, or "" for no answer (an unticked box, an empty one). */
export function answerText(field, value) {
  if (value === true) return message("yes");
  if (typeof value !== "string") return "";
  if (field && has(field.choices, value)) {
    return field.choices[value];
  }
  return value.trim() ? value : "";
}

/** The answered fields of saved answers, in the form's order, then any the form no longer
 * has (named by their id: their question is gone): [{label, group, text}]. */
export function answered(item, fields) {
  const found = [];
  if (!isObject(fields)) return found;
  const known = new Set();
  for (const field of Array.isArray(item.fields) ? item.fields : []) {
    known.add(field.id);
    const text = answerText(field, fields[field.id]);
    if (text) found.push({label: field.label, group: field.group || "", text});
  }
  for (const name of Object.keys(fields).sort()) {
    const text = known.has(name) ? "" : answerText(null, fields[name]);
    if (text) found.push({label: name, group: "", text});
  }
  return found;
}

function heading(level, text, attrs = {}) {
  return el(`h${Math.min(6, level)}`, attrs, text);
}

/** The answers as lists of question and answer, one list per group of fields. */
function answerList(answers) {
  const box = el("div", {class: "record-answers"});
  let list = null;
  let group = null;
  for (const answer of answers) {
    if (list === null || answer.group !== group) {
      group = answer.group;
      if (group) box.appendChild(el("p", {class: "record-group"}, group));
      list = el("dl");
      box.appendChild(list);
    }
    list.appendChild(el("dt", {}, answer.label));
    list.appendChild(el("dd", {class: "record-answer"}, answer.text));
  }
  return box;
}

/** "Last changed on" a date, or null when the date is not known. */
function changedOn(iso) {
  const date = longDate(iso);
  return date ? showMessage("changedOn", el("p", {class: "record-date"}), {date}) : null;
}

function exerciseRecord(item, level) {
  const saved = load(item.key);
  if (!saved) return null;
  const part = el("section", {class: "record-item record-exercise"});
  part.appendChild(heading(level, item.title));
  if (Array.isArray(saved.entries)) {
    const entries = [...saved.entries]
      .sort(byTime("created"))
      .map((entry) => ({entry, answers: answered(item, entry.fields)}))
      .filter((found) => found.answers.length);
    if (!entries.length) return null;
    const list = el("ol", {class: "record-entries"});
    for (const {entry, answers} of entries) {
      const one = el("li", {class: "record-entry"});
      const title = heading(level + 1, "");
      showMessage("entryOn", title, {date: longDate(entry.created)});
      one.appendChild(title);
      if (entry.updated && entry.updated !== entry.created) {
        const changed = changedOn(entry.updated);
        if (changed) one.appendChild(changed);
      }
      one.appendChild(answerList(answers));
      list.appendChild(one);
    }
    part.appendChild(list);
    return part;
  }
  const answers = answered(item, saved.fields);
  if (!answers.length) return null;
  const changed = changedOn(saved.updated);
  if (changed) part.appendChild(changed);
  part.appendChild(answerList(answers));
  return part;
}

/** Each result with its date, score and band, as words (for a measure read item by item, the
 * table carries the answers). */
function resultList(def, results, wording) {
  const list = el("ul", {class: "record-results"});
  for (const result of results) {
    if (typeof result.total !== "number") continue;
    const band = bandOf(def, result);
    const item = el("li");
    item.appendChild(el("strong", {}, `${shortDate(result.date)}: `));
    const words = el("span");
    if (band) {
      // The score with its band, the band's name marked with the measure's language.
      const [before, after = ""] = message("resultBand", {score: result.total, band: "\u0000"})
        .split("\u0000");
      markLanguage("resultBand", words).textContent = before;
      words.appendChild(inWording(el("span", {}, band.label), wording));
      words.appendChild(document.createTextNode(after));
    } else {
      showMessage("resultScore", words, {score: result.total});
    }
    item.appendChild(words);
    list.appendChild(item);
  }
  return list.childElementCount ? list : null;
}

function measureRecord(item, level, charts, idBase) {
  const saved = load(item.key);
  const def = isObject(item.measure) ? item.measure : null;
  const wording = isObject(item.wording) ? item.wording : null;
  if (!saved || !def || !Array.isArray(saved.results) || !saved.results.length) return null;
  const results = [...saved.results].sort(byTime("date"));
  const part = el("section", {class: "record-item record-measure"});
  part.appendChild(inWording(heading(level, item.title), wording));
  const list = resultList(def, results, wording);
  if (list) part.appendChild(list);
  if (charts) {
    const chart = el("div", {class: "measure-chart"});
    part.appendChild(chart);
    // Drawn once the record is on the page: at the width it is shown at.
    part.icbtDraw = () => keepCharts(chart, def, results, idBase, wording);
  }
  part.appendChild(resultsTable(def, results, idBase, el("div"), wording));
  return part;
}

/**
 * Write the record into container, headings from level (the page's next level). With charts,
 * each questionnaire's history is also drawn as charts (needs container on the page).
 * Returns the number of exercises and questionnaires with answers.
 */
export function writeRecord(container, {level = 3, charts = true, idPrefix = "icbt-record"} = {}) {
  container.textContent = "";
  let count = 0;
  const toDraw = [];
  contents.forEach((group, g) => {
    const parts = [];
    group.items.forEach((item, n) => {
      if (!isObject(item) || typeof item.key !== "string") return;
      const idBase = `${idPrefix}-${g}-${n}`;
      const part = item.kind === "measure"
        ? measureRecord(item, level + 1, charts, idBase)
        : exerciseRecord(item, level + 1);
      if (part) parts.push(part);
    });
    if (!parts.length) return;
    const section = el("section", {class: "record-module"});
    const title = heading(level, group.title || "");
    if (!group.title) markLanguage("otherQuestionnaires", title).textContent = message("otherQuestionnaires");
    section.appendChild(title);
    for (const part of parts) {
      section.appendChild(part);
      if (part.icbtDraw) toDraw.push(part.icbtDraw);
    }
    container.appendChild(section);
    count += parts.length;
  });
  for (const draw of toDraw) draw();
  return count;
}
