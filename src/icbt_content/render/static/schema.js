/* JSON Schema (2020-12) for the records a client's browser keeps: check and prune.
 *
 * The build makes the schemas (icbt_content/render/records.py) with these keywords only, and
 * this module implements each exactly as the JSON Schema specification does; a schema with any
 * other keyword fails closed (nothing fits it). A browser test checks that these verdicts agree
 * with a Python JSON Schema library on thousands of altered records.
 */
import {has, isObject} from "./pagedata.js";

const KEYWORDS = new Set([
  "$schema", "$id", "title", "description", "type", "const", "enum", "properties", "required",
  "additionalProperties", "items", "maxItems", "maxLength", "pattern", "minimum", "maximum",
  "multipleOf",
]);

const patterns = new Map();

function pattern(source) {
  if (!patterns.has(source)) patterns.set(source, new RegExp(source, "u"));
  return patterns.get(source);
}

function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function hasType(value, type) {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

function equal(a, b) {
  if (a === b) return true;
  if (!(a !== null && b !== null && typeof a === "object" && typeof b === "object")) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length
    && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && equal(a[key], b[key]));
}

/** Where value does not fit schema: a list of "path: problem", empty when it fits. */
export function problems(schema, value, path = "") {
  const found = [];
  check(schema, value, path || "/", found);
  return found;
}

/** Whether value fits schema. */
export function fits(schema, value) {
  return problems(schema, value).length === 0;
}

function check(schema, value, path, found) {
  if (schema === true) return;
  if (!isObject(schema)) {
    found.push(`${path}: nothing fits here`);
    return;
  }
  for (const keyword of Object.keys(schema)) {
    if (!KEYWORDS.has(keyword)) {
      found.push(`${path}: the schema uses '${keyword}', which this site does not check`);
      return;
    }
  }
  if (has(schema, "type")) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type))) {
      found.push(`${path}: not ${types.join(" or ")}`);
      return;
    }
  }
  if (has(schema, "const") && !equal(value, schema.const)) found.push(`${path}: not the value expected`);
  if (has(schema, "enum") && !schema.enum.some((allowed) => equal(allowed, value))) {
    found.push(`${path}: not one of the values allowed`);
  }
  if (typeof value === "string") {
    // Characters, as JSON Schema counts them (a UTF-16 length overcounts some, never undercounts).
    if (has(schema, "maxLength") && value.length > schema.maxLength
      && [...value].length > schema.maxLength) found.push(`${path}: too long`);
    if (has(schema, "pattern") && !pattern(schema.pattern).test(value)) found.push(`${path}: not in the form expected`);
  }
  if (typeof value === "number") {
    if (has(schema, "minimum") && value < schema.minimum) found.push(`${path}: too small`);
    if (has(schema, "maximum") && value > schema.maximum) found.push(`${path}: too big`);
    if (has(schema, "multipleOf") && !Number.isInteger(value / schema.multipleOf)) {
      found.push(`${path}: not a multiple of ${schema.multipleOf}`);
    }
  }
  if (Array.isArray(value)) {
    if (has(schema, "maxItems") && value.length > schema.maxItems) found.push(`${path}: too many`);
    if (has(schema, "items")) value.forEach((item, n) => check(schema.items, item, `${path}/${n}`, found));
  }
  if (isObject(value)) {
    for (const name of has(schema, "required") ? schema.required : []) {
      if (!has(value, name)) found.push(`${path}: '${name}' is missing`);
    }
    const properties = has(schema, "properties") ? schema.properties : {};
    for (const name of Object.keys(value)) {
      const where = `${path === "/" ? "" : path}/${name}`;
      if (has(properties, name)) check(properties[name], value[name], where, found);
      else if (has(schema, "additionalProperties")) {
        if (schema.additionalProperties === false) found.push(`${where}: not expected here`);
        else check(schema.additionalProperties, value[name], where, found);
      }
    }
  }
}

/** Set a property as data, so that no name (not even "__proto__") reaches the prototype. */
export function put(object, name, value) {
  Object.defineProperty(object, name, {value, enumerable: true, writable: true, configurable: true});
  return object;
}

/** The parts of value that fit schema: an object without the properties that do not fit (each
 * pruned in turn), a list without the items that do not fit whole, and no more than maxItems
 * (the last ones kept). Returns {value, dropped}: value fits schema, or is undefined when nothing
 * can be kept; dropped counts the parts left out. */
export function prune(schema, value) {
  if (fits(schema, value)) return {value, dropped: 0};
  let dropped = 0;
  let kept;
  if (isObject(value) && isObject(schema)) {
    kept = {};
    const properties = has(schema, "properties") ? schema.properties : {};
    for (const name of Object.keys(value)) {
      let part = true;
      if (has(properties, name)) part = properties[name];
      else if (has(schema, "additionalProperties")) part = schema.additionalProperties;
      const inner = prune(part, value[name]);
      dropped += inner.dropped;
      if (inner.value !== undefined) put(kept, name, inner.value);
    }
  } else if (Array.isArray(value) && isObject(schema)) {
    const items = has(schema, "items") ? schema.items : true;
    kept = value.filter((item) => fits(items, item));
    dropped += value.length - kept.length;
    if (has(schema, "maxItems") && kept.length > schema.maxItems) {
      dropped += kept.length - schema.maxItems;
      kept = kept.slice(kept.length - schema.maxItems);
    }
  } else {
    return {value: undefined, dropped: 1};
  }
  return fits(schema, kept) ? {value: kept, dropped} : {value: undefined, dropped: dropped + 1};
}
