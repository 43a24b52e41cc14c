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

/** The translated message called name, with values filled in. */
export function message(name, values = {}) {
  const template = has(texts, name) && typeof texts[name] === "string" ? texts[name] : name;
  return fill(template, values);
}
