/* "Exit this page" (the GOV.UK pattern), on every page of a programme marked sensitive: the
 * button, or the Shift key pressed three times within five seconds, leaves at once for a neutral
 * site. The page is blanked first, and location.replace puts the neutral site in place of this
 * page in the history, so Back does not return here. Loaded on its own (not through icbt.js), so
 * nothing else on the page can stop it from working.
 */
const link = document.querySelector("a[data-icbt-exit]");
const PRESSES = 3;
const WITHIN_MS = 5000;
let presses = [];

function leave(event) {
  if (event) event.preventDefault();
  document.body.hidden = true;
  document.title = "";
  window.location.replace(link.href);
}

if (link) {
  link.addEventListener("click", leave);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Shift" || event.repeat) {
      if (event.key !== "Shift") presses = [];
      return;
    }
    const now = Date.now();
    presses = [...presses.filter((time) => now - time < WITHIN_MS), now];
    if (presses.length >= PRESSES) leave(null);
  });
}
