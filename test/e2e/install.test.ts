// The documented install, followed literally in an empty project outside the repository: the project-side
// commands of docs/installation-and-configuration.md run as written, with the tarballs that the e2e global
// setup made with the documented pack command; then the emulator runs from that project through
// `npx dpod-emulator` and the quickstart program goes through `pulumi up` and `destroy` against it.
import { execFileSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryRoot } from "../../scripts/lib/engine";
import { currentLane, LANES } from "../../scripts/lib/lanes";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { packArguments, packedTarballs } from "../../scripts/lib/program-workspace";
import { configureForSeed } from "../../scripts/lib/seeded-stack-config";
import { commandLines, markedShellBlock } from "../helpers/doc-steps";
import { e2eWorkspaceDir } from "../helpers/e2e-workspace";
import { startNpxEmulator, stopProcessGroup } from "../helpers/npx-emulator";

const installDoc = path.join(repositoryRoot, "docs", "installation-and-configuration.md");

/** The @pulumi/pulumi range pulumi-dpod declares. */
function peerRange(): string {
  const manifest = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
  };
  return manifest.peerDependencies["@pulumi/pulumi"]!;
}

/** The shell commands of the code block that follows `<!-- install-steps: NAME -->` in the install page. */
function installSteps(name: string): string[] {
  return commandLines(markedShellBlock(installDoc, `install-steps: ${name} -->`));
}

describe("installing from the packed tarballs as documented", () => {
  let project: string;
  let emulatorProcess: ChildProcess | undefined;

  beforeAll(() => {
    project = mkdtempSync(path.join(os.tmpdir(), "pulumi-dpod-install-"));
    // What `pulumi new typescript` leaves besides the program: a package.json and a Pulumi.yaml.
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "dpod-install-check", version: "0.0.0", private: true }, null, 2),
    );
    copyFileSync(
      path.join(repositoryRoot, "examples", "quickstart", "Pulumi.yaml"),
      path.join(project, "Pulumi.yaml"),
    );
    copyFileSync(
      path.join(repositoryRoot, "examples", "quickstart", "index.ts"),
      path.join(project, "index.ts"),
    );
  });

  afterAll(() => {
    stopProcessGroup(emulatorProcess);
    if (project && !process.env.PULUMI_DPOD_KEEP_E2E_WORKSPACE)
      rmSync(project, { recursive: true, force: true });
  });

  it("documents the pack command the tests use, and the README repeats the same steps", () => {
    const checkout = installSteps("checkout");
    expect(checkout).toContain(`npm ${packArguments.join(" ")}`);
    const readme = readFileSync(path.join(repositoryRoot, "README.md"), "utf8");
    for (const command of [...checkout, ...installSteps("project")]) {
      expect(readme).toContain(command.replace(/\s+#.*$/, ""));
    }
  });

  it("installs the newest tested SDK by default and states the tested range from the floor", () => {
    const defaultSdk = /@pulumi\/pulumi@(\d+\.\d+\.\d+)/.exec(installSteps("project").join("\n"))?.[1];
    expect(defaultSdk).toBe(LANES.node24!.sdk);
    const page = readFileSync(installDoc, "utf8");
    expect(page).toContain(`range \`${peerRange()}\``);
    expect(page).toContain(`${LANES.floor!.sdk} (the floor)`);
  });

  it("runs the project-side steps as written, outside the repository, keeping an SDK the project has", () => {
    expect(path.relative(repositoryRoot, project).startsWith("..")).toBe(true);
    const tarballs = packedTarballs(e2eWorkspaceDir());
    // On the lane of the documented default the project starts without an SDK, so the steps install it;
    // on other lanes it already has the lane's one, which the steps must leave as it is.
    const sdk = currentLane().sdk;
    const documentedDefault = /@pulumi\/pulumi@(\d+\.\d+\.\d+)/.exec(installSteps("project").join("\n"))![1]!;
    if (sdk !== documentedDefault) {
      execFileSync(
        "npm",
        ["install", "--no-audit", "--no-fund", "--prefer-offline", `@pulumi/pulumi@${sdk}`],
        {
          cwd: project,
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
    }
    const script = installSteps("project").join("\n");
    execFileSync("bash", ["-euo", "pipefail", "-c", script], {
      cwd: project,
      env: { ...process.env, CHECKOUT: path.dirname(tarballs.provider) },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const installed = JSON.parse(
      readFileSync(path.join(project, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
    ) as { version: string };
    expect(installed.version).toBe(sdk);
  });

  it("gives the program the provider without fastify or jose, and the emulator as a dev dependency", () => {
    const ls = (args: string[]) =>
      execFileSync("npm", ["ls", "--all", ...args], { cwd: project, encoding: "utf8" });
    const production = ls(["--omit=dev"]);
    expect(production).toMatch(/pulumi-dpod@\d/);
    expect(production).not.toMatch(/\b(fastify|jose)@/);
    expect(production).not.toMatch(/dpod-emulator@/);
    // The same listing with dev dependencies does show them: the check above can see them when present.
    expect(ls([])).toMatch(/dpod-emulator@\d[\s\S]*fastify@\d/);
  });

  it("resolves every exported entry point the same for CommonJS require and ESM import", () => {
    const specifiers: string[] = [];
    for (const name of ["pulumi-dpod", "dpod-emulator"]) {
      const manifest = JSON.parse(
        readFileSync(path.join(project, "node_modules", name, "package.json"), "utf8"),
      ) as { exports: Record<string, unknown> };
      for (const key of Object.keys(manifest.exports)) {
        if (key !== "./package.json") specifiers.push(`${name}${key.slice(1)}`);
      }
    }
    const probe = `
      (async () => {
        const report = {};
        for (const specifier of ${JSON.stringify(specifiers)}) {
          const cjs = Object.keys(require(specifier)).sort();
          // Node adds "default" (and, from Node 23, "module.exports") to the namespace of a CommonJS
          // module, and lists the non-enumerable "__esModule" marker that require() hides.
          const namespace = await import(specifier);
          // The serialized providers' modules export one object (module.exports = provider), which an ES
          // module sees as its default export: they exist for Pulumi's require, not for programs.
          const esm = Object.keys(specifier.includes("/dynamic-providers/") ? namespace.default : namespace)
            .filter((key) => !["default", "module.exports", "__esModule"].includes(key))
            .sort();
          report[specifier] = { cjs, esm };
        }
        console.log(JSON.stringify(report));
      })();`;
    const report = JSON.parse(
      execFileSync(process.execPath, ["-e", probe], { cwd: project, encoding: "utf8" }),
    ) as Record<string, { cjs: string[]; esm: string[] }>;
    expect(Object.keys(report).sort()).toEqual([...specifiers].sort());
    for (const [specifier, { cjs, esm }] of Object.entries(report)) {
      expect({ specifier, size: cjs.length > 0 }).toEqual({ specifier, size: true });
      expect({ specifier, esm }).toEqual({ specifier, esm: cjs });
    }
  });

  it("runs `pulumi up` of the quickstart against `npx dpod-emulator`, then destroys", async () => {
    const started = await startNpxEmulator(project);
    emulatorProcess = started.child;
    const { info } = started;

    const stack = await PulumiStack.create({ projectDir: project });
    try {
      await configureForSeed(stack, info);

      const up = await stack.up();
      expect({ code: up.code, stderr: up.code === 0 ? "" : up.stderr }).toEqual({ code: 0, stderr: "" });
      const outputs = await stack.outputs();
      expect(outputs.ciClientSecret).toBe("[secret]");
      expect(typeof outputs.aliceUserId).toBe("string");
      // The provider that ran is the installed tarball, loaded by name from the project's node_modules.
      expect(await stack.exportText()).toContain("pulumi-dpod/dist/provider/dynamic-providers/");
      expect((await stack.destroy()).code).toBe(0);
    } finally {
      stack.dispose();
    }
  });
});
