/* Where a client's answers are kept: this browser's localStorage, and nowhere else.
 *
 * This is the one module that reads or writes storage. It knows no key: the build writes this
 * programme's key scheme into the page data ("storage", from icbt_content/ids.py), and the schema
 * of each record ("records" for the ones this page uses, "kinds" for any other of its kind).
 * Every record read is checked against its schema and pruned to the parts that fit, or treated as
 * absent, so nothing in storage (an old version's record, a damaged one) can break a page; and
 * nothing is written that does not fit.
 *
 * The API, for the features of this site and later ones (an offline copy, repeatable entries,
 * syncing to a server):
 *
 *   keyFor(kind, id)    the key of a record: keyFor("exercise", "mood-now"), keyFor("progress")
 *   kindOf(key)         "exercise", "measure", "progress", or "" for no kind of this programme
 *   schemaFor(key)      the schema a record under key must fit, or null (then nothing is kept)
 *   fit(key, record)    {value, dropped}: the parts of record that fit (value undefined: none)
 *   load(key)           the record under key, fitted, or null
 *   save(key, record)   write record if it fits its schema; true when written
 *   remove(key)         delete the record under key
 *   keys(prefix)        the keys in storage that start with prefix (default: this programme's)
 *   programme           {id, title} of this programme; prefix: the start of all its keys
 *
 * A new kind of record needs a key in ids.storage_keys and a schema in records.record_kinds (and
 * per item in the page's records): then keyFor, load and save handle it like the others.
 */
import {has, page} from "./pagedata.js";
import {fits, prune} from "./schema.js";

const scheme = page.storage;
const KIND_KEYS = Object.keys(scheme).filter((kind) => kind !== "programme");

export const programme = page.programme;
export const prefix = typeof scheme.programme === "string" ? scheme.programme : "";

function area() {
  try {
    return window.localStorage;
  } catch (error) {
    return null; // storage turned off: reads find nothing, writes fail
  }
}

/** The key of a record of kind (with id for kinds kept per item). */
export function keyFor(kind, id = "") {
  if (!has(scheme, kind) || typeof scheme[kind] !== "string" || !prefix) return "";
  return scheme[kind] + id;
}

/** The kind of record a key of this programme holds, or "". */
export function kindOf(key) {
  if (typeof key !== "string" || !prefix || !key.startsWith(prefix)) return "";
  // The longest start that matches: a whole key ("progress") or a kind's start plus an id.
  let found = "";
  let length = 0;
  for (const kind of KIND_KEYS) {
    const start = scheme[kind];
    if (typeof start !== "string") continue;
    const whole = !start.endsWith("/");
    const matches = whole ? key === start : key.startsWith(start) && key.length > start.length;
    if (matches && start.length > length) {
      found = kind;
      length = start.length;
    }
  }
  return found;
}

/** The schema a record under key must fit: its own, else its kind's; null for an unknown key. */
export function schemaFor(key) {
  if (has(page.records, key)) return page.records[key];
  const kind = kindOf(key);
  return kind && has(page.kinds, kind) ? page.kinds[kind] : null;
}

/** The parts of record that fit the schema of key. */
export function fit(key, record) {
  const schema = schemaFor(key);
  if (schema === null) return {value: undefined, dropped: 1};
  return prune(schema, record);
}

/** The record under key, checked and pruned; null when there is none that fits. */
export function load(key) {
  const storage = area();
  if (!storage || !key) return null;
  let raw = null;
  try {
    raw = storage.getItem(key);
  } catch (error) {
    return null;
  }
  if (raw === null) return null;
  let record;
  try {
    record = JSON.parse(raw);
  } catch (error) {
    return null;
  }
  const fitted = fit(key, record).value;
  return fitted === undefined ? null : fitted;
}

/** Write record under key if it fits its schema. Returns true when written. */
export function save(key, record) {
  const storage = area();
  const schema = schemaFor(key);
  if (!storage || schema === null || !fits(schema, record)) return false;
  try {
    storage.setItem(key, JSON.stringify(record));
  } catch (error) {
    return false; // full, or turned off
  }
  askToKeep();
  return true;
}

let asked = false;

/* Ask the browser to keep this site's storage when it runs short of space, instead of clearing
 * it: asked once a page, when the client first saves something (not on a visit that saves
 * nothing). Browsers may grant it silently or not at all; nothing depends on the answer. */
function askToKeep() {
  if (asked) return;
  asked = true;
  try {
    const manager = navigator.storage;
    if (!manager || typeof manager.persist !== "function") return;
    manager.persisted()
      .then((kept) => (kept ? true : manager.persist()))
      .catch(() => false);
  } catch (error) {
    /* not offered by this browser */
  }
}

/** Delete the record under key. */
export function remove(key) {
  const storage = area();
  try {
    if (storage && key) storage.removeItem(key);
  } catch (error) {
    /* nothing to do: the record stays */
  }
}

/** The stored keys that start with start (by default every key of this programme), sorted. */
export function keys(start = prefix) {
  const storage = area();
  const found = [];
  if (!storage || !start) return found;
  try {
    for (let n = 0; n < storage.length; n++) {
      const key = storage.key(n);
      if (key !== null && key.startsWith(start)) found.push(key);
    }
  } catch (error) {
    return [];
  }
  return found.sort();
}
