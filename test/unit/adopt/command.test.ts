// The `pulumi-dpod adopt` command line: bad arguments and missing settings are reported, naming the
// option or variable, before any client exists (so before any request); secrets come only from the
// environment and never appear in what the command prints.
import type { DpodClient } from "../../../provider/client";
import { runPulumiDpod, type CommandIo } from "../../../provider/adopt/command";
import { FakeDpod } from "../resources/fake-dpod";

const env = {
  DPOD_API_URL: "https://dpod.example",
  DPOD_CLIENT_ID: "runner-id",
  DPOD_CLIENT_SECRET: "runner-secret-value",
};

function io(overrides: Partial<CommandIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  const clients: string[] = [];
  const dpod = new FakeDpod();
  const value: CommandIo = {
    env,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    writeFile: (path, text) => files.set(path, text),
    clientFactory: (settings) => {
      clients.push(settings.clientId ?? "(token)");
      return { ...dpod.api, close: async () => undefined } as unknown as DpodClient;
    },
    ...overrides,
  };
  return { value, out, err, files, clients, dpod };
}

describe("pulumi-dpod adopt command", () => {
  it("refuses unknown kinds and options with exit code 2, before any client", async () => {
    const run = io();
    expect(await runPulumiDpod(["adopt", "--kinds", "users,robots"], run.value)).toBe(2);
    expect(run.err.join("")).toContain('"robots" is not one of groups, users, credentials');
    expect(await runPulumiDpod(["adopt", "--colour"], run.value)).toBe(2);
    expect(run.clients).toEqual([]);
  });

  it("names a missing setting or secret, and a bad tenant id, before any client", async () => {
    const noSecret = io({ env: { DPOD_API_URL: "https://dpod.example", DPOD_CLIENT_ID: "x" } });
    expect(await runPulumiDpod(["adopt"], noSecret.value)).toBe(1);
    expect(noSecret.err.join("")).toContain("DPOD_CLIENT_SECRET");

    const noUsersSecret = io();
    expect(await runPulumiDpod(["adopt", "--users-client-id", "sp"], noUsersSecret.value)).toBe(1);
    expect(noUsersSecret.err.join("")).toContain("DPOD_USERS_CLIENT_SECRET");

    const badTenant = io();
    expect(await runPulumiDpod(["adopt", "--tenant-id", "child"], badTenant.value)).toBe(1);
    expect(badTenant.err.join("")).toContain("--tenant-id: must be a UUID");
    for (const run of [noSecret, noUsersSecret, badTenant]) expect(run.clients).toEqual([]);
  });

  it("writes the program and import file, leaves out its own credential, and prints no secret", async () => {
    const run = io({
      env: { ...env, DPOD_USERS_CLIENT_SECRET: "users-secret-value" },
    });
    const own = await run.dpod.api.credentials.create({ name: "runner", role: "api_appowner" });
    await run.dpod.api.credentials.create({ name: "ci", role: "api_appowner" });
    await run.dpod.api.users.create({
      username: "ada@example.com",
      givenName: "Ada",
      familyName: "L",
      accountRole: "admin",
    });
    const ownEnv = { ...run.value.env, DPOD_CLIENT_ID: own.clientId };
    const code = await runPulumiDpod(
      ["adopt", "--out", "index.ts", "--import-file", "import.json", "--users-client-id", "sp-id"],
      { ...run.value, env: ownEnv },
    );
    expect(code).toBe(0);
    expect(run.clients).toEqual([own.clientId, "sp-id"]);
    const program = run.files.get("index.ts") ?? "";
    expect(program).toContain('new dpod.ClientCredential("ci", {');
    expect(program).not.toContain('"runner"');
    expect(program).toContain('config.requireSecret("usersClientSecret")');
    expect(JSON.parse(run.files.get("import.json") ?? "{}").resources).toHaveLength(2);
    const printed = [...run.out, ...run.err, program].join("");
    expect(printed).not.toContain("runner-secret-value");
    expect(printed).not.toContain("users-secret-value");
    expect(run.err.join("")).toMatch(
      /declared 0 subscriber group\(s\), 1 user\(s\), 1 client credential\(s\)/,
    );

    const keepSelf = io();
    await keepSelf.dpod.api.credentials.create({ name: "runner", role: "api_appowner" });
    expect(await runPulumiDpod(["adopt", "--no-exclude-self"], keepSelf.value)).toBe(0);
    expect(keepSelf.out.join("")).toContain('"runner"');
  });
});
