/**
 * The assumptions of docs/dpod-api-notes.md that a read can test, judged from the probe's facts; and
 * those that only a write could test, listed as such. Each finding says what the provider does when the
 * assumption is contradicted, so a user can tell a cosmetic difference from one that stops a change.
 *
 * Contract: a finding is `confirmed` or `contradicted` only on evidence from this tenant's answers;
 * without evidence (no object of a kind to look at, a read refused) it is `not-testable`, with the reason.
 */
import { OPERATIONS, type OperationId } from "../client/operations";
import { OVERSIZED_PAGE, type KindFacts, type KindName, type TokenFacts } from "./probe";

export type FindingStatus = "confirmed" | "contradicted" | "not-testable";

export interface Finding {
  /** Stable id, e.g. "list-items-are-full-objects/users". */
  id: string;
  /** The section of docs/dpod-api-notes.md the assumption comes from. */
  topic: string;
  assumption: string;
  status: FindingStatus;
  /** What was seen (field names, statuses, forms; never a value that could be secret or personal). */
  evidence: string;
  /** What the provider does when this assumption is contradicted. */
  ifContradicted: string;
  /**
   * The dpod-emulator dialect that answers the way this contradiction shows (`--dialect <name>`), so the
   * difference can be reproduced locally; set when contradicted and a dialect matches.
   */
  dialect?: string;
}

const FULL_PREFIX = "dpod.tenant.";

/** Every role the scope matrix names, full form (plus api_service, which the matrix allows nothing). */
export const KNOWN_ROLES: readonly string[] = [
  ...new Set([
    ...Object.values(OPERATIONS).flatMap((operation) => operation.acceptedScopes),
    `${FULL_PREFIX}api_service`,
  ]),
].sort();

/** The token's roles, each in full form, and whether any was written in the short form. */
export function rolesOf(scopes: readonly string[]): { roles: string[]; shortForms: string[] } {
  const roles = new Set<string>();
  const shortForms: string[] = [];
  for (const scope of scopes) {
    if (KNOWN_ROLES.includes(scope)) roles.add(scope);
    else if (KNOWN_ROLES.includes(`${FULL_PREFIX}${scope}`)) {
      roles.add(`${FULL_PREFIX}${scope}`);
      shortForms.push(scope);
    }
  }
  return { roles: [...roles].sort(), shortForms };
}

/** The tenant named by a `dpod.tuid.<id>` scope, and the subscriber groups of `.sguid.` scopes. */
export function tenancyOf(scopes: readonly string[]): { tenantId?: string; groupIds: string[] } {
  let tenantId: string | undefined;
  const groupIds: string[] = [];
  for (const scope of scopes) {
    const match = /^dpod\.tuid\.([^.]+)(?:\.sguid\.([^.]+))?$/.exec(scope);
    if (!match) continue;
    tenantId ??= match[1];
    if (match[2] !== undefined) groupIds.push(match[2]);
  }
  return { tenantId, groupIds };
}

export const KIND_OPERATIONS: Record<KindName, readonly OperationId[]> = {
  subscriberGroups: [
    "listSubscriberGroups",
    "getSubscriberGroup",
    "createSubscriberGroups",
    "updateSubscriberGroup",
    "deleteSubscriberGroup",
  ],
  credentials: ["listClients", "getClient", "createClient", "updateClient", "deleteClient", "resetClient"],
  users: [
    "listUsers",
    "getUser",
    "createUser",
    "editUserDetails",
    "deleteUser",
    "resetMfaToken",
    "resetUserPassword",
    "sendUserVerification",
  ],
};

const LIST_OPERATION: Record<KindName, OperationId> = {
  subscriberGroups: "listSubscriberGroups",
  credentials: "listClients",
  users: "listUsers",
};

/** The operations of a kind the scope matrix allows any of these roles. */
export function allowedOperations(kind: KindName, roles: readonly string[]): OperationId[] {
  return KIND_OPERATIONS[kind].filter((id) =>
    OPERATIONS[id].acceptedScopes.some((scope) => roles.includes(scope)),
  );
}

/** Fields the provider reads from a GET answer, per kind (docs/dpod-api-notes.md#resource-models). */
export const MODEL_FIELDS: Record<KindName, readonly string[]> = {
  subscriberGroups: ["id", "name", "description", "tenantId"],
  credentials: ["clientId", "name", "role", "serviceIds", "subscriberGroups", "tenantId"],
  users: ["id", "username", "givenName", "familyName", "accountRole", "subscriberGroups", "tenantId"],
};

/** The fields a kind's objects carry that hold a role. */
const ROLE_FIELD: Partial<Record<KindName, string>> = { credentials: "role", users: "accountRole" };

const KIND_LABEL: Record<KindName, string> = {
  subscriberGroups: "subscriber groups",
  credentials: "client credentials",
  users: "users",
};

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Keys whose value is present (null counts as absent, as the client reads it). */
export function presentKeys(value: unknown): string[] {
  const object = record(value);
  if (!object) return [];
  return Object.keys(object)
    .filter((key) => object[key] !== null && object[key] !== undefined)
    .sort();
}

export interface FieldComparison {
  /** In both the listed item and the GET answer. */
  present: string[];
  /** In the GET answer, not in the listed item. */
  missing: string[];
  /** In the listed item, not in the GET answer. */
  extra: string[];
}

export function compareListedWithGet(listed: unknown, got: unknown): FieldComparison {
  const inList = presentKeys(listed);
  const inGet = presentKeys(got);
  return {
    present: inList.filter((key) => inGet.includes(key)),
    missing: inGet.filter((key) => !inList.includes(key)),
    extra: inList.filter((key) => !inGet.includes(key)),
  };
}

function firstListed(facts: KindFacts): unknown {
  const content = record(facts.list.body)?.content;
  return Array.isArray(content) ? content[0] : undefined;
}

type Judgement = { status: FindingStatus; evidence: string; dialect?: string };

function finding(
  id: string,
  topic: string,
  assumption: string,
  ifContradicted: string,
  judged: Judgement,
): Finding {
  const { dialect, ...rest } = judged;
  return {
    id,
    topic,
    assumption,
    ifContradicted,
    ...rest,
    ...(rest.status === "contradicted" && dialect ? { dialect } : {}),
  };
}

const untestable = (evidence: string): Judgement => ({ status: "not-testable", evidence });
const holds = (condition: boolean, evidence: string, dialect?: string): Judgement => ({
  status: condition ? "confirmed" : "contradicted",
  evidence,
  dialect,
});

function describeRead(outcome: { status?: number; error?: string } | undefined): string {
  if (!outcome) return "not read";
  return outcome.status !== undefined ? `HTTP ${outcome.status}` : `failed: ${outcome.error ?? "unknown"}`;
}

export function tokenFindings(token: TokenFacts): Finding[] {
  const topic = "token-lifetime-and-claims";
  const answered = token.outcome.status === 200 && token.accessToken !== undefined;
  const { roles, shortForms } = rolesOf(token.scopes);
  const { tenantId } = tenancyOf(token.scopes);
  return [
    finding(
      "token-answer",
      "token-endpoint",
      "The token endpoint answers a client-credentials form POST with JSON carrying access_token and a numeric expires_in.",
      "Without access_token nothing works (every command stops with an authentication error naming the token URL); without expires_in tokens are renewed after an assumed hour.",
      !token.reached
        ? untestable(`the token endpoint was not reached: ${describeRead(token.outcome)}`)
        : token.outcome.status !== 200
          ? holds(false, `the token endpoint answered ${describeRead(token.outcome)}`)
          : holds(
              answered && typeof token.expiresIn === "number",
              `answer fields: ${token.answerFields.join(", ") || "(none)"}; expires_in is ${typeof token.expiresIn}`,
            ),
    ),
    finding(
      "scope-claim-array",
      topic,
      "The token's JWT carries its scopes as a JSON array in the `scope` claim.",
      "Tolerated: the client reads the scopes from a space-separated string as well (they are used only to explain a 403).",
      !answered || token.claimScopeForm === "unreadable"
        ? untestable(answered ? "the token is not a readable JWT" : "no token")
        : holds(
            token.claimScopeForm === "array",
            `the scope claim is ${token.claimScopeForm === "absent" ? "absent" : token.claimScopeForm === "array" ? "an array" : "a string"}`,
            token.claimScopeForm === "string" ? "scope-claim-string" : undefined,
          ),
    ),
    finding(
      "scope-answer-string",
      "token-endpoint",
      "The token answer's `scope` is one space-separated string (RFC 6749).",
      "Tolerated: the client reads `scope` as a string or an array.",
      !answered || token.answerScopeForm === "absent"
        ? untestable(answered ? "the answer has no scope" : "no token")
        : holds(
            token.answerScopeForm === "string",
            `the answer's scope is ${token.answerScopeForm === "array" ? "an array" : token.answerScopeForm === "string" ? "a string" : "neither a string nor an array"}`,
            token.answerScopeForm === "array" ? "scope-answer-array" : undefined,
          ),
    ),
    finding(
      "tenant-scope",
      topic,
      "The token names its tenant in a `dpod.tuid.<tenant id>` scope.",
      "Tolerated: the provider reads no tenant from the token; only this report cannot name the tenant.",
      !answered
        ? untestable("no token")
        : holds(tenantId !== undefined, tenantId ? "a dpod.tuid scope is present" : "no dpod.tuid scope"),
    ),
    finding(
      "full-role-names/token",
      "credentials-and-roles",
      "Roles are written as full scope strings (dpod.tenant.api_appowner, not api_appowner).",
      "Tolerated: the provider accepts both forms and compares them as equal, so a role read back in the short form is not drift.",
      !answered || roles.length === 0
        ? untestable(answered ? "the token carries no known role scope" : "no token")
        : holds(
            shortForms.length === 0,
            shortForms.length === 0
              ? `role scope ${roles.join(", ")}`
              : `short role scope(s): ${shortForms.join(", ")}`,
            "short-role-names",
          ),
    ),
  ];
}

export function kindFindings(facts: KindFacts, roles: readonly string[]): Finding[] {
  const { kind } = facts;
  const label = KIND_LABEL[kind];
  const findings: Finding[] = [];
  const listAllowed = allowedOperations(kind, roles).includes(LIST_OPERATION[kind]);
  const listStatus = facts.list.status;
  findings.push(
    finding(
      `scope-matrix/${kind}`,
      "which-role-may-call-what",
      `The scope matrix says the token's role ${listAllowed ? "may" : "may not"} list ${label}.`,
      "Tolerated: the matrix only explains a 403 in the provider's error message; DPoD decides, and the provider never refuses a call itself.",
      listStatus === undefined || roles.length === 0
        ? untestable(
            roles.length === 0
              ? "the token's role is unknown"
              : `the list failed: ${describeRead(facts.list)}`,
          )
        : listStatus === 200 || listStatus === 403
          ? holds((listStatus === 200) === listAllowed, `the list answered HTTP ${listStatus}`)
          : untestable(`the list answered HTTP ${listStatus}`),
    ),
  );
  const envelope = record(facts.list.body);
  const listed = firstListed(facts);
  const got = facts.get?.status === 200 ? record(facts.get.body) : undefined;
  const noObject = (why: string) => untestable(why);
  const objectWhy =
    listStatus !== 200
      ? `the list answered ${describeRead(facts.list)}`
      : listed === undefined
        ? `no ${label} to look at (not testable without a write)`
        : `the GET of the listed object answered ${describeRead(facts.get)}`;

  // Paging
  findings.push(
    finding(
      `paging-zero-based/${kind}`,
      "paging",
      "Pages are numbered from 0: asking for page 0 answers the first page, numbered 0.",
      "With 1-based pages the provider reads the first page twice and never the last: kinds of up to 100 objects are unaffected; beyond that refreshes stay correct (read by id) but a lookup by name after a lost create answer can miss an object. Report it: the page base is one constant.",
      envelope
        ? holds(
            envelope.number === 0,
            `asked page 0, the answer says number ${JSON.stringify(envelope.number)}`,
            envelope.number === 1 ? "one-based-pages" : undefined,
          )
        : noObject(`the list answered ${describeRead(facts.list)}`),
    ),
    finding(
      `paging-total-pages/${kind}`,
      "paging",
      "A list answer carries totalPages (and the Spring envelope: content, number, size, totalElements).",
      "Tolerated: without totalPages the provider derives it from totalElements, or keeps reading while pages come back full and stops at a short or empty one.",
      envelope
        ? holds(
            typeof envelope.totalPages === "number",
            `envelope fields: ${presentKeys(envelope).join(", ")}`,
            typeof envelope.totalElements === "number" ? "no-total-pages" : "slice-pages",
          )
        : noObject(`the list answered ${describeRead(facts.list)}`),
    ),
  );
  const oversized = record(facts.oversizedPage?.body);
  findings.push(
    finding(
      `paging-size-cap/${kind}`,
      "paging",
      `Page sizes are capped at 100: a request for ${OVERSIZED_PAGE} is answered with size 100, not refused.`,
      "A smaller cap costs more calls: the provider follows the size and totalPages the answer reports. A refused size changes nothing alone (the provider asks for exactly 100); with a cap below 100 it would make every list fail, and adopt and lookups by name stop with DPoD's 400.",
      !facts.oversizedPage
        ? noObject(`the list answered ${describeRead(facts.list)}`)
        : facts.oversizedPage.status !== 200
          ? holds(
              false,
              `a size of ${OVERSIZED_PAGE} was answered ${describeRead(facts.oversizedPage)}`,
              facts.oversizedPage.status === 400 ? "reject-oversized-pages" : undefined,
            )
          : holds(
              oversized?.size === 100,
              `a size of ${OVERSIZED_PAGE} was answered with size ${JSON.stringify(oversized?.size)}`,
              oversized?.size === 20 ? "page-size-cap-20" : undefined,
            ),
    ),
  );

  // Error body
  const errorBody = record(facts.unknownId?.body);
  findings.push(
    finding(
      `error-body/${kind}`,
      "error-body",
      "An unknown id answers 404 with a JSON body carrying message and status (Spring's error fields, with code).",
      "Tolerated: errors keep their class and advice (those come from the status); the explanation quoted from DPoD is the plain text, or the redacted raw body when no top-level text field is there.",
      !facts.unknownId
        ? noObject(`the list answered ${describeRead(facts.list)}`)
        : facts.unknownId.status !== 404
          ? holds(false, `an unknown id answered ${describeRead(facts.unknownId)}`)
          : holds(
              typeof errorBody?.message === "string" && typeof errorBody?.status === "number",
              `404 body fields: ${presentKeys(errorBody).join(", ") || "(not JSON)"}`,
              errorBody === undefined
                ? "error-body-text"
                : record(errorBody.error)
                  ? "error-body-nested"
                  : undefined,
            ),
    ),
  );

  // Models
  const comparison = got ? compareListedWithGet(listed, got) : undefined;
  findings.push(
    finding(
      `list-items-are-full-objects/${kind}`,
      "resource-models",
      `A listed ${label.replace(/s$/, "")} carries the same fields as a GET of it.`,
      "The provider compares the first listed object of each kind with a GET of it and, on any difference, reads that kind by id for the rest of the run (more requests, never a wrong value); a field DPoD did not send is never recorded as empty.",
      comparison
        ? holds(
            comparison.missing.length === 0,
            comparison.missing.length === 0
              ? `the same ${comparison.present.length} fields${comparison.extra.length ? `; extra in the list: ${comparison.extra.join(", ")}` : ""}`
              : `missing from the listed item: ${comparison.missing.join(", ")}`,
            "summary-lists",
          )
        : noObject(objectWhy),
    ),
    finding(
      `model-fields/${kind}`,
      "resource-models",
      `A GET answer carries ${MODEL_FIELDS[kind].join(", ")}.`,
      "A read whose answer lacks a field the provider needs stops with an error naming the field, before any write.",
      got
        ? holds(
            MODEL_FIELDS[kind].every(
              (field) =>
                presentKeys(got).includes(field) || (field === "clientId" && presentKeys(got).includes("id")),
            ),
            `GET fields: ${presentKeys(got).join(", ")}`,
          )
        : noObject(objectWhy),
    ),
    finding(
      `created-at/${kind}`,
      "resource-models",
      "Objects report createdAt, an RFC 3339 UTC time ending in Z.",
      "A missing createdAt proves nothing: after a lost create answer no existing user or group is taken to be the result, and only dpod:adoptIdentical may take over an identical one.",
      got
        ? holds(
            typeof got.createdAt === "string" &&
              /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(got.createdAt),
            got.createdAt === undefined || got.createdAt === null
              ? "createdAt is not reported"
              : `createdAt is ${typeof got.createdAt === "string" ? "a string" : typeof got.createdAt}${typeof got.createdAt === "string" && !got.createdAt.endsWith("Z") ? " not ending in Z" : ""}`,
            got.createdAt === undefined || got.createdAt === null ? "no-created-at" : undefined,
          )
        : noObject(objectWhy),
    ),
  );
  if (kind === "credentials") {
    findings.push(
      finding(
        "created-by/credentials",
        "resource-models",
        "Client credentials report createdBy, the client id of the credential that created them.",
        "Nothing rests on it: a credential is created under a temporary name unique to the resource and then renamed, so after a lost answer the provider finds exactly its own.",
        got
          ? holds(
              typeof got.createdBy === "string" && got.createdBy !== "",
              got.createdBy ? "createdBy is reported" : "createdBy is not reported",
              "no-created-by",
            )
          : noObject(objectWhy),
      ),
    );
  }
  const roleField = ROLE_FIELD[kind];
  if (roleField) {
    const role = got?.[roleField];
    findings.push(
      finding(
        `full-role-names/${kind}`,
        "credentials-and-roles",
        `The ${roleField} of ${label} is a full scope string (dpod.tenant.…).`,
        "Tolerated: the provider compares the short and full forms as equal, so this is not drift.",
        typeof role === "string"
          ? holds(
              role.startsWith(FULL_PREFIX),
              `${roleField} is ${role.startsWith(FULL_PREFIX) ? "in full form" : `the short form ${role}`}`,
              "short-role-names",
            )
          : noObject(got ? `${roleField} is not reported` : objectWhy),
      ),
    );
  }
  const ids = [facts.firstId, typeof got?.tenantId === "string" ? got.tenantId : undefined].filter(
    (id): id is string => id !== undefined,
  );
  findings.push(
    finding(
      `uuid-ids/${kind}`,
      "identifiers-and-timestamps",
      "Ids are lower-case UUIDs.",
      "Tolerated: the provider treats ids as opaque strings.",
      ids.length > 0
        ? holds(
            ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)),
            `${ids.length} id(s) looked at`,
          )
        : noObject(objectWhy),
    ),
  );
  return findings;
}

/** Assumptions no read can test: listed so the report is complete about what it did not check. */
export const WRITE_ONLY_ASSUMPTIONS: ReadonlyArray<Omit<Finding, "status" | "evidence">> = [
  {
    id: "create-status",
    topic: "status-codes",
    assumption: "Creating a client credential answers 200, the other creates 201.",
    ifContradicted: "Tolerated: any 2xx is success.",
  },
  {
    id: "duplicate-conflict",
    topic: "status-codes",
    assumption: "A duplicate username or group name answers 409.",
    ifContradicted:
      "A create refused otherwise is reported as the error DPoD gave, without the offer to adopt.",
  },
  {
    id: "immutable-fields",
    topic: "what-can-change-in-place",
    assumption:
      "Changing a credential's role, a user's username or accountRole in place is refused with 400.",
    ifContradicted:
      "The provider replaces such resources only with allowRecreate: true; nothing is lost by the guard.",
  },
  {
    id: "secret-reset",
    topic: "secret-reset-and-deletion",
    assumption: "resetSecret returns a new secret once and the old one stops working at once.",
    ifContradicted: "Applications may keep working on the old secret for a while after a rotation.",
  },
];

export function writeOnlyFindings(): Finding[] {
  return WRITE_ONLY_ASSUMPTIONS.map((assumption) => ({
    ...assumption,
    status: "not-testable",
    evidence: "not testable without a write",
  }));
}
