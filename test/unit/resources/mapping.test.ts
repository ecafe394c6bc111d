import * as credential from "../../../provider/resources/client-credential/mapping";
import { clockFromEnv } from "../../../provider/resources/common/clock";
import {
  mapTriggerFires,
  rotationDue,
  secretResetDue,
  triggerFires,
} from "../../../provider/resources/common/triggers";
import { containsUnknown, sameSet, stripUndefined, UNKNOWN } from "../../../provider/resources/common/values";
import * as group from "../../../provider/resources/subscriber-group/mapping";
import * as user from "../../../provider/resources/user/mapping";
import { GROUP_A, GROUP_B, TENANT } from "./fake-dpod";

describe("mapping: normalising what DPoD returns", () => {
  it("reads a user with short role, unordered groups, empty phone and missing optionals", () => {
    const state = user.stateFromApi(
      {
        id: "u",
        username: "a@example.com",
        givenName: "A",
        familyName: "B",
        accountRole: "appowner",
        subscriberGroups: [GROUP_B, GROUP_A, GROUP_B],
        phoneNumber: "",
        email: "",
      },
      {},
    );
    expect(state).toEqual({
      username: "a@example.com",
      givenName: "A",
      familyName: "B",
      accountRole: "dpod.tenant.appowner",
      subscriberGroups: [GROUP_A, GROUP_B],
    });
  });

  it("reads a credential with a short role and no lists, and never keeps a secret from GET", () => {
    const state = credential.stateFromApi(
      { clientId: "c", name: "n", role: "api_service", serviceIds: [], subscriberGroups: [] },
      { clientSecret: "kept" },
    );
    expect(state).toEqual({
      clientId: "c",
      name: "n",
      role: "dpod.tenant.api_service",
      serviceIds: [],
      subscriberGroups: [],
      clientSecret: "kept",
    });
  });

  it("reads a group with an empty description as none", () => {
    expect(
      group.stateFromApi({ id: "g", name: "ops", description: "", tenantId: TENANT }, undefined),
    ).toEqual({
      name: "ops",
      tenantId: TENANT,
    });
  });

  it("reads stored state leniently, dropping __provider and bad fields", () => {
    expect(
      user.stateFromProps({
        __provider: "x",
        username: "a@example.com",
        subscriberGroups: "oops",
        verified: "yes",
      }),
    ).toEqual({
      username: "a@example.com",
      givenName: "",
      familyName: "",
      accountRole: "",
      subscriberGroups: [],
    });
    expect(credential.stateFromProps(undefined)).toMatchObject({ clientId: "", serviceIds: [] });
  });

  it("rebuilds inputs from state with only what a program would hold", () => {
    const inputs = credential.inputsFromState({
      clientId: "c",
      name: "n",
      role: "dpod.tenant.api_appowner",
      serviceIds: [],
      subscriberGroups: [],
      clientSecret: "never an input",
      secretCreatedAt: "2026-01-01T00:00:00Z",
      createdAt: "2026-01-01T00:00:00Z",
    });
    expect(inputs).toEqual({ name: "n", role: "dpod.tenant.api_appowner" });
  });

  it("builds a PATCH of only the changed fields, clearing with empty text", () => {
    const state = user.stateFromProps({
      username: "a@example.com",
      givenName: "A",
      familyName: "B",
      accountRole: "dpod.tenant.admin",
      phoneNumber: "+1",
    });
    expect(
      user.patchFor(state, { ...state, accountRole: "dpod.tenant.admin", phoneNumber: undefined }),
    ).toEqual({
      phoneNumber: "",
    });
    expect(group.patchFor({ name: "a", description: "d" }, { name: "b" })).toEqual({
      name: "b",
      description: "",
    });
  });
});

describe("values and triggers", () => {
  it("strips undefined at every depth", () => {
    expect(
      stripUndefined({ a: undefined, b: [1, undefined, { c: undefined, d: 2 }], e: { f: undefined } }),
    ).toEqual({
      b: [1, { d: 2 }],
      e: {},
    });
  });

  it("compares sets and finds unknowns", () => {
    expect(sameSet([GROUP_A, GROUP_B], [GROUP_B, GROUP_A])).toBe(true);
    expect(sameSet(undefined, [])).toBe(true);
    expect(sameSet([GROUP_A], [GROUP_A, GROUP_B])).toBe(false);
    expect(containsUnknown({ a: [1, { b: UNKNOWN }] })).toBe(true);
    expect(containsUnknown({ a: [1, { b: "x" }] })).toBe(false);
  });

  it("fires a trigger only on a new value", () => {
    expect(triggerFires(undefined, undefined)).toBe(false);
    expect(triggerFires("1", "1")).toBe(false);
    expect(triggerFires("1", undefined)).toBe(false);
    expect(triggerFires(undefined, "1")).toBe(true);
    expect(triggerFires("1", "2")).toBe(true);
    expect(mapTriggerFires({ a: "1" }, { a: "1" })).toBe(false);
    expect(mapTriggerFires({ a: "1" }, {})).toBe(false);
    expect(mapTriggerFires({ a: "1" }, { a: "1", b: "2" })).toBe(true);
  });

  it("counts secret age in days, treating an unknown age as due", () => {
    const now = new Date("2026-03-01T00:00:00Z");
    expect(rotationDue("2026-01-30T00:00:00Z", 30, now)).toBe(false);
    expect(rotationDue("2026-01-29T23:59:59Z", 30, now)).toBe(true);
    expect(rotationDue(undefined, 30, now)).toBe(true);
    expect(rotationDue("garbage", 30, now)).toBe(true);
    expect(rotationDue(undefined, undefined, now)).toBe(false);
  });

  it("resets a credential's secret when none is held, a trigger changed or it is due by age", () => {
    const now = new Date("2026-03-01T00:00:00Z");
    const held = { clientSecret: "s", secretCreatedAt: "2026-02-20T00:00:00Z", rotationTriggers: { v: "1" } };
    expect(secretResetDue(held, { v: "1" }, 30, now)).toBe(false);
    expect(secretResetDue(held, { v: "2" }, 30, now)).toBe(true);
    expect(secretResetDue(held, { v: "1" }, 5, now)).toBe(true);
    expect(secretResetDue({ ...held, clientSecret: undefined }, { v: "1" }, 30, now)).toBe(true);
    // a secret recorded as unknown is reset only by a trigger change, never by its absence or its age
    const unknown = { secretUnknown: true, rotationTriggers: { v: "1" } };
    expect(secretResetDue(unknown, { v: "1" }, 5, now)).toBe(false);
    expect(secretResetDue(unknown, { v: "2" }, 5, now)).toBe(true);
  });

  it("reads DPOD_PROVIDER_NOW only with DPOD_ENABLE_TEST_CLOCK, and warns when it ignores it", () => {
    const on = { DPOD_ENABLE_TEST_CLOCK: "true" };
    expect(clockFromEnv({ ...on, DPOD_PROVIDER_NOW: "2030-01-01T00:00:00Z" })().toISOString()).toBe(
      "2030-01-01T00:00:00.000Z",
    );
    const before = Date.now();
    expect(clockFromEnv({})().getTime()).toBeGreaterThanOrEqual(before);
    expect(() => clockFromEnv({ ...on, DPOD_PROVIDER_NOW: "soon" })).toThrow(/ISO 8601/);

    const warnings: string[] = [];
    const stray = clockFromEnv({ DPOD_PROVIDER_NOW: "2030-01-01T00:00:00Z" }, (m) => warnings.push(m));
    expect(stray().getTime()).toBeLessThan(Date.parse("2030-01-01T00:00:00Z"));
    expect(stray().getTime()).toBeGreaterThanOrEqual(before);
    expect(warnings).toEqual([
      expect.stringMatching(/DPOD_PROVIDER_NOW is set but ignored.*DPOD_ENABLE_TEST_CLOCK=true/),
    ]);
    const off = clockFromEnv({ DPOD_PROVIDER_NOW: "soon", DPOD_ENABLE_TEST_CLOCK: "false" }, () => undefined);
    expect(off().getTime()).toBeGreaterThanOrEqual(before);
  });
});
