/* The FHIR resources a connected site writes, made from what the client saved (see
 * icbt_content/loop/contract.py for every system, and docs/deploying-fhir.md).
 */
import {has} from "../pagedata.js";

function tagged(loop, resource) {
  return {
    ...resource,
    meta: {tag: [{system: loop.systems.programme, code: loop.programme}]},
  };
}

/** The identifier value of a save: <programme>/<locale>/<kind>/<id>/<entry>. */
export function answerKey(loop, kind, item, entry) {
  return `${loop.programme}/${loop.locale}/${kind}/${item}/${entry}`;
}

/** A measure result as a QuestionnaireResponse (without subject: added when it is sent). */
export function measureResponse(loop, measureId, result, key) {
  const info = loop.answers.measure[measureId];
  const items = [];
  for (const [itemId, value] of Object.entries(result.answers || {})) {
    const coding = info.codings[itemId] && info.codings[itemId][String(value)];
    const answer = coding ? {valueCoding: coding} : {valueInteger: value};
    items.push({linkId: itemId, answer: [answer]});
  }
  return tagged(loop, {
    resourceType: "QuestionnaireResponse",
    identifier: {system: loop.systems.answer, value: key},
    questionnaire: info.url,
    status: "completed",
    authored: result.date,
    item: items,
  });
}

/** The risk answers of a result: [{item, number, value, above}]. */
export function riskAnswers(loop, measureId, result) {
  const info = loop.answers.measure[measureId];
  const found = [];
  for (const [itemId, rule] of Object.entries(info ? info.risk : {})) {
    const value = (result.answers || {})[itemId];
    if (typeof value === "number" && value > rule.above) {
      found.push({item: itemId, number: rule.number, value, above: rule.above});
    }
  }
  return found;
}

function exerciseAnswer(field, value) {
  if (field.value === "valueBoolean") return value === true ? {valueBoolean: true} : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  if (field.value === "valueInteger") return /^-?\d+$/.test(value.trim()) ? {valueInteger: Number(value)} : null;
  if (field.value === "valueCoding") {
    if (!has(field.labels, value)) return null;
    return {valueCoding: {system: field.system, code: value, display: field.labels[value]}};
  }
  if (field.value === "valueDate") return /^\d{4}-\d{2}-\d{2}$/.test(value) ? {valueDate: value} : null;
  return {valueString: value};
}

/** An exercise's saved answers as a QuestionnaireResponse (fields it does not know are left out). */
export function exerciseResponse(loop, exerciseId, record, key) {
  const info = loop.answers.exercise[exerciseId];
  const items = [];
  for (const [fieldId, field] of Object.entries(info.fields)) {
    const answer = exerciseAnswer(field, (record.fields || {})[fieldId]);
    if (answer) items.push({linkId: fieldId, text: field.text, answer: [answer]});
  }
  const resource = {
    resourceType: "QuestionnaireResponse",
    identifier: {system: loop.systems.answer, value: key},
    questionnaire: info.url,
    status: "completed",
    authored: record.updated || new Date().toISOString(),
  };
  if (items.length) resource.item = items;
  return tagged(loop, resource);
}

/** A risk answer's Flag for the care team, pointing to its QuestionnaireResponse. */
export function riskFlag(loop, measureId, risk, key, authored) {
  const info = loop.answers.measure[measureId];
  return tagged(loop, {
    resourceType: "Flag",
    identifier: [{system: loop.systems.flag, value: `${key}/${risk.item}`}],
    extension: [],
    status: "active",
    category: [{coding: [{system: loop.systems.flagCategory, code: "safety", display: "Safety"}]}],
    code: {
      coding: [{system: loop.systems.flag, code: loop.systems.flagCode, display: "Risk answer"}],
      text: `${info.title} item ${risk.number} (${risk.item}): answer ${risk.value}, above ${risk.above}`,
    },
    period: {start: authored},
  });
}

/** Who a resource is about (and who wrote it), once the patient is known. */
export function withPatient(resource, patient) {
  const reference = {reference: `Patient/${patient}`};
  const done = {...resource, subject: reference};
  if (resource.resourceType === "QuestionnaireResponse") done.author = reference;
  if (resource.resourceType === "Flag") done.author = reference;
  return done;
}
