import { clientCredentialHandler } from "../../../provider/resources/client-credential/handler";
import { UNKNOWN } from "../../../provider/resources/common/values";
import { subscriberGroupHandler } from "../../../provider/resources/subscriber-group/handler";
import { userHandler } from "../../../provider/resources/user/handler";
import { CHILD_TENANT, GROUP_A, GROUP_B, PROVIDER, SERVICE, TENANT } from "./fake-dpod";

const now = () => new Date("2026-06-01T00:00:00Z");

describe("diff: User", () => {
  const state = {
    username: "alice@example.com",
    email: "alice@example.com",
    givenName: "Alice",
    familyName: "Doe",
    accountRole: "dpod.tenant.appowner",
    subscriberGroups: [GROUP_A, GROUP_B],
    tenantId: TENANT,
    createdAt: "2026-01-01T00:00:00Z",
    resetMfaTrigger: "1",
    __provider: "old provider code",
  };
  const inputs = {
    username: "alice@example.com",
    givenName: "Alice",
    familyName: "Doe",
    accountRole: "dpod.tenant.appowner",
    subscriberGroups: [GROUP_B, GROUP_A],
    password: "a-create-only-secret",
    resetMfaTrigger: "1",
    __provider: PROVIDER,
  };

  it("reports no change for a clean state, whatever __provider holds", () => {
    expect(userHandler.diff("id", state, inputs, now)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: true, // only consulted if the user forces a replacement: the username would clash
      changedKeys: [],
    });
  });

  it.each([
    ["username case", { username: "Alice@Example.com" }],
    ["short role", { accountRole: "appowner" }],
    ["phone empty vs absent", { phoneNumber: "" }],
    ["password (create-only)", { password: "another-secret" }],
    ["emailHints (create-only)", { emailHints: { a: "b" } }],
  ])("ignores %s", (_label, change) => {
    expect(userHandler.diff("id", state, { ...inputs, ...change }, now).changes).toBe(false);
  });

  it.each([
    ["username", { username: "bob@example.com" }, false],
    ["accountRole", { accountRole: "dpod.tenant.admin", subscriberGroups: [GROUP_A, GROUP_B] }, true],
    ["subscriberGroups", { subscriberGroups: [GROUP_A] }, true],
    ["tenantId", { tenantId: CHILD_TENANT }, true],
  ])(
    "replaces on %s only with allowRecreate, and refuses otherwise naming the field",
    (key, change, deleteFirst) => {
      const outcome = userHandler.diff("id", state, { ...inputs, ...change, allowRecreate: true }, now);
      expect(outcome.changes).toBe(true);
      expect(outcome.replaces).toEqual([key]);
      expect(outcome.deleteBeforeReplace).toBe(deleteFirst);
      for (const refused of [
        { ...inputs, ...change },
        { ...inputs, ...change, allowRecreate: UNKNOWN },
      ]) {
        expect(() => userHandler.diff("id", state, refused, now)).toThrow(
          new RegExp(`User "alice@example.com" \\(id id\\): changing ${key} \\(.*allowRecreate: true`),
        );
      }
    },
  );

  it('compares trigger values as their string form: a number 1 matches the recorded "1"', () => {
    expect(userHandler.diff("id", state, { ...inputs, resetMfaTrigger: 1 }, now).changes).toBe(false);
    expect(userHandler.diff("id", state, { ...inputs, resetMfaTrigger: 2 }, now).changedKeys).toEqual([
      "resetMfaTrigger",
    ]);
  });

  it("names the recorded and the desired values when it refuses a replacement", () => {
    expect(() =>
      userHandler.diff("id", state, { ...inputs, accountRole: "admin", subscriberGroups: [GROUP_A] }, now),
    ).toThrow(
      `changing accountRole (dpod.tenant.appowner in the stack, dpod.tenant.admin in the program) and ` +
        `subscriberGroups ([${GROUP_A}, ${GROUP_B}] in the stack, [${GROUP_A}] in the program) cannot be done ` +
        `in place, so it would delete this person's account`,
    );
  });

  it("ignores a change of allowRecreate alone", () => {
    expect(userHandler.diff("id", state, { ...inputs, allowRecreate: true }, now).changes).toBe(false);
  });

  it.each([
    ["givenName", { givenName: "Alicia" }],
    ["familyName", { familyName: "Smith" }],
    ["phoneNumber", { phoneNumber: "+1 555 0100" }],
    ["resetPasswordTrigger", { resetPasswordTrigger: "2026-06" }],
    ["resetMfaTrigger", { resetMfaTrigger: "2" }],
    ["sendVerificationTrigger", { sendVerificationTrigger: "x" }],
    ["connection", { connection: { apiUrl: "https://other.example" } }],
  ])("updates in place on %s", (key, change) => {
    const outcome = userHandler.diff("id", state, { ...inputs, ...change }, now);
    // A password reset also changes the temporary password output.
    const also = key === "resetPasswordTrigger" ? ["temporaryPassword"] : [];
    expect(outcome).toMatchObject({ changes: true, replaces: [], changedKeys: [key, ...also] });
  });

  it("treats an unknown group list as a replacement in preview", () => {
    const allowed = { ...inputs, allowRecreate: true };
    const outcome = userHandler.diff("id", state, { ...allowed, subscriberGroups: [GROUP_A, UNKNOWN] }, now);
    expect(outcome.replaces).toEqual(["subscriberGroups"]);
    expect(userHandler.diff("id", state, { ...allowed, subscriberGroups: UNKNOWN }, now).replaces).toEqual([
      "subscriberGroups",
    ]);
    expect(() =>
      userHandler.diff("id", state, { ...inputs, subscriberGroups: [GROUP_A, UNKNOWN] }, now),
    ).toThrow(`[${GROUP_A}, (a value known only during the update)] in the program`);
  });

  it("compares the tenantId input, not the tenant DPoD reports", () => {
    const child = { ...state, tenantId: CHILD_TENANT, targetTenantId: CHILD_TENANT };
    expect(userHandler.diff("id", child, { ...inputs, tenantId: CHILD_TENANT }, now).changes).toBe(false);
  });
});

describe("diff: SubscriberGroup", () => {
  const state = { name: "ops", description: "Operations", tenantId: TENANT, __provider: "old" };

  it("reports no change for a clean state and ignores __provider", () => {
    expect(
      subscriberGroupHandler.diff(
        "id",
        state,
        { name: "ops", description: "Operations", __provider: PROVIDER },
        now,
      ).changes,
    ).toBe(false);
  });

  it("treats an empty description as none", () => {
    const bare = { name: "ops", __provider: "old" };
    expect(subscriberGroupHandler.diff("id", bare, { name: "ops", description: "" }, now).changes).toBe(
      false,
    );
  });

  it("updates name and description in place, never replaces", () => {
    const outcome = subscriberGroupHandler.diff("id", state, { name: "ops2" }, now);
    expect(outcome).toMatchObject({ changes: true, replaces: [], changedKeys: ["name", "description"] });
    // A replacement the user forces would clash on the unique name: delete first.
    expect(outcome.deleteBeforeReplace).toBe(true);
  });
});

describe("diff: ClientCredential", () => {
  const state = {
    clientId: "id",
    name: "ci",
    role: "dpod.tenant.api_service",
    serviceIds: [SERVICE],
    subscriberGroups: [],
    clientSecret: "s3cr3t",
    secretCreatedAt: "2026-05-01T00:00:00Z",
    rotationTriggers: { quarter: "2026Q2" },
    rotateAfterDays: 90,
    __provider: "old",
  };
  const inputs = {
    name: "ci",
    role: "api_service",
    serviceIds: [SERVICE],
    rotationTriggers: { quarter: "2026Q2" },
    rotateAfterDays: 90,
    __provider: PROVIDER,
  };

  it("reports no change for a clean state and ignores __provider", () => {
    expect(clientCredentialHandler.diff("id", state, inputs, now).changes).toBe(false);
  });

  it.each([
    ["role", { role: "dpod.tenant.api_appowner" }],
    ["serviceIds", { serviceIds: [] }],
    ["subscriberGroups", { subscriberGroups: [GROUP_A] }],
  ])("replaces on %s only with allowRecreate, creating the new one first", (key, change) => {
    const allowed = { ...inputs, ...change, allowRecreate: true };
    const outcome = clientCredentialHandler.diff("id", state, allowed, now);
    expect(outcome).toMatchObject({ changes: true, replaces: [key], deleteBeforeReplace: false });
    expect(() => clientCredentialHandler.diff("id", state, { ...inputs, ...change }, now)).toThrow(
      new RegExp(
        `ClientCredential "ci" \\(client id id\\): changing ${key} .*cutting off every consumer of this client id.*allowRecreate: true`,
      ),
    );
  });

  it("updates on name, triggers and connection", () => {
    expect(clientCredentialHandler.diff("id", state, { ...inputs, name: "ci2" }, now).changedKeys).toEqual([
      "name",
    ]);
    expect(
      clientCredentialHandler.diff("id", state, { ...inputs, rotationTriggers: { quarter: "2026Q3" } }, now)
        .changedKeys,
    ).toEqual(["rotationTriggers", "clientSecret"]);
  });

  it('compares rotation trigger values as their string form: no rotation for 2026 against "2026"', () => {
    const recorded = { ...state, rotationTriggers: { round: "2026", on: "true" } };
    const same = { ...inputs, rotationTriggers: { round: 2026, on: true } };
    expect(clientCredentialHandler.diff("id", recorded, same, now).changes).toBe(false);
    const next = { ...inputs, rotationTriggers: { round: 2027, on: true } };
    expect(clientCredentialHandler.diff("id", recorded, next, now).changedKeys).toEqual([
      "rotationTriggers",
      "clientSecret",
    ]);
  });

  it("reports a rotation once the secret is older than rotateAfterDays", () => {
    const at = (iso: string) => () => new Date(iso);
    expect(clientCredentialHandler.diff("id", state, inputs, at("2026-07-30T00:00:00Z")).changes).toBe(false);
    const due = clientCredentialHandler.diff("id", state, inputs, at("2026-07-30T00:00:01Z"));
    expect(due).toMatchObject({ changes: true, replaces: [], changedKeys: ["clientSecret"] });
  });

  it("reports a change when the stack holds no secret (an adopted credential)", () => {
    const { clientSecret: _none, ...withoutSecret } = state;
    expect(clientCredentialHandler.diff("id", withoutSecret, inputs, now).changedKeys).toEqual([
      "clientSecret",
    ]);
  });
});
