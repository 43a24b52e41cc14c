#!/usr/bin/env node
// A FHIR R4 server for the guidance-loop tests: Medplum's FHIR router and in-memory repository
// (npm @medplum/fhir-router) behind a small HTTP layer that adds what a deployed server has:
// SMART access tokens checked against the authorisation server's keys, scopes and the Patient
// compartment enforced, ETags, CORS, a CapabilityStatement, /.well-known/smart-configuration,
// and a journal file so that data outlives a kill. Test-only: never deploy it.
//
//   node fhir-server.mjs --port 8090 --issuer http://127.0.0.1:8091 --data /tmp/fhir.jsonl \
//     [--setup setup.json] [--allow-origin https://site.example]... [--allow-loopback-origins]
//
// The FHIR base URL is http://127.0.0.1:<port>/fhir. "ready <base>" is printed once it listens.

import {
  OperationOutcomeError,
  allOk,
  getReferenceString,
  getSearchParameter,
  getStatus,
  isOk,
  normalizeOperationOutcome,
  parseSearchRequest,
} from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { AccessPolicy } from './lib/access.mjs';
import { loadDefinitions, typesUsedBy } from './lib/definitions.mjs';
import { JournaledRepository } from './lib/repository.mjs';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/;

const { values: options } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    issuer: { type: 'string' },
    data: { type: 'string' },
    setup: { type: 'string', default: new URL('./setup.json', import.meta.url).pathname },
    'allow-origin': { type: 'string', multiple: true, default: [] },
    'allow-loopback-origins': { type: 'boolean', default: false },
  },
});
if (!options.port || !options.issuer) {
  console.error('usage: fhir-server.mjs --port PORT --issuer URL [--data FILE] [--allow-origin ORIGIN]...');
  process.exit(2);
}

const base = `http://${options.host}:${options.port}/fhir`;
const issuer = options.issuer.replace(/\/$/, '');
const setup = JSON.parse(fs.readFileSync(options.setup, 'utf8'));
const { resourceTypes, ensureIndexed, patientCompartment } = loadDefinitions();
const repo = new JournaledRepository(options.data);
const router = new FhirRouter();
const server = { router, repo, resourceTypes, patientCompartment };

ensureIndexed(typesUsedBy(undefined, setup.seed));
for (const resource of setup.seed ?? []) {
  try {
    await repo.readResource(resource.resourceType, resource.id);
  } catch {
    await repo.createResource(resource);
  }
}

// ---- The authorisation server: discovered once, keys fetched (and refreshed) by jose.

let discovery;
let keys;
async function authorisationServer() {
  if (!discovery) {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    if (!response.ok) {
      throw new Error(`discovery answered ${response.status}`);
    }
    discovery = await response.json();
    keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
  }
  return { discovery, keys };
}

async function verifiedClaims(request) {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) {
    throw new HttpError(401, 'An access token is required', 'Bearer');
  }
  let jwks;
  try {
    ({ keys: jwks } = await authorisationServer());
  } catch (error) {
    throw new HttpError(503, `The authorisation server cannot be reached: ${error.message}`);
  }
  try {
    const { payload } = await jwtVerify(match[1], jwks, {
      issuer,
      audience: base,
      typ: 'at+jwt',
      algorithms: ['RS256', 'PS256', 'ES256'],
    });
    return payload;
  } catch (error) {
    if (error?.code === 'ERR_JWKS_TIMEOUT' || error instanceof TypeError) {
      throw new HttpError(503, `The authorisation server's keys cannot be fetched: ${error.message}`);
    }
    throw new HttpError(401, 'The access token is not valid', 'Bearer error="invalid_token"');
  }
}

class HttpError extends Error {
  constructor(status, message, challenge) {
    super(message);
    this.status = status;
    this.challenge = challenge;
  }
}

// ---- Documents that need no token.

async function smartConfiguration() {
  const { discovery: d } = await authorisationServer();
  return {
    issuer: d.issuer,
    jwks_uri: d.jwks_uri,
    authorization_endpoint: d.authorization_endpoint,
    token_endpoint: d.token_endpoint,
    introspection_endpoint: d.introspection_endpoint,
    revocation_endpoint: d.revocation_endpoint,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: d.token_endpoint_auth_methods_supported,
    scopes_supported: [
      'openid',
      'fhirUser',
      'profile',
      'offline_access',
      'launch/patient',
      'patient/*.cruds',
      'patient/*.rs',
      'user/*.cruds',
      'user/*.rs',
    ],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-standalone',
      'client-public',
      'client-confidential-symmetric',
      'context-standalone-patient',
      'permission-patient',
      'permission-user',
      'permission-offline',
      'permission-v1',
      'permission-v2',
      'sso-openid-connect',
    ],
  };
}

function capabilityStatement() {
  const interactions = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type'];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2024-01-01',
    kind: 'instance',
    software: { name: 'icbt-content test FHIR server (Medplum FHIR router, in-memory)' },
    implementation: { description: 'Test-only FHIR R4 server', url: base },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [
            {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' },
              ],
            },
          ],
        },
        resource: [...resourceTypes].sort().map((type) => ({
          type,
          versioning: 'versioned-update',
          readHistory: true,
          updateCreate: true,
          conditionalCreate: true,
          conditionalUpdate: true,
          conditionalDelete: 'multiple',
          interaction: interactions.map((code) => ({ code })),
        })),
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
      },
    ],
  };
}

// ---- Answering FHIR requests.

function etagOf(resource) {
  return resource?.meta?.versionId ? `W/"${resource.meta.versionId}"` : undefined;
}

function withBundleUrls(bundle, requestUrl) {
  const result = { ...bundle };
  if (bundle.type === 'searchset' || bundle.type === 'history') {
    result.link = [{ relation: 'self', url: requestUrl }];
  }
  result.entry = bundle.entry?.map((entry) => {
    const shaped = { ...entry };
    if (entry.resource?.id && !shaped.fullUrl) {
      shaped.fullUrl = `${base}/${getReferenceString(entry.resource)}`;
    }
    if (bundle.type === 'searchset') {
      shaped.search = { mode: 'match' };
    }
    if (entry.response && entry.resource?.meta?.versionId) {
      // Each answer carries the version it made, so a client can send If-Match next time.
      shaped.response = {
        ...entry.response,
        etag: etagOf(entry.resource),
        lastModified: entry.resource.meta.lastUpdated,
        location: `${getReferenceString(entry.resource)}/_history/${entry.resource.meta.versionId}`,
      };
    }
    return shaped;
  });
  if (!result.entry) {
    delete result.entry;
  }
  return result;
}

/** Refuse a search parameter that R4 does not define for the type, as HAPI does by default. */
function checkSearchParameters(method, url, body) {
  const route = router.find(method, url);
  if (route?.data?.interaction !== 'search-type') {
    return;
  }
  const type = route.params.resourceType;
  const query = method === 'POST' ? { ...(route.query ?? {}), ...(body ?? {}) } : (route.query ?? {});
  for (const filter of parseSearchRequest(type, query).filters ?? []) {
    if (!getSearchParameter(type, filter.code)) {
      // Medplum would match nothing and answer an empty Bundle: say why instead.
      throw new HttpError(400, `Unknown search parameter for ${type}: ${filter.code}`);
    }
  }
}

/** Search within the patient's compartment: filter, then count and page. */
async function compartmentSearch(type, query, policy) {
  const search = parseSearchRequest(type, query);
  const everything = await repo.search({ ...search, count: undefined, offset: undefined });
  const allowed = (everything.entry ?? []).filter((entry) =>
    patientCompartment.contains(entry.resource, policy.patientId),
  );
  const offset = search.offset ?? 0;
  const page = search.count === undefined ? allowed.slice(offset) : allowed.slice(offset, offset + search.count);
  return { resourceType: 'Bundle', type: 'searchset', total: allowed.length, entry: page.length ? page : undefined };
}

/** Throw 403 if anything in the answer lies outside the patient's compartment. */
function checkAnswer(resource, policy) {
  if (!resource || !policy.patientId) {
    return;
  }
  const resources =
    resource.resourceType === 'Bundle' ? (resource.entry ?? []).map((entry) => entry.resource) : [resource];
  for (const item of resources) {
    if (item && policy.limitedToCompartment(item.resourceType)) {
      policy.requireInCompartment(item);
    }
  }
}

function withoutCreateIds(method, url, body) {
  // A create never chooses its id: an id sent with POST must not overwrite another resource.
  const isCreate = (m, u) => m === 'POST' && router.find('POST', u)?.data?.interaction === 'create';
  if (isCreate(method, url) && body && typeof body === 'object') {
    const { id: _ignored, ...rest } = body;
    return rest;
  }
  if (method === 'POST' && body?.resourceType === 'Bundle' && Array.isArray(body.entry)) {
    return {
      ...body,
      entry: body.entry.map((entry) => {
        if (entry?.resource && isCreate(entry.request?.method, entry.request?.url ?? '')) {
          const { id: _ignored, ...rest } = entry.resource;
          return { ...entry, resource: rest };
        }
        return entry;
      }),
    };
  }
  return body;
}

async function answerFhir(request, fhirPath, search, body) {
  const claims = await verifiedClaims(request);
  const policy = new AccessPolicy(claims, server);
  const url = `${fhirPath}${search}`;
  const method = request.method;
  const input = withoutCreateIds(method, url, body);
  ensureIndexed(typesUsedBy(router.find(method, url)?.params?.resourceType, input));
  const mode = await policy.check(method, url, input);
  checkSearchParameters(method, url, input);

  let outcome;
  let resource;
  if (mode === 'compartment') {
    const route = router.find(method, url);
    const query = method === 'POST' ? { ...(route.query ?? {}), ...(input ?? {}) } : (route.query ?? {});
    resource = await compartmentSearch(route.params.resourceType, query, policy);
    outcome = allOk;
  } else {
    [outcome, resource] = await router.handleRequest(
      { method, url, pathname: '', body: input, params: {}, query: {}, headers: request.headers, config: { transactions: true } },
      repo,
    );
  }
  const status = getStatus(outcome);
  if (!isOk(outcome)) {
    return { status, body: outcome };
  }
  checkAnswer(resource, policy);
  if (!resource) {
    return { status, body: outcome };
  }
  const headers = {};
  if (resource.resourceType === 'Bundle') {
    resource = withBundleUrls(resource, `${base}/${url}`);
  } else if (resource.meta?.versionId) {
    headers.ETag = etagOf(resource);
    headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    if (status === 201) {
      headers.Location = `${base}/${getReferenceString(resource)}/_history/${resource.meta.versionId}`;
    }
  }
  return { status, headers, body: resource };
}

// ---- HTTP.

function corsHeaders(origin) {
  if (!origin) {
    return {};
  }
  const allowed =
    options['allow-origin'].includes(origin) || (options['allow-loopback-origins'] && LOOPBACK_ORIGIN.test(origin));
  if (!allowed) {
    return { Vary: 'Origin' };
  }
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': 'ETag, Location, Content-Location, Last-Modified, WWW-Authenticate',
    Vary: 'Origin',
  };
}

function preflightHeaders(origin) {
  const headers = corsHeaders(origin);
  if (!headers['Access-Control-Allow-Origin']) {
    return headers;
  }
  return {
    ...headers,
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers':
      'Authorization, Content-Type, Accept, If-Match, If-None-Match, If-None-Exist, If-Modified-Since, Prefer',
    'Access-Control-Max-Age': '600',
  };
}

async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, 'The request body is too large');
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) {
    return undefined;
  }
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not JSON');
  }
}

function send(response, status, headers, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { 'Content-Type': headers['Content-Type'] ?? FHIR_JSON }),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

function outcomeFor(status, message) {
  const code = { 400: 'invalid', 401: 'login', 403: 'forbidden', 404: 'not-found', 413: 'too-costly' }[status];
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: code ?? 'exception', details: { text: message } }],
  };
}

// One request at a time: the store, its journal and the access checks then always agree.
let queue = Promise.resolve();
function oneAtATime(work) {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

async function answer(request) {
  const url = new URL(request.url, base);
  if (url.pathname === '/fhir/.well-known/smart-configuration' && request.method === 'GET') {
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: await smartConfiguration() };
  }
  if (url.pathname === '/fhir/metadata' && request.method === 'GET') {
    return { status: 200, body: capabilityStatement() };
  }
  if (!url.pathname.startsWith('/fhir/') && url.pathname !== '/fhir') {
    return { status: 404, body: outcomeFor(404, 'Not a FHIR path: the base is /fhir') };
  }
  const body = ['POST', 'PUT', 'PATCH'].includes(request.method) ? await readBody(request) : undefined;
  const fhirPath = url.pathname.slice('/fhir/'.length);
  return oneAtATime(() => answerFhir(request, fhirPath, url.search, body));
}

const httpServer = http.createServer(async (request, response) => {
  const origin = request.headers.origin;
  const started = Date.now();
  let status = 500;
  try {
    if (request.method === 'OPTIONS') {
      status = 204;
      send(response, status, preflightHeaders(origin));
      return;
    }
    const result = await answer(request);
    status = result.status;
    send(response, status, { ...corsHeaders(origin), ...(result.headers ?? {}) }, result.body);
  } catch (error) {
    let body;
    const headers = corsHeaders(origin);
    if (error instanceof HttpError) {
      status = error.status;
      body = outcomeFor(status, error.message);
      if (error.challenge) {
        headers['WWW-Authenticate'] = error.challenge;
      }
    } else {
      const outcome = error instanceof OperationOutcomeError ? error.outcome : normalizeOperationOutcome(error);
      status = getStatus(outcome);
      body = outcome;
      if (status >= 500) {
        console.error(error);
      }
    }
    send(response, status, headers, body);
  } finally {
    // No query strings, tokens or bodies in the log: method, path and status are enough.
    console.log(`${request.method} ${new URL(request.url, base).pathname} ${status} ${Date.now() - started}ms`);
  }
});

process.on('SIGTERM', () => httpServer.close(() => process.exit(0)));
httpServer.listen(Number(options.port), options.host, () => {
  console.log(`ready ${base}`);
});
