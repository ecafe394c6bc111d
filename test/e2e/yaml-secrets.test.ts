// Secrets and number-like triggers from YAML, on the real engine through the native plugin: a subscriber
// group whose description is a secret, a credential whose rotation triggers hold a secret and a config value
// that looks like a number ("1", then "2"). The stack comes up, the state holds none of the secret values in
// plain text (also after a refresh), an unchanged number-like trigger changes nothing, and changing it
// rotates the secret (old secret refused, new accepted).
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { SECRET_SIG, SIG_KEY } from "../../provider/native/wire";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { calledRoutes, requestCounts, resetRequestLog, tokenRequestStatus } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection } from "../helpers/emulator-seed";
import { createProgram, e2eWorkspaceDir } from "../helpers/e2e-workspace";

/** The program; the plugin is the pulumi-resource-dpod the e2e workspace installed. */
function program(): string {
  const pluginDir = path.join(e2eWorkspaceDir(), "node_modules", ".bin");
  return `name: yaml-secrets
runtime: yaml
plugins:
  providers:
    - name: dpod
      path: ${pluginDir}
config:
  groupDescription:
    type: string
    secret: true
  ticket:
    type: string
    secret: true
resources:
  team:
    type: dpod:index:SubscriberGroup
    properties:
      name: secrets-team
      description: \${groupDescription}
  ci:
    type: dpod:index:ClientCredential
    properties:
      name: secrets-ci
      role: dpod.tenant.api_appowner
      rotationTriggers:
        # Not declared above: the engine hands a value that looks like a number over as a number.
        round: \${rotation}
        ticket: \${ticket}
outputs:
  teamId: \${team.id}
  ciClientId: \${ci.clientId}
  ciClientSecret: \${ci.clientSecret}
`;
}

/** The value of a secret in `pulumi stack export --show-secrets`; fails the test when it is no secret. */
function secretPlaintext(value: unknown): unknown {
  const envelope = value as Record<string, unknown> | undefined;
  expect(envelope?.[SIG_KEY]).toBe(SECRET_SIG);
  return JSON.parse(String(envelope?.plaintext));
}

describe("YAML: secret inputs and number-like triggers through the native plugin", () => {
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  const description = `room code ${randomUUID()}`;
  const ticket = `CHG-${randomUUID()}`;

  async function plainSecretsIn(text: string, clientSecret: string): Promise<string[]> {
    return [description, ticket, clientSecret].filter((value) => text.includes(value));
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    const { tenant } = seedOf(emulator);
    stack = await PulumiStack.create({
      projectDir: createProgram("yaml-secrets", { "Pulumi.yaml": program() }),
    });
    await setDefaultConnection(stack, emulator, credentialOf(tenant, "dpod.tenant.api_appowner"));
    await stack.setConfig("groupDescription", description, { secret: true });
    await stack.setConfig("ticket", ticket, { secret: true });
    await stack.setConfig("rotation", "1");
  });

  afterAll(async () => {
    if (stack !== undefined) await stack.destroy();
    stack?.dispose();
    await emulator?.close();
  });

  it("comes up with a number-like trigger, and the state holds no secret value in plain text", async () => {
    const up = await stack.up();
    expect(up.stdout + up.stderr).not.toContain("<nil>");
    expect(up.code).toBe(0);
    const outputs = await stack.outputs({ showSecrets: true });
    const state = await stack.exportState({ showSecrets: true });
    const team = state.deployment.resources?.find((r) => r.type === "dpod:index:SubscriberGroup");
    const ci = state.deployment.resources?.find((r) => r.type === "dpod:index:ClientCredential");
    // Secrets in the state, in the inputs and the outputs; the trigger recorded in its string form.
    expect(secretPlaintext(ci?.outputs?.rotationTriggers)).toEqual({ round: "1", ticket });
    expect(secretPlaintext(ci?.inputs?.rotationTriggers)).toEqual({ round: "1", ticket });
    expect(secretPlaintext(team?.outputs?.description)).toBe(description);
    expect(secretPlaintext(team?.inputs?.description)).toBe(description);
    expect(await plainSecretsIn(await stack.exportText(), String(outputs.ciClientSecret))).toEqual([]);
  });

  it("changes nothing while the trigger stays, and keeps the secrets through a refresh", async () => {
    await resetRequestLog(emulator);
    expect((await stack.preview(["--expect-no-changes"])).code).toBe(0);
    expect((await stack.up(["--refresh", "--expect-no-changes"])).code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).not.toHaveProperty(
      "POST /v1/credentials/clients/:id/resetSecret",
    );
    const outputs = await stack.outputs({ showSecrets: true });
    expect(await plainSecretsIn(await stack.exportText(), String(outputs.ciClientSecret))).toEqual([]);
  });

  it("rotates when the number-like trigger changes: the old secret is refused, the new one accepted", async () => {
    const before = await stack.outputs({ showSecrets: true });
    await stack.setConfig("rotation", "2");
    await resetRequestLog(emulator);
    const up = await stack.up();
    expect(up.code).toBe(0);
    expect(calledRoutes(await requestCounts(emulator))).toMatchObject({
      "POST /v1/credentials/clients/:id/resetSecret": 1,
    });
    const after = await stack.outputs({ showSecrets: true });
    expect(after.ciClientId).toBe(before.ciClientId);
    expect(await tokenRequestStatus(emulator, String(before.ciClientId), String(before.ciClientSecret))).toBe(
      401,
    );
    expect(await tokenRequestStatus(emulator, String(after.ciClientId), String(after.ciClientSecret))).toBe(
      200,
    );
    expect(await plainSecretsIn(await stack.exportText(), String(after.ciClientSecret))).toEqual([]);
  });
});
