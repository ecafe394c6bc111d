// The policy pack (policies/, installed from its tarball into the program workspace) on the real engine:
// `pulumi preview --policy-pack` over a TypeScript program (dynamic resources) and a YAML program (the
// native plugin). A program that breaks a mandatory policy is refused at preview with that policy's name
// and message, having made no API call; advisory findings are printed and the preview passes;
// `--policy-pack-config` changes levels and parameters; a compliant program passes.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { PulumiStack, type PulumiResult } from "../../scripts/lib/pulumi-cli";
import { calledRoutes, requestCounts, resetRequestLog } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection } from "../helpers/emulator-seed";
import { createProgram, e2eWorkspaceDir, workspaceScratchDir } from "../helpers/e2e-workspace";
import { policyPackArgs, policyPackOutcome, reportsPolicy } from "../helpers/policy-pack";

/** Each config knob breaks one policy; with none set the program complies with the pack's defaults. */
const typescriptProgram = `import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const team = new dpod.SubscriberGroup("team", { name: "team" });
new dpod.User("owner", {
  username: config.get("ownerUsername") ?? "olivia@corp.example",
  givenName: "Olivia",
  familyName: "Owner",
  accountRole: "appowner",
  subscriberGroups: config.getBoolean("ownerWithoutGroup") ? [] : [team.id],
  allowRecreate: config.getBoolean("allowRecreate"),
});
new dpod.ClientCredential("ci", {
  name: "ci",
  role: "dpod.tenant.api_appowner",
  rotationTriggers: config.getBoolean("ciWithoutTriggers") ? undefined : { quarter: "2026Q4" },
  rotateAfterDays: config.getNumber("ciRotateAfterDays"),
});
if (config.getBoolean("withSpadminCredential")) {
  new dpod.ClientCredential("sp-automation", {
    name: "sp-automation",
    role: "api_spadmin",
    rotationTriggers: { quarter: "2026Q4" },
  });
}
new dpod.RotatingClientCredential("deployer", {
  name: "deployer",
  role: "dpod.tenant.api_appowner",
  rotateAfterDays: config.getNumber("deployerRotateAfterDays") ?? 30,
});
`;

/** The YAML program through the native plugin: compliant, or breaking one mandatory policy. */
function yamlProgram(breaks: "nothing" | "rotation" | "owner-group"): string {
  const pluginDir = path.join(e2eWorkspaceDir(), "node_modules", ".bin");
  const groups = breaks === "owner-group" ? "" : "\n      subscriberGroups:\n        - ${team.id}";
  const rotation = breaks === "rotation" ? "" : "\n      rotateAfterDays: 60";
  return `name: dpod-policy-yaml
runtime: yaml
plugins:
  providers:
    - name: dpod
      path: ${pluginDir}
resources:
  team:
    type: dpod:index:SubscriberGroup
    properties:
      name: team
  owner:
    type: dpod:index:User
    properties:
      username: olivia@corp.example
      givenName: Olivia
      familyName: Owner
      accountRole: dpod.tenant.appowner${groups}
  ci:
    type: dpod:index:ClientCredential
    properties:
      name: ci
      role: dpod.tenant.api_appowner${rotation}
`;
}

function output(result: PulumiResult): string {
  return `${result.command} exited ${result.code}\n${result.stdout}\n${result.stderr}`;
}

describe("the policy pack, run by pulumi preview --policy-pack", () => {
  let emulator: RunningEmulator;
  let scratch: string;

  /** A `--policy-pack-config` file with `config`, for the pack. */
  function packConfig(name: string, config: Record<string, unknown>): string {
    const file = path.join(scratch, `${name}.json`);
    writeFileSync(file, JSON.stringify(config));
    return file;
  }

  async function previewWithPack(stack: PulumiStack, configFile?: string): Promise<PulumiResult> {
    await resetRequestLog(emulator);
    const args = policyPackArgs();
    if (configFile) args.push("--policy-pack-config", configFile);
    return stack.preview(args);
  }

  async function apiCalls(): Promise<Record<string, number>> {
    return calledRoutes(await requestCounts(emulator));
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    scratch = workspaceScratchDir("policy-pack-config");
  });

  afterAll(async () => {
    await emulator?.close();
  });

  describe("over a TypeScript program", () => {
    let stack: PulumiStack;

    beforeAll(async () => {
      const projectDir = createProgram("policy-pack-ts", {
        "Pulumi.yaml": "name: dpod-policy-ts\nruntime: nodejs\n",
        "index.ts": typescriptProgram,
      });
      stack = await PulumiStack.create({ projectDir });
      await setDefaultConnection(
        stack,
        emulator,
        credentialOf(seedOf(emulator).tenant, "dpod.tenant.api_appowner"),
      );
    });

    afterAll(() => stack?.dispose());

    async function setKnobs(knobs: Record<string, string | undefined>): Promise<void> {
      for (const [key, value] of Object.entries(knobs)) {
        if (value === undefined) await stack.run(["config", "rm", key], { expectSuccess: true });
        else await stack.setConfig(key, value);
      }
    }

    it("passes a compliant program, with no finding and no API call", async () => {
      const preview = await previewWithPack(stack);
      expect({ code: preview.code, output: output(preview) }).toMatchObject({ code: 0 });
      expect(policyPackOutcome(preview)).toEqual({ ran: true, findings: [] });
      expect(await apiCalls()).toEqual({});
    });

    // One violation per preview: a resource the provider's own check refuses (the application owner
    // without a group) ends the preview there, before later resources are analysed.
    it("refuses a credential without rotation with the policy's name and message, before any API call", async () => {
      await setKnobs({ ciWithoutTriggers: "true" });
      const preview = await previewWithPack(stack);
      expect({ code: preview.code, output: output(preview) }).not.toMatchObject({ code: 0 });
      expect(reportsPolicy(preview, "mandatory", "dpod-credential-rotation")).toBe(true);
      expect(preview.stdout + preview.stderr).toContain(
        'ClientCredential "ci" never rotates its secret: add rotationTriggers, or rotateAfterDays of at most 90.',
      );
      expect(await apiCalls()).toEqual({});
    });

    it("refuses an application owner in no group with the policy's name and message, before any API call", async () => {
      await setKnobs({ ciWithoutTriggers: undefined, ownerWithoutGroup: "true" });
      const preview = await previewWithPack(stack);
      expect({ code: preview.code, output: output(preview) }).not.toMatchObject({ code: 0 });
      expect(reportsPolicy(preview, "mandatory", "dpod-appowner-subscriber-group")).toBe(true);
      expect(preview.stdout + preview.stderr).toContain(
        'User "owner" is an application owner in no subscriber group: DPoD requires at least one.',
      );
      expect(await apiCalls()).toEqual({});
    });

    it("takes levels and parameters from --policy-pack-config", async () => {
      // Still without triggers, now with rotateAfterDays 60: within the default 90 days.
      await setKnobs({
        ownerWithoutGroup: undefined,
        ciWithoutTriggers: "true",
        ciRotateAfterDays: "60",
        allowRecreate: "true",
      });
      expect((await previewWithPack(stack)).code).toBe(0);

      const stricter = packConfig("stricter", {
        "dpod-credential-rotation": { maxRotateAfterDays: 30 },
        "dpod-allow-recreate-left-on": "mandatory",
        "dpod-username-domains": { allowedDomains: ["example.com"] },
      });
      const refused = await previewWithPack(stack, stricter);
      expect(refused.code).not.toBe(0);
      const text = refused.stdout + refused.stderr;
      expect(reportsPolicy(refused, "mandatory", "dpod-credential-rotation")).toBe(true);
      expect(text).toContain('ClientCredential "ci" rotates only every 60 days, more than the 30 allowed');
      expect(reportsPolicy(refused, "mandatory", "dpod-allow-recreate-left-on")).toBe(true);
      expect(reportsPolicy(refused, "mandatory", "dpod-username-domains")).toBe(true);
      expect(text).toContain(
        'has username "olivia@corp.example", outside the allowed mail domains (example.com)',
      );
      expect(await apiCalls()).toEqual({});

      const relaxed = packConfig("relaxed", {
        all: "advisory",
        "dpod-credential-rotation": { maxRotateAfterDays: 30 },
      });
      const passed = await previewWithPack(stack, relaxed);
      expect({ code: passed.code, output: output(passed) }).toMatchObject({ code: 0 });
      expect(reportsPolicy(passed, "advisory", "dpod-credential-rotation")).toBe(true);
    });

    it("prints the advisory findings and passes", async () => {
      await setKnobs({
        ciRotateAfterDays: undefined,
        ciWithoutTriggers: undefined,
        withSpadminCredential: "true",
        deployerRotateAfterDays: "3",
        "dpod:adoptIdentical": "true",
      });
      const preview = await previewWithPack(stack);
      expect({ code: preview.code, output: output(preview) }).toMatchObject({ code: 0 });
      const text = preview.stdout + preview.stderr;
      expect(reportsPolicy(preview, "advisory", "dpod-allow-recreate-left-on")).toBe(true);
      expect(text).toContain('User "owner" has allowRecreate: true.');
      expect(reportsPolicy(preview, "advisory", "dpod-spadmin-credential-stack")).toBe(true);
      expect(text).toContain(
        `ClientCredential "sp-automation" is a service-provider administrator credential (api_spadmin) in stack "${stack.stackName}"`,
      );
      expect(reportsPolicy(preview, "advisory", "dpod-rotation-pickup-window")).toBe(true);
      expect(text).toContain(
        'RotatingClientCredential "deployer" rotates every 3 days, but its consumers may take 7 days',
      );
      expect(reportsPolicy(preview, "advisory", "dpod-adopt-identical-left-on")).toBe(true);
      expect(text).toContain("Stack config dpod:adoptIdentical is on.");
      expect(reportsPolicy(preview, "mandatory", "dpod-credential-rotation")).toBe(false);
      expect(await apiCalls()).toEqual({});

      // The stack named as a service-provider stack: that finding goes.
      const spStack = packConfig("sp-stack", {
        "dpod-spadmin-credential-stack": { serviceProviderStacks: [stack.stackName] },
      });
      const listed = await previewWithPack(stack, spStack);
      expect(listed.code).toBe(0);
      expect(reportsPolicy(listed, "advisory", "dpod-spadmin-credential-stack")).toBe(false);
      expect(reportsPolicy(listed, "advisory", "dpod-allow-recreate-left-on")).toBe(true);
    });
  });

  describe("over a YAML program (the native plugin)", () => {
    let stack: PulumiStack;
    let projectDir: string;

    beforeAll(async () => {
      projectDir = createProgram("policy-pack-yaml", { "Pulumi.yaml": yamlProgram("rotation") });
      stack = await PulumiStack.create({ projectDir });
      await setDefaultConnection(
        stack,
        emulator,
        credentialOf(seedOf(emulator).tenant, "dpod.tenant.api_appowner"),
      );
    });

    afterAll(() => stack?.dispose());

    it("refuses each mandatory violation with the policy's name and message, before any API call", async () => {
      const rotation = await previewWithPack(stack);
      expect({ code: rotation.code, output: output(rotation) }).not.toMatchObject({ code: 0 });
      expect(reportsPolicy(rotation, "mandatory", "dpod-credential-rotation")).toBe(true);
      expect(rotation.stdout + rotation.stderr).toContain('ClientCredential "ci" never rotates its secret');
      expect(await apiCalls()).toEqual({});

      writeFileSync(path.join(projectDir, "Pulumi.yaml"), yamlProgram("owner-group"));
      const owner = await previewWithPack(stack);
      expect({ code: owner.code, output: output(owner) }).not.toMatchObject({ code: 0 });
      expect(reportsPolicy(owner, "mandatory", "dpod-appowner-subscriber-group")).toBe(true);
      expect(owner.stdout + owner.stderr).toContain(
        'User "owner" is an application owner in no subscriber group',
      );
      expect(await apiCalls()).toEqual({});
    });

    it("passes the compliant program", async () => {
      writeFileSync(path.join(projectDir, "Pulumi.yaml"), yamlProgram("nothing"));
      const preview = await previewWithPack(stack);
      expect({ code: preview.code, output: output(preview) }).toMatchObject({ code: 0 });
      expect(policyPackOutcome(preview)).toEqual({ ran: true, findings: [] });
      expect(await apiCalls()).toEqual({});
    });
  });
});
