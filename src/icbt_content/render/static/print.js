/* Printing, and the browser's "Save as PDF", give everything in full.
 *
 * A text box prints only what fits in its box; so each one has a copy of its text beside it,
 * shown only in print (site.css, "Printing") in place of the box, kept up to date as the client
 * types and as the scripts fill it. Closed <details> (a table of results) are opened while the
 * page prints and closed again after.
 */
const BOXES = "textarea, input[type='text']";
const COPY = "data-icbt-print-copy";

function copyOf(box) {
  let copy = box.nextElementSibling;
  if (!copy || !copy.hasAttribute(COPY)) {
    copy = document.createElement("div");
    copy.setAttribute(COPY, "");
    copy.setAttribute("aria-hidden", "true");
    copy.className = "print-copy";
    box.after(copy);
  }
  return copy;
}

/** Bring the print copy of every text box up to date. */
export function updateCopies(root = document) {
  for (const box of root.querySelectorAll(BOXES)) {
    const copy = copyOf(box);
    if (copy.textContent !== box.value) copy.textContent = box.value;
  }
}

let opened = [];

function openDetails() {
  opened = [...document.querySelectorAll("details:not([open])")];
  for (const details of opened) details.open = true;
}

function closeDetails() {
  for (const details of opened) details.open = false;
  opened = [];
}

function beforePrint() {
  updateCopies();
  openDetails();
}

/** Keep the print copies current, and open what is folded while printing. */
export function startPrint() {
  if (!document.querySelector(BOXES) && !document.querySelector("details")) return;
  updateCopies();
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (box instanceof Element && box.matches(BOXES)) updateCopies(box.parentElement || document);
  });
  // Scripts fill boxes without an input event (a saved answer restored, an entry to edit).
  document.addEventListener("click", () => window.setTimeout(() => updateCopies(), 0));
  document.addEventListener("reset", () => window.setTimeout(() => updateCopies(), 0));
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", closeDetails);
  const print = window.matchMedia ? window.matchMedia("print") : null;
  if (print && typeof print.addEventListener === "function") {
    print.addEventListener("change", (event) => (event.matches ? beforePrint() : closeDetails()));
  }
}
