// The generated program compiles against the SDK as it is now: a renamed or retyped input would break
// every generated program, and this fails first. The program is type-checked in memory, as if it sat in
// the repository (where `pulumi-dpod` resolves to sdk/), with the repository's compiler options.
// Names whose slugs or variables collide (`team-1`/`team1`, `john-2@x.com`/`john2@x.com`) still compile,
// and a second run after new objects appeared keeps every resource name of the first.
import * as path from "node:path";
import * as ts from "typescript";
import { generateAdoption, type Generated } from "../../../provider/adopt/generate";
import { parsePreviousNames } from "../../../provider/adopt/previous-names";
import { ADOPT_KINDS } from "../../../provider/adopt/selection";
import { CHILD_TENANT, FakeDpod, SERVICE } from "../resources/fake-dpod";

const root = path.resolve(__dirname, "..", "..", "..");

function diagnostics(fileName: string, text: string): string[] {
  const configFile = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    path.resolve(name) === fileName
      ? ts.createSourceFile(name, text, language)
      : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);
  const program = ts.createProgram([fileName], { ...parsed.options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(fileName))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

it("type-checks against the SDK, with users in a child tenant and every kind of input", async () => {
  const dpod = new FakeDpod();
  const ops = await dpod.api.subscriberGroups.create({ name: "ops", description: "Operations" });
  await dpod.api.users.create({
    username: "amy@example.com",
    givenName: "Amy",
    familyName: "Pond",
    phoneNumber: "+44 1",
    accountRole: "appowner",
    subscriberGroups: [ops.id],
  });
  await dpod.api.credentials.create({
    name: "svc",
    role: "api_service",
    serviceIds: [SERVICE],
    subscriberGroups: [ops.id],
  });
  for (const retainOnDelete of [false, true]) {
    const { program } = await generateAdoption(
      { tenant: dpod.api, users: { client: dpod.api } },
      {
        selection: { kinds: new Set(ADOPT_KINDS), include: [], exclude: [], excludedClientIds: new Set() },
        usersConnection: true,
        usersTenantId: CHILD_TENANT,
        retainOnDelete,
      },
    );
    const fileName = path.join(root, "examples", "adopt-tenant", "generated-in-memory.ts");
    expect(diagnostics(fileName, program)).toEqual([]);
  }
}, 60_000);

/** The `new dpod.<Kind>("<name>"` heads of a program, one per declaration. */
function declarationHeads(program: string): string[] {
  return program.match(/new dpod\.\w+\(\s*"[^"]*"/g) ?? [];
}

/** Every declaration of `first` in `second`, under the same resource name, kind and DPoD id. */
function expectNoneRenamed(first: Generated, second: Generated) {
  const all = (g: Generated) => [...g.plan.groups, ...g.plan.users, ...g.plan.credentials];
  const again = new Map(all(second).map((d) => [d.id, d]));
  for (const d of all(first))
    expect([d.kind, d.id, again.get(d.id)?.resourceName]).toEqual([d.kind, d.id, d.resourceName]);
  const heads = declarationHeads(second.program);
  for (const head of declarationHeads(first.program)) expect(heads).toContain(head);
}

describe("colliding names, and a second run after new objects appeared", () => {
  const fileName = path.join(root, "examples", "adopt-tenant", "generated-collisions.ts");
  const options = (previousNames?: ReturnType<typeof parsePreviousNames>) => ({
    selection: {
      kinds: new Set(ADOPT_KINDS),
      include: [],
      exclude: [],
      excludedClientIds: new Set<string>(),
    },
    usersConnection: false,
    retainOnDelete: false,
    previousNames,
  });

  async function seed(dpod: FakeDpod) {
    const groups = [];
    for (const name of ["team-1", "team1", "Ops"])
      groups.push((await dpod.api.subscriberGroups.create({ name })).id);
    for (const username of ["john-2@x.com", "john2@x.com"]) {
      await dpod.api.users.create({
        username,
        givenName: "John",
        familyName: "Two",
        accountRole: "appowner",
        subscriberGroups: groups.slice(0, 2),
      });
    }
    await dpod.api.credentials.create({ name: "ci-1", role: "api_appowner", subscriberGroups: groups });
    await dpod.api.credentials.create({ name: "ci1", role: "api_appowner" });
  }

  /** Newcomers whose slugs match existing names, plain and suffixed, and new plain collisions. */
  async function newcomers(dpod: FakeDpod, first: Generated) {
    for (const name of ["Team 1", "ops", "TEAM1", ...first.plan.groups.map((g) => g.resourceName)])
      await dpod.api.subscriberGroups.create({ name });
    for (const username of ["John-2@x.com", "john.2@x.com", "john_2@x.com"]) {
      await dpod.api.users.create({ username, givenName: "J", familyName: "T", accountRole: "appowner" });
    }
    await dpod.api.credentials.create({ name: "ci-1", role: "api_service", serviceIds: [SERVICE] });
    await dpod.api.credentials.create({ name: "CI 1", role: "api_appowner" });
  }

  it("compiles, and newer objects rename nothing when DPoD reports creation times", async () => {
    const dpod = new FakeDpod();
    dpod.dpodNow = "2026-06-01T00:00:00Z";
    await seed(dpod);
    const first = await generateAdoption({ tenant: dpod.api, users: { client: dpod.api } }, options());
    expect(first.plan.groups.map((g) => g.variable)).toEqual(["groupOps", "groupTeam_1", "groupTeam1"]);
    expect(first.plan.users.map((u) => u.variable)).toEqual(["userJohn_2XCom", "userJohn2XCom"]);
    expect(diagnostics(fileName, first.program)).toEqual([]);

    dpod.dpodNow = "2026-06-02T00:00:00Z";
    await newcomers(dpod, first);
    const second = await generateAdoption({ tenant: dpod.api, users: { client: dpod.api } }, options());
    expect(second.plan.groups.length + second.plan.users.length).toBeGreaterThan(
      first.plan.groups.length + first.plan.users.length + 5,
    );
    expectNoneRenamed(first, second);
    expect(diagnostics(fileName, second.program)).toEqual([]);
  }, 60_000);

  it("compiles, and renames nothing without creation times when given the first run's import file", async () => {
    const dpod = new FakeDpod();
    const forget = () => {
      for (const map of [dpod.groups, dpod.users, dpod.credentials] as Array<
        Map<string, { createdAt?: string }>
      >)
        for (const item of map.values()) delete item.createdAt;
    };
    await seed(dpod);
    forget();
    const first = await generateAdoption({ tenant: dpod.api, users: { client: dpod.api } }, options());
    await newcomers(dpod, first);
    forget();
    const unaided = await generateAdoption({ tenant: dpod.api, users: { client: dpod.api } }, options());
    // The case the rule alone cannot hold: "Ops" was plain, and "ops" may be older.
    expect(unaided.plan.groups.map((g) => g.resourceName)).not.toContain("ops");
    const second = await generateAdoption(
      { tenant: dpod.api, users: { client: dpod.api } },
      options(parsePreviousNames(first.importFile, "import.json")),
    );
    expectNoneRenamed(first, second);
    expect(diagnostics(fileName, second.program)).toEqual([]);
  }, 60_000);
});
