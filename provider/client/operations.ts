/**
 * The 24 operations of the DPoD Users and Credentials API 3.1.5, with what the client needs to know
 * about each one beyond its URL: which token it is sent with, how it may be re-sent, and which scopes
 * DPoD is believed to require.
 *
 * The scope lists are docs/dpod-api-notes.md#which-role-may-call-what (all INFERRED: the official per-operation lists could not be
 * retrieved). They are used only to explain a 403 to the user; the server remains the judge, so a
 * wrong entry here makes a message less helpful but never blocks a call.
 */

/** Which token an operation is sent with. */
export type AuthMode =
  /** the client-credentials token (or, when no client credential is configured, the static access token) */
  | "credential"
  /** the static user access token (settings.accessToken), falling back to the client credential */
  | "user"
  /** no Authorization header: public self-service endpoints */
  | "none";

/**
 * How an operation may be re-sent; see the rule block in retry.ts.
 * - "idempotent": may be re-sent after any retryable failure.
 * - "create": makes a new object; never re-sent once it may have reached the server.
 * - "single-use": not a create, but a second delivery would fail or mislead (a consumed reset code, an
 *   old password that is no longer current); same re-send rule as "create", different error.
 */
export type ResendRule = "idempotent" | "create" | "single-use";

export interface OperationSpec {
  /** The operation id of the official API reference (or docs/dpod-api-notes.md#operation-names for the two unnamed ones). */
  readonly id: string;
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly auth: AuthMode;
  readonly resend: ResendRule;
  /**
   * Any one of these scopes should allow the call (docs/dpod-api-notes.md#which-role-may-call-what); empty
   * for public endpoints.
   */
  readonly acceptedScopes: readonly string[];
}

const SP = "dpod.tenant.spadmin";
const TA = "dpod.tenant.admin";
const AO = "dpod.tenant.appowner";
const SP_UNVERIFIED = "dpod.tenant.spadmin.unverified";
const TA_UNVERIFIED = "dpod.tenant.admin.unverified";
const AO_UNVERIFIED = "dpod.tenant.appowner.unverified";
const API_SP = "dpod.tenant.api_spadmin";
const API_AO = "dpod.tenant.api_appowner";

const CREDENTIAL_SCOPES = [SP, TA, AO, API_SP, API_AO];
const GROUP_READ_SCOPES = [TA, AO, API_AO];
const GROUP_WRITE_SCOPES = [TA, API_AO];
const USER_ADMIN_SCOPES = [SP, TA, API_SP];
const UNVERIFIED_SCOPES = [SP_UNVERIFIED, TA_UNVERIFIED, AO_UNVERIFIED];

function op(
  id: string,
  method: OperationSpec["method"],
  acceptedScopes: readonly string[],
  auth: AuthMode = "credential",
  resend: ResendRule = method === "POST" ? "create" : "idempotent",
): OperationSpec {
  return { id, method, auth, resend, acceptedScopes };
}

export const OPERATIONS = {
  createClient: op("createClient", "POST", CREDENTIAL_SCOPES),
  listClients: op("listClients", "GET", CREDENTIAL_SCOPES),
  getClient: op("getClient", "GET", CREDENTIAL_SCOPES),
  updateClient: op("updateClient", "PATCH", CREDENTIAL_SCOPES),
  deleteClient: op("deleteClient", "DELETE", CREDENTIAL_SCOPES),
  // Re-sending a reset after a lost answer resets again and returns a secret we do know: the safe recovery.
  resetClient: op("resetClient", "POST", CREDENTIAL_SCOPES, "credential", "idempotent"),

  createSubscriberGroups: op("createSubscriberGroups", "POST", GROUP_WRITE_SCOPES),
  listSubscriberGroups: op("listSubscriberGroups", "GET", GROUP_READ_SCOPES),
  getSubscriberGroup: op("getSubscriberGroup", "GET", GROUP_READ_SCOPES),
  updateSubscriberGroup: op("updateSubscriberGroup", "PATCH", GROUP_WRITE_SCOPES),
  deleteSubscriberGroup: op("deleteSubscriberGroup", "DELETE", GROUP_WRITE_SCOPES),

  createUser: op("createUser", "POST", USER_ADMIN_SCOPES),
  listUsers: op("listUsers", "GET", USER_ADMIN_SCOPES),
  getUser: op("getUser", "GET", USER_ADMIN_SCOPES),
  editUserDetails: op("editUserDetails", "PATCH", USER_ADMIN_SCOPES),
  deleteUser: op("deleteUser", "DELETE", USER_ADMIN_SCOPES),
  // A repeated MFA reset or verification email is harmless; a repeated temporary password replaces the
  // first one, and the answer carries the one that is valid.
  resetMfaToken: op("resetMfaToken", "POST", USER_ADMIN_SCOPES, "credential", "idempotent"),
  resetUserPassword: op("resetUserPassword", "PATCH", USER_ADMIN_SCOPES),
  sendUserVerification: op(
    "sendUserVerification",
    "POST",
    [SP, TA, ...UNVERIFIED_SCOPES],
    "credential",
    "idempotent",
  ),

  /** The same endpoint sent with the user's own token: an unverified user asking for a new email. */
  sendOwnVerification: op(
    "sendUserVerification",
    "POST",
    [...UNVERIFIED_SCOPES, SP, TA],
    "user",
    "idempotent",
  ),
  getUserProfile: op("getUserProfile", "GET", [SP, TA, AO, ...UNVERIFIED_SCOPES], "user"),
  // After a lost answer the old password may already be replaced; a re-send would then fail confusingly.
  changeUserPassword: op("changeUserPassword", "PATCH", [SP, TA, AO], "user", "single-use"),
  forgotUserPassword: op("forgotUserPassword", "POST", [], "none", "idempotent"),
  // The reset code is consumed by the first delivery.
  resetUserPasswordWithCode: op("resetUserPasswordWithCode", "POST", [], "none", "single-use"),
  verifyUser: op("verifyUser", "GET", UNVERIFIED_SCOPES, "user", "single-use"),
  /** The token request itself: not a DPoD API operation, but it goes through the same retry layer. */
  requestToken: op("requestToken", "POST", [], "none", "idempotent"),
} as const satisfies Record<string, OperationSpec>;

export type OperationId = keyof typeof OPERATIONS;
