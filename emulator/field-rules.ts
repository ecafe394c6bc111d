/**
 * THE field-rules table: length limits, role vocabularies and their accepted aliases, which roles fit which
 * tenant, and which fields PATCH may change.
 *
 * Field names: docs/dpod-api-notes.md#resource-models; every limit and the immutability of fields are INFERRED defaults
 * (docs/dpod-api-notes.md#field-limits, #what-can-change-in-place). A correction is one edit here.
 */
import { SCOPES, type RoleScope } from "./scope-matrix";

export interface TextLimit {
  readonly min: number;
  readonly max: number;
}

export const TEXT_LIMITS = {
  credentialName: { min: 1, max: 64 },
  groupName: { min: 1, max: 64 },
  groupDescription: { min: 0, max: 255 },
  username: { min: 3, max: 254 },
  givenName: { min: 1, max: 50 },
  familyName: { min: 1, max: 50 },
  phoneNumber: { min: 0, max: 20 },
  password: { min: 8, max: 100 },
  oneTimeCode: { min: 1, max: 64 },
} as const satisfies Record<string, TextLimit>;

/** Loose email shape for usernames: something@something.tld, no spaces. */
export const USERNAME_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Seconds a mailed one-time code (password reset, verification) stays valid. */
export const ONE_TIME_CODE_TTL_SECONDS = 24 * 60 * 60;

/** Credential roles: the full scope string and the short form, both accepted and echoed as received. */
export const CREDENTIAL_ROLE_ALIASES: Readonly<Record<string, RoleScope>> = {
  [SCOPES.apiSpadmin]: SCOPES.apiSpadmin,
  api_spadmin: SCOPES.apiSpadmin,
  [SCOPES.apiAppowner]: SCOPES.apiAppowner,
  api_appowner: SCOPES.apiAppowner,
  [SCOPES.apiService]: SCOPES.apiService,
  api_service: SCOPES.apiService,
};

/** User account roles, accepted in full and short form and echoed as received (docs/dpod-api-notes.md#credentials-and-roles). */
export const ACCOUNT_ROLE_ALIASES: Readonly<Record<string, RoleScope>> = {
  [SCOPES.spadmin]: SCOPES.spadmin,
  spadmin: SCOPES.spadmin,
  [SCOPES.admin]: SCOPES.admin,
  admin: SCOPES.admin,
  [SCOPES.appowner]: SCOPES.appowner,
  appowner: SCOPES.appowner,
};

/** The full scope for a credential role as sent by a client, or undefined when it is not a credential role. */
export function canonicalCredentialRole(role: string): RoleScope | undefined {
  return Object.hasOwn(CREDENTIAL_ROLE_ALIASES, role) ? CREDENTIAL_ROLE_ALIASES[role] : undefined;
}

/** The full scope for an account role as sent by a client, or undefined when it is not an account role. */
export function canonicalAccountRole(role: string): RoleScope | undefined {
  return Object.hasOwn(ACCOUNT_ROLE_ALIASES, role) ? ACCOUNT_ROLE_ALIASES[role] : undefined;
}

/** The `.unverified` variant of an account role, carried by a user's token until they verify. */
export function unverifiedVariant(accountRole: string): string {
  return `${accountRole}.unverified`;
}

export type TenantKind = "service-provider" | "tenant";

/**
 * Which roles exist in which kind of tenant. A service-provider tenant holds SP admins and api_spadmin
 * credentials; a child tenant holds tenant admins, app owners and api_appowner / api_service credentials.
 * Asking for a role of the other kind is refused (RULE_STATUS.roleAboveTier or roleNotInTenant).
 */
export const ROLES_BY_TENANT_KIND: Readonly<
  Record<TenantKind, { credential: readonly RoleScope[]; account: readonly RoleScope[] }>
> = {
  "service-provider": { credential: [SCOPES.apiSpadmin], account: [SCOPES.spadmin] },
  tenant: { credential: [SCOPES.apiAppowner, SCOPES.apiService], account: [SCOPES.admin, SCOPES.appowner] },
};

/** Roles only a service-provider tenant has: asking for them elsewhere is "above the caller's tier". */
export const SERVICE_PROVIDER_TIER_ROLES: readonly RoleScope[] = [SCOPES.spadmin, SCOPES.apiSpadmin];

/** Account roles that must belong to at least one subscriber group (CONFIRMED-DOC S6 as a rule). */
export const ROLES_REQUIRING_SUBSCRIBER_GROUP: readonly RoleScope[] = [SCOPES.appowner];

/** Credential roles that must name at least one service (INFERRED from S8). */
export const ROLES_REQUIRING_SERVICE_IDS: readonly RoleScope[] = [SCOPES.apiService];

export type PatchableResource = "credential" | "subscriberGroup" | "user";

/**
 * PATCH field classes. `mutable` fields are applied. `immutable` fields are accepted only with the value the
 * object already has (a client may echo the whole object); any other value is a 400
 * (docs/dpod-api-notes.md#what-can-change-in-place). Any field in neither list is unknown and also a 400.
 */
export const PATCH_FIELDS: Readonly<
  Record<PatchableResource, { mutable: readonly string[]; immutable: readonly string[] }>
> = {
  credential: {
    mutable: ["name"],
    immutable: ["clientId", "role", "serviceIds", "subscriberGroups", "tenantId"],
  },
  subscriberGroup: { mutable: ["name", "description"], immutable: ["id", "tenantId"] },
  user: {
    mutable: ["givenName", "familyName", "phoneNumber", "emailHints"],
    immutable: ["id", "username", "email", "accountRole", "subscriberGroups", "tenantId"],
  },
};

/** Fields whose values are role strings: equal when they name the same role in any accepted form. */
const ROLE_FIELDS = new Set(["role", "accountRole"]);
/** Fields whose values are id lists: equal when they hold the same ids in any order. */
const ID_LIST_FIELDS = new Set(["serviceIds", "subscriberGroups"]);
/** Fields compared without regard to case (emails, UUIDs). */
const CASE_INSENSITIVE_FIELDS = new Set(["id", "clientId", "tenantId", "username", "email"]);

/**
 * Whether a PATCH value for an immutable field leaves the stored value unchanged.
 * Role fields compare by the role they name, id lists as sets, ids and emails without case.
 */
export function isSameImmutableValue(field: string, stored: unknown, sent: unknown): boolean {
  if (ROLE_FIELDS.has(field) && typeof stored === "string" && typeof sent === "string") {
    const canonical = (role: string) => canonicalCredentialRole(role) ?? canonicalAccountRole(role) ?? role;
    return canonical(stored) === canonical(sent);
  }
  if (ID_LIST_FIELDS.has(field) && Array.isArray(stored) && Array.isArray(sent)) {
    const normalise = (list: unknown[]) => [...new Set(list.map((id) => String(id).toLowerCase()))].sort();
    return JSON.stringify(normalise(stored)) === JSON.stringify(normalise(sent));
  }
  if (CASE_INSENSITIVE_FIELDS.has(field) && typeof stored === "string" && typeof sent === "string") {
    return stored.toLowerCase() === sent.toLowerCase();
  }
  return JSON.stringify(stored) === JSON.stringify(sent);
}

/**
 * Checks a PATCH body against the field classes of `resource`.
 * @returns the name of the first field that is unknown or changes an immutable value, with the reason
 */
export function findPatchViolation(
  resource: PatchableResource,
  body: Readonly<Record<string, unknown>>,
  current: Readonly<Record<string, unknown>>,
): { field: string; reason: "unknown" | "immutable" } | undefined {
  const { mutable, immutable } = PATCH_FIELDS[resource];
  for (const [field, value] of Object.entries(body)) {
    if (mutable.includes(field)) continue;
    if (!immutable.includes(field)) return { field, reason: "unknown" };
    if (!isSameImmutableValue(field, current[field], value)) return { field, reason: "immutable" };
  }
  return undefined;
}
