#!/usr/bin/env node
// An OpenID Connect provider for SMART App Launch in the guidance-loop tests: npm oidc-provider
// (a certified OpenID provider) with the SMART parts a FHIR service's authorisation server has:
// authorisation code + PKCE (S256) for every client, SMART scopes for the FHIR server as the one
// resource server, JWT access tokens for it (with `patient` and `fhirUser` claims), the `patient`
// launch context in the token response, and the `fhirUser` claim in the ID token.
// Test-only: the accounts come from setup.json, and consent is given at sign-in.
//
//   node auth-server.mjs --port 8091 --fhir-base http://127.0.0.1:8090/fhir \
//     [--setup setup.json] [--allow-loopback-redirects] [--access-token-ttl 3600]
//
// "ready <issuer>" is printed once it listens.

import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors } from 'oidc-provider';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { offeredDataScopes } from './lib/scopes.mjs';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'fhir-base': { type: 'string' },
    setup: { type: 'string', default: new URL('./setup.json', import.meta.url).pathname },
    'allow-loopback-redirects': { type: 'boolean', default: false },
    'access-token-ttl': { type: 'string', default: '3600' },
  },
});
if (!options.port || !options['fhir-base']) {
  console.error('usage: auth-server.mjs --port PORT --fhir-base URL [--allow-loopback-redirects]');
  process.exit(2);
}

const issuer = `http://${options.host}:${options.port}`;
const fhirBase = options['fhir-base'].replace(/\/$/, '');
const accessTokenTTL = Number(options['access-token-ttl']);
const setup = JSON.parse(fs.readFileSync(options.setup, 'utf8'));
const users = new Map(setup.users.map((user) => [user.username, user]));
const LOOPBACK_URL = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

// The resource types named one by one in the offered scopes; `*` covers every other type.
const SCOPED_TYPES = [
  'Patient',
  'Practitioner',
  'CareTeam',
  'Questionnaire',
  'QuestionnaireResponse',
  'Flag',
  'Communication',
  'CommunicationRequest',
  'CarePlan',
  'Task',
  'AuditEvent',
  'Provenance',
  'Observation',
];
const RESOURCE_SCOPES = ['launch/patient', ...offeredDataScopes(SCOPED_TYPES)];
const RESOURCE_SCOPE_SET = new Set(RESOURCE_SCOPES);
const OIDC_SCOPES = ['openid', 'fhirUser', 'profile', 'offline_access'];

/** The scopes this user may be given: patients get patient scopes, practitioners user scopes. */
function grantableTo(user, scope) {
  if (scope === 'launch/patient' || scope.startsWith('patient/')) {
    return Boolean(user.patient);
  }
  if (scope.startsWith('user/')) {
    return !user.patient;
  }
  return false;
}

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: setup.clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  scopes: OIDC_SCOPES,
  claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
  // SMART clients read fhirUser from the ID token returned with the code exchange.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  responseTypes: ['code'],
  ttl: {
    AccessToken: accessTokenTTL,
    IdToken: accessTokenTTL,
    AuthorizationCode: 60,
    Interaction: 3600,
    Session: 86400,
    Grant: 86400,
    RefreshToken: 86400,
  },
  features: {
    devInteractions: { enabled: false },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // SMART clients name the FHIR server with `aud`, not `resource`: it is the only one here.
      defaultResource: () => fhirBase,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resourceIndicator) => {
        if (resourceIndicator !== fhirBase) {
          throw new errors.InvalidTarget();
        }
        return {
          scope: RESOURCE_SCOPES.join(' '),
          audience: fhirBase,
          accessTokenTTL,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  extraParams: {
    // SMART: the authorisation server must refuse a request for a FHIR server it does not serve.
    aud(_ctx, value) {
      if (value !== fhirBase) {
        throw new errors.InvalidRequest(`aud must be the FHIR server's base URL, ${fhirBase}`);
      }
    },
  },
  async extraTokenClaims(_ctx, token) {
    const user = users.get(token.accountId);
    if (!user) {
      return undefined;
    }
    const scopes = String(token.scope ?? '').split(' ');
    const claims = { fhirUser: user.fhirUser };
    if (user.patient && scopes.some((scope) => scope.startsWith('patient/') || scope === 'launch/patient')) {
      claims.patient = user.patient;
    }
    return claims;
  },
  async findAccount(_ctx, id) {
    const user = users.get(id);
    if (!user) {
      return undefined;
    }
    return {
      accountId: id,
      claims: () => ({ sub: id, fhirUser: `${fhirBase}/${user.fhirUser}`, name: user.name }),
    };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  clientBasedCORS(_ctx, origin, client) {
    if (options['allow-loopback-redirects'] && LOOPBACK_URL.test(`${origin}/`)) {
      return true;
    }
    return client.redirectUris.some((uri) => new URL(uri).origin === origin);
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Sign-in problem', `<p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? '')}</p>`);
  },
});

if (options['allow-loopback-redirects']) {
  // Test-only: the tests serve apps on free ports, so any http loopback redirect is accepted.
  const registered = provider.Client.prototype.redirectUriAllowed;
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
    return LOOPBACK_URL.test(value) || registered.call(this, value);
  };
}

// SMART apps ask for offline_access without prompt=consent, which OpenID Connect requires before
// it gives a refresh token. Consent is given at sign-in here, so ask for it on the app's behalf.
provider.use(async (ctx, next) => {
  if (ctx.path === '/auth' && ctx.method === 'GET') {
    const { scope, prompt } = ctx.query;
    if (String(scope ?? '').split(' ').includes('offline_access') && !prompt) {
      ctx.query = { ...ctx.query, prompt: 'consent' };
    }
  }
  await next();
});

// The launch context: SMART puts `patient` beside the access token in the token response.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.oidc?.route === 'token' && ctx.status === 200 && typeof ctx.body?.access_token === 'string') {
    const claims = JSON.parse(Buffer.from(ctx.body.access_token.split('.')[1], 'base64url').toString('utf8'));
    const granted = ctx.oidc.entities.AuthorizationCode?.scope ?? ctx.oidc.entities.RefreshToken?.scope ?? '';
    // oidc-provider reports the access token's scopes only; SMART clients (fhirclient) look for
    // openid and fhirUser in `scope` before they read the ID token, so name every granted scope.
    const scope = [...new Set([...String(granted).split(' '), ...String(ctx.body.scope ?? '').split(' ')])]
      .filter(Boolean)
      .join(' ');
    ctx.body = { ...ctx.body, scope };
    if (claims.patient && scope.split(' ').includes('launch/patient')) {
      ctx.body.patient = claims.patient;
    }
  }
});

// ---- Sign-in pages.

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, content) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1>${content}</main></body></html>`;
}

function loginPage(uid, clientName, scopes, problem) {
  return page(
    `Sign in to ${clientName}`,
    `${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
  <p><label for="username">Username</label> <input id="username" name="username" autocomplete="username" required></p>
  <p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p>This app asks for: <code>${escapeHtml(scopes)}</code></p>
  <p><button type="submit">Sign in</button></p>
</form>`,
  );
}

async function readForm(request) {
  const chunks = [];
  for await (const chunk of request) {
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Grant what was asked and may be given to this user, refusing the rest (a patient is never given
 * user scopes). Consent is part of signing in on this test server.
 */
async function grantFor(details, user) {
  const { params, grantId, prompt } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: user.username, clientId: params.client_id });
  const requested = String(params.scope ?? '').split(' ').filter(Boolean);
  const oidc = requested.filter((scope) => OIDC_SCOPES.includes(scope));
  const data = requested.filter((scope) => RESOURCE_SCOPE_SET.has(scope));
  const given = data.filter((scope) => grantableTo(user, scope));
  const refused = data.filter((scope) => !grantableTo(user, scope));
  if (oidc.length) {
    grant.addOIDCScope(oidc.join(' '));
  }
  if (prompt.details.missingOIDCClaims?.length) {
    grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  }
  if (given.length) {
    grant.addResourceScope(fhirBase, given.join(' '));
  }
  if (refused.length) {
    grant.rejectResourceScope(fhirBase, refused.join(' '));
  }
  return grant.save();
}

async function interaction(request, response, uid, action) {
  const details = await provider.interactionDetails(request, response);
  if (details.uid !== uid) {
    throw new errors.InvalidRequest('interaction mismatch');
  }
  const client = await provider.Client.find(details.params.client_id);
  const clientName = client?.clientName ?? details.params.client_id;
  if (details.prompt.name === 'login') {
    if (request.method === 'GET') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(loginPage(uid, clientName, details.params.scope));
      return;
    }
    if (action !== 'login') {
      throw new errors.InvalidRequest('unexpected form');
    }
    const form = await readForm(request);
    const user = users.get(form.get('username') ?? '');
    const given = Buffer.from(form.get('password') ?? '');
    const expected = Buffer.from(user?.password ?? '');
    if (!user || given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(loginPage(uid, clientName, details.params.scope, 'Wrong username or password.'));
      return;
    }
    const grantId = await grantFor(details, user);
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: user.username }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  // Signed in already: only consent is missing, and it is given with the same rules.
  const user = users.get(details.session.accountId);
  const grantId = await grantFor(details, user);
  await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const handleProvider = provider.callback();
const server = http.createServer(async (request, response) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(new URL(request.url, issuer).pathname);
  if (!match) {
    handleProvider(request, response);
    return;
  }
  try {
    await interaction(request, response, match[1], match[2]);
  } catch (error) {
    response.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(page('Sign-in problem', `<p>${escapeHtml(error.message)}</p>`));
  }
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
server.listen(Number(options.port), options.host, () => {
  console.log(`ready ${issuer}`);
});
