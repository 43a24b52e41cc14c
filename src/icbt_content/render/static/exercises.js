/* Exercises: a client's answers saved as they type, restored when they come back.
 *
 * Each <form data-icbt-exercise="ID"> saves under keyFor("exercise", ID) as
 * {"version": 1, "fields": {<field name>: answer}, "updated": ISO date}. Answers of fields the
 * form does not show (renamed or removed ones) are kept, never dropped.
 *
 * A repeatable exercise (its schema has "entries") keeps dated entries instead:
 * {"version": 1, "fields": {}, "entries": [{"id", "created", "updated", "fields"}], "updated"}.
 * The form edits one entry (a new one until the client picks Edit); the list above it shows
 * them newest first, each with its date and a one-line summary, to edit or delete.
 */
import {markedErrors, showErrorSummary} from "./errorsummary.js";
import {markLanguage, showMessage} from "./messages.js";
import {byTime, has, isObject} from "./pagedata.js";
import {put} from "./schema.js";
import {isRepeatable} from "./migrations.js";
import {longDate} from "./record.js";
import {keyFor, load, save, schemaFor} from "./storage.js";

const SUMMARY_LENGTH = 80;

function fieldValue(input) {
  if (input.type === "checkbox") return input.checked;
  if (input.type === "radio") return input.checked ? input.value : undefined;
  return input.value;
}

/* Errors are shown on save; while typing they are only cleared, so nothing jumps. */
function checkNumber(form, input, show) {
  if (input.type !== "number") return true;
  const error = form.querySelector(`[data-icbt-error="${input.name}"]`);
  const value = input.value.trim();
  const min = Number(input.min);
  const max = Number(input.max);
  const ok = value === "" || (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max);
  if (!ok && !show) return false;
  input.setAttribute("aria-invalid", ok ? "false" : "true");
  if (error) {
    error.hidden = ok;
    if (ok) markLanguage("", error).textContent = "";
    else showMessage("number", error, {min: input.min, max: input.max});
  }
  return ok;
}

/* A field's error goes as soon as the client has corrected it, while they type: cleared later,
 * when the field loses focus on the way to Save, the shorter form would move the button from
 * under the pointer and the click would miss. */
function clearCorrected(form, input) {
  if (input instanceof HTMLInputElement) checkNumber(form, input, false);
}

function collect(form) {
  const fields = {};
  for (const input of form.elements) {
    if (!input.name) continue;
    const value = fieldValue(input);
    if (value !== undefined) put(fields, input.name, value);
  }
  return fields;
}

/* Only answers of the right type reach a field: the record was checked against the exercise's
 * schema when it was loaded, and a field of another kind than saved keeps its default. */
function restore(form, saved) {
  if (!saved || !isObject(saved.fields)) return;
  const fields = saved.fields;
  for (const input of form.elements) {
    if (!input.name || !has(fields, input.name)) continue;
    const value = fields[input.name];
    if (input.type === "checkbox") input.checked = value === true;
    else if (input.type === "radio") input.checked = input.value === value;
    else if (typeof value === "string") input.value = value;
  }
}

/* A save that fails is told at once, on every save as the client types and not only on the
 * Save button: the words are not kept, and the client should know before typing more. The next
 * save that works says so, replacing the warning. */
function reportSave(status, saved, valid, announce) {
  if (!status) return;
  const failing = status.hasAttribute("data-icbt-not-saved");
  if (!saved) status.setAttribute("data-icbt-not-saved", "");
  else status.removeAttribute("data-icbt-not-saved");
  if (!announce && saved && !failing) return;
  showMessage(!valid && announce ? "fix" : saved ? "saved" : "notSaved", status);
}

/** The one-line summary of an entry: its first text answer, in the order the form shows them. */
export function summarise(form, fields) {
  for (const input of form.elements) {
    const value = input.name && has(fields, input.name) ? fields[input.name] : undefined;
    if (typeof value !== "string" || input.type === "radio") continue;
    const text = value.replace(/\s+/g, " ").trim();
    if (text) return text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH - 1)}…` : text;
  }
  return "";
}

function hasAnswer(fields) {
  return Object.values(fields).some((value) => value === true || (typeof value === "string" && value.trim()));
}

function setupRepeatable(form, key, status) {
  const section = form.closest("section");
  const box = section ? section.querySelector("[data-icbt-entries]") : null;
  const list = box ? box.querySelector("[data-icbt-entry-list]") : null;
  const template = box ? box.querySelector("template[data-icbt-entry-template]") : null;
  const empty = box ? box.querySelector("[data-icbt-entries-empty]") : null;
  const heading = box ? box.querySelector("h3") : null;
  let editing = "";
  let timer = null;

  function entries() {
    const record = load(key);
    return record && Array.isArray(record.entries) ? record.entries : [];
  }

  function write(list) {
    const now = new Date().toISOString();
    return save(key, {version: 1, fields: {}, entries: list, updated: now});
  }

  function show() {
    if (!list || !template) return;
    const oldestFirst = byTime("created");
    const found = [...entries()].sort((a, b) => oldestFirst(b, a));
    list.replaceChildren();
    if (empty) empty.hidden = found.length > 0;
    for (const entry of found) {
      const item = template.content.firstElementChild.cloneNode(true);
      const textId = `${key.replace(/[^A-Za-z0-9_-]/g, "-")}-${entry.id}`;
      const text = item.querySelector(".entry-text");
      text.id = textId;
      item.querySelector("[data-icbt-entry-date]").textContent = longDate(entry.created);
      item.querySelector("[data-icbt-entry-summary]").textContent = summarise(form, entry.fields);
      if (entry.id === editing) item.setAttribute("aria-current", "true");
      for (const button of item.querySelectorAll("button")) {
        button.setAttribute("aria-describedby", textId);
        button.dataset.entry = entry.id;
      }
      list.appendChild(item);
    }
  }

  function fill(fields) {
    // Read by recall.js: a field it pre-fills starts a new entry, never one being edited.
    form.dataset.icbtEditing = editing;
    form.reset();
    restore(form, {fields});
  }

  function saveEntry(announce) {
    let valid = true;
    for (const input of form.elements) {
      if (!checkNumber(form, input, announce)) valid = false;
    }
    const typed = collect(form);
    const now = new Date().toISOString();
    const all = entries();
    let entry = all.find((found) => found.id === editing);
    let saved = true;
    if (!entry && hasAnswer(typed)) {
      let id = `e${Date.now()}`;
      while (all.some((found) => found.id === id)) id = `${id}x`;
      entry = {id, created: now, updated: now, fields: {}};
      all.push(entry);
      editing = id;
    }
    if (entry) {
      for (const [name, value] of Object.entries(typed)) put(entry.fields, name, value);
      entry.updated = now;
      saved = write(all);
      show();
    }
    reportSave(status, saved, valid, announce);
    return valid;
  }

  function startNew() {
    editing = "";
    fill({});
    if (status) markLanguage("", status).textContent = "";
    show();
    const first = form.querySelector("input, textarea, select");
    if (first) first.focus();
  }

  if (list) {
    list.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest("button") : null;
      if (!button) return;
      const id = button.dataset.entry || "";
      const entry = entries().find((found) => found.id === id);
      if (!entry) return;
      if (button.hasAttribute("data-icbt-entry-edit")) {
        editing = id;
        fill(entry.fields);
        show();
        const first = form.querySelector("input, textarea, select");
        if (first) first.focus();
      } else if (button.hasAttribute("data-icbt-entry-delete")) {
        if (!window.confirm(box.dataset.confirmDelete || "")) return;
        const saved = write(entries().filter((found) => found.id !== id));
        if (editing === id) {
          editing = "";
          fill({});
        }
        show();
        if (status && !saved) showMessage("notSaved", status);
        if (heading) heading.focus();
      }
    });
  }
  const newButton = form.querySelector("[data-icbt-entry-new]");
  if (newButton) newButton.addEventListener("click", startNew);
  form.addEventListener("input", (event) => {
    clearCorrected(form, event.target);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => saveEntry(false), 300);
  });
  form.addEventListener("change", () => {
    window.clearTimeout(timer);
    saveEntry(false);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    showErrorSummary(form, saveEntry(true) ? [] : markedErrors(form));
  });
  show();
}

function setupExercise(form) {
  const key = keyFor("exercise", form.dataset.icbtExercise || "");
  if (isRepeatable(schemaFor(key))) {
    setupRepeatable(form, key, form.querySelector("[data-icbt-status]"));
    return;
  }
  const status = form.querySelector("[data-icbt-status]");
  let timer = null;
  restore(form, load(key));

  function saveForm(announce) {
    let valid = true;
    for (const input of form.elements) {
      if (!checkNumber(form, input, announce)) valid = false;
    }
    // Answers the form does not show (renamed or removed fields) are kept as they were.
    const previous = load(key);
    const fields = previous ? {...previous.fields} : {};
    for (const [name, value] of Object.entries(collect(form))) put(fields, name, value);
    const saved = save(key, {version: 1, fields, updated: new Date().toISOString()});
    reportSave(status, saved, valid, announce);
    return valid;
  }

  form.addEventListener("input", (event) => {
    clearCorrected(form, event.target);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => saveForm(false), 300);
  });
  form.addEventListener("change", () => saveForm(false));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    showErrorSummary(form, saveForm(true) ? [] : markedErrors(form));
  });
}

/** Wire every exercise form of the page. */
export function startExercises() {
  for (const form of document.querySelectorAll("form[data-icbt-exercise]")) setupExercise(form);
}
