/* Questionnaires on a page: crisis help at once for a risk answer, the score and what it means,
 * and the results over time, all in this browser only.
 *
 * Each <form data-icbt-questionnaire="ID"> reads its definition from the
 * <script type="application/json" data-icbt-measure="ID"> beside it, in the same section (the
 * template writes both; no author heading or anchor can stand in for either). Results are kept
 * under keyFor("measure", ID) as
 * {"results": [{"date": ISO date, "answers": {...}, "total": n, "band": id, "risk": bool}],
 *  "draft": {"answers": {<item id>: text in the field}, "updated": ISO date}}.
 * The draft keeps a half-finished questionnaire as the client answers, until it is scored. One
 * result a day: scoring again on the same day (the client's own calendar day) replaces that
 * day's result instead of adding another, so a second try does not count as another week.
 */
import {drawHistory, el} from "./chart.js";
import {showErrorSummary} from "./errorsummary.js";
import {markLanguage, message, showMessage} from "./messages.js";
import {has, page} from "./pagedata.js";
import {allowedMissing, allows, optionSet, score, totalRange} from "./scoring.js";
import {keyFor, load, save} from "./storage.js";

function readResults(key) {
  const saved = load(key);
  return saved ? saved.results : [];
}

function readDraft(key) {
  const saved = load(key);
  return saved && saved.draft ? saved.draft.answers : null;
}

/** The calendar day of an ISO time where the client is: "2026-12-02". */
export function localDay(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const two = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** The results with result added: it replaces the last result of the same day, if any. */
export function withResult(results, result) {
  const day = localDay(result.date);
  let same = -1;
  results.forEach((found, n) => {
    if (localDay(found.date) === day) same = n;
  });
  if (same < 0) return [...results, result];
  return results.map((found, n) => (n === same ? result : found));
}

/* Saving a result ends the draft. */
function saveResult(key, result) {
  const results = withResult(readResults(key), result);
  return save(key, {results}) ? results : null;
}

/* The draft is written beside the results; a form with nothing in it has no draft. */
function saveDraft(key, answers) {
  const record = {results: readResults(key)};
  if (Object.keys(answers).length) record.draft = {answers, updated: new Date().toISOString()};
  return save(key, record);
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

  /* What the fields hold, as typed: the draft. */
  function fieldTexts() {
    const answers = {};
    for (const item of def.items) {
      for (const field of fieldsNamed(form, item.id)) {
        const text = String(field.value || "").trim().slice(0, 40);
        if (text && (field.type !== "radio" || field.checked)) answers[item.id] = text;
      }
    }
    return answers;
  }

  function restoreDraft(answers) {
    if (!answers) return;
    for (const item of def.items) {
      const text = has(answers, item.id) ? answers[item.id] : "";
      for (const field of fieldsNamed(form, item.id)) {
        if (field.type === "radio") field.checked = text !== "" && field.value === text;
        else field.value = text;
      }
    }
    checkRisk();
  }

  /* A draft that cannot be saved is told at once, and the next one that can be clears it. */
  function keepDraft() {
    const saved = saveDraft(key, fieldTexts());
    const failing = status.hasAttribute("data-icbt-not-saved");
    if (saved && failing) {
      status.removeAttribute("data-icbt-not-saved");
      markLanguage("", status).textContent = "";
    } else if (!saved && !failing) {
      status.setAttribute("data-icbt-not-saved", "");
      showMessage("notSaved", status);
    }
  }
  let timer = 0;
  form.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(keepDraft, 300);
  });
  form.addEventListener("change", () => {
    window.clearTimeout(timer);
    keepDraft();
  });

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
        if (!has(result.items, item.id)) continue;
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
    window.clearTimeout(timer);
    const read = readForm();
    showFieldErrors(read.invalid);
    checkRisk();
    status.removeAttribute("data-icbt-not-saved");
    if (read.invalid.length) {
      showMessage("fix", status);
      showErrorSummary(form, read.invalid.map((item) => {
        const set = optionSet(def, item);
        const text = message("questionNumber", {number: numberOf(item), min: set.min, max: set.max});
        return {field: fieldFor(item), text};
      }).filter((error) => error.field));
      return;
    }
    const result = score(def, read.answers);
    const answered = def.items.length - result.missing.length;
    if (result.missing.length > allowedMissing(def, answered)) {
      const missing = result.missing.map(itemCalled);
      showMessage("missing", status, {items: missing.map(numberOf).join(", ")});
      showErrorSummary(form, missing.map((item) => ({
        field: fieldFor(item),
        text: message("answerQuestion", {number: numberOf(item)}),
      })).filter((error) => error.field));
      return;
    }
    showErrorSummary(form, []);
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
    drawHistory(history, def, results || [...readResults(key), entry], form.id);
  });

  restoreDraft(readDraft(key));
  drawHistory(history, def, readResults(key), form.id);
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
