// Nothing in the repository installs pulumi-dpod, dpod-emulator or pulumi-dpod-policies (or the Python SDK)
// from a public registry while the project has not registered those names: not an example's package.json,
// not a command in a README or doc, not a script or CI workflow. The rules are in
// test/helpers/registry-installs.ts; the first block shows each rule catching what it should.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import {
  commandFindings,
  manifestFindings,
  markdownShellLines,
  type Finding,
} from "../helpers/registry-installs";

const root = path.resolve(__dirname, "..", "..");

const skippedDirectories = new Set([
  "node_modules",
  "dist",
  "dist-release",
  ".git",
  ".pulumi-engine",
  "coverage",
  ".tmp",
  ".runtimes",
]);

function repositoryFiles(dir = ""): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return skippedDirectories.has(entry.name) ? [] : repositoryFiles(relative);
    return [relative];
  });
}

describe("the rules for registry installs", () => {
  const noWorkspace = { isWorkspaceMember: false, workspaceNames: [] };

  it.each([["^0.1.0"], ["0.1.0"], ["latest"], ["*"], ["npm:pulumi-dpod@1"]])(
    "a dependency on pulumi-dpod at %s is a registry install",
    (spec) => {
      expect(
        manifestFindings("package.json", { dependencies: { "pulumi-dpod": spec } }, noWorkspace),
      ).toEqual([{ where: "package.json", what: `dependencies: "pulumi-dpod": "${spec}"` }]);
    },
  );

  it.each([
    ["file:../../pulumi-dpod-0.1.0.tgz"],
    ["./vendor/pulumi-dpod-0.2.0.tgz"],
    ["https://npm.example.internal/pulumi-dpod/-/pulumi-dpod-0.2.0.tgz"],
  ])("a dependency on pulumi-dpod at %s is not", (spec) => {
    expect(
      manifestFindings("package.json", { devDependencies: { "pulumi-dpod": spec } }, noWorkspace),
    ).toEqual([]);
  });

  it("a workspace may name its sibling workspace packages by version; other manifests may not", () => {
    const manifest = { devDependencies: { "dpod-emulator": "0.1.0", "pulumi-dpod-policies": "^0.1.0" } };
    expect(
      manifestFindings("package.json", manifest, {
        isWorkspaceMember: true,
        workspaceNames: ["dpod-emulator"],
      }).map((f) => f.what),
    ).toEqual(['devDependencies: "pulumi-dpod-policies": "^0.1.0"']);
    expect(
      manifestFindings("examples/x/package.json", manifest, {
        isWorkspaceMember: false,
        workspaceNames: ["dpod-emulator"],
      }),
    ).toHaveLength(2);
  });

  it("a package.json script is checked as an unattended command line", () => {
    expect(
      manifestFindings("package.json", { scripts: { emulate: "npx dpod-emulator --port 0" } }, noWorkspace),
    ).toEqual([{ where: "package.json (scripts.emulate)", what: "npx dpod-emulator --port 0" }]);
  });

  it.each([
    "npm install pulumi-dpod",
    "npm i pulumi-dpod@0.1.0 @pulumi/pulumi@3.276.0",
    "npm install --save-dev dpod-emulator",
    'cd app && npm add "pulumi-dpod-policies@^0.1.0"',
    "pnpm add pulumi-dpod",
    "yarn add dpod-emulator@latest",
    "DEBUG=1 npm install pulumi-dpod # comment",
    "pip install pulumi_dpod==0.1.0",
    "python3 -m pip install pulumi-dpod",
    "npx --yes pulumi-dpod adopt",
    "npx -p dpod-emulator dpod-emulator --port 0",
    "npm exec --package=pulumi-dpod -- pulumi-dpod adopt",
  ])("`%s` installs from a registry", (line) => {
    expect(commandFindings(line, { unattended: false })).toHaveLength(1);
  });

  it.each([
    'npm install "$CHECKOUT/pulumi-dpod-0.1.0.tgz" @pulumi/pulumi@3.276.0',
    "npm install ./vendor/pulumi-dpod-0.2.0.tgz ./vendor/dpod-emulator-0.2.0.tgz",
    "npm install pulumi-dpod-0.2.0.tgz",
    "npm install pulumi-dpod@0.2.0 --registry https://npm.example.internal/",
    "npm install --workspace dpod-emulator fastify",
    "npm ci",
    "npm pack --workspace dpod-emulator --include-workspace-root",
    "pip install ./vendor/pulumi_dpod-0.2.0-py3-none-any.whl",
    "pip install --index-url https://pypi.example.internal/simple pulumi_dpod==0.2.0",
    "npx pulumi-dpod adopt --out index.ts",
    "npx --no dpod-emulator --port 0",
    "echo npm install is not run here",
  ])("`%s` does not", (line) => {
    expect(commandFindings(line, { unattended: false })).toEqual([]);
  });

  it("a plain `npx <name>` counts in unattended runs, where npx installs a missing package unasked", () => {
    expect(commandFindings("npx dpod-emulator --port 0", { unattended: true })).toHaveLength(1);
    expect(commandFindings("npx --no dpod-emulator --port 0", { unattended: true })).toEqual([]);
  });

  it("reads the lines of shell code blocks only", () => {
    const text = [
      "Run `npm install pulumi-dpod` never.",
      "```sh",
      "$ npm install pulumi-dpod",
      "```",
      "```ts",
      'import "pulumi-dpod"; // npm install pulumi-dpod',
      "```",
      "```",
      "npm i dpod-emulator",
      "```",
    ].join("\n");
    expect(markdownShellLines(text)).toEqual([
      { line: 3, text: "npm install pulumi-dpod" },
      { line: 9, text: "npm i dpod-emulator" },
    ]);
  });
});

describe("the repository", () => {
  const files = repositoryFiles();
  const rootManifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    workspaces?: string[];
  };
  // npm workspaces: plain directories or "dir/*" patterns.
  const workspaceDirs = (rootManifest.workspaces ?? []).flatMap((pattern) =>
    pattern.endsWith("/*")
      ? readdirSync(path.join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => path.join(pattern.slice(0, -2), entry.name))
      : [path.normalize(pattern)],
  );
  const workspaceNames = workspaceDirs
    .filter((dir) => existsSync(path.join(root, dir, "package.json")))
    .map(
      (dir) =>
        (JSON.parse(readFileSync(path.join(root, dir, "package.json"), "utf8")) as { name: string }).name,
    );
  const members = new Set(["package.json", ...workspaceDirs.map((dir) => path.join(dir, "package.json"))]);

  const manifests = files.filter((file) => path.basename(file) === "package.json");
  const markdown = files.filter((file) => file.endsWith(".md"));
  const scripts = files.filter((file) => /\.(sh|bash|ya?ml)$/.test(file));

  it("is scanned: the examples' manifests, the docs and the scripts are all in the scan", () => {
    expect(manifests).toEqual(
      expect.arrayContaining([
        "package.json",
        path.join("emulator", "package.json"),
        path.join("examples", "adopt-tenant", "package.json"),
        path.join("examples", "zero-downtime-rotation", "package.json"),
      ]),
    );
    expect(markdown).toEqual(
      expect.arrayContaining(["README.md", path.join("docs", "installation-and-configuration.md")]),
    );
    expect(scripts).toEqual(
      expect.arrayContaining([
        path.join("scripts", "native-plugin", "plugin-dir.sh"),
        path.join("examples", "drift-detection", "github-workflow.yml"),
      ]),
    );
    expect(workspaceNames).toContain("dpod-emulator");
  });

  it("installs none of the unregistered names from a registry", () => {
    const findings: Finding[] = [];
    for (const file of manifests) {
      const manifest = JSON.parse(readFileSync(path.join(root, file), "utf8")) as Parameters<
        typeof manifestFindings
      >[1];
      findings.push(
        ...manifestFindings(file, manifest, { isWorkspaceMember: members.has(file), workspaceNames }),
      );
    }
    for (const file of markdown) {
      for (const { line, text } of markdownShellLines(readFileSync(path.join(root, file), "utf8"))) {
        for (const what of commandFindings(text, { unattended: false })) {
          findings.push({ where: `${file}:${line}`, what });
        }
      }
    }
    for (const file of scripts) {
      readFileSync(path.join(root, file), "utf8")
        .split("\n")
        .forEach((text, index) => {
          if (/^\s*#/.test(text)) return;
          for (const what of commandFindings(text, { unattended: true })) {
            findings.push({ where: `${file}:${index + 1}`, what });
          }
        });
    }
    expect(findings).toEqual([]);
  });
});
