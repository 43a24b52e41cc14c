/* Exercises: a client's answers saved as they type, restored when they come back.
 *
 * Each <form data-icbt-exercise="ID"> saves under keyFor("exercise", ID) as
 * {"version": 1, "fields": {<field name>: answer}, "updated": ISO date}. Answers of fields the
 * form does not show (renamed or removed ones) are kept, never dropped.
 */
import {markLanguage, showMessage} from "./messages.js";
import {isObject} from "./pagedata.js";
import {put} from "./schema.js";
import {keyFor, load, save} from "./storage.js";

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
    if (!input.name || !Object.prototype.hasOwnProperty.call(fields, input.name)) continue;
    const value = fields[input.name];
    if (input.type === "checkbox") input.checked = value === true;
    else if (input.type === "radio") input.checked = input.value === value;
    else if (typeof value === "string") input.value = value;
  }
}

function setupExercise(form) {
  const key = keyFor("exercise", form.dataset.icbtExercise || "");
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
    if (status && announce) {
      showMessage(!valid ? "fix" : saved ? "saved" : "notSaved", status);
    }
    return valid;
  }

  form.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => saveForm(false), 300);
  });
  form.addEventListener("change", () => saveForm(false));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!saveForm(true)) {
      const invalid = form.querySelector('[aria-invalid="true"]');
      if (invalid) invalid.focus();
    }
  });
}

/** Wire every exercise form of the page. */
export function startExercises() {
  for (const form of document.querySelectorAll("form[data-icbt-exercise]")) setupExercise(form);
}
