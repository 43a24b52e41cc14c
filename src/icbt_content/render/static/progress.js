/* Progress: the pages a client has read (ticked in the navigation), the page they were on last
 * and the modules their therapist opened, in one record under keyFor("progress"):
 * {"visited": [...], "opened": [...], "last": "<module>/<page>"}. The programme's home shows
 * where to continue and how many pages are read.
 */
import {message} from "./messages.js";
import {page} from "./pagedata.js";
import {keyFor, load, save} from "./storage.js";

/** The progress record, always with both lists. */
export function loadProgress() {
  const saved = load(keyFor("progress")) || {};
  const progress = {visited: saved.visited || [], opened: saved.opened || []};
  if (typeof saved.last === "string") progress.last = saved.last;
  return progress;
}

/** Save the progress record; true when written. */
export function saveProgress(progress) {
  return save(keyFor("progress"), progress);
}

function number(value) {
  try {
    return new Intl.NumberFormat(document.documentElement.lang || undefined).format(value);
  } catch (error) {
    return String(value);
  }
}

/* The home page's box: the page to continue at (the last one the client was on, else the
 * first), and the pages read of all. The build wrote the first page and 0 read. */
function showContinue(progress) {
  const box = document.querySelector("[data-icbt-continue]");
  const contents = page.contents;
  if (!box || !contents.length) return;
  const keys = contents.map((entry) => entry.key);
  const done = progress.visited.filter((key) => keys.includes(key)).length;
  const link = box.querySelector("[data-icbt-continue-link]");
  const last = contents.find((entry) => entry.key === progress.last);
  if (link && last && typeof last.title === "string") {
    link.href = `${page.home}${last.key}/`;
    link.textContent = last.title;
  }
  const read = box.querySelector("[data-icbt-pages-read]");
  if (read) {
    read.textContent = message("pagesRead", {done: number(done), total: number(keys.length)});
  }
  const bar = box.querySelector("[data-icbt-pages-bar]");
  if (bar) bar.value = done;
}

/** Record this page as read and as the last one, tick the pages read in the navigation, and
 * on the home page show where to continue. */
export function startProgress() {
  const progress = loadProgress();
  if (page.page && (!progress.visited.includes(page.page) || progress.last !== page.page)) {
    if (!progress.visited.includes(page.page)) {
      progress.visited = [...progress.visited, page.page].sort();
    }
    progress.last = page.page;
    saveProgress(progress);
  }
  for (const item of document.querySelectorAll("li[data-page-key]")) {
    if (progress.visited.includes(item.dataset.pageKey)) item.classList.add("done");
  }
  showContinue(progress);
}
