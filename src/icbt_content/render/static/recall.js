/* Recalled answers (::: recall): a client's earlier answer shown on a later page.
 *
 * Each <div data-icbt-recall> names an exercise and a field (data-exercise, data-field), and for a
 * repeatable exercise which entry (data-entry: "latest" or "first", by the date it was added).
 * The answer is shown as text, never as HTML; with nothing saved, the calm line in data-empty.
 * With data-into-exercise and data-into, the answer also starts that field of the form on this
 * page while the field is empty (the client changes it at will; it is saved when they do). A
 * repeatable form is pre-filled again for each new entry, never an entry being edited.
 */
import {byTime, has, isObject} from "./pagedata.js";
import {keyFor, load} from "./storage.js";

function pick(record, which) {
  if (!record) return null;
  const entries = Array.isArray(record.entries) ? record.entries.filter((e) => isObject(e) && isObject(e.fields)) : [];
  if (entries.length === 0) return isObject(record.fields) ? record.fields : null;
  const sorted = [...entries].sort(byTime("created"));
  return (which === "first" ? sorted[0] : sorted[sorted.length - 1]).fields;
}

/** The answer a recall box names, as saved (a string or true/false), or undefined. */
function earlier(box) {
  const fields = pick(load(keyFor("exercise", box.dataset.exercise || "")), box.dataset.entry);
  const name = box.dataset.field || "";
  if (!has(fields, name)) return undefined;
  const value = fields[name];
  if (typeof value === "string") return value.trim() ? value : undefined;
  return typeof value === "boolean" ? value : undefined;
}

function choices(box) {
  try {
    const found = JSON.parse(box.dataset.choices || "{}");
    return isObject(found) ? found : {};
  } catch (error) {
    return {};
  }
}

/** The words shown for an answer: a choice by its label, a tick as yes or no. */
function shown(box, value) {
  if (typeof value === "boolean") return (value ? box.dataset.yes : box.dataset.no) || String(value);
  const labels = choices(box);
  return has(labels, value) && typeof labels[value] === "string"
    ? labels[value] : value;
}

function isEmpty(inputs) {
  return inputs.every((input) =>
    input.type === "checkbox" || input.type === "radio" ? !input.checked : !input.value.trim());
}

function prefill(form, name, value) {
  const inputs = [...form.elements].filter((input) => input.name === name);
  if (inputs.length === 0 || !isEmpty(inputs)) return;
  for (const input of inputs) {
    if (input.type === "checkbox") input.checked = value === true;
    else if (input.type === "radio") input.checked = input.value === value;
    else if (typeof value === "string" && (input.type !== "number" || /^\d+$/.test(value.trim()))) {
      input.value = input.type === "number" ? value.trim() : value;
    }
  }
}

function setupRecall(box) {
  const answer = box.querySelector("[data-icbt-recall-answer]");
  const value = earlier(box);
  if (answer) {
    answer.textContent = value === undefined ? box.dataset.empty || "" : shown(box, value);
    answer.classList.toggle("recall-nothing", value === undefined);
  }
  const target = box.dataset.intoExercise;
  const name = box.dataset.into;
  if (value === undefined || !target || !name) return;
  const form = [...document.querySelectorAll("form[data-icbt-exercise]")]
    .find((found) => found.dataset.icbtExercise === target);
  if (!form) return;
  prefill(form, name, value);
  // A repeatable form is emptied for each new entry (exercises.js resets it): start that one too.
  form.addEventListener("reset", () => {
    queueMicrotask(() => {
      if (!form.dataset.icbtEditing) prefill(form, name, value);
    });
  });
}

/** Show every recalled answer of the page, and pre-fill the fields they start. */
export function startRecall() {
  for (const box of document.querySelectorAll("[data-icbt-recall]")) setupRecall(box);
}
