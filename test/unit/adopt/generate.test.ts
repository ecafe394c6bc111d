// The adopt generator on an in-memory tenant: what it declares, how it names and references objects,
// that its output is deterministic and already formatted, and what it leaves out and why.
// The standalone build: the default entry loads plugins with a dynamic import, which jest's CommonJS
// runtime refuses.
import * as prettier from "prettier/standalone";
import * as estreePlugin from "prettier/plugins/estree";
import * as typescriptPlugin from "prettier/plugins/typescript";
import { generateAdoption, type GenerateOptions } from "../../../provider/adopt/generate";
import { ADOPT_KINDS } from "../../../provider/adopt/selection";
import { CHILD_TENANT, FakeDpod, SERVICE } from "../resources/fake-dpod";

const prettierOptions = {
  parser: "typescript",
  printWidth: 110,
  singleQuote: false,
  trailingComma: "all",
  plugins: [estreePlugin, typescriptPlugin],
} as Parameters<typeof prettier.format>[1];

function options(
  selection: Partial<GenerateOptions["selection"]> = {},
  more: Partial<GenerateOptions> = {},
): GenerateOptions {
  return {
    selection: {
      kinds: new Set(ADOPT_KINDS),
      include: [],
      exclude: [],
      excludedClientIds: new Set<string>(),
      ...selection,
    },
    usersConnection: false,
    retainOnDelete: false,
    ...more,
  };
}

/** A small tenant with odd names, shared groups, colliding slugs, twins, and an invalid user. */
async function seededTenant() {
  const dpod = new FakeDpod();
  const api = dpod.api;
  const ops = await api.subscriberGroups.create({ name: "Ops", description: 'the "night" shift' });
  const opsToo = await api.subscriberGroups.create({ name: "ops!" });
  const payments = await api.subscriberGroups.create({ name: "Payments */ team\u2028x" });
  await api.subscriberGroups.create({ name: `odd\u2028${"y".repeat(70)}` });
  await api.users.create({
    username: "zoë.o'neil@example.com",
    givenName: "Zoë",
    familyName: "O'Neil",
    accountRole: "appowner",
    subscriberGroups: [payments.id, ops.id],
  });
  await api.users.create({
    username: "admin@example.com",
    givenName: "Ada",
    familyName: "Admin",
    accountRole: "dpod.tenant.admin",
    phoneNumber: "+1 555",
  });
  await api.users.create({
    username: "broken@example.com",
    givenName: "",
    familyName: "X",
    accountRole: "admin",
  });
  const ci = await api.credentials.create({
    name: "ci",
    role: "api_appowner",
    subscriberGroups: [payments.id, ops.id],
  });
  const self = await api.credentials.create({ name: "runner", role: "dpod.tenant.api_appowner" });
  const twin1 = await api.credentials.create({ name: "twin", role: "dpod.tenant.api_appowner" });
  const twin2 = await api.credentials.create({ name: "twin", role: "dpod.tenant.api_appowner" });
  await api.credentials.create({ name: "svc", role: "dpod.tenant.api_service", serviceIds: [SERVICE] });
  dpod.calls.length = 0;
  return {
    dpod,
    ids: { ops: ops.id, opsToo: opsToo.id, ci: ci.clientId, self: self.clientId, twin1, twin2 },
  };
}

const sources = (dpod: FakeDpod) => ({ tenant: dpod.api, users: { client: dpod.api } });

describe("pulumi-dpod adopt: the generated program", () => {
  it("declares each object with adopt: true, referencing groups by resource, from reads only", async () => {
    const { dpod, ids } = await seededTenant();
    const { program, plan } = await generateAdoption(
      sources(dpod),
      options({ excludedClientIds: new Set([ids.self]) }),
    );
    // A list of each kind, then a read by id of every object that may be declared.
    const ops = dpod.calls.map((c) => c.op);
    expect([...new Set(ops)].sort()).toEqual([
      "credentials.get",
      "credentials.list",
      "groups.get",
      "groups.list",
      "users.get",
      "users.list",
    ]);
    expect(ops.filter((op) => op.endsWith(".get"))).toHaveLength(
      dpod.groups.size + dpod.users.size + dpod.credentials.size,
    );
    const opsName = `ops-${ids.ops.replace(/-/g, "").slice(-8)}`;
    expect(plan.groups.map((g) => g.resourceName)).toEqual([
      opsName,
      `ops-${ids.opsToo.replace(/-/g, "").slice(-8)}`,
      "payments-team-x",
    ]);
    // Ids here end in digits: a part starting with a digit is marked with `_` in the variable.
    const opsVar = plan.groups[0]!.variable;
    expect(opsVar).toBe(`groupOps_${opsName.slice("ops-".length)}`);
    expect(program).toContain(`  subscriberGroups: [${opsVar}.id, groupPaymentsTeamX.id],`);
    expect(program).toContain(`const userZoeONeilExampleCom = new dpod.User("zoe-o-neil-example-com", {`);
    expect(program).toContain(`  username: "zoë.o'neil@example.com",`);
    expect(program).toContain(`  accountRole: "dpod.tenant.appowner",`);
    expect(program).toContain(`  description: 'the "night" shift',`);
    expect(program).toContain(`  name: "Payments */ team\u2028x",`);
    expect(program).toContain(`  serviceIds: ["${SERVICE}"],`);
    expect(program).toContain(`  role: "dpod.tenant.api_appowner",`);
    expect(program).not.toContain(ids.self);
    const declared = plan.groups.length + plan.users.length + plan.credentials.length;
    expect(program.match(/ adopt: true,/g)).toHaveLength(declared);
    expect(program).toContain("rotationTriggers");
  });

  it("lists what it cannot declare, with the reason, in an escaped comment", async () => {
    const { dpod, ids } = await seededTenant();
    const { program, plan } = await generateAdoption(sources(dpod), options());
    expect(plan.skipped.map((s) => [s.kind, s.name])).toEqual([
      ["SubscriberGroup", `odd\u2028${"y".repeat(70)}`],
      ["User", "broken@example.com"],
      ["ClientCredential", "twin"],
      ["ClientCredential", "twin"],
    ]);
    expect(plan.skipped[0]?.reason).toMatch(/^name: must be 1 to 64 characters/);
    expect(plan.skipped[1]?.reason).toMatch(/^givenName: must be 1 to 50 characters/);
    expect(plan.skipped[2]?.reason).toMatch(/ambiguous/);
    expect(program).toContain(
      `// - ClientCredential "twin" (id "${ids.twin1.clientId}"): "several credentials`,
    );
    expect(plan.credentials.map((c) => c.id)).toContain(ids.self); // not excluded this time
    // A line terminator inside a `//` comment would end it: names in comments are escaped.
    expect(program).toContain(`// - SubscriberGroup "odd\\u2028${"y".repeat(70)}"`);
    for (const line of program.split("\n")) {
      if (line.trimStart().startsWith("//")) expect(line).not.toMatch(/[\u2028\u2029]/);
    }
  });

  it("declares what a read by id says when list items are summaries, and leaves out what is gone", async () => {
    const { dpod } = await seededTenant();
    const expected = await generateAdoption(sources(dpod), options());
    // List items without the fields a summary may leave out.
    const summary = <T extends object>(item: T): T => {
      const copy = { ...item } as Record<string, unknown>;
      for (const key of ["description", "phoneNumber", "subscriberGroups", "serviceIds"]) delete copy[key];
      return copy as unknown as T;
    };
    async function* summaries<T extends object>(items: AsyncIterable<T>) {
      for await (const item of items) yield summary(item);
    }
    const api = dpod.api;
    const summarised = {
      subscriberGroups: { ...api.subscriberGroups, list: () => summaries(api.subscriberGroups.list()) },
      credentials: { ...api.credentials, list: () => summaries(api.credentials.list()) },
      users: { ...api.users, list: (opts?: { tenantId?: string }) => summaries(api.users.list(opts)) },
    };
    const fromSummaries = await generateAdoption(
      { tenant: summarised, users: { client: summarised } },
      options(),
    );
    expect(fromSummaries.program).toBe(expected.program);
    expect(fromSummaries.program).toContain(`  description: 'the "night" shift',`);

    // An object deleted between the list and its read is not declared.
    const gone = expected.plan.credentials[0]!;
    const racing = {
      ...api,
      credentials: {
        ...api.credentials,
        get: async (id: string) => {
          if (id === gone.id) dpod.credentials.delete(id);
          return api.credentials.get(id);
        },
      },
    };
    const afterDelete = await generateAdoption({ tenant: racing, users: { client: racing } }, options());
    expect(afterDelete.plan.credentials.map((c) => c.id)).toEqual(
      expected.plan.credentials.slice(1).map((c) => c.id),
    );
  });

  it("escapes skipped ids in comments too, so an id DPoD sends cannot end the comment", async () => {
    const { dpod } = await seededTenant();
    const id = "evil\nconst x: number = 'not a number';\u2028id";
    dpod.groups.set(id, { id, name: "" });
    const { program, plan } = await generateAdoption(sources(dpod), options());
    expect(plan.skipped.map((s) => s.id)).toContain(id);
    expect(program).toContain(
      `// - SubscriberGroup "" (id ${JSON.stringify(id).replace("\u2028", "\\u2028")}):`,
    );
    expect(program).not.toContain("\nconst x");
    for (const line of program.split("\n")) {
      if (line.trimStart().startsWith("//")) expect(line).not.toMatch(/[\u2028\u2029]/);
    }
  });

  it("fails rather than write two declarations of one resource name", async () => {
    const dpod = new FakeDpod();
    const a = await dpod.api.subscriberGroups.create({ name: "a" });
    const b = await dpod.api.subscriberGroups.create({ name: "b" });
    // Only a previous run's names, bypassing the import file's own check, can ask for this.
    const twice = new Map([
      [a.id, "same"],
      [b.id, "same"],
    ]);
    await expect(
      generateAdoption(
        sources(dpod),
        options(
          {},
          { previousNames: { SubscriberGroup: twice, User: new Map(), ClientCredential: new Map() } },
        ),
      ),
    ).rejects.toThrow("two declarations would share the variable groupSame; nothing was written");
  });

  it("counts an excluded credential's twins: the twin left is skipped, not declared to fail at up", async () => {
    const dpod = new FakeDpod();
    const self = await dpod.api.credentials.create({ name: "runner", role: "api_appowner" });
    const twin = await dpod.api.credentials.create({ name: "runner", role: "api_appowner" });
    const other = await dpod.api.credentials.create({
      name: "runner",
      role: "api_service",
      serviceIds: [SERVICE],
    });
    const { plan } = await generateAdoption(
      sources(dpod),
      options({ excludedClientIds: new Set([self.clientId]) }),
    );
    expect(plan.credentials.map((c) => c.id)).toEqual([other.clientId]);
    expect(plan.skipped.map((s) => [s.id, s.reason.includes("ambiguous")])).toEqual([[twin.clientId, true]]);
  });

  it("is already formatted, with and without retainOnDelete, long names and long lists", async () => {
    const { dpod } = await seededTenant();
    const many = [];
    for (let i = 0; i < 8; i++)
      many.push((await dpod.api.subscriberGroups.create({ name: `group-${i}` })).id);
    await dpod.api.credentials.create({ name: "x".repeat(64), role: "api_appowner", subscriberGroups: many });
    for (const retainOnDelete of [false, true]) {
      const { program } = await generateAdoption(sources(dpod), options({}, { retainOnDelete }));
      expect(await prettier.format(program, prettierOptions)).toBe(program);
      expect(program.includes("{ retainOnDelete: true }")).toBe(retainOnDelete);
    }
    const withUsers = await generateAdoption(
      sources(dpod),
      options({}, { usersConnection: true, usersTenantId: CHILD_TENANT }),
    );
    expect(await prettier.format(withUsers.program, prettierOptions)).toBe(withUsers.program);
    expect(withUsers.program).toContain(`const tenantId = "${CHILD_TENANT}";`);
    expect(withUsers.program).toContain('  clientSecret: config.requireSecret("usersClientSecret"),');
    expect(withUsers.program).toContain("  connection: usersConnection,\n");
  });

  it("gives identical files whatever order DPoD lists the objects in", async () => {
    const { dpod } = await seededTenant();
    const first = await generateAdoption(sources(dpod), options());
    const again = await generateAdoption(sources(dpod), options());
    expect(again.program).toBe(first.program);
    expect(again.importFile).toBe(first.importFile);
    for (const map of [dpod.groups, dpod.users, dpod.credentials] as Map<string, unknown>[]) {
      const entries = [...map.entries()].reverse();
      map.clear();
      for (const [key, value] of entries) map.set(key, value);
    }
    const reversed = await generateAdoption(sources(dpod), options());
    expect(reversed.program).toBe(first.program);
    expect(reversed.importFile).toBe(first.importFile);
  });

  it("filters by kind and by name patterns; groups left out stay raw ids", async () => {
    const { dpod, ids } = await seededTenant();
    const onlyCredentials = await generateAdoption(
      sources(dpod),
      options({ kinds: new Set(["credentials"] as const), include: ["c*", "S?C"], exclude: ["svc"] }),
    );
    expect(onlyCredentials.plan.credentials.map((c) => c.resourceName)).toEqual(["ci"]);
    expect(onlyCredentials.plan.groups).toEqual([]);
    expect(onlyCredentials.program).toContain(
      `  subscriberGroups: ["${[...dpod.groups.keys()].sort()[0]}", "`,
    );
    expect(onlyCredentials.program).not.toContain("import * as pulumi");
    // Only what the patterns keep is read by id.
    expect(dpod.calls.map((c) => c.op)).toEqual(["credentials.list", "credentials.get"]);
    expect(onlyCredentials.plan.credentials[0]?.id).toBe(ids.ci);
  });

  it("writes a pulumi import file with the native tokens and the program's names", async () => {
    const { dpod } = await seededTenant();
    const { plan, importFile } = await generateAdoption(sources(dpod), options());
    const parsed = JSON.parse(importFile) as { resources: Array<Record<string, string>> };
    expect(Object.keys(parsed)).toEqual(["resources"]);
    const declarations = [...plan.groups, ...plan.users, ...plan.credentials];
    expect(parsed.resources).toHaveLength(declarations.length);
    parsed.resources.forEach((resource, i) => {
      expect(Object.keys(resource).sort()).toEqual(["id", "name", "type"]);
      expect(resource.type).toBe(`dpod:index:${declarations[i]!.kind}`);
      expect(resource.name).toBe(declarations[i]!.resourceName);
      expect(resource.id).toBe(declarations[i]!.id);
    });
    const keys = parsed.resources.map((r) => `${r.type}/${r.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(importFile.endsWith("}\n")).toBe(true);

    // Users of a child tenant are imported as <tenant id>/<user id>, the plugin's import id for them.
    const child = await generateAdoption(sources(dpod), options({}, { usersTenantId: CHILD_TENANT }));
    const ids = (JSON.parse(child.importFile) as typeof parsed).resources
      .filter((r) => r.type === "dpod:index:User")
      .map((r) => r.id);
    expect(ids).toEqual(child.plan.users.map((u) => `${CHILD_TENANT}/${u.id}`));
    expect(ids.length).toBeGreaterThan(0);
  });
});

describe("pulumi-dpod adopt against a DPoD that leaves a required field out", () => {
  it("skips, naming the field, an object DPoD's answers leave a required field out of", async () => {
    const { dpod } = await seededTenant();
    dpod.neverSends = ["subscriberGroups"];
    const { plan } = await generateAdoption(sources(dpod), options());
    expect(plan.users).toEqual([]);
    expect(plan.credentials).toEqual([]);
    expect(plan.skipped.filter((s) => s.kind === "User").map((s) => s.reason)).toEqual([
      expect.stringMatching(
        /^DPoD's list did not include its subscriberGroups, and a declaration is never written from a guess/,
      ),
      expect.stringMatching(/did not include its subscriberGroups/),
      expect.stringMatching(/did not include its subscriberGroups/),
    ]);
  });
});
