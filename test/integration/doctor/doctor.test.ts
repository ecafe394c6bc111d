/**
 * `pulumi-dpod doctor` against the emulator: what it reports, that it only reads (the emulator's request
 * log), that no secret, token or id reaches any output, and its exit codes.
 */
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { clearTokenCache, DpodClient } from "../../../provider/client";
import { sharedLimiter } from "../../../provider/client/limiter";
import { Transport } from "../../../provider/client/transport";
import { runPulumiDpod, processIo, type CommandIo } from "../../../provider/adopt/command";
import type { Sender } from "../../../provider/doctor/read-only-http";
import type { DoctorReport } from "../../../provider/doctor/report";
import { calledRoutes, requestCounts, resetRequestLog, userToken } from "../../helpers/emulator-admin";

let emulator: RunningEmulator;
let env: NodeJS.ProcessEnv;
let secrets: string[];
let ids: string[];
let childTenantId: string;
let usersClientId: string;

beforeAll(async () => {
  emulator = await startEmulator();
  const sp = emulator.tenants.find((t) => t.kind === "service-provider")!;
  const child = emulator.tenants.find((t) => t.kind === "tenant")!;
  const appOwner = child.credentials.find((c) => c.role === "dpod.tenant.api_appowner")!;
  const spAdmin = sp.credentials.find((c) => c.role === "dpod.tenant.api_spadmin")!;
  childTenantId = child.id;
  usersClientId = spAdmin.clientId;
  env = {
    DPOD_API_URL: emulator.url,
    DPOD_TOKEN_URL: emulator.tokenUrl,
    DPOD_CLIENT_ID: appOwner.clientId,
    DPOD_CLIENT_SECRET: appOwner.clientSecret,
    DPOD_USERS_CLIENT_SECRET: spAdmin.clientSecret,
  };
  secrets = [appOwner.clientSecret, spAdmin.clientSecret];
  // an object of every kind to compare with its GET (the seed has users and credentials, no group)
  const setup = new DpodClient(
    { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, ...appOwner },
    { debug: false },
  );
  const group = await setup.subscriberGroups.create({ name: "doctor-ops", description: "for the doctor" });
  await setup.close();
  ids = [
    child.id,
    sp.id,
    appOwner.clientId,
    spAdmin.clientId,
    child.primaryAdmin.id,
    child.primaryAdmin.username,
    ...child.credentials.map((c) => c.clientId),
    group.id,
  ];
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(async () => {
  clearTokenCache();
  await resetRequestLog(emulator);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
}

/** Sends through the client's transport, changing each JSON answer with `rewrite` (a DPoD that differs). */
function rewritingSender(rewrite: (body: Record<string, unknown>, path: string) => void): () => Sender {
  return () => {
    const transport = new Transport({
      maxConnectionsPerOrigin: 2,
      requestTimeoutMs: 10_000,
      limiter: sharedLimiter(2),
    });
    return {
      send: async (request) => {
        const response = await transport.send(request);
        try {
          const body = JSON.parse(response.bodyText) as Record<string, unknown>;
          rewrite(body, request.path);
          return { ...response, bodyText: JSON.stringify(body) };
        } catch {
          return response;
        }
      },
      close: () => transport.close(),
    };
  };
}

async function doctor(
  args: string[],
  overrides: Partial<CommandIo> & { sender?: () => Sender } = {},
): Promise<Run> {
  const run: Run = { code: -1, stdout: "", stderr: "", files: {} };
  const io = {
    ...processIo,
    env,
    stdout: (text: string) => (run.stdout += text),
    stderr: (text: string) => (run.stderr += text),
    writeFile: (file: string, text: string) => (run.files[file] = text),
    ...overrides,
  } as CommandIo;
  run.code = await runPulumiDpod(["doctor", ...args], io);
  return run;
}

const users = () => ["--users-client-id", usersClientId, "--tenant-id", childTenantId];

it("reports the connection, each kind and each assumption, and exits 0 when everything holds", async () => {
  const run = await doctor(users());
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Token endpoint\s+ok \(200\)/);
  expect(run.stdout).toMatch(/Role\s+dpod\.tenant\.api_appowner/);
  expect(run.stdout).toMatch(/Proxy\s+none \(direct connection\)/);
  expect(run.stdout).toMatch(/Users credential\s+ok \(200\); role dpod\.tenant\.api_spadmin/);
  expect(run.stdout).toMatch(
    /users\s+all but sendUserVerification\s+ok \(200\)\s+ok \(200\)\s+same\s+yes\s+0, yes, 100/,
  );
  expect(run.stdout).toMatch(/subscriberGroups\s+all 5\s+ok \(200\)\s+ok \(200\)\s+same\s+yes\s+0, yes, 100/);
  expect(run.stdout).toContain("0 contradicted");
});

it("sends only token requests and GETs", async () => {
  await doctor(users());
  const routes = Object.keys(calledRoutes(await requestCounts(emulator)));
  expect(routes.length).toBeGreaterThan(5);
  for (const route of routes) expect(route).toMatch(/^(GET \/v1\/|POST \/oauth\/v1\/token$)/);
});

it("--json gives the same report as data: per kind the matrix, the reads, the field comparison and paging", async () => {
  const run = await doctor([...users(), "--json", "--keep-ids"]);
  const report = JSON.parse(run.stdout) as DoctorReport;
  expect(report.exitCode).toBe(0);
  expect(report.connection).toMatchObject({
    role: ["dpod.tenant.api_appowner"],
    tenantId: childTenantId,
  });
  // the emulator's clock is this machine's; Date has a resolution of one second
  expect(Math.abs(report.connection.clockSkewSeconds!)).toBeLessThanOrEqual(1);
  const usersKind = report.kinds.find((k) => k.kind === "users")!;
  expect(usersKind).toMatchObject({
    credential: "users",
    reads: { list: "ok (200)", get: "ok (200)" },
    createdAtReported: true,
    paging: { firstPageNumber: 0, totalPagesReported: true, sizeCap: 100 },
  });
  expect(usersKind.listedVersusGet!.missing).toEqual([]);
  expect(usersKind.allowedByScopeMatrix).toContain("listUsers");
  // without the users credential, the tenant credential's role may not list users, and DPoD agrees
  const tenantOnly = JSON.parse((await doctor(["--json"])).stdout) as DoctorReport;
  expect(tenantOnly.kinds.find((k) => k.kind === "users")).toMatchObject({
    allowedByScopeMatrix: [],
    reads: { list: "refused (403)" },
  });
  expect(tenantOnly.findings.find((f) => f.id === "scope-matrix/users")!.status).toBe("confirmed");
});

it("no secret, token or id reaches any output, in any format; --keep-ids keeps the ids", async () => {
  const runs = [
    await doctor([...users(), "--report", "report.json"]),
    await doctor([...users(), "--json"]),
    await doctor(["--client-id", env.DPOD_CLIENT_ID!, "--report", "r.json", "--json"]),
  ];
  const everything = runs.map((r) => [r.stdout, r.stderr, ...Object.values(r.files)].join("\n")).join("\n");
  expect(everything).toMatch(/<id-\d+>/);
  for (const value of [...secrets, ...ids]) expect(everything).not.toContain(value);
  expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]+\./); // no JWT
  expect(everything).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/); // no UUID of any kind
  expect(JSON.parse(runs[0]!.files["report.json"]!)).toMatchObject({
    tool: "pulumi-dpod doctor",
    exitCode: 0,
  });

  const kept = await doctor([...users(), "--report", "kept.json", "--keep-ids"]);
  expect(kept.files["kept.json"]).toContain(childTenantId);
  for (const secret of secrets) expect(kept.files["kept.json"] + kept.stdout).not.toContain(secret);
});

it("exits 1 and names the contradiction when DPoD differs (here: no createdAt anywhere)", async () => {
  const run = await doctor(users(), {
    sender: rewritingSender((body) => {
      delete body.createdAt;
      for (const item of Array.isArray(body.content) ? body.content : [])
        delete (item as Record<string, unknown>).createdAt;
    }),
  });
  expect(run.code).toBe(1);
  const contradicted = [...run.stdout.matchAll(/^(\S+)\s+CONTRADICTED/gm)].map((m) => m[1]);
  expect(contradicted).toEqual(["created-at/subscriberGroups", "created-at/credentials", "created-at/users"]);
  expect(run.stdout).toContain("A missing createdAt proves nothing");
  expect(run.stdout).toContain("Reproduce locally: dpod-emulator --dialect no-created-at");
});

it("exits 2 for bad arguments and settings, before any request", async () => {
  expect((await doctor(["--tenant-id", "not-a-uuid"])).code).toBe(2);
  expect((await doctor(["--colour"])).code).toBe(2);
  const noUrl = await doctor([], { env: { ...env, DPOD_API_URL: undefined } });
  expect(noUrl.code).toBe(2);
  expect(noUrl.stderr).toContain("DPOD_API_URL");
  const noUsersSecret = await doctor(users(), { env: { ...env, DPOD_USERS_CLIENT_SECRET: undefined } });
  expect(noUsersSecret.code).toBe(2);
  expect(noUsersSecret.stderr).toContain("DPOD_USERS_CLIENT_SECRET");
  const badProxy = await doctor([], { env: { ...env, HTTPS_PROXY: "http://user:pw-secret-1@[oops" } });
  expect(badProxy.code).toBe(2);
  expect(badProxy.stderr).toContain("HTTPS_PROXY");
  expect(badProxy.stderr).not.toContain("pw-secret-1");
  expect((await requestCounts(emulator)).total).toBe(0);
});

it("exits 1 when the token endpoint refuses the credential, without echoing the secret", async () => {
  const run = await doctor([], { env: { ...env, DPOD_CLIENT_SECRET: "wrong-secret-value-9" } });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/Token endpoint\s+refused \(401\)/);
  expect(run.stdout + run.stderr).not.toContain("wrong-secret-value-9");
});

it("exits 1 when the users credential obtains no token, and says its users were not judged", async () => {
  const run = await doctor(users(), { env: { ...env, DPOD_USERS_CLIENT_SECRET: "wrong-users-secret-7" } });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/Users credential\s+refused \(401\)/);
  expect(run.stdout).toContain("No token for the users credential (--users-client-id)");
  expect(run.stdout + run.stderr).not.toContain("wrong-users-secret-7");
  const json = JSON.parse(
    (await doctor([...users(), "--json"], { env: { ...env, DPOD_USERS_CLIENT_SECRET: "x" } })).stdout,
  ) as DoctorReport;
  expect(json).toMatchObject({
    exitCode: 1,
    unusableCredentials: ["the users credential (--users-client-id)"],
  });
});

it("with a static access token (DPOD_ACCESS_TOKEN) it reads with that token and says the token endpoint was not used", async () => {
  const child = emulator.tenants.find((t) => t.kind === "tenant")!;
  const token = await userToken(emulator, child.primaryAdmin.id);
  const run = await doctor([], {
    env: { DPOD_API_URL: emulator.url, DPOD_TOKEN_URL: emulator.tokenUrl, DPOD_ACCESS_TOKEN: token },
  });
  expect(run.stdout).toMatch(/Token endpoint\s+not used \(a static access token/);
  expect(run.stdout).toMatch(/Role\s+dpod\.tenant\.admin/);
  expect(run.stdout).toMatch(/subscriberGroups\s+all 5\s+ok \(200\)/);
  expect(run.stdout + run.stderr).not.toContain(token);
  expect((await requestCounts(emulator)).byRoute["POST /oauth/v1/token"] ?? 0).toBe(0);
});
