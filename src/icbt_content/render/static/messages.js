/* Every word these scripts show, translated by the build: one JSON element per page
 * (<script type="application/json" data-icbt-messages>, written by templates/script_data.html).
 * No wording lives in the scripts; a name the page lacks is shown as the name, so a gap is seen
 * in testing rather than covered by English.
 */
import {has, isObject, readJson} from "./pagedata.js";

const found = readJson("messages");
const texts = isObject(found) ? found : {};

/** Put values into the {name} slots of a text; nothing else in it is touched. */
export function fill(template, values = {}) {
  return String(template).replace(/\{(\w+)\}/g, (whole, name) =>
    has(values, name) ? String(values[name]) : whole);
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
