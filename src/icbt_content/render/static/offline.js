/* Offline: registers this programme's service worker (the file sw.js beside the web app manifest
 * the page links to), which keeps every page of the programme in this language for use without a
 * connection. Only over http(s): a page opened from the disk (a kept copy) registers nothing.
 */

/** Register the worker, then ask the server for a newer one: a browser checks on its own only
 * on some navigations, and a client should get the build their service published, not an older
 * copy, on the next page they open. A failure leaves the site working online. */
export function startOffline() {
  const manifest = document.querySelector('link[rel="manifest"]');
  const served = window.location.protocol === "https:" || window.location.protocol === "http:";
  if (!manifest || !served || !("serviceWorker" in navigator)) return;
  const worker = new URL("sw.js", manifest.href);
  navigator.serviceWorker.register(worker.href).then((registration) => {
    // Offline, or the server busy: the copy already kept goes on working; nothing to report.
    if (registration.active) registration.update().catch(() => undefined);
  }, (error) => {
    console.error("icbt: the offline copy could not be set up", error);
  });
}
