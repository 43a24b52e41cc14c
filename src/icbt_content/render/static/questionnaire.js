/* Questionnaires on a page: crisis help at once for a risk answer, the score and what it means,
 * and the results over time, all in this browser only.
 *
 * Each <form data-icbt-questionnaire="ID"> reads its definition from the
 * <script type="application/json" data-icbt-measure="ID"> beside it, in the same section (the
 * template writes both; no author heading or anchor can stand in for either). Results are kept
 * under keyFor("measure", ID) as
 * {"results": [{"date": ISO date, "answers": {...}, "total": n, "band": id, "risk": bool}]}.
 */
import {drawHistory, el} from "./chart.js";
import {markLanguage, showMessage} from "./messages.js";
import {page} from "./pagedata.js";
import {allowedMissing, allows, optionSet, score, totalRange} from "./scoring.js";
import {keyFor, load, save} from "./storage.js";

function readResults(key) {
  const saved = load(key);
  return saved ? saved.results : [];
}

function saveResult(key, result) {
  const results = [...readResults(key), result];
  return save(key, {results}) ? results : null;
}

function definitionFor(form, id) {
  const section = form.parentElement;
  if (!section) return null;
  for (const source of section.querySelectorAll('script[type="application/json"][data-icbt-measure]')) {
    if (source.dataset.icbtMeasure !== id) continue;
    try {
      return JSON.parse(source.textContent || "");
    } catch (error) {
      return null;
    }
  }
  return null;
}

function fieldsNamed(form, name) {
  return [...form.elements].filter((field) => field.name === name);
}

function setupQuestionnaire(form) {
  const id = form.dataset.icbtQuestionnaire || "";
  const def = definitionFor(form, id);
  if (!def) return;
  const key = keyFor("measure", id);
  const section = form.parentElement;
  const status = form.querySelector("[data-icbt-result]");
  const history = section.querySelector("[data-icbt-history]");
  const chartTitle = `${form.id}-chart-title`;

  for (const link of form.querySelectorAll("a[data-crisis-link]")) {
    if (page.crisis && !link.getAttribute("href")) link.setAttribute("href", page.crisis);
  }

  /* Read the form: answers (null when empty) and items whose typed value is not allowed. */
  function readForm() {
    const answers = {};
    const invalid = [];
    for (const item of def.items) {
      const set = optionSet(def, item);
      let raw = "";
      for (const field of fieldsNamed(form, item.id)) {
        if (field.type !== "radio" || field.checked) raw = String(field.value || "").trim();
      }
      if (raw === "") {
        answers[item.id] = null;
      } else if (/^-?\d+$/.test(raw) && allows(set, Number(raw))) {
        answers[item.id] = Number(raw);
      } else {
        answers[item.id] = null;
        invalid.push(item);
      }
    }
    return {answers, invalid};
  }

  const fieldFor = (item) => fieldsNamed(form, item.id)[0] || null;
  const numberOf = (item) => def.items.indexOf(item) + 1;
  const itemCalled = (itemId) => def.items.find((item) => item.id === itemId);

  function showFieldErrors(invalid) {
    for (const item of def.items) {
      const set = optionSet(def, item);
      if (set.kind !== "scale") continue;
      const input = fieldFor(item);
      const error = form.querySelector(`[data-icbt-error="${item.id}"]`);
      const bad = invalid.includes(item);
      if (input) input.setAttribute("aria-invalid", bad ? "true" : "false");
      if (error) {
        error.hidden = !bad;
        if (bad) showMessage("number", error, {min: set.min, max: set.max});
        else markLanguage("", error).textContent = "";
      }
    }
  }

  /* Risk answers show crisis help at once, before the form is sent, and it stays shown. */
  function checkRisk() {
    const {answers} = readForm();
    for (const item of def.items) {
      if (!item.risk || !item.risk.triggers.includes("crisis-help")) continue;
      const answer = answers[item.id];
      if (answer !== null && answer > item.risk.above) {
        for (const alert of form.querySelectorAll("[data-risk-alert]")) {
          if (alert.dataset.riskAlert === item.id && alert.hidden) alert.hidden = false;
        }
      }
    }
  }
  form.addEventListener("change", checkRisk);
  form.addEventListener("input", checkRisk);

  function showResult(result, saved, maxTotal) {
    status.textContent = "";
    if (result.total !== null) {
      status.appendChild(showMessage("score", el("p", {class: "measure-score"}),
        {score: result.total, max: maxTotal}));
      if (result.band) {
        const meaning = el("p", {class: "measure-meaning"});
        meaning.appendChild(el("strong", {}, `${result.band.label}. `));
        meaning.appendChild(document.createTextNode(result.band.meaning || ""));
        status.appendChild(meaning);
      }
    } else {
      const list = el("ul", {class: "measure-item-results"});
      for (const item of def.items) {
        if (!Object.prototype.hasOwnProperty.call(result.items, item.id)) continue;
        list.appendChild(showMessage("item", el("li"), {
          label: `${numberOf(item)}. ${item.text}`,
          value: result.items[item.id],
          max: optionSet(def, item).max,
        }));
      }
      status.appendChild(list);
    }
    if (result.prorated) {
      status.appendChild(showMessage("prorated", el("p"), {count: result.missing.length}));
    }
    if (result.flagTherapist) {
      status.appendChild(showMessage("flagged", el("p", {class: "measure-flagged"})));
    }
    status.appendChild(showMessage(saved ? "resultSaved" : "resultNotSaved",
      el("p", {class: "measure-saved"})));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const read = readForm();
    showFieldErrors(read.invalid);
    checkRisk();
    if (read.invalid.length) {
      showMessage("fix", status);
      const first = fieldFor(read.invalid[0]);
      if (first) first.focus();
      return;
    }
    const result = score(def, read.answers);
    const answered = def.items.length - result.missing.length;
    if (result.missing.length > allowedMissing(def, answered)) {
      const numbers = result.missing.map((itemId) => numberOf(itemCalled(itemId)));
      showMessage("missing", status, {items: numbers.join(", ")});
      const missingItem = itemCalled(result.missing[0]);
      const target = missingItem && fieldFor(missingItem);
      if (target) target.focus();
      return;
    }
    const stored = {};
    for (const [itemId, value] of Object.entries(read.answers)) {
      if (value !== null) stored[itemId] = value;
    }
    const entry = {
      date: new Date().toISOString(),
      answers: stored,
      total: result.total,
      band: result.band ? result.band.id : null,
      risk: result.risk.length > 0,
    };
    const results = saveResult(key, entry);
    showResult(result, results !== null, totalRange(def)[1]);
    drawHistory(history, def, results || [...readResults(key), entry], chartTitle);
  });

  drawHistory(history, def, readResults(key), chartTitle);
}

/** Wire every questionnaire of the page. One that cannot be wired never stops the others. */
export function startQuestionnaires() {
  for (const form of document.querySelectorAll("form[data-icbt-questionnaire]")) {
    try {
      setupQuestionnaire(form);
    } catch (error) {
      console.error("icbt: a questionnaire could not be set up", error);
    }
  }
}
