/**
 * Records the stack state of this release as a fixture, for the compatibility test
 * (test/e2e/recorded-state.test.ts) that every later release must pass: the state written now (each
 * resource's `__provider` text, inputs and outputs) must refresh, update and destroy with later code.
 *
 *   npm run record:state-fixture            # writes test/fixtures/recorded-state/<package version>/
 *
 * Run it once per release, before publishing, and commit the directory. It runs the program in
 * scripts/state-fixture with the real engine against an emulator whose state file is kept beside the stack
 * export, so the objects the state names exist when the test loads both. The connection comes from the
 * environment (DPOD_*), so no URL with a port is recorded; the user's per-resource connection and the
 * passwords are stack-config secrets, encrypted with the test harness's passphrase. All credentials are
 * the emulator's throwaway ones.
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "dpod-emulator";
import { credentialOf, seedOf } from "../test/helpers/emulator-seed";
import { ensureEngine, repositoryRoot } from "./lib/engine";
import { installProgramWorkspace } from "./lib/program-workspace";
import { PulumiStack } from "./lib/pulumi-cli";

export const FIXTURE_STACK = "fixture";
export const FIXTURES_DIR = path.join(repositoryRoot, "test", "fixtures", "recorded-state");

async function main(): Promise<void> {
  const { version } = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
    version: string;
  };
  const target = path.join(FIXTURES_DIR, version);
  if (existsSync(target) && !process.argv.includes("--force")) {
    throw new Error(`${target} exists; a release's fixture is recorded once (pass --force to replace it)`);
  }
  ensureEngine();
  const scratch = mkdtempSync(path.join(os.tmpdir(), "pulumi-dpod-fixture-"));
  const workspace = path.join(scratch, "workspace");
  installProgramWorkspace(workspace, (line) => console.log(line));
  const projectDir = path.join(workspace, "program");
  cpSync(path.join(repositoryRoot, "scripts", "state-fixture"), projectDir, { recursive: true });

  const emulatorState = path.join(scratch, "emulator-state.json");
  const emulator = await startEmulator({ statePath: emulatorState });
  const { tenant, serviceProvider } = seedOf(emulator);
  const appOwner = credentialOf(tenant, "dpod.tenant.api_appowner");
  const spAdmin = credentialOf(serviceProvider, "dpod.tenant.api_spadmin");
  const stack = await PulumiStack.create({
    projectDir,
    stackName: FIXTURE_STACK,
    env: {
      DPOD_API_URL: emulator.url,
      DPOD_TOKEN_URL: emulator.tokenUrl,
      DPOD_CLIENT_ID: appOwner.clientId,
      DPOD_CLIENT_SECRET: appOwner.clientSecret,
    },
  });
  try {
    await stack.setConfig("tenantId", tenant.id);
    await stack.setConfig("spClientId", spAdmin.clientId);
    await stack.setConfig("spClientSecret", spAdmin.clientSecret, { secret: true });
    await stack.setConfig("alicePassword", "Recorded-State-Password-1", { secret: true });
    const up = await stack.up();
    if (up.code !== 0) throw new Error(`pulumi up failed:\n${up.stdout}\n${up.stderr}`);
    const exported = await stack.exportText();
    await emulator.close(); // the state file is complete once the emulator has stopped

    mkdirSync(target, { recursive: true });
    cpSync(path.join(repositoryRoot, "scripts", "state-fixture"), path.join(target, "program"), {
      recursive: true,
    });
    copyFileSync(
      path.join(projectDir, `Pulumi.${FIXTURE_STACK}.yaml`),
      path.join(target, "program", `Pulumi.${FIXTURE_STACK}.yaml`),
    );
    writeFileSync(path.join(target, "stack.json"), exported);
    copyFileSync(emulatorState, path.join(target, "emulator-state.json"));
    console.log(`recorded the state of ${version} in ${path.relative(repositoryRoot, target)}`);
  } finally {
    stack.dispose();
    await emulator.close().catch(() => undefined);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
