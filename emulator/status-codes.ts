/**
 * THE status-code table: what each operation answers on success, and which status each business-rule
 * refusal gets.
 *
 * `source` records the evidence (the labels of docs/dpod-api-notes.md): CONFIRMED-CODE codes come from a public
 * client that checks them (S10); INFERRED ones are the emulator's defaults. A correction is one edit here.
 */
import type { ActiveDialects } from "./dialects";
import type { OperationId } from "./operations";

export type Evidence = "CONFIRMED-CODE" | "INFERRED";

export interface StatusEntry {
  readonly status: number;
  readonly source: Evidence;
}

const confirmed = (status: number): StatusEntry => ({ status, source: "CONFIRMED-CODE" });
const inferred = (status: number): StatusEntry => ({ status, source: "INFERRED" });

/** Success status per operation (docs/dpod-api-notes.md#status-codes). */
export const SUCCESS_STATUS: Readonly<Record<OperationId, StatusEntry>> = {
  createClient: confirmed(200), // S10 expects 200 here, unlike the other creates (docs/dpod-api-notes.md#status-codes)
  listClients: confirmed(200),
  getClient: confirmed(200),
  updateClient: confirmed(200),
  deleteClient: confirmed(204),
  resetClient: confirmed(200),
  createSubscriberGroups: confirmed(201),
  listSubscriberGroups: confirmed(200),
  getSubscriberGroup: confirmed(200),
  updateSubscriberGroup: confirmed(200),
  deleteSubscriberGroup: confirmed(204),
  createUser: confirmed(201),
  listUsers: confirmed(200),
  getUser: confirmed(200),
  editUserDetails: confirmed(200),
  deleteUser: confirmed(204),
  getUserProfile: confirmed(200),
  changeUserPassword: confirmed(200),
  forgotUserPassword: inferred(204),
  resetMfaToken: confirmed(200),
  resetUserPassword: inferred(200),
  resetUserPasswordWithCode: inferred(204),
  sendUserVerification: inferred(204),
  verifyUser: inferred(200),
};

/** Refusal status per business rule. All INFERRED (docs/dpod-api-notes.md#status-codes). */
export const RULE_STATUS = {
  /** Deleting the tenant's primary administrator (the refusal is CONFIRMED-DOC S6, the code is not). */
  primaryAdminDelete: 409,
  /** Deleting a subscriber group that still has app owners or credentials. */
  nonEmptyGroupDelete: 409,
  /** A username (login email) that already exists. */
  duplicateUsername: 409,
  /** A subscriber-group name already used in the same tenant. */
  duplicateGroupName: 409,
  /** sendVerification for a user who is already verified. */
  alreadyVerified: 409,
  /** A role or accountRole above the caller's tier (e.g. a tenant admin asking for an SP role). */
  roleAboveTier: 403,
  /** A role that exists but does not fit the target tenant (e.g. api_appowner inside the SP tenant). */
  roleNotInTenant: 400,
  /** `tenantId` naming a tenant that is neither the caller's nor one of its children. */
  foreignTenantId: 403,
  /** A subscriberGroups entry that names no group of the target tenant. */
  unknownSubscriberGroup: 400,
  /** An immutable field sent on PATCH with a different value. */
  immutableField: 400,
  /** A wrong, used or expired one-time code (password reset, verification). */
  badCode: 400,
  /** changePassword with a wrong old password or an unchanged new one. */
  wrongOldPassword: 400,
  /** A token without a user (client credentials) on a user-only route such as /v1/users/profile. */
  noUserInToken: 403,
  /** An unverified user acting on someone else's account. */
  notOwnAccount: 403,
} as const;

export type RuleName = keyof typeof RULE_STATUS;

/** The status a refused rule gets in the active dialects (`duplicate-400` answers duplicates with 400). */
export function ruleStatusIn(dialects: ActiveDialects, rule: RuleName): number {
  if (dialects.has("duplicate-400") && (rule === "duplicateUsername" || rule === "duplicateGroupName"))
    return 400;
  return RULE_STATUS[rule];
}
