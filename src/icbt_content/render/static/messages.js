/* Every word these scripts show, translated by the build: one JSON element per page
 * (<script type="application/json" data-icbt-messages>, written by templates/script_data.html).
 * No wording lives in the scripts; a name the page lacks is shown as the name, so a gap is seen
 * in testing rather than covered by English. A message not in the page's language (not yet
 * translated, or safety advice in the reader's language on a page served in another) is listed
 * with its language in data-icbt-message-langs, and shown marked with it.
 */
import {has, isObject, readJson} from "./pagedata.js";

const found = readJson("messages");
const texts = isObject(found) ? found : {};
const foundLangs = readJson("message-langs");
const langs = isObject(foundLangs) ? foundLangs : {};

/** Put values into the {name} slots of a text; nothing else in it is touched. */
export function fill(template, values = {}) {
  return String(template).replace(/\{(\w+)\}/g, (whole, name) =>
    has(values, name) ? String(values[name]) : whole);
}

/** [lang, dir] of the message called name when it is not in the page's language, else null. */
export function messageLanguage(name) {
  const found = has(langs, name) ? langs[name] : null;
  return Array.isArray(found) && typeof found[0] === "string" && typeof found[1] === "string"
    ? found : null;
}

/** Mark element with the language (and direction) of the message called name, or remove the
 * mark an earlier message left on it. Returns element. */
export function markLanguage(name, element) {
  const found = messageLanguage(name);
  if (found) {
    element.setAttribute("lang", found[0]);
    if (found[1]) element.setAttribute("dir", found[1]);
    else element.removeAttribute("dir");
    element.setAttribute("data-icbt-marked", "");
  } else if (element.hasAttribute("data-icbt-marked")) {
    element.removeAttribute("lang");
    element.removeAttribute("dir");
    element.removeAttribute("data-icbt-marked");
  }
  return element;
}

/** Show the message called name as the whole text of element, marked with its language. */
export function showMessage(name, element, values = {}) {
  element.textContent = message(name, values);
  return markLanguage(name, element);
}

/** The form of a plural message (forms by CLDR category, from the catalog's msgstr[n]) that
 * the page's language uses for count; "other" when the language has no such form. */
function pluralForm(forms, count) {
  let category = "other";
  try {
    category = new Intl.PluralRules(document.documentElement.lang || undefined).select(count);
  } catch {
    category = "other";
  }
  const form = has(forms, category) ? forms[category] : forms.other;
  return typeof form === "string" ? form : null;
}

/** The translated message called name, with values filled in (a plural message takes the form
 * for values.count). */
export function message(name, values = {}) {
  const found = has(texts, name) ? texts[name] : null;
  let template = typeof found === "string" ? found : null;
  if (isObject(found) && has(values, "count")) template = pluralForm(found, Number(values.count));
  return fill(template === null ? name : template, values);
}
