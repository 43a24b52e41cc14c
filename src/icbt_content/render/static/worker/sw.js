/* The service worker of one programme in one locale: once the client has visited, every page of
 * the programme in their language works without a connection.
 *
 * The build writes OFFLINE above this text: {scope, version, files}. `files` are the URLs of the
 * pages, media and assets of this programme and locale, relative to this worker; `version` is a
 * digest of their content, so each build that changes a file publishes a new worker.
 *
 * Cache first, by version: a listed file is answered from the cache of this worker's version,
 * which the install step filled from one build, all or nothing. A page and the scripts and styles
 * it loads therefore always come from the same build. A new build installs beside the old one and
 * takes over at once (skipWaiting, clients.claim); activating deletes the caches of every older
 * version of this scope, so the next page loaded is wholly the new build.
 *
 * Nothing else is touched: requests to another origin (a FHIR server, the sign-in server), with a
 * query, other than GET, or for a file not listed go to the network as if there were no worker,
 * and their responses are never stored.
 */
const PREFIX = `icbt-offline:${OFFLINE.scope}:`;
const CACHE = PREFIX + OFFLINE.version;
const LISTED = new Set(OFFLINE.files.map((file) => new URL(file, self.location.href).href));

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // "reload": the files of this build, never an older copy in the browser's HTTP cache.
    await cache.addAll([...LISTED].map((url) => new Request(url, {cache: "reload"})));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/** The listed URL a request asks for, or "" when the request is not this worker's to answer. */
function listed(request) {
  if (request.method !== "GET") return "";
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.search) return "";
  url.hash = "";
  if (url.pathname.endsWith("/index.html")) url.pathname = url.pathname.slice(0, -"index.html".length);
  return LISTED.has(url.href) ? url.href : "";
}

self.addEventListener("fetch", (event) => {
  const url = listed(event.request);
  if (!url) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    return (await cache.match(url)) || fetch(event.request);
  })());
});
