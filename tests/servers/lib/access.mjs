// What an access token may do: SMART scopes, and the Patient compartment for patient scopes.
//
// A `user/` scope lets the signed-in user act on every resource of its types (a real service
// would narrow that to the practitioner's care teams). A `patient/` scope only reaches the
// resources in the Patient compartment of the token's `patient` claim; shared resources that
// are in no patient's compartment (Questionnaire, Practitioner...) may be read but not written.

import { OperationOutcomeError, forbidden, notFound, parseSearchRequest } from '@medplum/core';
import { contextsAllowing, parseScopes } from './scopes.mjs';

const PERMISSION_OF = {
  create: 'c',
  read: 'r',
  vread: 'r',
  'history-instance': 'r',
  update: 'u',
  patch: 'u',
  delete: 'd',
  'search-type': 's',
};

function refuse(message) {
  return new OperationOutcomeError({
    ...forbidden,
    issue: [{ severity: 'error', code: 'forbidden', details: { text: message } }],
  });
}

export class AccessPolicy {
  /**
   * @param claims the verified access token's claims
   * @param server {router, repo, resourceTypes, patientCompartment}
   */
  constructor(claims, server) {
    this.scopes = parseScopes(claims.scope);
    this.patientId = typeof claims.patient === 'string' ? claims.patient : undefined;
    this.server = server;
  }

  /**
   * Check a request before it runs; throw a 403 OperationOutcomeError when it is not allowed.
   * Return 'compartment' when a search must be limited to the patient's compartment.
   */
  async check(method, url, body) {
    const route = this.server.router.find(method, url);
    if (!route) {
      return 'pass';
    }
    const interaction = route.data?.interaction;
    if (interaction === 'batch') {
      if (body?.resourceType !== 'Bundle') {
        return 'pass';
      }
      for (const entry of body.entry ?? []) {
        const entryMethod = entry.request?.method;
        const entryUrl = entry.request?.url;
        const entryRoute = entryMethod && entryUrl ? this.server.router.find(entryMethod, entryUrl) : undefined;
        if (!entryRoute) {
          continue; // The router answers this entry with its own error.
        }
        if (entryRoute.data?.interaction === 'batch') {
          throw refuse('A Bundle inside a Bundle is not supported');
        }
        const mode = await this.#checkOne(entryRoute, entry.resource);
        if (mode === 'compartment') {
          throw refuse('Searches inside a Bundle are not allowed with patient scopes: search directly');
        }
      }
      return 'pass';
    }
    return this.#checkOne(route, body);
  }

  async #checkOne(route, resource) {
    const interaction = route.data?.interaction;
    const type = route.params.resourceType;
    const permission = PERMISSION_OF[interaction];
    if (!permission || !type) {
      throw refuse(`The ${interaction} interaction is not offered by this server`);
    }
    if (!this.server.resourceTypes.has(type)) {
      throw new OperationOutcomeError(notFound);
    }
    const contexts = contextsAllowing(this.scopes, type, permission);
    if (contexts.has('user') || contexts.has('system')) {
      return 'pass';
    }
    if (!contexts.has('patient')) {
      throw refuse(`The token's scopes do not allow ${interaction} of ${type}`);
    }
    if (!this.patientId) {
      throw refuse('The token has patient scopes but no patient');
    }
    return this.#checkInCompartment(interaction, type, route, resource);
  }

  async #checkInCompartment(interaction, type, route, resource) {
    const compartment = this.server.patientCompartment;
    const shared = !compartment.covers(type);
    const id = route.params.id;
    if (interaction === 'search-type') {
      return shared ? 'pass' : 'compartment';
    }
    if (interaction === 'read' || interaction === 'vread' || interaction === 'history-instance') {
      if (!shared) {
        await this.#requireStoredInCompartment(type, id);
      }
      return 'pass';
    }
    if (shared) {
      throw refuse(`${type} is shared by all patients: patient scopes cannot change it`);
    }
    if (interaction === 'patch') {
      throw refuse('PATCH is not allowed with patient scopes: send the whole resource with PUT');
    }
    if (interaction === 'create' && type === 'Patient') {
      throw refuse('Patient scopes cannot create patients');
    }
    if (id) {
      await this.#requireStoredInCompartment(type, id);
    } else if (interaction !== 'create') {
      // A conditional update or delete: every resource it would touch must be the patient's.
      const search = parseSearchRequest(type, route.query ?? {});
      const matches = await this.server.repo.search({ ...search, count: undefined, offset: undefined });
      for (const entry of matches.entry ?? []) {
        this.requireInCompartment(entry.resource);
      }
    }
    if (interaction !== 'delete') {
      this.requireInCompartment(resource);
    }
    return 'pass';
  }

  async #requireStoredInCompartment(type, id) {
    let stored;
    try {
      stored = await this.server.repo.readResource(type, id);
    } catch {
      return; // Not there: the router answers a read with 404, an update creates it.
    }
    this.requireInCompartment(stored);
  }

  /** Whether the token is limited to a patient compartment for reading resources of this type. */
  limitedToCompartment(type) {
    const contexts = contextsAllowing(this.scopes, type, 'r');
    return !contexts.has('user') && !contexts.has('system') && this.server.patientCompartment.covers(type);
  }

  /** Throw 403 unless the resource is in the token's patient compartment. */
  requireInCompartment(resource) {
    if (!resource || typeof resource !== 'object') {
      return;
    }
    if (!this.server.patientCompartment.contains(resource, this.patientId)) {
      throw refuse(`This ${resource.resourceType} is not in the compartment of Patient/${this.patientId}`);
    }
  }
}
