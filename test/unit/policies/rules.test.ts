import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { canonicalCredentialRole } from "../../../provider/resources/client-credential/schema";
import { canonicalAccountRole } from "../../../provider/resources/user/schema";
import { dpodPolicies } from "../../../policies/rules";
import type { DpodResourcePolicy } from "../../../policies/rules/dpod-policy";
import {
  APPLICATION_OWNER_ROLE,
  fullRole,
  SERVICE_PROVIDER_CREDENTIAL_ROLE,
} from "../../../policies/rules/roles";
import { policyNamed, stackContext, UNKNOWN_ON_THE_WIRE, validateResource, validateStack } from "./harness";

const CREDENTIAL = "pulumi-nodejs:dynamic/dpod:ClientCredential";
const NATIVE_CREDENTIAL = "dpod:index:ClientCredential";
const ROTATING = "pulumi-nodejs:dynamic/dpod:RotatingClientCredential";
const NATIVE_ROTATING = "dpod:index:RotatingClientCredential";
const USER = "pulumi-nodejs:dynamic/dpod:User";
const NATIVE_USER = "dpod:index:User";
const GROUP = "dpod:index:SubscriberGroup";
const GROUP_ID = "6f1c2f4e-1b7a-4c1e-9d59-2f0a3c0b9e11";

const policies = dpodPolicies(stackContext({ stack: "dev", project: "tenant" }));
const resourcePolicy = (name: string) => policyNamed<ResourceValidationPolicy>(policies, name);

describe("the pack", () => {
  it("lists its seven rules once each, under dpod- names", () => {
    const names = policies.map((p) => p.name);
    expect(names).toEqual([
      "dpod-credential-rotation",
      "dpod-rotation-pickup-window",
      "dpod-appowner-subscriber-group",
      "dpod-username-domains",
      "dpod-spadmin-credential-stack",
      "dpod-allow-recreate-left-on",
      "dpod-adopt-identical-left-on",
    ]);
  });

  it("documents each parameter with the default the code applies", () => {
    for (const policy of policies) {
      const spec = (policy as DpodResourcePolicy<Record<string, unknown>>).spec;
      if (!spec) continue;
      const properties = spec.configSchema?.properties ?? {};
      expect(Object.keys(properties).sort()).toEqual(Object.keys(spec.defaults).sort());
      for (const [key, schema] of Object.entries(properties)) {
        expect(schema.default).toEqual(spec.defaults[key]);
        expect(schema.description).toEqual(expect.any(String));
      }
    }
  });

  it("uses the role names the provider accepts, in both forms", () => {
    expect(canonicalAccountRole("appowner")).toBe(APPLICATION_OWNER_ROLE);
    expect(fullRole("appowner")).toBe(APPLICATION_OWNER_ROLE);
    expect(canonicalCredentialRole("api_spadmin")).toBe(SERVICE_PROVIDER_CREDENTIAL_ROLE);
    expect(fullRole(" dpod.tenant.api_spadmin ")).toBe(SERVICE_PROVIDER_CREDENTIAL_ROLE);
  });
});

describe("dpod-credential-rotation", () => {
  const policy = resourcePolicy("dpod-credential-rotation");
  const base = { name: "ci", role: "dpod.tenant.api_appowner" };

  it("refuses a credential that never rotates, in TypeScript and in the native plugin", async () => {
    for (const type of [CREDENTIAL, NATIVE_CREDENTIAL, ROTATING, NATIVE_ROTATING]) {
      const messages = await validateResource(policy, type, base, {}, "ci");
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(
        /"ci" never rotates its secret: add rotationTriggers, or rotateAfterDays of at most 90/,
      );
    }
  });

  it("accepts rotation triggers, or rotateAfterDays up to the maximum", async () => {
    expect(await validateResource(policy, CREDENTIAL, { ...base, rotationTriggers: { r: "1" } })).toEqual([]);
    expect(await validateResource(policy, CREDENTIAL, { ...base, rotateAfterDays: 90 })).toEqual([]);
    expect(await validateResource(policy, CREDENTIAL, { ...base, rotateAfterDays: 30 })).toEqual([]);
  });

  it("refuses rotateAfterDays above the maximum unless there are triggers", async () => {
    const messages = await validateResource(policy, CREDENTIAL, {
      ...base,
      rotationTriggers: {},
      rotateAfterDays: 365,
    });
    expect(messages).toEqual([
      expect.stringContaining("rotates only every 365 days, more than the 90 allowed"),
    ]);
    const withTriggers = { ...base, rotationTriggers: { r: "1" }, rotateAfterDays: 365 };
    expect(await validateResource(policy, CREDENTIAL, withTriggers)).toEqual([]);
  });

  it("takes the maximum from the pack config", async () => {
    const yearly = { ...base, rotateAfterDays: 365 };
    expect(await validateResource(policy, CREDENTIAL, yearly, { maxRotateAfterDays: 400 })).toEqual([]);
    expect(
      await validateResource(policy, CREDENTIAL, { ...base, rotateAfterDays: 30 }, { maxRotateAfterDays: 7 }),
    ).toEqual([expect.stringContaining("more than the 7 allowed")]);
  });

  it("passes at preview what is not known yet (the update checks it again)", async () => {
    expect(
      await validateResource(policy, CREDENTIAL, { ...base, rotationTriggers: UNKNOWN_ON_THE_WIRE }),
    ).toEqual([]);
    expect(
      await validateResource(policy, CREDENTIAL, { ...base, rotateAfterDays: UNKNOWN_ON_THE_WIRE }),
    ).toEqual([]);
  });

  it("looks only at credentials", async () => {
    expect(await validateResource(policy, USER, base)).toEqual([]);
    expect(await validateResource(policy, "random:index:RandomPet", base)).toEqual([]);
  });
});

describe("dpod-rotation-pickup-window", () => {
  const policy = resourcePolicy("dpod-rotation-pickup-window");

  it("reports a pair rotating faster than the pick-up window", async () => {
    for (const type of [ROTATING, NATIVE_ROTATING]) {
      expect(await validateResource(policy, type, { rotateAfterDays: 3 }, {}, "deployer")).toEqual([
        expect.stringMatching(
          /RotatingClientCredential "deployer" rotates every 3 days, but its consumers may take 7 days/,
        ),
      ]);
    }
  });

  it("accepts a period at least the window, and takes the window from the pack config", async () => {
    expect(await validateResource(policy, ROTATING, { rotateAfterDays: 7 })).toEqual([]);
    expect(await validateResource(policy, ROTATING, { rotateAfterDays: 3 }, { pickupWindowDays: 2 })).toEqual(
      [],
    );
    expect(
      await validateResource(policy, ROTATING, { rotateAfterDays: 30 }, { pickupWindowDays: 45 }),
    ).toHaveLength(1);
  });

  it("has nothing to say of trigger-only pairs, unknown periods and single credentials", async () => {
    expect(await validateResource(policy, ROTATING, { rotationTriggers: { r: "1" } })).toEqual([]);
    expect(await validateResource(policy, ROTATING, { rotateAfterDays: UNKNOWN_ON_THE_WIRE })).toEqual([]);
    expect(await validateResource(policy, CREDENTIAL, { rotateAfterDays: 1 })).toEqual([]);
  });
});

describe("dpod-appowner-subscriber-group", () => {
  const policy = resourcePolicy("dpod-appowner-subscriber-group");
  const owner = { username: "olivia@example.com", accountRole: "dpod.tenant.appowner" };

  it("refuses an application owner in no subscriber group, role in either form", async () => {
    for (const [type, accountRole] of [
      [USER, "dpod.tenant.appowner"],
      [NATIVE_USER, "appowner"],
    ]) {
      for (const groups of [{}, { subscriberGroups: [] }]) {
        expect(
          await validateResource(policy, type!, { ...owner, accountRole, ...groups }, {}, "olivia"),
        ).toEqual([expect.stringContaining('User "olivia" is an application owner in no subscriber group')]);
      }
    }
  });

  it("accepts a group, also one whose id is known only after the update", async () => {
    expect(await validateResource(policy, USER, { ...owner, subscriberGroups: [GROUP_ID] })).toEqual([]);
    expect(
      await validateResource(policy, USER, { ...owner, subscriberGroups: [UNKNOWN_ON_THE_WIRE] }),
    ).toEqual([]);
    expect(await validateResource(policy, USER, { ...owner, subscriberGroups: UNKNOWN_ON_THE_WIRE })).toEqual(
      [],
    );
  });

  it("leaves other roles, and roles not known yet, alone", async () => {
    expect(await validateResource(policy, USER, { ...owner, accountRole: "dpod.tenant.admin" })).toEqual([]);
    expect(await validateResource(policy, USER, { ...owner, accountRole: UNKNOWN_ON_THE_WIRE })).toEqual([]);
  });
});

describe("dpod-username-domains", () => {
  const policy = resourcePolicy("dpod-username-domains");

  it("is off until allowedDomains is configured", async () => {
    expect(await validateResource(policy, USER, { username: "mallory@elsewhere.org" })).toEqual([]);
  });

  it("refuses usernames outside the configured domains, comparing domains exactly and in any case", async () => {
    const config = { allowedDomains: ["Example.com", "@corp.example"] };
    for (const username of ["alice@example.com", "BOB@EXAMPLE.COM", "carol@corp.example"]) {
      expect(await validateResource(policy, NATIVE_USER, { username }, config)).toEqual([]);
    }
    for (const username of ["mallory@elsewhere.org", "eve@sub.example.com", "no-at-sign"]) {
      expect(await validateResource(policy, USER, { username }, config, "u")).toEqual([
        `User "u" has username "${username}", outside the allowed mail domains (example.com, corp.example).`,
      ]);
    }
  });

  it("passes a username not known at preview", async () => {
    expect(
      await validateResource(policy, USER, { username: UNKNOWN_ON_THE_WIRE }, { allowedDomains: ["x.io"] }),
    ).toEqual([]);
  });
});

describe("dpod-spadmin-credential-stack", () => {
  const spadmin = { name: "sp", role: "dpod.tenant.api_spadmin" };
  const policyFor = (stack: string | undefined, project = "tenant") =>
    policyNamed<ResourceValidationPolicy>(
      dpodPolicies(stackContext({ stack, project })),
      "dpod-spadmin-credential-stack",
    );

  it("reports an api_spadmin credential in a stack not listed as a service-provider stack", async () => {
    for (const role of ["dpod.tenant.api_spadmin", "api_spadmin"]) {
      expect(
        await validateResource(policyFor("dev"), NATIVE_CREDENTIAL, { ...spadmin, role }, {}, "sp"),
      ).toEqual([
        expect.stringContaining(
          'ClientCredential "sp" is a service-provider administrator credential (api_spadmin) in stack "dev"',
        ),
      ]);
    }
    expect(await validateResource(policyFor(undefined), ROTATING, spadmin)).toEqual([
      expect.stringContaining('in stack "unknown"'),
    ]);
  });

  it("accepts it in a listed stack, named alone or with its project", async () => {
    expect(
      await validateResource(policyFor("sp-prod"), CREDENTIAL, spadmin, {
        serviceProviderStacks: ["sp-prod"],
      }),
    ).toEqual([]);
    const qualified = { serviceProviderStacks: ["acme/tenant/sp-prod"] };
    expect(await validateResource(policyFor("sp-prod"), CREDENTIAL, spadmin, qualified)).toEqual([]);
    expect(
      await validateResource(policyFor("sp-prod", "other"), CREDENTIAL, spadmin, qualified),
    ).toHaveLength(1);
  });

  it("leaves other roles alone", async () => {
    const appowner = { ...spadmin, role: "dpod.tenant.api_appowner" };
    expect(await validateResource(policyFor("dev"), CREDENTIAL, appowner)).toEqual([]);
  });
});

describe("dpod-allow-recreate-left-on", () => {
  const policy = resourcePolicy("dpod-allow-recreate-left-on");

  it("reports allowRecreate: true on users and credentials", async () => {
    for (const type of [USER, NATIVE_USER, CREDENTIAL, NATIVE_ROTATING]) {
      expect(await validateResource(policy, type, { allowRecreate: true }, {}, "x")).toEqual([
        expect.stringContaining('"x" has allowRecreate: true. Remove it once the replacement'),
      ]);
    }
  });

  it("says nothing when it is off, absent or unknown", async () => {
    for (const props of [{ allowRecreate: false }, {}, { allowRecreate: UNKNOWN_ON_THE_WIRE }]) {
      expect(await validateResource(policy, NATIVE_USER, props)).toEqual([]);
    }
  });
});

describe("dpod-adopt-identical-left-on", () => {
  const policyWith = (context: Parameters<typeof stackContext>[0]) =>
    policyNamed<StackValidationPolicy>(dpodPolicies(stackContext(context)), "dpod-adopt-identical-left-on");
  const group: [string, string, Record<string, unknown>] = [GROUP, "team", { name: "team" }];

  it("reports the stack config switched on, once", async () => {
    const policy = policyWith({ config: { adoptIdentical: "true" } });
    const defaultProvider: [string, string, Record<string, unknown>] = [
      "pulumi:providers:dpod",
      "default_0_1_0",
      { adoptIdentical: "true" },
    ];
    expect(await validateStack(policy, [group, defaultProvider])).toEqual([
      { message: expect.stringContaining("Stack config dpod:adoptIdentical is on.") },
    ]);
  });

  it("reports the environment variable and providers configured with it", async () => {
    const policy = policyWith({ env: { DPOD_ADOPT_IDENTICAL: "yes" } });
    const explicit: [string, string, Record<string, unknown>] = [
      "pulumi:providers:dpod",
      "tenant-b",
      { adoptIdentical: true },
    ];
    const violations = await validateStack(policy, [group, explicit]);
    expect(violations).toEqual([
      { message: expect.stringContaining("DPOD_ADOPT_IDENTICAL is on") },
      {
        message: expect.stringContaining('Provider "tenant-b" has adoptIdentical on.'),
        urn: "urn:pulumi:test::project::pulumi:providers:dpod::tenant-b",
      },
    ]);
  });

  it("says nothing when it is off, or when the stack holds no DPoD resource", async () => {
    expect(await validateStack(policyWith({ config: { adoptIdentical: "false" } }), [group])).toEqual([]);
    const unrelated: [string, string, Record<string, unknown>] = ["random:index:RandomPet", "pet", {}];
    expect(await validateStack(policyWith({ config: { adoptIdentical: "true" } }), [unrelated])).toEqual([]);
  });
});
