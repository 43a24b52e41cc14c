/* "My answers": save a copy of this programme's answers as a file, load one back, delete them.
 *
 * Export, load and delete act on the current programme only. A client may take more than one
 * programme on the same site, and the file is made to be given to a therapist: it holds this
 * programme's answers and nothing of another's; deleting here leaves the others' answers.
 *
 * The file: {"format": "icbt-answers", "version": 1, "exported": ISO date,
 *            "programme": {"id", "title", "storage": the start of its keys},
 *            "items": {<storage key>: record}}
 * (read by `icbt export --format fhir-responses` too). Beside it, a page of their work the client
 * can open and read anywhere (self-contained, no scripts, in the page's language and direction).
 * A file loaded is merged into what is saved here entry by entry, by time (merge.js): a newer
 * answer saved here is never replaced by an older one from the file. A file loaded is checked against the
 * programme's schemas (page data "file" and "records", made by the build): only records this
 * programme knows, each pruned to what fits, are written; the rest is left out and the client
 * told so. A file from another programme is loaded only when the client agrees, in a question
 * that names both programmes, and then only into this one.
 */
import {message, showMessage} from "./messages.js";
import {mergeRecord} from "./merge.js";
import {has, isObject, page} from "./pagedata.js";
import {migrateRecords} from "./migrations.js";
import {longDate, writeRecord} from "./record.js";
import {fits} from "./schema.js";
import {fit, keys, kindOf, load, prefix, programme, remove, save, schemaFor} from "./storage.js";

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

/** Hand `content` to the browser as a download named `name`. */
export function download(content, type, name) {
  const blob = new Blob([content], {type});
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.appendChild(link);
  link.click();
  window.setTimeout(() => {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 0);
}

function exportAnswers() {
  download(JSON.stringify(exportFile(), null, 2), "application/json", `my-answers-${programme.id}.json`);
  setStatus("exported");
}

/* The page's styles: enough to read and print well; no other file is needed. */
const PAGE_STYLE = [
  "body{font-family:system-ui,sans-serif;line-height:1.6;max-width:46rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fff}",
  "dt{font-weight:600;margin-block-start:.75rem}dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}",
  ".record-group{font-weight:700;margin-block:1rem 0}.record-date{color:#4a4a4a;margin:0}",
  ".record-module{border-block-start:1px solid #6b7280;margin-block-start:2rem}",
  ".record-entries{padding-inline-start:1.25rem}.table-scroll{overflow-x:auto}",
  "table{border-collapse:collapse}th,td{border:1px solid #6b7280;padding:.3rem .6rem;text-align:start}",
  "caption{text-align:start;font-weight:600}",
  "@media print{.table-scroll{overflow:visible}section,li{break-inside:avoid-page}}",
].join("");

/** A page of this programme's answers, to open and read in any browser: self-contained, no
 * scripts (its policy allows none), every answer set as text, in the page's language. */
export function answersPage() {
  const title = message("pageTitle", {programme: programme.title});
  const doc = document.implementation.createHTMLDocument(title);
  const root = doc.documentElement;
  root.setAttribute("lang", document.documentElement.lang || "");
  root.setAttribute("dir", document.documentElement.dir || "ltr");
  const meta = (attrs) => {
    const found = doc.createElement("meta");
    for (const [name, value] of Object.entries(attrs)) found.setAttribute(name, value);
    return found;
  };
  doc.head.prepend(meta({charset: "utf-8"}));
  doc.head.appendChild(meta({name: "viewport", content: "width=device-width, initial-scale=1"}));
  doc.head.appendChild(meta({
    "http-equiv": "Content-Security-Policy",
    content: "default-src 'none'; style-src 'unsafe-inline'",
  }));
  const main = doc.createElement("main");
  const h1 = doc.createElement("h1");
  h1.textContent = title;
  main.appendChild(h1);
  const when = doc.createElement("p");
  showMessage("pageSaved", when, {date: longDate(new Date().toISOString())});
  main.appendChild(when);
  const record = doc.createElement("div");
  if (!writeRecord(record, {level: 2, charts: false, idPrefix: "record"})) {
    const none = doc.createElement("p");
    showMessage("nothingSaved", none, {programme: programme.title});
    record.appendChild(none);
  }
  main.appendChild(record);
  doc.body.appendChild(main);
  // The styles go in as text: a <style> made here would be checked against this site's policy.
  const html = root.outerHTML.replace("</head>", `<style>${PAGE_STYLE}</style></head>`);
  return `<!doctype html>\n${html}\n`;
}

function exportPage() {
  download(answersPage(), "text/html;charset=utf-8", `my-answers-${programme.id}.html`);
  setStatus("exportedPage");
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
    let kept = 0;
    for (const [key, loaded] of found.records) {
      // Merged entry by entry, by time: a newer answer saved here stays.
      const merged = mergeRecord(kindOf(key), load(key), loaded);
      if (schemaFor(key) !== null && save(key, merged.record)) {
        count += 1;
        kept += merged.kept;
      } else {
        failed += 1;
      }
    }
    const status = setStatus("imported", {count});
    if (status && kept) status.textContent += ` ${message("keptNewer", {count: kept})}`;
    if (status && (found.leftOut || failed)) {
      status.textContent += ` ${message("leftOut", {programme: programme.title})}`;
    }
    showRecord();
  };
  reader.onerror = () => setStatus("badFile");
  reader.readAsText(file);
}

function deleteAnswers() {
  if (!window.confirm(message("confirmDelete", {programme: programme.title}))) return;
  for (const key of keys(prefix)) remove(key);
  setStatus("deleted", {programme: programme.title});
  showRecord();
}

/** Show the client's record on the page (and its note when nothing is saved yet). */
function showRecord() {
  const container = document.querySelector("[data-icbt-record]");
  if (!container) return;
  const count = writeRecord(container);
  const empty = document.querySelector("[data-icbt-record-empty]");
  if (empty) empty.hidden = count > 0;
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
  const pageButton = document.querySelector("[data-icbt-export-page]");
  if (pageButton) pageButton.addEventListener("click", exportPage);
  showRecord();
}
