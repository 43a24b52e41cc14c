/* Offline: registers this programme's service worker (the file sw.js beside the web app manifest
 * the page links to), which keeps every page of the programme in this language for use without a
 * connection. Only over http(s): a page opened from the disk (a kept copy) registers nothing.
 */

/** Register the worker; a failure leaves the site working online. */
export function startOffline() {
  const manifest = document.querySelector('link[rel="manifest"]');
  const served = window.location.protocol === "https:" || window.location.protocol === "http:";
  if (!manifest || !served || !("serviceWorker" in navigator)) return;
  const worker = new URL("sw.js", manifest.href);
  navigator.serviceWorker.register(worker.href).catch((error) => {
    console.error("icbt: the offline copy could not be set up", error);
  });
}
