import { clientCredentialHandler } from "../../../provider/resources/client-credential/handler";
import { UNKNOWN } from "../../../provider/resources/common/values";
import { subscriberGroupHandler } from "../../../provider/resources/subscriber-group/handler";
import { rotatingClientCredentialHandler } from "../../../provider/resources/rotating-client-credential/handler";
import { userHandler } from "../../../provider/resources/user/handler";
import { GROUP_A, PROVIDER, SERVICE } from "./fake-dpod";

const alice = {
  username: "alice@example.com",
  givenName: "Alice",
  familyName: "Doe",
  accountRole: "dpod.tenant.admin",
  __provider: PROVIDER,
};

const ci = { name: "ci", role: "dpod.tenant.api_appowner" };

function reasons(result: { failures: { property: string; reason: string }[] }): string[] {
  return result.failures.map((f) => f.reason);
}

describe("check: User", () => {
  it("accepts valid inputs and returns them without __provider", () => {
    const result = userHandler.check({}, alice);
    expect(result.failures).toEqual([]);
    expect(result.inputs).toEqual({
      username: "alice@example.com",
      givenName: "Alice",
      familyName: "Doe",
      accountRole: "dpod.tenant.admin",
    });
  });

  it("names the property and the rule", () => {
    const result = userHandler.check({}, { ...alice, username: "alice" });
    expect(result.failures).toEqual([{ property: "username", reason: "username: must be an email address" }]);
  });

  it("refuses unknown properties", () => {
    const result = userHandler.check({}, { ...alice, userName: "x" });
    expect(result.failures).toEqual([
      { property: "userName", reason: "userName: is not a known property; remove it or check its spelling" },
    ]);
  });

  it("lists every problem at once", () => {
    const result = userHandler.check({}, { accountRole: "root", givenName: "", __provider: PROVIDER });
    expect(reasons(result)).toEqual(
      expect.arrayContaining([
        "username: must be a string; got nothing",
        "givenName: must be 1 to 50 characters",
        "familyName: must be a string; got nothing",
        "accountRole: must be one of dpod.tenant.spadmin, dpod.tenant.admin, dpod.tenant.appowner",
      ]),
    );
  });

  it("accepts short account roles", () => {
    expect(userHandler.check({}, { ...alice, accountRole: "admin" }).failures).toEqual([]);
  });

  it("requires a subscriber group for application owners", () => {
    const result = userHandler.check({}, { ...alice, accountRole: "dpod.tenant.appowner" });
    expect(reasons(result)).toEqual([
      "subscriberGroups: must name at least one subscriber group when accountRole is dpod.tenant.appowner",
    ]);
    const ok = userHandler.check(
      {},
      { ...alice, accountRole: "dpod.tenant.appowner", subscriberGroups: [GROUP_A] },
    );
    expect(ok.failures).toEqual([]);
  });

  it("names list elements by index, in the reason only (the engine looks up top-level properties)", () => {
    const result = userHandler.check({}, { ...alice, subscriberGroups: [GROUP_A, "nope"] });
    expect(result.failures).toEqual([{ property: "", reason: "subscriberGroups[1]: must be a UUID" }]);
  });

  it("says what type it got, and names a missing input in the reason only (the engine would print {<nil>})", () => {
    const { username: _omitted, ...withoutUsername } = alice;
    expect(userHandler.check({}, { ...withoutUsername, givenName: 7 }).failures).toEqual([
      { property: "", reason: "username: must be a string; got nothing" },
      { property: "givenName", reason: "givenName: must be a string; got a number" },
    ]);
  });

  it("never repeats a secret, and names secret inputs only in the reason (the engine prints a named property's value)", () => {
    const result = userHandler.check({}, { ...alice, password: "short7!" });
    expect(result.failures).toEqual([{ property: "", reason: "password: must be 8 to 100 characters" }]);
    expect(JSON.stringify(result.failures)).not.toContain("short7!");
    const connection = userHandler.check({}, { ...alice, connection: { clientSecret: 5 } });
    expect(connection.failures).toEqual([
      { property: "", reason: "connection.clientSecret: must be a string; got a number" },
    ]);
  });

  it("skips values preview does not know yet", () => {
    const result = userHandler.check(
      {},
      { ...alice, accountRole: "dpod.tenant.appowner", subscriberGroups: [UNKNOWN] },
    );
    expect(result.failures).toEqual([]);
    expect(userHandler.check({}, { ...alice, tenantId: UNKNOWN }).failures).toEqual([]);
    expect(userHandler.check({}, { ...alice, subscriberGroups: UNKNOWN }).failures).toEqual([]);
  });

  it("validates the connection input", () => {
    const result = userHandler.check({}, { ...alice, connection: { apiUrl: "not a url", token: "x" } });
    expect(reasons(result)).toEqual(
      expect.arrayContaining([
        "connection.token: is not a known property; remove it or check its spelling",
        "connection.apiUrl: must be an absolute URL, e.g. https://thales.eu.market.dpondemand.io",
      ]),
    );
  });
});

describe("check: SubscriberGroup", () => {
  it("accepts a name and description", () => {
    expect(subscriberGroupHandler.check({}, { name: "ops", description: "Operations" }).failures).toEqual([]);
  });

  it("limits the name", () => {
    const result = subscriberGroupHandler.check({}, { name: "x".repeat(65) });
    expect(reasons(result)).toEqual(["name: must be 1 to 64 characters"]);
    expect(reasons(subscriberGroupHandler.check({}, {}))).toEqual(["name: must be a string; got nothing"]);
  });

  it("limits the description", () => {
    const result = subscriberGroupHandler.check({}, { name: "ops", description: "d".repeat(256) });
    expect(reasons(result)).toEqual(["description: must be at most 255 characters"]);
  });
});

describe("check: ClientCredential", () => {
  it("accepts valid inputs", () => {
    expect(
      clientCredentialHandler.check(
        {},
        { ...ci, rotationTriggers: { quarter: "2026Q4" }, rotateAfterDays: 90 },
      ).failures,
    ).toEqual([]);
  });

  it("refuses unknown roles", () => {
    expect(reasons(clientCredentialHandler.check({}, { ...ci, role: "admin" }))).toEqual([
      "role: must be one of dpod.tenant.api_spadmin, dpod.tenant.api_appowner, dpod.tenant.api_service",
    ]);
  });

  it("requires services for service credentials", () => {
    expect(reasons(clientCredentialHandler.check({}, { ...ci, role: "api_service" }))).toEqual([
      "serviceIds: must name at least one service when role is dpod.tenant.api_service",
    ]);
    expect(
      clientCredentialHandler.check({}, { ...ci, role: "api_service", serviceIds: [SERVICE] }).failures,
    ).toEqual([]);
  });

  it("checks the rotation inputs", () => {
    expect(reasons(clientCredentialHandler.check({}, { ...ci, rotateAfterDays: 0 }))).toEqual([
      "rotateAfterDays: must be a positive number of days",
    ]);
    expect(clientCredentialHandler.check({}, { ...ci, rotationTriggers: { q: { n: 4 } } }).failures).toEqual([
      {
        property: "",
        reason:
          "rotationTriggers.q: must be a string, a number or a boolean (any value; change it to run the action); " +
          "got an object",
      },
    ]);
    expect(reasons(clientCredentialHandler.check({}, { ...ci, rotationTriggers: [] }))).toEqual([
      "rotationTriggers: must be an object mapping names to trigger values; got a list",
    ]);
  });

  it("takes any scalar trigger value, handing it back in its string form", () => {
    const result = clientCredentialHandler.check(
      {},
      { ...ci, rotationTriggers: { round: 2, ratio: 1.5, on: true, quarter: "2026Q4", later: UNKNOWN } },
    );
    expect(result.failures).toEqual([]);
    expect(result.inputs.rotationTriggers).toEqual({
      round: "2",
      ratio: "1.5",
      on: "true",
      quarter: "2026Q4",
      later: UNKNOWN,
    });
  });
});

describe("check: trigger values of User and RotatingClientCredential", () => {
  it("takes numbers and booleans for User triggers, as strings", () => {
    const result = userHandler.check({}, { ...alice, resetMfaTrigger: 3, sendVerificationTrigger: false });
    expect(result.failures).toEqual([]);
    expect(result.inputs).toMatchObject({ resetMfaTrigger: "3", sendVerificationTrigger: "false" });
    expect(userHandler.check({}, { ...alice, resetPasswordTrigger: ["x"] }).failures).toEqual([
      {
        property: "resetPasswordTrigger",
        reason:
          "resetPasswordTrigger: must be a string, a number or a boolean (any value; change it to run the " +
          "action); got a list",
      },
    ]);
  });

  it("takes numbers for RotatingClientCredential triggers, as strings", () => {
    const result = rotatingClientCredentialHandler.check({}, { ...ci, rotationTriggers: { round: 1 } });
    expect(result.failures).toEqual([]);
    expect(result.inputs.rotationTriggers).toEqual({ round: "1" });
  });
});
