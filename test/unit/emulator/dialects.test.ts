import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { reshapeAnswer, shortRoleName, successStatusOf } from "../../../emulator/answer-dialects";
import {
  ActiveDialects,
  DIALECTS,
  DIALECT_NAMES,
  DialectError,
  parseDialectList,
  parseDialectNames,
} from "../../../emulator/dialects";
import { renderErrorBody } from "../../../emulator/errors";
import { pageFromQuery, pagingRulesOf } from "../../../emulator/paging";
import { ruleStatusIn } from "../../../emulator/status-codes";

const REPOSITORY_ROOT = resolve(__dirname, "../../..");
const rulesFor = (...names: string[]) => pagingRulesOf(new ActiveDialects(names), 100);
const numbers = (count: number) => Array.from({ length: count }, (_, index) => ({ id: index }));

describe("emulator dialect names", () => {
  it("refuses an unknown name with an error that names it and every valid dialect", () => {
    expect(() => parseDialectNames(["summary-lists", "no-createdAt"])).toThrow(DialectError);
    try {
      parseDialectList("summary-lists,no-createdAt");
      throw new Error("expected a DialectError");
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("'no-createdAt'");
      for (const name of DIALECT_NAMES) expect(message).toContain(name);
    }
  });

  it("refuses two dialects of one group, and accepts every other pair", () => {
    expect(() => parseDialectNames(["create-status-200", "create-status-201"])).toThrow(/contradict/);
    expect(() => parseDialectList("error-body-text,error-body-nested")).toThrow(/contradict/);
    const groups = DIALECT_NAMES.map((name) => ("group" in DIALECTS[name] ? DIALECTS[name].group : name));
    for (const [i, first] of DIALECT_NAMES.entries()) {
      for (const [j, second] of DIALECT_NAMES.entries()) {
        if (i >= j || groups[i] === groups[j]) continue;
        expect(parseDialectNames([first, second])).toHaveLength(2);
      }
    }
  });

  it("splits a comma list, ignores blanks and repeats, and keeps the table's order", () => {
    expect(parseDialectList(" no-created-at , summary-lists,,no-created-at")).toEqual([
      "no-created-at",
      "summary-lists",
    ]);
    expect(parseDialectList("")).toEqual([]);
  });

  it("keeps the active set when a replacement is refused", () => {
    const dialects = new ActiveDialects(["no-created-at"]);
    expect(() => dialects.replace(["summary-lists", "bogus"])).toThrow(DialectError);
    expect(dialects.list()).toEqual(["no-created-at"]);
    expect(dialects.replace(["duplicate-400"])).toEqual(["duplicate-400"]);
    expect(dialects.has("no-created-at")).toBe(false);
    expect(new ActiveDialects().isEmpty).toBe(true);
  });

  it("docs/emulator.md names every dialect", () => {
    const text = readFileSync(resolve(REPOSITORY_ROOT, "docs/emulator.md"), "utf8");
    for (const name of DIALECT_NAMES) expect(text).toContain(`\`${name}\``);
  });

  it("docs/dpod-api-notes.md names each dialect on a **Dialect:** line", () => {
    const text = readFileSync(resolve(REPOSITORY_ROOT, "docs/dpod-api-notes.md"), "utf8");
    const dialectLines = text.split("\n").filter((line) => line.includes("**Dialect"));
    for (const name of DIALECT_NAMES) {
      expect(dialectLines.some((line) => line.includes(`\`${name}\``))).toBe(true);
    }
  });
});

describe("emulator answer dialects", () => {
  const user = {
    id: "u",
    username: "a@b.example",
    accountRole: "dpod.tenant.admin",
    subscriberGroups: ["g"],
    phoneNumber: "+1",
    emailHints: { a: "b" },
    createdAt: "2026-01-01T00:00:00.000Z",
  };
  const credential = {
    clientId: "c",
    role: "dpod.tenant.api_appowner",
    serviceIds: [],
    subscriberGroups: [],
    createdAt: "2026-01-01T00:00:00.000Z",
    createdBy: "someone",
  };

  it("leaves answers untouched without dialects", () => {
    expect(reshapeAnswer("getUser", user, new ActiveDialects())).toEqual(user);
    expect(successStatusOf("createClient", new ActiveDialects())).toBe(200);
    expect(successStatusOf("createUser", new ActiveDialects())).toBe(201);
  });

  it("no-created-at and no-created-by drop only their own field", () => {
    expect(reshapeAnswer("getClient", credential, new ActiveDialects(["no-created-at"]))).toEqual({
      ...credential,
      createdAt: undefined,
    });
    const withoutCreator = reshapeAnswer("getClient", credential, new ActiveDialects(["no-created-by"]));
    expect(withoutCreator).not.toHaveProperty("createdBy");
    expect(withoutCreator).toHaveProperty("createdAt", credential.createdAt);
  });

  it("short-role-names answers every role in short form", () => {
    expect(
      [
        "dpod.tenant.spadmin",
        "dpod.tenant.admin",
        "dpod.tenant.appowner",
        "dpod.tenant.api_spadmin",
        "dpod.tenant.api_appowner",
        "dpod.tenant.api_service",
        "api_service",
        "something-else",
      ].map(shortRoleName),
    ).toEqual([
      "spadmin",
      "admin",
      "appowner",
      "api_spadmin",
      "api_appowner",
      "api_service",
      "api_service",
      "something-else",
    ]);
    const dialects = new ActiveDialects(["short-role-names"]);
    expect(reshapeAnswer("getUser", user, dialects)).toMatchObject({ accountRole: "admin" });
    expect(reshapeAnswer("getClient", credential, dialects)).toMatchObject({ role: "api_appowner" });
  });

  it("summary-lists trims list items only", () => {
    const dialects = new ActiveDialects(["summary-lists"]);
    const page = reshapeAnswer("listUsers", { content: [user], number: 0 }, dialects) as {
      content: object[];
    };
    expect(page.content[0]).toEqual({
      id: "u",
      username: "a@b.example",
      accountRole: "dpod.tenant.admin",
      createdAt: user.createdAt,
    });
    expect(reshapeAnswer("getUser", user, dialects)).toEqual(user);
  });

  it("create-status dialects set every create's status and nothing else", () => {
    const all200 = new ActiveDialects(["create-status-200"]);
    const all201 = new ActiveDialects(["create-status-201"]);
    for (const create of ["createClient", "createUser", "createSubscriberGroups"] as const) {
      expect(successStatusOf(create, all200)).toBe(200);
      expect(successStatusOf(create, all201)).toBe(201);
    }
    expect(successStatusOf("deleteUser", all201)).toBe(204);
  });

  it("duplicate-400 changes the status of the two duplicate rules only", () => {
    const dialects = new ActiveDialects(["duplicate-400"]);
    expect(ruleStatusIn(dialects, "duplicateUsername")).toBe(400);
    expect(ruleStatusIn(dialects, "duplicateGroupName")).toBe(400);
    expect(ruleStatusIn(dialects, "primaryAdminDelete")).toBe(409);
    expect(ruleStatusIn(new ActiveDialects(), "duplicateUsername")).toBe(409);
  });

  it("renders the three error-body shapes", () => {
    expect(renderErrorBody("nested", 409, "taken", "/v1/users", 0)).toEqual({
      error: { code: 409, message: "taken" },
    });
    expect(renderErrorBody("text", 409, "taken", "/v1/users", 0)).toBe("taken");
    expect(renderErrorBody("default", 409, "taken", "/v1/users", 0)).toMatchObject({
      status: 409,
      code: 409,
      message: "taken",
      path: "/v1/users",
    });
  });
});

describe("emulator paging dialects", () => {
  it("serves the default envelope unchanged without dialects", () => {
    expect(pageFromQuery({ page: "1", size: "2" }, numbers(5), [], rulesFor())).toEqual({
      content: [{ id: 2 }, { id: 3 }],
      number: 1,
      size: 2,
      totalElements: 5,
      totalPages: 3,
    });
  });

  it("one-based-pages: page 1 is the first page, page 0 too, and `number` counts from 1", () => {
    const rules = rulesFor("one-based-pages");
    const first = pageFromQuery({ page: "1", size: "2" }, numbers(5), [], rules);
    expect(first).toMatchObject({ content: [{ id: 0 }, { id: 1 }], number: 1, totalPages: 3 });
    expect(pageFromQuery({ page: "0", size: "2" }, numbers(5), [], rules)).toEqual(first);
    expect(pageFromQuery({ page: "3", size: "2" }, numbers(5), [], rules)).toMatchObject({
      content: [{ id: 4 }],
      number: 3,
    });
  });

  it("no-total-pages drops totalPages; slice-pages drops both totals and says first/last", () => {
    const noTotal = pageFromQuery({ size: "2" }, numbers(5), [], rulesFor("no-total-pages"));
    expect(noTotal).not.toHaveProperty("totalPages");
    expect(noTotal).toHaveProperty("totalElements", 5);
    const slices = [0, 1, 2].map((page) =>
      pageFromQuery({ page: String(page), size: "2" }, numbers(5), [], rulesFor("slice-pages")),
    );
    expect(slices[2]).toEqual({
      content: [{ id: 4 }],
      number: 2,
      size: 2,
      numberOfElements: 1,
      first: false,
      last: true,
      empty: false,
    });
    expect(slices.map((slice) => "last" in slice && slice.last)).toEqual([false, false, true]);
  });

  it("page-size-cap-20 lowers the size to 20; reject-oversized-pages refuses it instead", () => {
    expect(pageFromQuery({ size: "100" }, numbers(45), [], rulesFor("page-size-cap-20"))).toMatchObject({
      size: 20,
      totalPages: 3,
    });
    expect(() => pageFromQuery({ size: "101" }, numbers(5), [], rulesFor("reject-oversized-pages"))).toThrow(
      /at most 100/,
    );
    expect(() =>
      pageFromQuery({ size: "21" }, numbers(5), [], rulesFor("page-size-cap-20", "reject-oversized-pages")),
    ).toThrow(/at most 20/);
  });
});
