/* A connected site (deploy.yaml `connection: fhir`): sign-in, sync, messages and unlocks.
 *
 * The site is a SMART on FHIR app of the service's own FHIR server (standalone launch,
 * authorisation code + PKCE, a public client), through the vendored fhirclient (window.FHIR,
 * assets/vendor/fhirclient). Its tokens live in this tab's sessionStorage; signing out removes
 * them. Answers are saved on the device first (exercises.js, questionnaire.js), then this module
 * queues each questionnaire completion and each exercise save (outbox.js) and sends them as
 * QuestionnaireResponses; a risk answer also sends a Flag at once. Therapist messages
 * (Communication) are shown on the Messages page and counted on the programme home; a CarePlan
 * opens modules of programmes with `unlock: by-therapist`.
 */
import {message} from "../messages.js";
import {isObject, page, readJson} from "../pagedata.js";
import {keyFor, load} from "../storage.js";
import {loadProgress, saveProgress} from "../progress.js";
import {backoff, enqueue, hasResult, loadOutbox, newEntryId, updateOutbox, waiting} from "./outbox.js";
import {
  answerKey, exerciseResponse, measureResponse, riskAnswers, riskFlag, withPatient,
} from "./resources.js";
import {renderMessage} from "./safemarkdown.js";

const raw = readJson("page");
const loop = isObject(raw) && isObject(raw.loop) ? raw.loop : null;
const SMART = window.FHIR;
let client = null;
let running = false;
let timer = null;
let conflicted = false;

function signedIn() {
  try {
    return Boolean(window.sessionStorage.getItem("SMART_KEY"));
  } catch (error) {
    return false;
  }
}

function setText(selector, text) {
  for (const element of document.querySelectorAll(selector)) element.textContent = text;
}

/* -- the client sees what is synced and what is waiting ------------------------------------- */

function showSync(sending = false) {
  const count = waiting(loadOutbox()).length;
  let text;
  if (sending && count) text = message("syncSending");
  else if (!client && count) text = `${message("syncSignedOut")} ${message("syncWaiting", {count})}`;
  else if (!client) text = message("syncSignedOut");
  else if (count) text = message("syncWaiting", {count});
  else text = message("syncSynced");
  setText("[data-icbt-sync]", conflicted ? `${text} ${message("syncConflict")}` : text);
}

/* A risk alert says how far its answer got: before, sending, sent, waiting, signed-out. */
function showRiskStage(form, stage) {
  for (const part of form.querySelectorAll("[data-icbt-risk-stage]")) {
    part.hidden = part.dataset.icbtRiskStage !== stage;
  }
}

/* -- signing in and out ---------------------------------------------------------------------- */

function signIn() {
  return SMART.oauth2.authorize({
    iss: loop.fhir,
    clientId: loop.clientId,
    scope: loop.scope,
    redirectUri: new URL(loop.connect, window.location.href).href,
    pkceMode: "required",
  });
}

/** Remove every trace of the sign-in from this tab: tokens and the launch state. */
export function signOut() {
  try {
    window.sessionStorage.clear();
  } catch (error) {
    /* storage turned off: nothing was kept */
  }
  client = null;
}

async function restore() {
  const returning = new URLSearchParams(window.location.search).has("code");
  if (!returning && !signedIn()) return null;
  try {
    return await SMART.oauth2.ready();
  } catch (error) {
    if (returning) setText("[data-icbt-connect-status]", message("signInFailed"));
    signOut();
    return null;
  }
}

function patientOf(smart) {
  return smart && smart.patient && smart.patient.id ? smart.patient.id : null;
}

/* -- sending ---------------------------------------------------------------------------------- */

function statusOf(error) {
  return Number(error && (error.status || error.statusCode || (error.response && error.response.status))) || 0;
}

async function createOnce(resource, system, value) {
  return client.request({
    url: resource.resourceType,
    method: "POST",
    body: JSON.stringify(resource),
    headers: {
      "Content-Type": "application/fhir+json",
      "If-None-Exist": `identifier=${encodeURIComponent(`${system}|${value}`)}`,
    },
  });
}

async function sendResponse(entry, patient) {
  const resource = withPatient(entry.resource, patient);
  entry.sentKey = resource.identifier.value;
  if (entry.mode === "update" && entry.target) {
    try {
      return await client.request({
        url: `QuestionnaireResponse/${entry.target.id}`,
        method: "PUT",
        body: JSON.stringify({...resource, id: entry.target.id}),
        headers: {"Content-Type": "application/fhir+json", "If-Match": `W/"${entry.target.version}"`},
      });
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 410) {
        // The response is gone from the server: this save starts a new one.
        const key = answerKey(loop, "exercise", entry.item, newEntryId());
        entry.sentKey = key;
        const fresh = {...resource, identifier: {system: loop.systems.answer, value: key}};
        return createOnce(fresh, loop.systems.answer, key);
      }
      if (status !== 412) throw error;
      // Someone else's save came first: keep both. Ours becomes a new response that names the
      // version it did not overwrite.
      const current = await client.request(`QuestionnaireResponse/${entry.target.id}`);
      const version = current && current.meta ? current.meta.versionId : entry.target.version;
      const replaces = {reference: `QuestionnaireResponse/${entry.target.id}/_history/${version}`};
      entry.conflict = true;
      const key = answerKey(loop, "exercise", entry.item, newEntryId());
      entry.sentKey = key;
      const fresh = {
        ...resource,
        identifier: {system: loop.systems.answer, value: key},
        extension: [{url: loop.systems.replaces, valueReference: replaces}],
      };
      return createOnce(fresh, loop.systems.answer, key);
    }
  }
  return createOnce(resource, loop.systems.answer, resource.identifier.value);
}

async function sendEntry(entry, patient) {
  if (!entry.id) {
    const stored = await sendResponse(entry, patient);
    entry.id = stored.id;
    entry.version = stored.meta ? stored.meta.versionId : "";
  }
  for (const flag of entry.flags || []) {
    if (flag.sent) continue;
    const resource = withPatient(flag.resource, patient);
    resource.extension = [{url: loop.systems.flagSource, valueReference: {reference: `QuestionnaireResponse/${entry.id}`}}];
    await createOnce(resource, loop.systems.flag, resource.identifier[0].value);
    flag.sent = true;
  }
}

function stageForms(entry, stage) {
  if (entry.kind !== "measure" || !(entry.flags || []).length) return;
  for (const form of document.querySelectorAll("form[data-icbt-questionnaire]")) {
    if (form.dataset.icbtQuestionnaire === entry.item) showRiskStage(form, stage);
  }
}

/** Send every waiting entry that is due; one run at a time. Safe to call at any moment. */
export async function sync() {
  if (running || !client) return;
  running = true;
  window.clearTimeout(timer);
  const patient = patientOf(client);
  let next = Infinity;
  try {
    showSync(true);
    for (const pending of waiting(loadOutbox())) {
      if (pending.after && pending.after > Date.now()) {
        next = Math.min(next, pending.after - Date.now());
        continue;
      }
      const entry = {...pending};
      try {
        await sendEntry(entry, patient);
        entry.status = "synced";
        stageForms(entry, "sent");
        updateOutbox((outbox) => {
          if (entry.kind === "exercise") {
            outbox.links[`exercise/${entry.item}`] = {key: entry.sentKey, id: entry.id, version: entry.version};
          }
          const at = outbox.entries.findIndex((e) => e.key === pending.key);
          if (at < 0) return;
          const now = outbox.entries[at];
          if (JSON.stringify(now.resource) !== JSON.stringify(pending.resource)) {
            // Saved again while this one was sending: the newer save updates what was stored.
            Object.assign(now, {mode: "update", target: {id: entry.id, version: entry.version},
              tries: 0, after: 0});
            delete now.id;
            return;
          }
          outbox.entries[at] = {key: entry.key, kind: entry.kind, item: entry.item, date: entry.date,
            status: "synced", id: entry.id, version: entry.version, conflict: Boolean(entry.conflict)};
        });
        if (entry.conflict) conflicted = true;
      } catch (error) {
        const status = statusOf(error);
        if (status === 401) {
          signOut(); // the sign-in ended: everything waits for the next one
        }
        const tries = (pending.tries || 0) + 1;
        const delay = backoff(tries);
        next = Math.min(next, delay);
        updateOutbox((outbox) => {
          const found = outbox.entries.find((e) => e.key === pending.key);
          if (!found) return;
          found.tries = tries;
          found.after = Date.now() + delay;
          found.error = status ? `HTTP ${status}` : "no connection";
          if (entry.id) {
            found.id = entry.id;
            found.version = entry.version;
          }
          found.flags = entry.flags;
        });
        stageForms(entry, client ? "waiting" : "signed-out");
        if (!client) break;
      }
    }
  } finally {
    running = false;
    showSync(false);
  }
  if (client && next !== Infinity) timer = window.setTimeout(sync, next);
}

/** Send now: what was waiting for its next try is due at once (back online, signed in). */
export function syncNow() {
  updateOutbox((outbox) => {
    for (const entry of waiting(outbox)) entry.after = 0;
  });
  return sync();
}

/* -- what the client saves becomes an entry -------------------------------------------------- */

function queueResult(form) {
  const id = form.dataset.icbtQuestionnaire || "";
  if (!loop.answers.measure[id]) return;
  const saved = load(keyFor("measure", id));
  const results = saved && Array.isArray(saved.results) ? saved.results : [];
  const result = results[results.length - 1];
  if (!result) return;
  const queued = updateOutbox((outbox) => {
    if (hasResult(outbox, id, result.date)) return null;
    const key = answerKey(loop, "measure", id, newEntryId());
    const risks = riskAnswers(loop, id, result);
    return enqueue(outbox, {
      key, kind: "measure", item: id, date: result.date, status: "waiting", tries: 0,
      resource: measureResponse(loop, id, result, key),
      flags: risks.map((risk) => ({resource: riskFlag(loop, id, risk, key, result.date), sent: false})),
    });
  });
  if (queued && queued.flags.length) {
    showRiskStage(form, !client ? "signed-out" : navigator.onLine === false ? "waiting" : "sending");
  }
}

function queueExercise(form) {
  const id = form.dataset.icbtExercise || "";
  if (!loop.answers.exercise[id]) return;
  const record = load(keyFor("exercise", id));
  if (!record) return;
  updateOutbox((outbox) => {
    // One response per exercise: its identifier is made on the first save; later saves update
    // it, only if nobody changed it since (If-Match).
    const link = outbox.links[`exercise/${id}`] || {key: answerKey(loop, "exercise", id, newEntryId())};
    outbox.links[`exercise/${id}`] = link;
    const entry = {key: answerKey(loop, "exercise", id, newEntryId()), kind: "exercise", item: id,
      date: record.updated || "", status: "waiting", tries: 0, flags: [],
      resource: exerciseResponse(loop, id, record, link.key)};
    if (link.id) {
      entry.mode = "update";
      entry.target = {id: link.id, version: link.version};
    }
    enqueue(outbox, entry);
  });
}

function watchSaves() {
  // Bubbling listeners on the document run after the forms' own (which save on the device).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.matches("[data-icbt-questionnaire]")) queueResult(form);
    else if (form.matches("[data-icbt-exercise]")) queueExercise(form);
    else return;
    showSync(false);
    sync();
  });
}

/* -- messages and unlocks from the therapist ------------------------------------------------- */

function isGuidance(resource) {
  const categories = resource.category || [];
  const tags = (resource.meta && resource.meta.tag) || [];
  return categories.some((c) => c.text === loop.systems.guidance
      || (c.coding || []).some((coding) => coding.code === loop.systems.guidance))
    && tags.some((tag) => tag.system === loop.systems.programme && tag.code === loop.programme);
}

async function fetchAll(query) {
  const found = await client.request(query, {pageLimit: 0, flat: true});
  return Array.isArray(found) ? found : [];
}

async function loadMessages(patient) {
  const found = await fetchAll(`Communication?subject=Patient/${patient}`);
  return found
    .filter((r) => r.resourceType === "Communication" && r.status === "completed" && isGuidance(r))
    .sort((a, b) => String(b.sent || "").localeCompare(String(a.sent || "")));
}

function showMessages(messages) {
  const list = document.querySelector("[data-icbt-message-list]");
  const seen = loadOutbox().seen;
  if (list) {
    list.textContent = "";
    for (const item of messages) {
      const li = document.createElement("li");
      li.className = "guidance-message";
      const meta = document.createElement("p");
      meta.className = "message-date";
      const date = item.sent ? new Date(item.sent) : null;
      const shown = date && !Number.isNaN(date.getTime())
        ? date.toLocaleDateString(document.documentElement.lang || undefined, {dateStyle: "long"}) : "";
      meta.textContent = message("messageSent", {date: shown});
      if (!seen.includes(item.id)) {
        const tag = document.createElement("strong");
        tag.className = "tag";
        tag.textContent = ` ${message("newMessage")}`;
        meta.appendChild(tag);
      }
      const body = document.createElement("div");
      body.className = "message-body";
      const payload = (item.payload || []).find((p) => typeof p.contentString === "string");
      // The Messages page is one folder below the programme's home in this language.
      body.appendChild(renderMessage(payload ? payload.contentString : "", "../"));
      li.append(meta, body);
      list.appendChild(li);
    }
    setText("[data-icbt-messages-status]", messages.length ? "" : message("noMessages"));
    updateOutbox((outbox) => {
      outbox.seen = [...new Set([...outbox.seen, ...messages.map((m) => m.id)])];
    });
  }
  const unseen = messages.filter((m) => !seen.includes(m.id)).length;
  for (const box of document.querySelectorAll("[data-icbt-new-messages]")) {
    const link = box.querySelector("a");
    if (link) link.textContent = message("newMessages", {count: unseen});
    box.hidden = unseen === 0;
  }
}

function unlockedModules(plans) {
  const opened = new Set();
  for (const plan of plans) {
    if (plan.resourceType !== "CarePlan" || plan.status !== "active") continue;
    const ours = (plan.identifier || []).some((i) => i.system === loop.systems.programme && i.value === loop.programme);
    if (!ours) continue;
    for (const activity of plan.activity || []) {
      const detail = activity.detail || {};
      if (detail.status !== loop.systems.unlocked) continue;
      for (const coding of (detail.code && detail.code.coding) || []) {
        const prefix = `${loop.programme}/`;
        if (coding.system === loop.systems.module && String(coding.code).startsWith(prefix)) {
          opened.add(String(coding.code).slice(prefix.length));
        }
      }
    }
  }
  return [...opened].sort();
}

/* The server decides which modules are open: the progress record follows it, and the page too. */
function applyUnlocks(opened) {
  const progress = loadProgress();
  progress.opened = opened;
  saveProgress(progress);
  updateOutbox((outbox) => {
    outbox.unlocked = opened;
  });
  for (const item of document.querySelectorAll("li[data-module].locked")) {
    if (!opened.includes(item.dataset.module)) continue;
    item.classList.remove("locked");
    const tag = item.querySelector(".locked-tag");
    if (tag) tag.remove();
  }
  const notice = document.querySelector("[data-icbt-locked-notice]");
  if (notice && opened.includes(page.module)) notice.hidden = true;
}

function therapistOpensModules() {
  if (page.unlock !== "by-therapist") return;
  // The therapist opens modules on the server; the client is not asked to say so.
  const button = document.querySelector("[data-icbt-module-opened]");
  if (button && button.parentElement) button.parentElement.remove();
  const notice = document.querySelector("[data-icbt-locked-notice]");
  if (notice && !notice.hidden) {
    const text = notice.querySelector("p");
    if (text) text.textContent = message("byTherapistConnected");
  }
}

async function fromTherapist() {
  const patient = patientOf(client);
  if (!patient) return;
  try {
    showMessages(await loadMessages(patient));
  } catch (error) {
    setText("[data-icbt-messages-status]", message("messagesFailed"));
  }
  if (page.unlock === "by-therapist") {
    try {
      applyUnlocks(unlockedModules(await fetchAll(`CarePlan?subject=Patient/${patient}`)));
    } catch (error) {
      /* the modules stay as they were last seen */
    }
  }
}

/* -- the connect page ------------------------------------------------------------------------ */

function showSignedIn() {
  const inButton = document.querySelector("[data-icbt-sign-in]");
  const outButton = document.querySelector("[data-icbt-sign-out]");
  if (inButton) inButton.hidden = Boolean(client);
  if (outButton) outButton.hidden = !client;
}

function wireConnectPage() {
  const inButton = document.querySelector("[data-icbt-sign-in]");
  const outButton = document.querySelector("[data-icbt-sign-out]");
  if (inButton) {
    inButton.addEventListener("click", () => {
      signIn().catch(() => setText("[data-icbt-connect-status]", message("signInFailed")));
    });
  }
  if (outButton) {
    outButton.addEventListener("click", () => {
      signOut();
      setText("[data-icbt-connect-status]", message("signedOut"));
      showSignedIn();
      showSync(false);
      if (inButton) inButton.focus();
    });
  }
}

/** Start the connected parts of the page. */
export async function startConnect() {
  if (!loop || !SMART) return;
  therapistOpensModules();
  if (loadOutbox().unlocked.length && page.unlock === "by-therapist") applyUnlocks(loadOutbox().unlocked);
  watchSaves();
  wireConnectPage();
  window.addEventListener("online", () => syncNow());
  showSync(false);
  client = await restore();
  showSignedIn();
  // The alerts start at "signed out" (the page promises nothing until this runs): signed in,
  // a risk answer will be sent when the questionnaire is finished.
  const stage = client ? "before" : "signed-out";
  for (const form of document.querySelectorAll("form[data-icbt-questionnaire]")) showRiskStage(form, stage);
  if (client) {
    if (document.querySelector("[data-icbt-connect-status]")) setText("[data-icbt-connect-status]", message("signedIn"));
    showSync(false);
    await Promise.all([syncNow(), fromTherapist()]);
  } else {
    setText("[data-icbt-messages-status]", message("messagesSignedOut"));
  }
}

startConnect().catch((error) => console.error("icbt: the connection could not start", error));
