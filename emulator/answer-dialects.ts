/**
 * The dialects that reshape an operation's successful answer (emulator/dialects.ts): missing timestamps and
 * creators, short role names, summary list items and other create statuses.
 *
 * They act on the answer after the handler built it from views.ts, so the default shapes stay in one place
 * and a dialect only takes away or renames; it never invents a value.
 */
import type { ActiveDialects } from "./dialects";
import { ACCOUNT_ROLE_ALIASES, CREDENTIAL_ROLE_ALIASES } from "./field-rules";
import type { OperationId } from "./operations";
import { SUCCESS_STATUS } from "./status-codes";

const CREATE_OPERATIONS: readonly OperationId[] = ["createClient", "createSubscriberGroups", "createUser"];
const LIST_OPERATIONS: readonly OperationId[] = ["listClients", "listSubscriberGroups", "listUsers"];

/** What `summary-lists` leaves out of list items: the fields a summary view plausibly drops. */
export const SUMMARY_OMITTED_FIELDS = [
  "subscriberGroups",
  "serviceIds",
  "phoneNumber",
  "emailHints",
  "description",
] as const;

const ROLE_FIELDS = ["role", "accountRole"] as const;

/** The short form of a role (`api_appowner` for `dpod.tenant.api_appowner`); other strings unchanged. */
export function shortRoleName(role: string): string {
  for (const aliases of [CREDENTIAL_ROLE_ALIASES, ACCOUNT_ROLE_ALIASES]) {
    if (!Object.hasOwn(aliases, role)) continue;
    const full = aliases[role];
    const short = Object.keys(aliases).find((alias) => alias !== full && aliases[alias] === full);
    if (short !== undefined) return short;
  }
  return role;
}

/** The success status of `operation` in the active dialects. */
export function successStatusOf(operation: OperationId, dialects: ActiveDialects): number {
  if (CREATE_OPERATIONS.includes(operation)) {
    if (dialects.has("create-status-200")) return 200;
    if (dialects.has("create-status-201")) return 201;
  }
  return SUCCESS_STATUS[operation].status;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function reshapeObject(
  object: Record<string, unknown>,
  dialects: ActiveDialects,
  asListItem: boolean,
): Record<string, unknown> {
  const shaped = { ...object };
  if (dialects.has("no-created-at")) delete shaped["createdAt"];
  if (dialects.has("no-created-by")) delete shaped["createdBy"];
  if (dialects.has("short-role-names")) {
    for (const field of ROLE_FIELDS) {
      const role = shaped[field];
      if (typeof role === "string") shaped[field] = shortRoleName(role);
    }
  }
  if (asListItem && dialects.has("summary-lists")) {
    for (const field of SUMMARY_OMITTED_FIELDS) delete shaped[field];
  }
  return shaped;
}

/**
 * `body` as the active dialects answer it: a page's items for list operations, the object itself otherwise.
 * Bodies that are not objects (an empty 204) pass unchanged.
 */
export function reshapeAnswer(operation: OperationId, body: unknown, dialects: ActiveDialects): unknown {
  if (!isObject(body)) return body;
  if (LIST_OPERATIONS.includes(operation) && Array.isArray(body["content"])) {
    const content = (body["content"] as unknown[]).map((item) =>
      isObject(item) ? reshapeObject(item, dialects, true) : item,
    );
    return { ...body, content };
  }
  return reshapeObject(body, dialects, false);
}
