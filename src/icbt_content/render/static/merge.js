/* Loading a file into answers already saved: merged entry by entry, by time, so a file never
 * overwrites a newer answer with an older one.
 *
 * As finely as the records keep time: an exercise keeps one time for its answers ("updated"),
 * so the newer save's answers win and answers only the older one has are kept; a repeatable
 * exercise's entries are merged by their id, the one updated later winning; a questionnaire's
 * results are joined by their date; pages read and modules opened are joined. A record of any
 * other kind is replaced by the file's.
 *
 * Each merge returns {record, kept}: kept counts the answers saved here that were newer than
 * the file's and were kept instead of them.
 */
import {byTime, has, isObject} from "./pagedata.js";

function timeOf(found) {
  if (!isObject(found)) return "";
  const time = found.updated || found.created || "";
  return typeof time === "string" ? time : "";
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Two sets of answers, the newer one's winning; kept counts the here answers that won. */
function mergeFields(here, loaded, hereIsNewer) {
  const hereFields = isObject(here) ? here : {};
  const loadedFields = isObject(loaded) ? loaded : {};
  const fields = hereIsNewer ? {...loadedFields, ...hereFields} : {...hereFields, ...loadedFields};
  let kept = 0;
  if (hereIsNewer) {
    for (const name of Object.keys(loadedFields)) {
      if (has(hereFields, name) && !same(hereFields[name], loadedFields[name])) kept += 1;
    }
  }
  return {fields, kept};
}

/** The entries of two records of a repeatable exercise: one of each id, the later updated. */
function mergeEntryLists(here, loaded) {
  const byId = new Map();
  let kept = 0;
  for (const entry of Array.isArray(here) ? here : []) byId.set(entry.id, entry);
  for (const entry of Array.isArray(loaded) ? loaded : []) {
    const known = byId.get(entry.id);
    if (!known || timeOf(entry) > timeOf(known)) byId.set(entry.id, entry);
    else if (timeOf(known) > timeOf(entry) && !same(known, entry)) kept += 1;
  }
  const entries = [...byId.values()].sort(byTime("created"));
  return {entries, kept};
}

function later(a, b) {
  return timeOf({updated: a}) > timeOf({updated: b}) ? a : b;
}

/** An exercise's saved answers and a file's. */
export function mergeExercise(here, loaded) {
  if (!isObject(here)) return {record: loaded, kept: 0};
  const hereIsNewer = timeOf(here) > timeOf(loaded);
  const {fields, kept} = mergeFields(here.fields, loaded.fields, hereIsNewer);
  const record = {...(hereIsNewer ? loaded : here), ...(hereIsNewer ? here : loaded), fields};
  const updated = later(here.updated, loaded.updated);
  if (updated) record.updated = updated;
  if (!Array.isArray(here.entries) && !Array.isArray(loaded.entries)) return {record, kept};
  const merged = mergeEntryLists(here.entries, loaded.entries);
  record.entries = merged.entries;
  return {record, kept: kept + merged.kept};
}

/** A questionnaire's results and a file's: every result of either, one per date. */
export function mergeResults(here, loaded) {
  if (!isObject(here) || !Array.isArray(here.results)) return {record: loaded, kept: 0};
  const byDate = new Map();
  for (const result of here.results) byDate.set(result.date, result);
  for (const result of Array.isArray(loaded.results) ? loaded.results : []) {
    if (!byDate.has(result.date)) byDate.set(result.date, result);
  }
  const results = [...byDate.values()].sort(byTime("date"));
  return {record: {...loaded, ...here, results}, kept: 0};
}

function union(a, b) {
  const found = Array.isArray(a) ? [...a] : [];
  for (const item of Array.isArray(b) ? b : []) if (!found.includes(item)) found.push(item);
  return found;
}

/** Pages read and modules opened, here and in a file. */
export function mergeProgress(here, loaded) {
  if (!isObject(here)) return {record: loaded, kept: 0};
  const record = {...here, ...loaded};
  for (const name of ["visited", "opened"]) {
    if (Array.isArray(here[name]) || Array.isArray(loaded[name])) record[name] = union(here[name], loaded[name]);
  }
  return {record, kept: 0};
}

/** How each kind of record is merged (storage.js kindOf); any other is replaced. */
export const MERGES = {
  exercise: mergeExercise,
  measure: mergeResults,
  progress: mergeProgress,
};

/** Merge a record loaded from a file (already fitted to its schema) into the one saved here
 * (null when there is none): {record, kept}. */
export function mergeRecord(kind, here, loaded) {
  if (here === null || here === undefined || !isObject(loaded)) return {record: loaded, kept: 0};
  const merge = has(MERGES, kind) ? MERGES[kind] : null;
  return merge ? merge(here, loaded) : {record: loaded, kept: 0};
}
