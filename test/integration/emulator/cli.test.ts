import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EmulatorTenant } from "dpod-emulator";
import { makeTestCertificates } from "../../helpers/test-ca";

const REPOSITORY_ROOT = resolve(__dirname, "../../..");

interface CliStart {
  child: ChildProcessWithoutNullStreams;
  printed: { url: string; tokenUrl: string; adminKey: string; tenants: EmulatorTenant[] };
  /** Everything the process wrote to stdout so far. */
  stdout: () => string;
}

/** Runs the CLI from source through ts-node and waits for its one JSON line. */
function startCli(args: string[]): Promise<CliStart> {
  const child = spawn(process.execPath, ["-r", "ts-node/register", "emulator/cli.ts", ...args], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline >= 0) {
        try {
          resolvePromise({ child, printed: JSON.parse(stdout.slice(0, newline)), stdout: () => stdout });
        } catch (error) {
          reject(error);
        }
      }
    });
    child.on("exit", (code) => reject(new Error(`CLI exited early with ${code}: ${stderr}`)));
  });
}

function stop(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolvePromise) => {
    child.on("exit", (code) => resolvePromise(code));
    child.kill(signal);
  });
}

describe("dpod-emulator CLI", () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "dpod-emulator-cli-"));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("prints exactly one JSON line, serves, keeps state across restarts and exits 0 on SIGTERM and SIGINT", async () => {
    const statePath = join(directory, "state.json");
    const first = await startCli(["--port", "0", "--host", "127.0.0.1", "--state", statePath]);
    const { printed } = first;
    expect(Object.keys(printed)).toEqual(["url", "tokenUrl", "adminKey", "tenants"]);
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed.tokenUrl).toBe(`${printed.url}/oauth/v1/token`);
    expect(printed.tenants.map((tenant) => tenant.kind)).toEqual(["service-provider", "tenant"]);

    const credential = printed.tenants[0]!.credentials[0]!;
    const tokenResponse = await fetch(printed.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: credential.clientId,
        client_secret: credential.clientSecret,
      }),
    });
    expect(tokenResponse.status).toBe(200);

    expect(await stop(first.child, "SIGTERM")).toBe(0);
    expect(first.stdout().trim().split("\n")).toHaveLength(1);

    const second = await startCli(["--port", "0", "--state", statePath]);
    expect(second.printed.tenants).toEqual(printed.tenants);
    expect(await stop(second.child, "SIGINT")).toBe(0);
  });

  /** Runs the CLI with arguments it must refuse; resolves to its exit code, stdout and stderr. */
  async function runRefused(
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ["-r", "ts-node/register", "emulator/cli.ts", ...args], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolvePromise) => child.on("exit", resolvePromise));
    return { code, stdout, stderr };
  }

  it("exits 2 with usage on bad arguments", async () => {
    const refused = await runRefused(["--port", "x"]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
  });

  it("answers in the dialects of --dialect (comma-separated and repeated)", async () => {
    const started = await startCli([
      "--port",
      "0",
      "--dialect",
      "no-created-at,create-status-201",
      "--dialect",
      "duplicate-400",
    ]);
    try {
      const { url, adminKey } = started.printed;
      const answer = await fetch(`${url}/_emulator/dialects`, {
        headers: { "x-emulator-admin-key": adminKey },
      });
      expect(((await answer.json()) as { active: string[] }).active).toEqual([
        "no-created-at",
        "create-status-201",
        "duplicate-400",
      ]);
      const credential = started.printed.tenants[1]!.credentials[0]!;
      const token = (await (
        await fetch(started.printed.tokenUrl, {
          method: "POST",
          body: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: credential.clientId,
            client_secret: credential.clientSecret,
          }),
        })
      ).json()) as { access_token: string };
      const created = await fetch(`${url}/v1/credentials/clients`, {
        method: "POST",
        headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "from-cli", role: "dpod.tenant.api_appowner" }),
      });
      expect(created.status).toBe(201);
      expect(await created.json()).not.toHaveProperty("createdAt");
    } finally {
      expect(await stop(started.child, "SIGTERM")).toBe(0);
    }
  });

  it("exits 2 naming the valid dialects for an unknown --dialect, and for contradicting ones", async () => {
    const unknown = await runRefused(["--dialect", "summary-lists,no-createdAt"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toMatch(/Unknown dialect 'no-createdAt'; valid dialects are no-created-at, /);
    const contradicting = await runRefused([
      "--dialect",
      "error-body-text",
      "--dialect",
      "error-body-nested",
    ]);
    expect(contradicting.code).toBe(2);
    expect(contradicting.stderr).toMatch(/contradict each other/);
  });

  it("serves HTTPS with --tls-cert and --tls-key, and refuses one without the other", async () => {
    const certificates = await makeTestCertificates(["127.0.0.1"]);
    const cert = join(directory, "cert.pem");
    const key = join(directory, "key.pem");
    writeFileSync(cert, certificates.cert);
    writeFileSync(key, certificates.key);
    const started = await startCli(["--port", "0", "--tls-cert", cert, "--tls-key", key]);
    try {
      expect(started.printed.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(started.printed.tokenUrl).toBe(`${started.printed.url}/oauth/v1/token`);
      // the certificate served is the one given: trusted through its CA, the token endpoint answers
      const status = await new Promise<number | undefined>((resolvePromise, reject) => {
        const url = new URL(started.printed.tokenUrl);
        const request = httpsRequest(url, { method: "POST", ca: certificates.caCert }, (response) => {
          response.resume();
          resolvePromise(response.statusCode);
        });
        request.on("error", reject);
        request.end();
      });
      expect(status).toBe(400); // no form: refused by the emulator, over TLS
    } finally {
      await stop(started.child, "SIGTERM");
    }
    const alone = await runRefused(["--tls-cert", cert]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--tls-cert and --tls-key go together");
  });
});
