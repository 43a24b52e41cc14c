/* "My answers": save a copy of this programme's answers as a file, load one back, delete them.
 *
 * Export, load and delete act on the current programme only. A client may take more than one
 * programme on the same site, and the file is made to be given to a therapist: it holds this
 * programme's answers and nothing of another's; deleting here leaves the others' answers.
 *
 * The file: {"format": "icbt-answers", "version": 1, "exported": ISO date,
 *            "programme": {"id", "title", "storage": the start of its keys},
 *            "items": {<storage key>: record}}
 * (read by `icbt export --format fhir-responses` too). A file loaded is checked against the
 * programme's schemas (page data "file" and "records", made by the build): only records this
 * programme knows, each pruned to what fits, are written; the rest is left out and the client
 * told so. A file from another programme is loaded only when the client agrees, in a question
 * that names both programmes, and then only into this one.
 */
import {message, showMessage} from "./messages.js";
import {has, isObject, page} from "./pagedata.js";
import {isRepeatable, mergeEntries, migrateRecords} from "./migrations.js";
import {fits} from "./schema.js";
import {fit, keys, load, prefix, programme, remove, save, schemaFor} from "./storage.js";

const FORMAT = "icbt-answers";
const VERSION = 1;
/** Far above any real export; a bigger file is not read at all. */
const MOST_BYTES = 20 * 1024 * 1024;

/** Show the message called name in the status line, marked with its language; returns the
 * status line (null when the page has none). */
function setStatus(name, values = {}) {
  const status = document.querySelector("[data-icbt-answers-status]");
  return status ? showMessage(name, status, values) : null;
}

/** This programme's answers as an export file (an object). */
export function exportFile() {
  const items = {};
  for (const key of keys(prefix)) {
    const record = load(key);
    if (record !== null) items[key] = record;
  }
  return {
    format: FORMAT,
    version: VERSION,
    exported: new Date().toISOString(),
    programme: {id: programme.id, title: programme.title, storage: prefix},
    items,
  };
}

function exportAnswers() {
  const blob = new Blob([JSON.stringify(exportFile(), null, 2)], {type: "application/json"});
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `my-answers-${programme.id}.json`;
  document.body.appendChild(link);
  link.click();
  window.setTimeout(() => {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 0);
  setStatus("exported");
}

function shortTitle(text) {
  const title = String(text).replace(/\s+/g, " ").trim();
  return title.length > 120 ? `${title.slice(0, 119)}…` : title;
}

/**
 * Work out what a parsed file would load into this programme.
 * Returns {ok: false, reason} for a file to refuse, or {ok: true, from, records, leftOut}:
 * from is the title of the other programme the file was made for ("" when it is this one's),
 * records a Map of key -> record to write, leftOut the number of records or parts left out.
 * ask(question) is called (and must return true) before a file from another programme is used.
 */
export function readFile(data, ask) {
  const envelope = page.file;
  if (!isObject(data) || !envelope || !fits(envelope, data)) return {ok: false, reason: "badFile"};
  let start = prefix;
  let from = "";
  if (isObject(data.programme)) {
    if (data.programme.id !== programme.id) {
      const title = typeof data.programme.title === "string" && data.programme.title.trim()
        ? data.programme.title : data.programme.id;
      from = shortTitle(title);
      if (!ask(message("otherProgramme", {other: from, programme: programme.title}))) {
        return {ok: false, reason: "notLoaded"};
      }
    }
    start = data.programme.storage;
  }
  // Files from before the programme was named in them: this programme's keys only.
  const records = new Map();
  let leftOut = 0;
  for (const key of Object.keys(data.items)) {
    if (key.startsWith(start) && key.length > start.length) {
      records.set(prefix + key.slice(start.length), data.items[key]);
    } else {
      leftOut += 1;
    }
  }
  if (!records.size) return {ok: false, reason: "noneForProgramme"};
  migrateRecords(records);
  const fitted = new Map();
  for (const [key, record] of records) {
    // Only records this programme has (page data "records"): nothing else is written.
    if (!has(page.records, key)) {
      leftOut += 1;
      continue;
    }
    const result = fit(key, record);
    leftOut += result.dropped;
    if (result.value !== undefined) fitted.set(key, result.value);
  }
  return {ok: true, from, records: fitted, leftOut};
}

function importAnswers(file) {
  if (file.size > MOST_BYTES) {
    setStatus("badFile");
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    let data = null;
    try {
      data = JSON.parse(String(reader.result));
    } catch (error) {
      data = null;
    }
    const found = readFile(data, (question) => window.confirm(question));
    if (!found.ok) {
      setStatus(found.reason, {programme: programme.title});
      return;
    }
    let count = 0;
    let failed = 0;
    for (const [key, loaded] of found.records) {
      // A repeatable exercise's entries join those saved here; any other record replaces it.
      const record = isRepeatable(schemaFor(key)) ? mergeEntries(load(key), loaded) : loaded;
      if (schemaFor(key) !== null && save(key, record)) count += 1;
      else failed += 1;
    }
    const status = setStatus("imported", {count});
    if (status && (found.leftOut || failed)) {
      status.textContent += ` ${message("leftOut", {programme: programme.title})}`;
    }
  };
  reader.onerror = () => setStatus("badFile");
  reader.readAsText(file);
}

function deleteAnswers() {
  if (!window.confirm(message("confirmDelete", {programme: programme.title}))) return;
  for (const key of keys(prefix)) remove(key);
  setStatus("deleted", {programme: programme.title});
}

/** Wire the buttons of the "My answers" page. */
export function startAnswers() {
  const exportButton = document.querySelector("[data-icbt-export]");
  if (exportButton) exportButton.addEventListener("click", exportAnswers);
  const input = document.querySelector("input[data-icbt-import]");
  if (input) {
    input.addEventListener("change", () => {
      if (input.files && input.files[0]) importAnswers(input.files[0]);
      input.value = "";
    });
  }
  const deleteButton = document.querySelector("[data-icbt-delete]");
  if (deleteButton) deleteButton.addEventListener("click", deleteAnswers);
}
