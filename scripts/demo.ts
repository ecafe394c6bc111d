/**
 * `npm run demo`: the main job of pulumi-dpod, end to end, on the DPoD emulator.
 *
 * Builds (or reuses) the Pulumi engine, installs pulumi-dpod from its tarball into a scratch program
 * workspace, starts the emulator (the dpod-emulator workspace package) in this process, and runs the root
 * Pulumi.yaml program (the quickstart) through the life of a tenant repository: create, a clean drift
 * check, an out-of-band change and its detection, the repair, an edit that breaks a policy of the policy
 * pack (refused at preview, before any API call), a secret rotation through a trigger, and destroy. Every step checks its outcome; the process exits 0 only if all of them behaved as expected,
 * and leaves no process behind.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "dpod-emulator";
import { DpodClient, DpodApiError, type ConnectionSettings } from "../provider";
import { ensureEngine, repositoryRoot } from "./lib/engine";
import { emulatorAdmin } from "./lib/emulator-process";
import { installedPolicyPack, installProgramWorkspace } from "./lib/program-workspace";
import { PulumiStack, type PulumiResult } from "./lib/pulumi-cli";
import { driftSummary } from "./lib/preview-output";
import { configureForSeed, seedCredentials, type SeedCredentials } from "./lib/seeded-stack-config";

class DemoStepFailed extends Error {}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function expectStep(condition: boolean, what: string, result?: PulumiResult): void {
  if (condition) return;
  const detail = result
    ? `\n--- ${result.command} (exit ${result.code}) ---\n${result.stdout}\n${result.stderr}`
    : "";
  throw new DemoStepFailed(`${what}${detail}`);
}

/** What the tenant holds, by id, so the end state can be compared with the start. */
async function snapshotTenant(
  appOwner: DpodClient,
  spAdmin: DpodClient,
  tenantId: string,
): Promise<string[]> {
  const ids: string[] = [];
  for await (const group of appOwner.subscriberGroups.list()) ids.push(`group:${group.id}`);
  for await (const credential of appOwner.credentials.list()) ids.push(`credential:${credential.clientId}`);
  for await (const user of spAdmin.users.list({ tenantId })) ids.push(`user:${user.id}`);
  return ids.sort();
}

/** True when the token endpoint grants a token for this credential. */
async function secretWorks(settings: ConnectionSettings): Promise<boolean> {
  const client = new DpodClient(settings, { maxAttempts: 1 });
  try {
    await client.grantedScopes();
    return true;
  } catch (error) {
    if (error instanceof DpodApiError && error.status === 401) return false;
    throw error;
  } finally {
    await client.close();
  }
}

async function runDemo(emulator: RunningEmulator, workspace: string): Promise<void> {
  let seed: SeedCredentials;
  try {
    seed = seedCredentials(emulator.tenants);
  } catch (error) {
    throw new DemoStepFailed((error as Error).message);
  }
  const { serviceProvider, tenant } = seed;
  const base = { apiUrl: emulator.url, tokenUrl: emulator.tokenUrl };
  const appOwner = new DpodClient({ ...base, ...seed.appOwner });
  const spAdmin = new DpodClient({ ...base, ...seed.spAdmin });

  try {
    say(
      `▸ DPoD emulator at ${emulator.url}: tenant "${tenant.name}" (${tenant.id}) under "${serviceProvider.name}"`,
    );
    const before = await snapshotTenant(appOwner, spAdmin, tenant.id);

    const projectDir = path.join(workspace, "dpod-quickstart");
    mkdirSync(path.join(projectDir, "examples"), { recursive: true });
    cpSync(path.join(repositoryRoot, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
    cpSync(
      path.join(repositoryRoot, "examples", "quickstart"),
      path.join(projectDir, "examples", "quickstart"),
      {
        recursive: true,
      },
    );

    const stack = await PulumiStack.create({ projectDir, stackName: "demo" });
    try {
      await configureForSeed(stack, emulator);
      await stack.setConfig("rotation", "2026Q4");

      const up = await stack.up();
      expectStep(up.code === 0, "pulumi up failed", up);
      const outputs = await stack.outputs();
      say("▸ pulumi up created the tenant objects:");
      say(`    subscriber group  ops          id ${String(outputs.opsGroupId)}`);
      say(`    user              alice        id ${String(outputs.aliceUserId)}`);
      say(
        `    client credential ci-pipeline  clientId ${String(outputs.ciClientId)}, secret ${String(outputs.ciClientSecret)}`,
      );
      expectStep(outputs.ciClientSecret === "[secret]", "the client secret output is not masked as a secret");

      const clean = await stack.preview(["--refresh", "--expect-no-changes"]);
      expectStep(clean.code === 0, "the drift check found changes on a freshly created stack", clean);
      say("▸ Drift check (pulumi preview --refresh --expect-no-changes): no drift");

      await appOwner.subscriberGroups.update(String(outputs.opsGroupId), { description: "changed by hand" });
      await spAdmin.users.update(
        String(outputs.aliceUserId),
        { phoneNumber: "+1 555 0100" },
        { tenantId: tenant.id },
      );
      say("▸ Out-of-band change through the API: the group's description and alice's phone number");

      const drift = await stack.preview(["--refresh", "--expect-no-changes"]);
      const drifted = driftSummary(drift.stdout);
      expectStep(drift.code !== 0, "the drift check did not fail after an out-of-band change", drift);
      expectStep(
        drifted.join(", ") === "alice (phoneNumber), ops (description)",
        `the drift check should name exactly alice's phoneNumber and ops's description, named: ${drifted.join(", ")}`,
        drift,
      );
      say(`▸ Drift check: fails as a CI job would, naming ${drifted.join(" and ")}`);

      const repair = await stack.up(["--refresh"]);
      expectStep(repair.code === 0, "the repair (pulumi up --refresh) failed", repair);
      const repaired = await stack.preview(["--refresh", "--expect-no-changes"]);
      expectStep(repaired.code === 0, "drift remains after the repair", repaired);
      const group = await appOwner.subscriberGroups.get(String(outputs.opsGroupId));
      expectStep(group.description === "Operations", "the group's description was not restored");
      say("▸ Repair (pulumi up --refresh): the tenant matches the program again");

      // An edit that drops the CI credential's rotation trigger breaks the pack's mandatory
      // dpod-credential-rotation: the preview must stop with the policy's message before any API call.
      const program = path.join(projectDir, "examples", "quickstart", "index.ts");
      const source = readFileSync(program, "utf8");
      const trigger = /^\s*rotationTriggers: .*\n/m;
      expectStep(trigger.test(source), "the quickstart program has no rotationTriggers line to remove");
      writeFileSync(program, source.replace(trigger, ""));
      await emulatorAdmin(emulator, "DELETE", "requests");
      const refused = await stack.preview(["--policy-pack", installedPolicyPack(workspace)]);
      const calls = ((await emulatorAdmin(emulator, "GET", "requests")) as { total: number }).total;
      writeFileSync(program, source);
      const message = 'ClientCredential "ci" never rotates its secret';
      expectStep(refused.code !== 0, "the policy pack did not refuse a credential without rotation", refused);
      expectStep(
        /\[mandatory\]\s+dpod-credential-rotation/.test(refused.stdout) && refused.stdout.includes(message),
        "the refused preview does not name dpod-credential-rotation and its message",
        refused,
      );
      expectStep(calls === 0, `the refused preview made ${calls} API calls`, refused);
      say(
        `▸ Policy pack: an edit removing the CI credential's rotation trigger is refused at preview by ` +
          `dpod-credential-rotation ("${message}"), with no API call`,
      );

      const oldSecret = String((await stack.outputs({ showSecrets: true })).ciClientSecret);
      await stack.setConfig("rotation", "2027Q1");
      const rotate = await stack.up();
      expectStep(rotate.code === 0, "the rotation (pulumi up) failed", rotate);
      const rotated = await stack.outputs({ showSecrets: true });
      const newSecret = String(rotated.ciClientSecret);
      const ci = { ...base, clientId: String(rotated.ciClientId) };
      expectStep(
        rotated.ciClientId === outputs.ciClientId,
        "rotation replaced the credential instead of resetting it",
      );
      expectStep(newSecret !== oldSecret, "the exported secret did not change");
      expectStep(
        !(await secretWorks({ ...ci, clientSecret: oldSecret })),
        "the old secret still gets a token",
      );
      expectStep(await secretWorks({ ...ci, clientSecret: newSecret }), "the new secret gets no token");
      say(
        "▸ Rotation: trigger 2026Q4 → 2027Q1; pulumi up reset the secret once; old secret refused, new accepted",
      );

      const destroy = await stack.destroy();
      expectStep(destroy.code === 0, "pulumi destroy failed", destroy);
      const after = await snapshotTenant(appOwner, spAdmin, tenant.id);
      expectStep(after.join() === before.join(), "destroy did not leave the tenant as it was before up");
      say(`▸ pulumi destroy: the tenant is back to what it was before (${before.length} objects)`);
    } finally {
      stack.dispose();
    }
  } finally {
    await appOwner.close();
    await spAdmin.close();
  }
}

async function main(): Promise<number> {
  const workspace = path.join(os.tmpdir(), `pulumi-dpod-demo-${process.pid}`);
  let emulator: RunningEmulator | undefined;
  try {
    say(
      "▸ Preparing the Pulumi engine and installing pulumi-dpod and its policy pack into a scratch program workspace ...",
    );
    ensureEngine();
    // Packing builds both workspace packages, the emulator's dist/ included; only then is the emulator
    // loaded (the dpod-emulator workspace package), so it never runs from a dist/ being rebuilt.
    installProgramWorkspace(workspace);
    const { startEmulator } = await import("dpod-emulator");
    emulator = await startEmulator();
    await runDemo(emulator, workspace);
    say("✔ Demo finished: every step behaved as expected.");
    return 0;
  } catch (error) {
    say(`✘ Demo failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await emulator?.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
