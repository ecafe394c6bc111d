import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { EmulatorTenant } from "dpod-emulator";

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

  it("exits 2 with usage on bad arguments", async () => {
    const child = spawn(process.execPath, ["-r", "ts-node/register", "emulator/cli.ts", "--port", "x"], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolvePromise) => child.on("exit", resolvePromise));
    expect(code).toBe(2);
    expect(stdout).toBe("");
  });
});
