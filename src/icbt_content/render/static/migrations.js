/* Migrations from programme.yaml: answers saved under a renamed exercise or field move to the
 * new id, never dropped. Applied to storage on every page, and to a file before it is loaded.
 * An exercise made repeatable keeps a save from before as its first dated entry.
 */
import {has, isObject, page} from "./pagedata.js";
import {put} from "./schema.js";
import {keyFor, load, remove, save} from "./storage.js";

/** Apply the programme's migrations to records reached through a store:
 * {get(key) -> record or null, set(key, record) -> true when kept, delete(key)}. */
export function applyMigrations(store, migrations = page.migrations) {
  for (const migration of migrations) {
    if (typeof migration.exercise !== "string") continue;
    const oldKey = keyFor("exercise", migration.exercise);
    const saved = store.get(oldKey);
    if (!isObject(saved) || !isObject(saved.fields)) continue;
    const renames = isObject(migration.fields) ? migration.fields : {};
    const moving = typeof migration.to === "string" && migration.to !== migration.exercise;
    const targetKey = moving ? keyFor("exercise", migration.to) : oldKey;
    let changed = moving;
    const fields = {};
    for (const id of Object.keys(saved.fields)) {
      const renamed = has(renames, id) && typeof renames[id] === "string" ? renames[id] : id;
      changed = changed || renamed !== id;
      put(fields, renamed, saved.fields[id]);
    }
    if (!changed) continue;
    if (moving) {
      // Answers already saved under the new id win over the moved ones.
      const existing = store.get(targetKey);
      if (isObject(existing) && isObject(existing.fields)) {
        for (const id of Object.keys(existing.fields)) put(fields, id, existing.fields[id]);
      }
    }
    // Written first, removed after: a move that cannot be written leaves the answers where they were.
    if (store.set(targetKey, {...saved, fields}) && moving) store.delete(oldKey);
  }
}

/** Whether the schema is that of a repeatable exercise (one that keeps dated entries). */
export function isRepeatable(schema) {
  return isObject(schema) && isObject(schema.properties) && has(schema.properties, "entries");
}

/** A record of a repeatable exercise with any answers saved outside an entry moved into the
 * first one (dated when they were saved), or null when there is nothing to move. */
export function intoEntries(record, now = new Date().toISOString()) {
  if (!isObject(record) || !isObject(record.fields) || !Object.keys(record.fields).length) return null;
  const entries = Array.isArray(record.entries) ? record.entries : [];
  const date = typeof record.updated === "string" && record.updated ? record.updated : now;
  const first = {id: `e${Date.parse(date) || Date.now()}`, created: date, updated: date, fields: record.fields};
  return {...record, fields: {}, entries: [first, ...entries], updated: date};
}

/** Move single saves of the repeatable exercises (page data "records") into entries. */
export function applyEntries(store, records = page.records) {
  for (const key of Object.keys(isObject(records) ? records : {})) {
    if (!isRepeatable(records[key])) continue;
    const moved = intoEntries(store.get(key));
    if (moved) store.set(key, moved);
  }
}

/** Apply the migrations to this browser's saved answers. */
export function migrateStored() {
  const store = {get: load, set: save, delete: remove};
  applyMigrations(store);
  applyEntries(store);
}

/** Apply the migrations to records in memory (a Map of key -> record), as from a file. */
export function migrateRecords(records) {
  const store = {
    get: (key) => (records.has(key) ? records.get(key) : null),
    set: (key, record) => {
      records.set(key, record);
      return true;
    },
    delete: (key) => records.delete(key),
  };
  applyMigrations(store);
  applyEntries(store);
  return records;
}
