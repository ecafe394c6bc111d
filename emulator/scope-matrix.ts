/**
 * THE scope matrix: which token scopes may call which operation.
 *
 * Source: docs/dpod-api-notes.md#which-role-may-call-what, the permissive union of the role descriptions in
 * Thales' guides and the mapping of a public client (S10). Every cell is INFERRED: the official per-operation
 * "Authorization" lists were not retrievable. When someone with a real tenant checks an operation, correct
 * its row here; nothing else in the emulator encodes who may call what.
 */
import type { OperationId } from "./operations";

/** The DPoD scope vocabulary (documented by Thales; docs/dpod-api-notes.md#credentials-and-roles). */
export const SCOPES = {
  spadmin: "dpod.tenant.spadmin",
  admin: "dpod.tenant.admin",
  appowner: "dpod.tenant.appowner",
  spadminUnverified: "dpod.tenant.spadmin.unverified",
  adminUnverified: "dpod.tenant.admin.unverified",
  appownerUnverified: "dpod.tenant.appowner.unverified",
  apiSpadmin: "dpod.tenant.api_spadmin",
  apiAppowner: "dpod.tenant.api_appowner",
  apiService: "dpod.tenant.api_service",
} as const;

export type RoleScope = (typeof SCOPES)[keyof typeof SCOPES];

const { spadmin: SP, admin: TA, appowner: AO, apiSpadmin: aSP, apiAppowner: aAO } = SCOPES;
const UNVERIFIED = [SCOPES.spadminUnverified, SCOPES.adminUnverified, SCOPES.appownerUnverified] as const;

/** No bearer token is required: the caller is not signed in (forgot password, reset with a mailed code). */
export const PUBLIC = "public";

export type ScopeRule = typeof PUBLIC | readonly RoleScope[];

const CREDENTIAL_MANAGERS = [SP, TA, AO, aSP, aAO] as const;
const GROUP_WRITERS = [TA, aAO] as const;
const GROUP_READERS = [TA, AO, aAO] as const;
const USER_MANAGERS = [SP, TA, aSP] as const;

export const SCOPE_MATRIX: Readonly<Record<OperationId, ScopeRule>> = {
  createClient: CREDENTIAL_MANAGERS,
  listClients: CREDENTIAL_MANAGERS,
  getClient: CREDENTIAL_MANAGERS,
  updateClient: CREDENTIAL_MANAGERS,
  deleteClient: CREDENTIAL_MANAGERS,
  resetClient: CREDENTIAL_MANAGERS,
  createSubscriberGroups: GROUP_WRITERS,
  listSubscriberGroups: GROUP_READERS,
  getSubscriberGroup: GROUP_READERS,
  updateSubscriberGroup: GROUP_WRITERS,
  deleteSubscriberGroup: GROUP_WRITERS,
  createUser: USER_MANAGERS,
  listUsers: USER_MANAGERS,
  getUser: USER_MANAGERS,
  editUserDetails: USER_MANAGERS,
  deleteUser: USER_MANAGERS,
  getUserProfile: [SP, TA, AO, ...UNVERIFIED],
  changeUserPassword: [SP, TA, AO],
  forgotUserPassword: PUBLIC,
  resetMfaToken: USER_MANAGERS,
  resetUserPassword: USER_MANAGERS,
  resetUserPasswordWithCode: PUBLIC,
  sendUserVerification: [SP, TA, ...UNVERIFIED],
  verifyUser: [...UNVERIFIED],
};

/**
 * Scopes that grant an operation only on the caller's own account (the `.unverified` roles exist to let a user
 * finish verifying themselves, docs/dpod-api-notes.md#account-flows). A caller holding only such a scope gets 403 on any
 * other user's id.
 */
export const SELF_ONLY_SCOPES: Readonly<Partial<Record<OperationId, readonly RoleScope[]>>> = {
  sendUserVerification: UNVERIFIED,
  verifyUser: UNVERIFIED,
};

/** The scopes that may call `operation`; empty for public operations. */
export function allowedScopes(operation: OperationId): readonly RoleScope[] {
  const rule = SCOPE_MATRIX[operation];
  return rule === PUBLIC ? [] : rule;
}

export function isPublicOperation(operation: OperationId): boolean {
  return SCOPE_MATRIX[operation] === PUBLIC;
}

/** The scopes of `tokenScopes` that grant `operation` (empty when refused). */
export function grantingScopes(operation: OperationId, tokenScopes: readonly string[]): RoleScope[] {
  const allowed = allowedScopes(operation);
  return allowed.filter((scope) => tokenScopes.includes(scope));
}

/** True when the only scopes granting `operation` are self-only ones. */
export function isSelfOnlyGrant(operation: OperationId, granting: readonly RoleScope[]): boolean {
  const selfOnly = SELF_ONLY_SCOPES[operation];
  return selfOnly !== undefined && granting.length > 0 && granting.every((scope) => selfOnly.includes(scope));
}

/** The 403 message: names the operation and every scope that would have been accepted. */
export function refusalMessage(operation: OperationId): string {
  return `Insufficient scope for ${operation}: requires one of ${allowedScopes(operation).join(", ")}`;
}
