/**
 * `pulumi-dpod adopt` against the in-process emulator: the real client and the real scopes. It reads with
 * GET only (lists, then each object by id, so list items that are summaries lose nothing), users through the service provider's credential in the child tenant, and writes a program
 * whose credentials adopt exactly the tenant's (every field) and whose users reference groups; it never
 * overwrites an existing file without --force.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN_KEY_HEADER, startEmulator, type EmulatorTenant } from "dpod-emulator";
import { processIo, runPulumiDpod, type CommandIo } from "../../../provider/adopt/command";
import { DpodClient } from "../../../provider/client";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;
let sp: EmulatorTenant;
let child: EmulatorTenant;

function credential(tenant: EmulatorTenant, role: string) {
  const found = tenant.credentials.find((c) => c.role === role);
  if (!found) throw new Error(`no ${role} credential`);
  return found;
}

async function requestRoutes(): Promise<string[]> {
  const response = await fetch(`${emulator.url}/_emulator/requests`, {
    headers: { [ADMIN_KEY_HEADER]: emulator.adminKey },
  });
  const counts = (await response.json()) as { byRoute: Record<string, number> };
  return Object.entries(counts.byRoute)
    .filter(([, n]) => n > 0)
    .map(([route]) => route)
    .sort();
}

beforeAll(async () => {
  emulator = await startEmulator();
  sp = emulator.tenants.find((t) => t.kind === "service-provider")!;
  child = emulator.tenants.find((t) => t.kind === "tenant")!;
});

afterAll(async () => {
  await emulator?.close();
});

it("reads the tenant with GET only and declares its groups, users and credentials", async () => {
  const appOwnerCredential = credential(child, "dpod.tenant.api_appowner");
  const spCredential = credential(sp, "dpod.tenant.api_spadmin");
  const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
  const appOwner = new DpodClient({ ...base, ...appOwnerCredential });
  const spAdmin = new DpodClient({ ...base, ...spCredential });
  try {
    const ops = await appOwner.subscriberGroups.create({ name: "ops" });
    await appOwner.credentials.create({ name: "ci", role: "api_appowner", subscriberGroups: [ops.id] });
    await spAdmin.users.create({
      username: "amy@example.com",
      givenName: "Amy",
      familyName: "Pond",
      accountRole: "dpod.tenant.appowner",
      subscriberGroups: [ops.id],
      tenantId: child.id,
    });
    await fetch(`${emulator.url}/_emulator/requests`, {
      method: "DELETE",
      headers: { [ADMIN_KEY_HEADER]: emulator.adminKey },
    });

    const files = new Map<string, string>();
    const errors: string[] = [];
    const io: CommandIo = {
      ...processIo,
      env: {
        DPOD_API_URL: emulator.url,
        DPOD_TOKEN_URL: emulator.tokenUrl,
        DPOD_CLIENT_ID: appOwnerCredential.clientId,
        DPOD_CLIENT_SECRET: appOwnerCredential.clientSecret,
        DPOD_USERS_CLIENT_SECRET: spCredential.clientSecret,
      },
      stdout: () => undefined,
      stderr: (text) => errors.push(text),
      writeFile: (path, text) => files.set(path, text),
      fileExists: (path) => files.has(path),
    };
    const args = ["adopt", "--tenant-id", child.id, "--users-client-id", spCredential.clientId];
    expect(await runPulumiDpod([...args, "--out", "index.ts"], io)).toBe(0);
    expect(errors.join("")).toMatch(
      /declared 1 subscriber group\(s\), 2 user\(s\), 2 client credential\(s\)/,
    );
    // Tokens may come from the process's cache; every API call is a list, or a read by id of what to declare.
    expect((await requestRoutes()).filter((route) => route !== "POST /oauth/v1/token")).toEqual([
      "GET /v1/credentials/clients",
      "GET /v1/credentials/clients/:id",
      "GET /v1/subscriber_groups",
      "GET /v1/subscriber_groups/:id",
      "GET /v1/users",
      "GET /v1/users/:id",
    ]);
    const program = files.get("index.ts") ?? "";
    expect(program).toContain('const groupOps = new dpod.SubscriberGroup("ops", {');
    expect(program).toContain('const userAmyExampleCom = new dpod.User("amy-example-com", {');
    expect(program.match(/ {2}subscriberGroups: \[groupOps\.id\],/g)).toHaveLength(2);
    expect(program).toContain(`const tenantId = "${child.id}";`);
    expect(program).not.toContain(appOwnerCredential.clientSecret);
    expect(program).not.toContain(spCredential.clientSecret);

    // Without a user-managing credential, the refusal says what to pass.
    const refused: string[] = [];
    const withoutUsers = { ...io, stderr: (text: string) => refused.push(text) };
    expect(await runPulumiDpod(["adopt", "--out", "x.ts"], withoutUsers)).toBe(1);
    expect(refused.join("")).toContain("--users-client-id");
  } finally {
    await appOwner.close();
    await spAdmin.close();
  }
});

it("leaves an existing file as it is without --force, on the real file system", async () => {
  const appOwnerCredential = credential(child, "dpod.tenant.api_appowner");
  const directory = mkdtempSync(join(tmpdir(), "dpod-adopt-"));
  try {
    const out = join(directory, "index.ts");
    writeFileSync(out, "// edited by hand\n");
    const errors: string[] = [];
    const io: CommandIo = {
      ...processIo,
      env: {
        DPOD_API_URL: emulator.url,
        DPOD_TOKEN_URL: emulator.tokenUrl,
        DPOD_CLIENT_ID: appOwnerCredential.clientId,
        DPOD_CLIENT_SECRET: appOwnerCredential.clientSecret,
      },
      stdout: () => undefined,
      stderr: (text) => errors.push(text),
    };
    const args = ["adopt", "--kinds", "groups,credentials", "--out", out];
    expect(await runPulumiDpod(args, io)).toBe(2);
    expect(errors.join("")).toContain(`--out: ${out} already exists; pass --force to overwrite it`);
    expect(readFileSync(out, "utf8")).toBe("// edited by hand\n");
    // The write itself refuses too (a file created after the check): O_EXCL, not a second look.
    expect(() => processIo.writeFile(out, "x", false)).toThrow(expect.objectContaining({ code: "EEXIST" }));

    expect(await runPulumiDpod([...args, "--force"], io)).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("Generated by `pulumi-dpod adopt`");
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

it("declares the same program when list items are summaries (the summary-lists dialect)", async () => {
  const appOwnerCredential = credential(child, "dpod.tenant.api_appowner");
  const appOwner = new DpodClient({
    apiUrl: emulator.url,
    tokenUrl: emulator.tokenUrl,
    ...appOwnerCredential,
  });
  const dialects = (body: unknown) =>
    fetch(`${emulator.url}/_emulator/dialects`, {
      method: body === undefined ? "DELETE" : "PUT",
      headers: { [ADMIN_KEY_HEADER]: emulator.adminKey, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  try {
    const group = await appOwner.subscriberGroups.create({ name: "described", description: "kept" });
    await appOwner.credentials.create({ name: "bound", role: "api_appowner", subscriberGroups: [group.id] });
    const generate = async () => {
      const out: string[] = [];
      const io: CommandIo = {
        ...processIo,
        env: {
          DPOD_API_URL: emulator.url,
          DPOD_TOKEN_URL: emulator.tokenUrl,
          DPOD_CLIENT_ID: appOwnerCredential.clientId,
          DPOD_CLIENT_SECRET: appOwnerCredential.clientSecret,
        },
        stdout: (text) => out.push(text),
        stderr: () => undefined,
      };
      expect(await runPulumiDpod(["adopt", "--kinds", "groups,credentials"], io)).toBe(0);
      return out.join("");
    };
    const full = await generate();
    expect(full).toContain('  description: "kept",');
    expect(full).toContain("  subscriberGroups: [groupDescribed.id],");
    expect((await dialects({ dialects: ["summary-lists"] })).ok).toBe(true);
    expect(await generate()).toBe(full);
  } finally {
    await dialects(undefined);
    await appOwner.close();
  }
});
