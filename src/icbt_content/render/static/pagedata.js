/* The data the build writes into each page for these scripts, as JSON (never executed).
 *
 * Found by data-icbt-* attributes, which only the site's templates write (authors can give an
 * element an id, never an attribute), so no heading or anchor on a page can stand in for them.
 * Whatever is missing or malformed is defaulted here: the other modules can rely on the shapes.
 */

const own = Object.prototype.hasOwnProperty;

/** Whether value is a plain JSON object (not null, not an array). */
export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Whether a JSON object has its own property name (never one inherited from Object). */
export function has(object, name) {
  return isObject(object) && own.call(object, name);
}

/** For Array.sort: the items in the order of the ISO time in their field name, oldest first. */
export function byTime(name) {
  return (a, b) => (a[name] < b[name] ? -1 : a[name] > b[name] ? 1 : 0);
}

/** The parsed content of <script type="application/json" data-icbt-NAME>, or null. */
export function readJson(name, root = document) {
  const element = root.querySelector(`script[type="application/json"][data-icbt-${name}]`);
  if (!element) return null;
  try {
    return JSON.parse(element.textContent || "");
  } catch (error) {
    return null;
  }
}

function text(value) {
  return typeof value === "string" ? value : "";
}

function objectOf(value) {
  return isObject(value) ? value : {};
}

function listOf(value) {
  return Array.isArray(value) ? value : [];
}

/** Read and default the page data (see ProgrammeRenderer.page_data in render/site.py). */
export function pageData(root = document) {
  const raw = objectOf(readJson("page", root));
  const programme = objectOf(raw.programme);
  return {
    programme: {id: text(programme.id), title: text(programme.title)},
    page: text(raw.page),
    module: text(raw.module),
    home: text(raw.home),
    crisis: text(raw.crisis),
    unlock: text(raw.unlock),
    modules: listOf(raw.modules).filter(isObject),
    migrations: listOf(raw.migrations).filter(isObject),
    storage: objectOf(raw.storage),
    kinds: objectOf(raw.kinds),
    records: objectOf(raw.records),
    file: isObject(raw.file) ? raw.file : null,
    contents: listOf(raw.contents).filter((entry) => isObject(entry) && typeof entry.key === "string"),
  };
}

/** This page's data, read once. */
export const page = pageData();
