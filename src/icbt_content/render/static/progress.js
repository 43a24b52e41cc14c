/* Progress: the pages a client has read (ticked in the navigation) and the modules their
 * therapist opened, in one record under keyFor("progress"): {"visited": [...], "opened": [...]}.
 */
import {page} from "./pagedata.js";
import {keyFor, load, save} from "./storage.js";

/** The progress record, always with both lists. */
export function loadProgress() {
  const saved = load(keyFor("progress")) || {};
  return {visited: saved.visited || [], opened: saved.opened || []};
}

/** Save the progress record; true when written. */
export function saveProgress(progress) {
  return save(keyFor("progress"), progress);
}

/** Record this page as read, and tick the pages read in the navigation. */
export function startProgress() {
  const progress = loadProgress();
  if (page.page && !progress.visited.includes(page.page)) {
    progress.visited = [...progress.visited, page.page].sort();
    saveProgress(progress);
  }
  for (const item of document.querySelectorAll("li[data-page-key]")) {
    if (progress.visited.includes(item.dataset.pageKey)) item.classList.add("done");
  }
}
