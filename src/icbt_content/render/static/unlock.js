/* Unlocking: "in-order" opens a core module once every earlier core module has been read;
 * "by-therapist" opens a module when the client confirms their therapist has opened it.
 * Optional modules are always open. A static site cannot enforce this: it guides.
 */
import {markLanguage, message, showMessage} from "./messages.js";
import {page} from "./pagedata.js";
import {loadProgress, saveProgress} from "./progress.js";

function moduleItem(id) {
  for (const item of document.querySelectorAll("li[data-module]")) {
    if (item.dataset.module === id) return item;
  }
  return null;
}

function lockItem(item) {
  if (!item || item.classList.contains("locked")) return;
  item.classList.add("locked");
  const tag = document.createElement("span");
  tag.className = "tag locked-tag";
  showMessage("locked", tag);
  item.insertBefore(tag, item.children[1] || null);
  item.insertBefore(document.createTextNode(" "), tag);
}

function unlockItem(item) {
  if (!item) return;
  item.classList.remove("locked");
  const tag = item.querySelector(".locked-tag");
  if (tag) tag.remove();
}

/** Mark locked modules in the navigation, and explain on a locked module's pages. */
export function startUnlock() {
  const rule = page.unlock;
  const modules = page.modules.filter((m) => typeof m.id === "string");
  if (!modules.length || !rule || rule === "all-open") return;
  const progress = loadProgress();
  // Page keys are "<module>/<page>", as the page data's "page" and the progress record have them.
  const complete = (m) => (Array.isArray(m.pages) ? m.pages : [])
    .every((pageId) => progress.visited.includes(`${m.id}/${pageId}`));
  function blocker(index) {
    const m = modules[index];
    if (!m.core || index === 0) return null;
    if (rule === "by-therapist") return progress.opened.includes(m.id) ? null : m;
    for (let i = 0; i < index; i++) {
      if (modules[i].core && !complete(modules[i])) return modules[i];
    }
    return null;
  }
  modules.forEach((m, index) => {
    const waiting = blocker(index);
    const item = moduleItem(m.id);
    if (waiting) lockItem(item);
    if (m.id !== page.module || !waiting) return;
    const notice = document.querySelector("[data-icbt-locked-notice]");
    if (!notice) return;
    const text = notice.querySelector("p");
    if (rule === "by-therapist") {
      showMessage("byTherapist", text);
      const button = notice.querySelector("[data-icbt-module-opened]");
      if (button) {
        button.parentElement.hidden = false;
        button.addEventListener("click", () => {
          const now = loadProgress();
          if (!now.opened.includes(m.id)) now.opened = [...now.opened, m.id];
          saveProgress(now);
          notice.hidden = true;
          document.documentElement.style.removeProperty("--icbt-notice-space");
          unlockItem(item);
        });
      }
    } else {
      const [before, after] = message("inOrder").split("{module}");
      markLanguage("inOrder", text).textContent = before;
      const link = document.createElement("a");
      link.href = page.home + (typeof waiting.path === "string" ? waiting.path : "");
      // The page's own navigation names the module in the page's language.
      const named = moduleItem(waiting.id);
      const anchor = named && named.querySelector(":scope > a");
      link.textContent = anchor ? anchor.textContent : String(waiting.title || "");
      text.appendChild(link);
      text.appendChild(document.createTextNode(after || ""));
    }
    notice.hidden = false;
    // The notice sits over the bottom of the window (site.css), so showing it after the page
    // is drawn moves nothing; the page gets room below its end so nothing stays under it.
    document.documentElement.style.setProperty("--icbt-notice-space", `${notice.offsetHeight}px`);
  });
}
