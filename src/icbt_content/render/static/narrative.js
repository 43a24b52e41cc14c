/* Trauma narrative: copy the words selected in the account into a hot spot's passage.
 * The button names both fields (data-icbt-hotspot-source/-target); they are looked up in the
 * button's own form, so no element elsewhere on the page can stand in for them.
 */
import {showMessage} from "./messages.js";

function setupHotspot(button) {
  button.addEventListener("click", () => {
    const form = button.form;
    if (!form) return;
    const source = form.elements.namedItem(button.dataset.icbtHotspotSource || "");
    const target = form.elements.namedItem(button.dataset.icbtHotspotTarget || "");
    const status = form.querySelector("[data-icbt-status]");
    if (!(source instanceof HTMLTextAreaElement || source instanceof HTMLInputElement)) return;
    if (!(target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement)) return;
    const chosen = source.value.substring(source.selectionStart, source.selectionEnd).trim();
    if (!chosen) {
      if (status) showMessage("selectFirst", status);
      source.focus();
      return;
    }
    target.value = chosen;
    target.dispatchEvent(new Event("input", {bubbles: true}));
    target.dispatchEvent(new Event("change", {bubbles: true}));
    if (status) showMessage("marked", status);
    target.focus();
  });
}

/** Wire the "use the words I selected" buttons of the page. */
export function startNarrative() {
  for (const button of document.querySelectorAll("button[data-icbt-hotspot-target]")) {
    setupHotspot(button);
  }
}
