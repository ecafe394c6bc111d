// Proves the offline engine works end to end before any DPoD code is involved: a TypeScript program with
// one dynamic resource goes through up, preview --expect-no-changes, refresh and destroy on the real CLI.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { engineBinDir, engineVersion } from "../../scripts/lib/engine";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { createProgram } from "../helpers/e2e-workspace";

const program = `
import * as pulumi from "@pulumi/pulumi";

// A file on disk is the "remote object": read() reports what is really there, so refresh sees drift.
const fileProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    require("fs").writeFileSync(inputs.path, inputs.content);
    return { id: inputs.path, outs: inputs };
  },
  async read(id, props) {
    const fs = require("fs");
    if (!fs.existsSync(id)) return { id: "" };
    const outs = { ...props, path: id, content: fs.readFileSync(id, "utf8") };
    return { id, props: outs, inputs: { path: id, content: outs.content } };
  },
  async delete(id) {
    require("fs").rmSync(id, { force: true });
  },
};

class TextFile extends pulumi.dynamic.Resource {
  declare readonly content: pulumi.Output<string>;
  constructor(name: string, args: { path: string; content: string }) {
    super(fileProvider, name, { ...args }, undefined, "smoke", "TextFile");
  }
}

const config = new pulumi.Config();
const file = new TextFile("greeting", { path: config.require("path"), content: "hello" });
export const content = file.content;
`;

describe("the offline Pulumi engine", () => {
  const built = process.env.PULUMI_ENGINE_DIR ? it.skip : it;
  built(
    "is the lane's Pulumi version, with our language host and the SDK's dynamic-provider plugin beside it",
    () => {
      const run = (binary: string, args: string[]) =>
        execFileSync(path.join(engineBinDir(), binary), args, { encoding: "utf8" }).trim();
      expect(run("pulumi", ["version"])).toBe(engineVersion());
      expect(run("pulumi-language-nodejs", ["--version"])).toBe(engineVersion());
      expect(existsSync(path.join(engineBinDir(), "pulumi-resource-pulumi-nodejs"))).toBe(true);
    },
  );

  it("never shows a secret config value in a failed command's error", async () => {
    const stack = await PulumiStack.create({
      projectDir: createProgram("secret-config", { "Pulumi.yaml": "name: secret-config\nruntime: nodejs\n" }),
    });
    try {
      // Starts with "-" like some generated secrets: it must still be taken as the value, not a flag.
      const dashed = "-tw-do-not-print-7c1d";
      await stack.setConfig("dashed", dashed, { secret: true });
      const shown = await stack.run(["config", "get", "dashed"], { expectSuccess: true });
      expect(shown.stdout.trim()).toBe(dashed);

      const secret = "do-not-print-9f2c41";
      // An invalid key ("a:b:c") makes the command fail after the value was passed on its command line.
      const failure = stack.setConfig("a:b:c", secret, { secret: true });
      await expect(failure).rejects.toThrow(/pulumi config set --secret -- a:b:c \[secret\] exited/);
      await expect(failure).rejects.not.toThrow(secret);
    } finally {
      stack.dispose();
    }
  });

  it("runs up, preview, refresh and destroy on a dynamic resource", async () => {
    const projectDir = createProgram("smoke", {
      "Pulumi.yaml": "name: engine-smoke\nruntime: nodejs\n",
      "index.ts": program,
    });
    const target = path.join(projectDir, "greeting.txt");
    const stack = await PulumiStack.create({ projectDir });
    try {
      await stack.setConfig("path", target);

      const up = await stack.up();
      expect(up.code).toBe(0);
      expect(readFileSync(target, "utf8")).toBe("hello");
      expect(await stack.outputs()).toEqual({ content: "hello" });
      const state = await stack.exportState();
      const resource = state.deployment.resources?.find(
        (r) => r.type === "pulumi-nodejs:dynamic/smoke:TextFile",
      );
      expect(resource?.id).toBe(target);

      const clean = await stack.preview(["--expect-no-changes"]);
      expect(clean.code).toBe(0);

      // Change the "remote object" behind Pulumi's back: refresh must notice, and a plain preview then
      // wants to put it back.
      writeFileSync(target, "tampered");
      const refresh = await stack.refresh();
      expect(refresh.code).toBe(0);
      expect(refresh.stdout).toMatch(/update|~/);
      const drift = await stack.preview(["--expect-no-changes"]);
      expect(drift.code).not.toBe(0);

      const destroy = await stack.destroy();
      expect(destroy.code).toBe(0);
      expect(existsSync(target)).toBe(false);
      expect((await stack.exportState()).deployment.resources ?? []).toHaveLength(0);
    } finally {
      stack.dispose();
    }
  });
});
