// The `pulumi-dpod adopt` command line: bad arguments and missing settings are reported, naming the
// option or variable, before any client exists (so before any request); secrets come only from the
// environment and never appear in what the command prints; existing files are overwritten only with
// --force, and --names-from keeps a previous run's names.
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
    writeFile: (path, text, overwrite) => {
      if (!overwrite && files.has(path)) throw Object.assign(new Error("exists"), { code: "EEXIST" });
      files.set(path, text);
    },
    fileExists: (path) => files.has(path),
    readFile: (path) => {
      const text = files.get(path);
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
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
    expect(await runPulumiDpod(["adopt", "--tenant-id", "child"], badTenant.value)).toBe(2);
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

  it("refuses to overwrite --out or --import-file without --force, before any client", async () => {
    for (const [option, file] of [
      ["--out", "index.ts"],
      ["--import-file", "import.json"],
    ] as const) {
      const run = io();
      run.files.set(file, "kept");
      expect(await runPulumiDpod(["adopt", option, file], run.value)).toBe(2);
      expect(run.err.join("")).toContain(`${option}: ${file} already exists; pass --force to overwrite it`);
      expect(run.files.get(file)).toBe("kept");
      expect(run.clients).toEqual([]);

      expect(await runPulumiDpod(["adopt", option, file, "--force"], run.value)).toBe(0);
      expect(run.files.get(file)).not.toBe("kept");
    }

    const same = io();
    expect(await runPulumiDpod(["adopt", "--out", "a", "--import-file", "a"], same.value)).toBe(2);
    expect(same.err.join("")).toContain("--out and --import-file: both name a");
    expect(same.clients).toEqual([]);
  });

  it("refuses a file that appears while the tenant is read, and writes nothing over it", async () => {
    const run = io();
    const factory = run.value.clientFactory;
    const racing: CommandIo = {
      ...run.value,
      clientFactory: (settings) => {
        run.files.set("index.ts", "someone else's");
        return factory(settings);
      },
    };
    expect(await runPulumiDpod(["adopt", "--out", "index.ts"], racing)).toBe(2);
    expect(run.err.join("")).toContain("--out: index.ts already exists");
    expect(run.files.get("index.ts")).toBe("someone else's");
  });

  it("keeps the names of the import file given with --names-from, and refuses one it cannot read", async () => {
    const run = io();
    const ci = await run.dpod.api.credentials.create({ name: "ci", role: "api_appowner" });
    const previous = {
      resources: [
        { type: "dpod:index:ClientCredential", name: "ci-from-last-time", id: ci.clientId },
        { type: "dpod:index:ClientCredential", name: "gone", id: "deleted-since" },
      ],
    };
    run.files.set("import.json", JSON.stringify(previous));
    const args = ["adopt", "--names-from", "import.json", "--import-file", "import.json", "--force"];
    expect(await runPulumiDpod(args, run.value)).toBe(0);
    expect(run.out.join("")).toContain('new dpod.ClientCredential("ci-from-last-time", {');
    expect(JSON.parse(run.files.get("import.json")!).resources).toEqual([
      { type: "dpod:index:ClientCredential", name: "ci-from-last-time", id: ci.clientId },
    ]);

    const cases: Array<[text: string | undefined, message: string]> = [
      [undefined, "--names-from: cannot read import.json: ENOENT"],
      ["{", "--names-from: import.json: not JSON"],
      ['{"resources": {}}', 'import.json: expected {"resources": [...]}'],
      [
        '{"resources": [{"type": "aws:s3:Bucket", "name": "b", "id": "1"}]}',
        "resources[0].type: must be one",
      ],
      [
        '{"resources": [{"type": "dpod:index:User", "name": "Amy", "id": "1"}]}',
        "resources[0].name: must be",
      ],
      [
        JSON.stringify({
          resources: [
            { type: "dpod:index:User", name: "a", id: "t/1" },
            { type: "dpod:index:User", name: "b", id: "1" },
          ],
        }),
        'resources[1].id: "1" is listed twice',
      ],
      [
        JSON.stringify({
          resources: [
            { type: "dpod:index:User", name: "a", id: "1" },
            { type: "dpod:index:User", name: "a", id: "2" },
          ],
        }),
        'resources[1].name: "a" is given to two User objects',
      ],
    ];
    for (const [text, message] of cases) {
      const bad = io();
      if (text !== undefined) bad.files.set("import.json", text);
      expect(await runPulumiDpod(["adopt", "--names-from", "import.json"], bad.value)).toBe(2);
      expect(bad.err.join("")).toContain(message);
      expect(bad.clients).toEqual([]);
    }
  });
});
