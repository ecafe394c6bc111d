// `npx pulumi-dpod doctor` as users run it (the package installed from its tarball in the e2e workspace):
// against the emulator in each dialect, it names exactly the dialect switched on (those only a write could
// show leave it at exit 0, listed as not testable); and over HTTPS with a private CA, through a proxy,
// trusted through NODE_EXTRA_CA_CERTS.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { startForwardProxy } from "../../scripts/lib/forward-proxy";
import { DIALECT_NAMES } from "../../emulator/dialects";
import { credentialOf, seedOf } from "../helpers/emulator-seed";
import { e2eWorkspaceDir, workspaceScratchDir } from "../helpers/e2e-workspace";
import { makeTestCertificates } from "../helpers/test-ca";

const run = promisify(execFile);

interface DoctorRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the installed `pulumi-dpod doctor` with only the environment given (and PATH). */
async function doctor(args: string[], env: Record<string, string>): Promise<DoctorRun> {
  const bin = path.join(e2eWorkspaceDir(), "node_modules", ".bin", "pulumi-dpod");
  try {
    const { stdout, stderr } = await run(bin, ["doctor", ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return {
      code: typeof failed.code === "number" ? failed.code : -1,
      stdout: failed.stdout,
      stderr: failed.stderr,
    };
  }
}

interface Connection {
  env: Record<string, string>;
  args: string[];
  secrets: string[];
}

/** The doctor's connection to an emulator: the child tenant's app owner, users through the SP admin. */
async function connectionTo(emulator: RunningEmulator, url = emulator.url): Promise<Connection> {
  const { tenant, serviceProvider } = seedOf(emulator);
  const appOwner = credentialOf(tenant, "dpod.tenant.api_appowner");
  const spAdmin = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
  return {
    env: {
      DPOD_API_URL: url,
      DPOD_TOKEN_URL: `${url}/oauth/v1/token`,
      DPOD_CLIENT_ID: appOwner.clientId,
      DPOD_CLIENT_SECRET: appOwner.clientSecret,
      DPOD_USERS_CLIENT_SECRET: spAdmin.clientSecret,
    },
    args: ["--users-client-id", spAdmin.clientId, "--tenant-id", tenant.id],
    secrets: [appOwner.clientSecret, spAdmin.clientSecret],
  };
}

/** An object of every kind to compare: the seed has users and credentials, not a subscriber group. */
async function seedGroup(emulator: RunningEmulator): Promise<void> {
  const appOwner = credentialOf(seedOf(emulator).tenant, "dpod.tenant.api_appowner");
  const client = new DpodClient(
    { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, ...appOwner },
    { debug: false },
  );
  try {
    await client.subscriberGroups.create({ name: "doctor-ops", description: "Operations" });
  } finally {
    await client.close();
  }
}

interface JsonReport {
  exitCode: number;
  findings: Array<{ id: string; status: string; dialect?: string }>;
  connection: { proxy: { api: string; token: string }; tokenEndpoint: string };
}

/** Dialects only a write can reveal: doctor reports them as not testable and exits 0. */
const WRITE_ONLY = ["create-status-200", "create-status-201", "duplicate-400"];

describe("pulumi-dpod doctor against the emulator in each dialect", () => {
  it("with no dialect, everything holds (exit 0)", async () => {
    const emulator = await startEmulator();
    try {
      await seedGroup(emulator);
      const { env, args } = await connectionTo(emulator);
      const result = await doctor([...args, "--json"], env);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report.findings.filter((f) => f.status === "contradicted")).toEqual([]);
    } finally {
      await emulator.close();
    }
  });

  it.each(DIALECT_NAMES)("%s: the report names exactly that dialect", async (dialect) => {
    const emulator = await startEmulator({ dialects: [dialect] });
    try {
      await seedGroup(emulator);
      const { env, args, secrets } = await connectionTo(emulator);
      const result = await doctor([...args, "--json"], env);
      for (const secret of secrets) expect(result.stdout + result.stderr).not.toContain(secret);
      const report = JSON.parse(result.stdout) as JsonReport;
      const contradicted = report.findings.filter((f) => f.status === "contradicted");
      if (WRITE_ONLY.includes(dialect)) {
        expect(contradicted).toEqual([]);
        expect(result.code).toBe(0);
        expect(report.findings.filter((f) => f.status === "not-testable").map((f) => f.id)).toEqual(
          expect.arrayContaining(["create-status", "duplicate-conflict"]),
        );
      } else {
        expect(result.code).toBe(1);
        expect(contradicted.length).toBeGreaterThan(0);
        expect([...new Set(contradicted.map((f) => f.dialect))]).toEqual([dialect]);
      }
    } finally {
      await emulator.close();
    }
  });
});

describe("pulumi-dpod doctor over HTTPS with a private CA, through a proxy", () => {
  const HOST = "dpod.test";
  const PROXY_PASSWORD = "Proxy-Pa55-doctor";
  let emulator: RunningEmulator;
  let proxy: Awaited<ReturnType<typeof startForwardProxy>>;
  let caFile: string;
  let connection: Connection;

  beforeAll(async () => {
    const certificates = await makeTestCertificates([HOST]);
    caFile = path.join(workspaceScratchDir("doctor-ca"), "ca.pem");
    writeFileSync(caFile, certificates.caCert);
    emulator = await startEmulator({ tls: { cert: certificates.cert, key: certificates.key } });
    proxy = await startForwardProxy({ map: { [HOST]: "127.0.0.1" }, credentials: `corp:${PROXY_PASSWORD}` });
    connection = await connectionTo(emulator, `https://${HOST}:${new URL(emulator.url).port}`);
  });

  afterAll(async () => {
    await proxy?.stop();
    await emulator?.close();
  });

  const proxyUrl = () => `http://corp:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`;

  it("trusting the CA through NODE_EXTRA_CA_CERTS, it reaches DPoD through the proxy and names the proxy without its password", async () => {
    proxy.seen.length = 0;
    const result = await doctor(connection.args, {
      ...connection.env,
      HTTPS_PROXY: proxyUrl(),
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Proxy\s+http:\/\/\[REDACTED\]@127\.0\.0\.1:\d+ \(from HTTPS_PROXY\)/);
    expect(result.stdout).toMatch(/Token endpoint\s+ok \(200\)/);
    expect(result.stdout).not.toContain(PROXY_PASSWORD);
    for (const secret of connection.secrets) expect(result.stdout).not.toContain(secret);
    await proxy.waitFor(1);
    expect(proxy.seen.every((s) => s.method === "CONNECT" && s.target.startsWith(`${HOST}:`))).toBe(true);
  });

  it("without the CA, the certificate is refused and the report says so (exit 1)", async () => {
    const result = await doctor(connection.args, { ...connection.env, HTTPS_PROXY: proxyUrl() });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Token endpoint\s+failed: .*(certificate|UNABLE_TO_VERIFY|SELF_SIGNED)/i);
    expect(result.stdout).not.toContain(PROXY_PASSWORD);
  });
});
