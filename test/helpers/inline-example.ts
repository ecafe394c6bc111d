/**
 * The scenario both Automation API examples (examples/python, examples/go) pass on the real engine: each
 * example is a runner (up, preview, outputs, destroy) around an inline program, run here as a child
 * process in a scratch working directory with the offline Pulumi environment, the native plugin wired by
 * path from the e2e workspace, and the emulator's seed credentials in the environment.
 *
 * Asserted, per the examples' promise: up and preview pass the policy pack (pulumi-dpod-policies, default
 * configuration) without a finding; up creates the group, the user and the credential (one API call
 * each, the credential's rename after its create aside, one token per provider instance); `preview
 * --refresh` reads each once and finds nothing to change; the exported secret is a secret output and
 * `pulumi stack export` (run here with the CLI: the Automation API's own export decrypts) holds no plaintext secret; a trigger change resets the secret (the old one
 * refused by the token endpoint, the new one accepted); destroy leaves the tenant as it was.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { engineBinDir } from "../../scripts/lib/engine";
import { offlinePulumiEnvironment } from "../../scripts/lib/pulumi-cli";
import { calledRoutes, requestCounts, resetRequestLog, tokenRequestStatus } from "./emulator-admin";
import { credentialOf, seedOf } from "./emulator-seed";
import { e2eWorkspaceDir } from "./e2e-workspace";
import { policyPackArgs, policyPackOutcome } from "./policy-pack";

/** How to start the example's runner: an executable and the arguments before the runner's own. */
export interface InlineRunner {
  executable: string;
  args: string[];
}

export interface RunnerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where and how a runner runs: its working directory, its environment, the values no output may show. */
export interface InlineRunContext {
  runner: InlineRunner;
  workDir: string;
  env: NodeJS.ProcessEnv;
  hidden: string[];
}

/**
 * Runs the runner with one command and its flags, the native plugin wired by path and the engine from the
 * e2e workspace; the emulator keeps serving meanwhile (asynchronous). The command goes last: Go's flag
 * package stops at the first argument that is not a flag. Each hidden value reads "[secret]" in the result.
 */
export function runInline(
  context: InlineRunContext,
  command: string,
  ...flags: string[]
): Promise<RunnerResult> {
  const { runner, workDir, env, hidden } = context;
  const pluginDir = path.join(e2eWorkspaceDir(), "node_modules", ".bin");
  const pulumiRoot = path.dirname(engineBinDir());
  const child = spawn(
    runner.executable,
    [...runner.args, "--plugin-dir", pluginDir, "--pulumi-root", pulumiRoot, ...flags, command],
    { cwd: workDir, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      const hide = (text: string) => hidden.reduce((t, s) => t.split(s).join("[secret]"), text);
      resolve({ code: code ?? 1, stdout: hide(stdout), stderr: hide(stderr) });
    });
  });
}

/**
 * `pulumi stack export` (of stack dev, or the one named) in a runner's working directory: the state as
 * stored, secrets encrypted unless showSecrets (the Automation API's own export always decrypts).
 */
export function exportStackText(
  workDir: string,
  env: NodeJS.ProcessEnv,
  options: { stack?: string; showSecrets?: boolean } = {},
): Promise<string> {
  const args = [
    "stack",
    "export",
    "--stack",
    options.stack ?? "dev",
    ...(options.showSecrets ? ["--show-secrets"] : []),
  ];
  const child = spawn(path.join(engineBinDir(), "pulumi"), args, {
    cwd: workDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`pulumi stack export exited ${code}\n${stderr}`)),
    );
  });
}

/**
 * Defines the scenario's tests; prepare() makes the runner (installs or compiles it) once, in beforeAll,
 * and may put files in scratchDir, which is removed afterwards.
 */
export function describeInlineExample(language: string, prepare: (scratchDir: string) => InlineRunner): void {
  describe(`the ${language} example, inline through the Automation API and the native plugin`, () => {
    let emulator: RunningEmulator;
    let appOwner: DpodClient;
    let spAdmin: DpodClient;
    let tenantId: string;
    let seedSecrets: string[];
    let tenantBefore: string[];
    let runner: InlineRunner;
    let scratch: string;
    let env: NodeJS.ProcessEnv;

    async function tenantObjects(): Promise<string[]> {
      const ids: string[] = [];
      for await (const group of appOwner.subscriberGroups.list()) ids.push(`group:${group.id}`);
      for await (const credential of appOwner.credentials.list())
        ids.push(`credential:${credential.clientId}`);
      for await (const user of spAdmin.users.list({ tenantId })) ids.push(`user:${user.id}`);
      return ids.sort();
    }

    const run = (command: string, ...flags: string[]) =>
      runInline({ runner, workDir: path.join(scratch, "work"), env, hidden: seedSecrets }, command, ...flags);

    async function runOk(command: string, ...flags: string[]): Promise<string> {
      const result = await run(command, ...flags);
      if (result.code !== 0) {
        throw new Error(
          `${language} runner ${command} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
        );
      }
      return result.stdout;
    }

    const exportText = () => exportStackText(path.join(scratch, "work"), env);

    async function outputs(showSecrets = false): Promise<Record<string, unknown>> {
      const text = await runOk("outputs", ...(showSecrets ? ["--show-secrets"] : []));
      return JSON.parse(text) as Record<string, unknown>;
    }

    beforeAll(async () => {
      emulator = await startEmulator();
      const { tenant, serviceProvider } = seedOf(emulator);
      tenantId = tenant.id;
      const tenantCredential = credentialOf(tenant, "dpod.tenant.api_appowner");
      const spCredential = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
      seedSecrets = [tenantCredential.clientSecret, spCredential.clientSecret];
      const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
      appOwner = new DpodClient({ ...base, ...tenantCredential });
      spAdmin = new DpodClient({ ...base, ...spCredential });
      tenantBefore = await tenantObjects();

      scratch = mkdtempSync(path.join(os.tmpdir(), `pulumi-dpod-${language.toLowerCase()}-`));
      mkdirSync(path.join(scratch, "work"));
      env = {
        ...process.env,
        ...offlinePulumiEnvironment(scratch),
        // The default provider: the tenant's api_appowner credential, from the provider's environment.
        DPOD_API_URL: emulator.url,
        DPOD_TOKEN_URL: emulator.tokenUrl,
        DPOD_CLIENT_ID: tenantCredential.clientId,
        DPOD_CLIENT_SECRET: tenantCredential.clientSecret,
        // The program's config, which the runner stores in the stack (the secret as a secret).
        DPOD_SP_CLIENT_ID: spCredential.clientId,
        DPOD_SP_CLIENT_SECRET: spCredential.clientSecret,
        DPOD_TENANT_ID: tenantId,
        DPOD_ROTATION: "2026Q4",
      };
      runner = prepare(scratch);
    });

    afterAll(async () => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
      await appOwner?.close();
      await spAdmin?.close();
      await emulator?.close();
    });

    it("creates the three objects with one call each, one token per provider instance", async () => {
      await resetRequestLog(emulator);
      // With the policy pack and its default configuration: it runs and finds nothing.
      const created = await run("up", ...policyPackArgs());
      expect({ code: created.code, pack: policyPackOutcome({ command: "up", ...created }) }).toEqual({
        code: 0,
        pack: { ran: true, findings: [] },
      });
      expect(calledRoutes(await requestCounts(emulator))).toEqual({
        "POST /oauth/v1/token": 2,
        "POST /v1/subscriber_groups": 1,
        "POST /v1/users": 1,
        "GET /v1/credentials/clients": 1,
        // The credential is created under a temporary name, then renamed (client-credential/handler.ts).
        "POST /v1/credentials/clients": 1,
        "PATCH /v1/credentials/clients/:id": 1,
      });
      const shown = await outputs();
      expect(shown.ciClientSecret).toBe("[secret]");
      const user = await spAdmin.users.get(String(shown.aliceUserId), { tenantId });
      expect(user.username).toBe("alice@example.com");
      expect(user.subscriberGroups).toEqual([shown.opsGroupId]);
      const group = await appOwner.subscriberGroups.get(String(shown.opsGroupId));
      expect(group.description).toBe("Operations");
      const credential = await appOwner.credentials.get(String(shown.ciClientId));
      expect(credential.name).toBe("ci-pipeline");
    });

    it("finds nothing to change on preview --refresh, reading each object once", async () => {
      await resetRequestLog(emulator);
      const previewed = await run("preview", ...policyPackArgs());
      expect({ code: previewed.code, pack: policyPackOutcome({ command: "preview", ...previewed }) }).toEqual(
        {
          code: 0,
          pack: { ran: true, findings: [] },
        },
      );
      const summary = JSON.parse(previewed.stdout) as Record<string, number>;
      expect(Object.keys(summary)).toEqual(["same"]);
      expect(calledRoutes(await requestCounts(emulator))).toEqual({
        "POST /oauth/v1/token": 2,
        "GET /v1/subscriber_groups/:id": 1,
        "GET /v1/users/:id": 1,
        "GET /v1/credentials/clients/:id": 1,
      });
    });

    it("keeps every secret out of the state", async () => {
      const ciSecret = String((await outputs(true)).ciClientSecret);
      expect(ciSecret.length).toBeGreaterThan(8);
      const text = await exportText();
      expect(text).toContain('"ciphertext"');
      for (const value of [ciSecret, ...seedSecrets]) expect(text).not.toContain(value);
    });

    it("resets the secret when the trigger changes: the old one refused, the new one accepted", async () => {
      const before = await outputs(true);
      env.DPOD_ROTATION = "2027Q1";
      await resetRequestLog(emulator);
      await runOk("up");
      expect(calledRoutes(await requestCounts(emulator))).toEqual({
        "POST /oauth/v1/token": 1,
        "POST /v1/credentials/clients/:id/resetSecret": 1,
      });
      const after = await outputs(true);
      expect(after.ciClientId).toBe(before.ciClientId);
      expect(after.ciClientSecret).not.toBe(before.ciClientSecret);
      const clientId = String(before.ciClientId);
      expect(await tokenRequestStatus(emulator, clientId, String(before.ciClientSecret))).toBe(401);
      expect(await tokenRequestStatus(emulator, clientId, String(after.ciClientSecret))).toBe(200);
      expect(await exportText()).not.toContain(String(after.ciClientSecret));
      expect(await outputs()).toMatchObject({ ciClientSecret: "[secret]" });
    });

    it("destroys everything, leaving the tenant as it was", async () => {
      await runOk("destroy");
      expect(await tenantObjects()).toEqual(tenantBefore);
    });
  });
}
