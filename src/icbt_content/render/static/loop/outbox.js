/* The outbox: every save of a connected site, kept on this device until the FHIR server has it.
 *
 * One record under keyFor("sync"):
 *   entries   each save to send: {key, kind, item, date, resource, flags, status, tries, after,
 *             id, version, mode}; status "waiting" until the server has the response and every
 *             Flag, then "synced" (the resource is dropped, the server's id kept)
 *   links     per exercise ("exercise/<id>"): the server's response and version the next save
 *             updates (PUT with If-Match), and the per-device entry id of its identifier
 *   seen      ids of the therapist's messages already read; unlocked: modules the therapist opened
 * Entries are only ever marked synced after the server answered, so a network cut, an expired
 * sign-in or a server that dies mid-way leaves them waiting; sending again cannot store a response
 * twice (a conditional create by identifier) nor overwrite another save (If-Match).
 */
import {isObject} from "../pagedata.js";
import {keyFor, load, save} from "../storage.js";

const KEY = keyFor("sync");
const MAX_DELAY = 5 * 60 * 1000;

/** The sync record, always with every part. */
export function loadOutbox() {
  const saved = load(KEY) || {};
  return {
    entries: Array.isArray(saved.entries) ? saved.entries.filter(isObject) : [],
    links: isObject(saved.links) ? saved.links : {},
    seen: Array.isArray(saved.seen) ? saved.seen : [],
    unlocked: Array.isArray(saved.unlocked) ? saved.unlocked : [],
  };
}

const KEEP_SYNCED = 200;

/** Write the sync record; true when written. Only the latest synced entries are kept (they only
 * tell a result already sent from a new one); waiting entries are never dropped. */
export function saveOutbox(outbox) {
  const synced = outbox.entries.filter((entry) => entry.status === "synced");
  if (synced.length > KEEP_SYNCED) {
    const dropped = new Set(synced.slice(0, synced.length - KEEP_SYNCED));
    outbox.entries = outbox.entries.filter((entry) => !dropped.has(entry));
  }
  return save(KEY, outbox);
}

/** Change the sync record with fn(outbox) and save it (read fresh: another tab may have written). */
export function updateOutbox(fn) {
  const outbox = loadOutbox();
  const result = fn(outbox);
  saveOutbox(outbox);
  return result;
}

/** A new per-save id, made on this device. */
export function newEntryId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The entries still to send. */
export function waiting(outbox) {
  return outbox.entries.filter((entry) => entry.status !== "synced");
}

/** When a failed entry may be tried again: doubling from 2 seconds, at most 5 minutes. */
export function backoff(tries) {
  return Math.min(MAX_DELAY, 2000 * 2 ** Math.max(0, tries - 1));
}

/** Add an entry (or, for an exercise whose last save is still waiting, replace its resource). */
export function enqueue(outbox, entry) {
  if (entry.kind === "exercise") {
    const pending = outbox.entries.find((e) => e.kind === "exercise" && e.item === entry.item
      && e.status === "waiting" && !e.id);
    if (pending) {
      pending.resource = entry.resource;
      pending.date = entry.date;
      return pending;
    }
  }
  outbox.entries.push(entry);
  return entry;
}

/** Whether a measure result (by its date) is already in the outbox. */
export function hasResult(outbox, item, date) {
  return outbox.entries.some((e) => e.kind === "measure" && e.item === item && e.date === date);
}
