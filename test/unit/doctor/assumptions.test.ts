/**
 * Judging the facts a read gathers: each way DPoD may differ from docs/dpod-api-notes.md is named by the
 * finding for it, and nothing else is contradicted; no evidence means not testable, never confirmed.
 */
import { kindFindings, rolesOf, tenancyOf, tokenFindings } from "../../../provider/doctor/assumptions";
import type { KindFacts, TokenFacts } from "../../../provider/doctor/probe";

const TENANT = "6f1c2a4e-8b7d-4c3e-9a10-1b2c3d4e5f60";
const GROUP = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const APPOWNER = "dpod.tenant.api_appowner";

function group(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: GROUP,
    name: "ops",
    description: "",
    tenantId: TENANT,
    createdAt: "2026-12-01T10:00:00Z",
    ...overrides,
  };
}

function groupFacts(
  options: {
    listed?: Record<string, unknown>;
    got?: Record<string, unknown>;
    envelope?: Record<string, unknown>;
  } = {},
): KindFacts {
  const got = options.got ?? group();
  return {
    kind: "subscriberGroups",
    credential: "tenant",
    list: {
      status: 200,
      body: {
        content: [options.listed ?? group()],
        number: 0,
        size: 100,
        totalElements: 1,
        totalPages: 1,
        ...options.envelope,
      },
    },
    oversizedPage: {
      status: 200,
      body: { content: [], number: 0, size: 100, totalElements: 1, totalPages: 1 },
    },
    unknownId: {
      status: 404,
      body: { status: 404, code: 404, error: "Not Found", message: "no such group", path: "/x" },
    },
    firstId: GROUP,
    get: { status: 200, body: got },
  };
}

function contradicted(facts: KindFacts): string[] {
  return kindFindings(facts, [APPOWNER])
    .filter((f) => f.status === "contradicted")
    .map((f) => f.id);
}

/** The emulator dialects the contradictions point to. */
function dialects(facts: KindFacts): string[] {
  return kindFindings(facts, [APPOWNER]).flatMap((f) => (f.dialect ? [f.dialect] : []));
}

it("the emulator's reading of DPoD contradicts nothing", () => {
  expect(contradicted(groupFacts())).toEqual([]);
  expect(kindFindings(groupFacts(), [APPOWNER]).every((f) => f.status === "confirmed")).toBe(true);
});

it("list items that are summaries contradict exactly the list-item finding, naming the missing fields", () => {
  const { description: _d, tenantId: _t, ...summary } = group();
  const facts = groupFacts({ listed: summary });
  expect(contradicted(facts)).toEqual(["list-items-are-full-objects/subscriberGroups"]);
  expect(dialects(facts)).toEqual(["summary-lists"]);
  expect(kindFindings(facts, [APPOWNER]).find((f) => f.status === "contradicted")!.evidence).toBe(
    "missing from the listed item: description, tenantId",
  );
});

it("a missing createdAt (or null) contradicts exactly created-at", () => {
  const { createdAt: _c, ...bare } = group();
  expect(contradicted(groupFacts({ listed: bare, got: bare }))).toEqual(["created-at/subscriberGroups"]);
  expect(
    contradicted(groupFacts({ listed: group({ createdAt: null }), got: group({ createdAt: null }) })),
  ).toEqual(["created-at/subscriberGroups"]);
});

it("paging variants: 1-based numbering, no totalPages, a smaller cap, a refused size", () => {
  expect(contradicted(groupFacts({ envelope: { number: 1 } }))).toEqual([
    "paging-zero-based/subscriberGroups",
  ]);
  expect(contradicted(groupFacts({ envelope: { totalPages: undefined } }))).toEqual([
    "paging-total-pages/subscriberGroups",
  ]);
  const smallCap = groupFacts();
  smallCap.oversizedPage = { status: 200, body: { content: [], number: 0, size: 50, totalPages: 1 } };
  expect(contradicted(smallCap)).toEqual(["paging-size-cap/subscriberGroups"]);
  const refused = groupFacts();
  refused.oversizedPage = { status: 400, body: { message: "size too large" } };
  expect(contradicted(refused)).toEqual(["paging-size-cap/subscriberGroups"]);
  expect(dialects(refused)).toEqual(["reject-oversized-pages"]);
  const slice = groupFacts({ envelope: { totalPages: undefined, totalElements: undefined } });
  expect(dialects(slice)).toEqual(["slice-pages"]);
  expect(dialects(groupFacts({ envelope: { totalPages: undefined } }))).toEqual(["no-total-pages"]);
  expect(dialects(groupFacts({ envelope: { number: 1 } }))).toEqual(["one-based-pages"]);
});

it("an error body of another shape contradicts exactly error-body", () => {
  const facts = groupFacts();
  facts.unknownId = { status: 404, body: { errorCode: "NOT_FOUND", detail: "no such group" } };
  expect(contradicted(facts)).toEqual(["error-body/subscriberGroups"]);
  facts.unknownId = { status: 404, body: { error: { code: 404, message: "no such group" } } };
  expect(dialects(facts)).toEqual(["error-body-nested"]);
  facts.unknownId = { status: 404, body: undefined };
  expect(dialects(facts)).toEqual(["error-body-text"]);
});

it("a list the matrix allows but DPoD refuses contradicts the scope matrix", () => {
  const facts: KindFacts = { kind: "subscriberGroups", credential: "tenant", list: { status: 403 } };
  expect(contradicted(facts)).toEqual(["scope-matrix/subscriberGroups"]);
  // the matrix denies api_spadmin groups: a 403 confirms it
  expect(
    kindFindings(facts, ["dpod.tenant.api_spadmin"]).find((f) => f.id.startsWith("scope-matrix"))!.status,
  ).toBe("confirmed");
});

it("without an object to look at, the model findings are not testable, never confirmed", () => {
  const empty = groupFacts();
  empty.list.body = { content: [], number: 0, size: 100, totalElements: 0, totalPages: 0 };
  delete empty.get;
  delete empty.firstId;
  const findings = kindFindings(empty, [APPOWNER]);
  for (const id of ["list-items-are-full-objects", "model-fields", "created-at", "uuid-ids"]) {
    const found = findings.find((f) => f.id === `${id}/subscriberGroups`)!;
    expect(found.status).toBe("not-testable");
    expect(found.evidence).toContain("not testable without a write");
  }
});

it("short role names are recognised as roles and contradict the full-name findings", () => {
  expect(rolesOf(["api_appowner", "openid"])).toEqual({ roles: [APPOWNER], shortForms: ["api_appowner"] });
  const credential: KindFacts = {
    kind: "credentials",
    credential: "tenant",
    list: {
      status: 200,
      body: { content: [{ clientId: GROUP, role: "api_appowner" }], number: 0, totalPages: 1 },
    },
    firstId: GROUP,
    get: { status: 200, body: { clientId: GROUP, role: "api_appowner" } },
  };
  const found = kindFindings(credential, [APPOWNER]).find((f) => f.id === "full-role-names/credentials")!;
  expect(found).toMatchObject({ status: "contradicted", evidence: "role is the short form api_appowner" });
});

describe("the token", () => {
  const token = (overrides: Partial<TokenFacts> = {}): TokenFacts => ({
    reached: true,
    outcome: { status: 200 },
    accessToken: "x.y.z",
    answerFields: ["access_token", "expires_in", "scope", "token_type"],
    expiresIn: 3599,
    answerScopeForm: "string",
    claimScopeForm: "array",
    scopes: [APPOWNER, `dpod.tuid.${TENANT}`, `dpod.tuid.${TENANT}.sguid.${GROUP}`],
    ...overrides,
  });
  const bad = (facts: TokenFacts) =>
    tokenFindings(facts)
      .filter((f) => f.status === "contradicted")
      .map((f) => f.id);

  it("as assumed: nothing contradicted; the tenant and the bound group are read from the scopes", () => {
    expect(bad(token())).toEqual([]);
    expect(tenancyOf(token().scopes)).toEqual({ tenantId: TENANT, groupIds: [GROUP] });
  });

  it("a scope claim written as a string contradicts exactly scope-claim-array", () => {
    expect(bad(token({ claimScopeForm: "string" }))).toEqual(["scope-claim-array"]);
  });

  it("a token answer whose scope is an array contradicts exactly scope-answer-string, naming the dialect", () => {
    const findings = tokenFindings(token({ answerScopeForm: "array" }));
    expect(findings.filter((f) => f.status === "contradicted")).toEqual([
      expect.objectContaining({ id: "scope-answer-string", dialect: "scope-answer-array" }),
    ]);
    expect(tokenFindings(token()).some((f) => f.dialect !== undefined)).toBe(false);
  });

  it("short role scopes contradict exactly full-role-names/token", () => {
    expect(bad(token({ scopes: ["api_appowner", `dpod.tuid.${TENANT}`] }))).toEqual([
      "full-role-names/token",
    ]);
  });

  it("a refused token request contradicts token-answer; an unreachable endpoint is not testable", () => {
    expect(bad(token({ outcome: { status: 401 }, accessToken: undefined }))).toEqual(["token-answer"]);
    const unreachable = tokenFindings(
      token({ reached: false, outcome: { error: "ECONNREFUSED" }, accessToken: undefined }),
    );
    expect(unreachable.every((f) => f.status === "not-testable")).toBe(true);
  });
});
