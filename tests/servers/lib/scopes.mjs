// SMART App Launch scopes: parse them and say what they permit.
//
// Both scope syntaxes are understood: v2 (`patient/Observation.rs`, permissions from `cruds`)
// and v1 (`patient/*.read`, `.write`, `.*`), as SMART 2.0 servers accept both.

const V1_PERMISSIONS = { read: 'rs', write: 'cud', '*': 'cruds' };
const V2_ORDER = 'cruds';

/** Parse one scope string into {context, type, permissions} or null when it is not a data scope. */
export function parseDataScope(scope) {
  const match = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)$/.exec(scope);
  if (!match) {
    return null;
  }
  const [, context, type, access] = match;
  let permissions = V1_PERMISSIONS[access];
  if (permissions === undefined) {
    // v2 permissions are a subsequence of "cruds", in that order.
    let last = -1;
    for (const letter of access) {
      const at = V2_ORDER.indexOf(letter);
      if (at <= last) {
        return null;
      }
      last = at;
    }
    permissions = access;
  }
  return { context, type, permissions: new Set(permissions) };
}

/** Parse a space-separated scope claim into its data scopes. */
export function parseScopes(claim) {
  return String(claim ?? '')
    .split(/\s+/)
    .map(parseDataScope)
    .filter((scope) => scope !== null);
}

/** Return the contexts ('user', 'patient', 'system') whose scopes allow `permission` on `type`. */
export function contextsAllowing(scopes, type, permission) {
  const contexts = new Set();
  for (const scope of scopes) {
    if ((scope.type === '*' || scope.type === type) && scope.permissions.has(permission)) {
      contexts.add(scope.context);
    }
  }
  return contexts;
}

/** List every scope string the authorisation server offers, for the given resource types. */
export function offeredDataScopes(types) {
  const combinations = [];
  // Every non-empty subsequence of "cruds", in order: the v2 permission strings.
  for (let mask = 1; mask < 32; mask++) {
    combinations.push([...V2_ORDER].filter((_, i) => mask & (1 << i)).join(''));
  }
  const permissions = [...combinations, ...Object.keys(V1_PERMISSIONS)];
  const scopes = [];
  for (const context of ['patient', 'user']) {
    for (const type of ['*', ...types]) {
      for (const permission of permissions) {
        scopes.push(`${context}/${type}.${permission}`);
      }
    }
  }
  return scopes;
}
