// docs/distribution.md, run: `npm run release` builds versioned tarballs and the Python wheel; the page's
// publish commands put the tarballs on a private registry (a local Verdaccio on 127.0.0.1 with no uplinks,
// so it serves only what was published to it); the page's install commands install them by version in a
// fresh project outside the repository; the installed emulator runs and the quickstart goes through
// `pulumi up` and `destroy` against it.
//
// Packaging does not depend on the lane's Node.js or SDK, and the release builds everything again, so this
// runs on the development lane only.
import { execFile, execFileSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { repositoryRoot } from "../../scripts/lib/engine";
import { currentLane, DEFAULT_LANE } from "../../scripts/lib/lanes";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { configureForSeed } from "../../scripts/lib/seeded-stack-config";
import { markedShellBlock } from "../helpers/doc-steps";
import { workspaceScratchDir } from "../helpers/e2e-workspace";
import { startLocalRegistry, type LocalRegistry } from "../helpers/local-registry";
import { startNpxEmulator, stopProcessGroup } from "../helpers/npx-emulator";

const run = promisify(execFile);
const distributionDoc = path.join(repositoryRoot, "docs", "distribution.md");
const VERSION = "0.2.0";

/** Runs the release script; resolves with its exit code and output (the script reports errors on stderr). */
async function release(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(repositoryRoot, "scripts", "release.ts"), ...args],
      { cwd: repositoryRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === "number" ? failed.code : 1,
      stdout: failed.stdout ?? "",
      stderr: failed.stderr ?? "",
    };
  }
}

/** The package.json inside a tarball. */
function manifestOf(tarball: string): { version: string; dependencies?: Record<string, string> } {
  return JSON.parse(
    execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }),
  ) as {
    version: string;
    dependencies?: Record<string, string>;
  };
}

const describeOnDevelopmentLane = currentLane().name === DEFAULT_LANE ? describe : describe.skip;

describeOnDevelopmentLane("a release, shared through a private registry", () => {
  let releaseRoot: string;
  let registry: LocalRegistry | undefined;
  let emulator: ChildProcess | undefined;

  beforeAll(() => {
    releaseRoot = workspaceScratchDir("release");
  });

  afterAll(async () => {
    stopProcessGroup(emulator);
    await registry?.close();
  });

  it("refuses, before building anything, the development version and a run with no version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
      version: string;
    };
    const out = path.join(releaseRoot, "refused");
    const development = await release(["--version", version, "--out", out, "--allow-dirty"]);
    expect(development.code).toBe(1);
    expect(development.stderr).toContain(`version ${version} is the development version`);
    // No version at all: unless HEAD carries a version tag, the script asks for one.
    const tags = execFileSync("git", ["tag", "--points-at", "HEAD"], {
      cwd: repositoryRoot,
      encoding: "utf8",
    });
    if (!/^v\d/m.test(tags)) {
      const none = await release(["--out", out, "--allow-dirty"]);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain("no release version");
    }
    expect(existsSync(out)).toBe(false);
  });

  it("builds versioned tarballs of every workspace package and the wheel, the committed files untouched", async () => {
    const committed = ["package.json", "emulator/package.json", "sdk/python/pyproject.toml"].map((file) =>
      readFileSync(path.join(repositoryRoot, file), "utf8"),
    );
    const dist = path.join(releaseRoot, "dist-release");
    const result = await release(["--version", VERSION, "--out", dist, "--allow-dirty"]);
    expect({ code: result.code, stderr: result.code === 0 ? "" : result.stderr }).toEqual({
      code: 0,
      stderr: "",
    });

    // One tarball per npm package of the repository: the root and each workspace.
    const root = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
      name: string;
      workspaces: string[];
    };
    const packageNames = [
      root.name,
      ...root.workspaces.map(
        (dir) =>
          (
            JSON.parse(readFileSync(path.join(repositoryRoot, dir, "package.json"), "utf8")) as {
              name: string;
            }
          ).name,
      ),
    ];
    expect(packageNames).toEqual(expect.arrayContaining(["pulumi-dpod", "dpod-emulator"]));
    expect(readdirSync(dist).sort()).toEqual(
      [
        ...packageNames.map((name) => `${name}-${VERSION}.tgz`),
        `pulumi_dpod-${VERSION}-py3-none-any.whl`,
        `release-${VERSION}.sha256`,
      ].sort(),
    );
    const provider = manifestOf(path.join(dist, `pulumi-dpod-${VERSION}.tgz`));
    expect(provider.version).toBe(VERSION);
    expect(manifestOf(path.join(dist, `dpod-emulator-${VERSION}.tgz`)).version).toBe(VERSION);
    const wheel = JSON.parse(
      execFileSync(
        "python3",
        [
          "-c",
          "import json, sys, zipfile; w = zipfile.ZipFile(sys.argv[1]); names = w.namelist(); " +
            "meta = next(n for n in names if n.endswith('.dist-info/METADATA')); " +
            "print(json.dumps({'metadata': w.read(meta).decode(), 'plugin': json.loads(w.read('pulumi_dpod/pulumi-plugin.json')), " +
            "'license': any(n.endswith('/LICENSE') for n in names)}))",
          path.join(dist, `pulumi_dpod-${VERSION}-py3-none-any.whl`),
        ],
        { encoding: "utf8" },
      ),
    ) as { metadata: string; plugin: { version: string }; license: boolean };
    expect(wheel.metadata).toMatch(new RegExp(`^Version: ${VERSION.replace(/\./g, "\\.")}$`, "m"));
    expect(wheel.plugin.version).toBe(VERSION);
    expect(wheel.license).toBe(true);
    // The checksums file verifies what was written.
    execFileSync("sha256sum", ["-c", `release-${VERSION}.sha256`], { cwd: dist, stdio: "ignore" });
    // The version went into the packed copies only.
    expect(
      ["package.json", "emulator/package.json", "sdk/python/pyproject.toml"].map((file) =>
        readFileSync(path.join(repositoryRoot, file), "utf8"),
      ),
    ).toEqual(committed);
  });

  it("publishes to a private registry as documented, and a fresh project installs from it and runs `pulumi up`", async () => {
    const dist = path.join(releaseRoot, "dist-release");
    const registryDir = path.join(releaseRoot, "registry");
    mkdirSync(registryDir);
    registry = await startLocalRegistry(registryDir);
    const stepEnv = {
      ...process.env,
      VERSION,
      REGISTRY: registry.url,
      NPM_CONFIG_USERCONFIG: registry.userconfig,
    };
    await run(
      "bash",
      ["-euo", "pipefail", "-c", markedShellBlock(distributionDoc, "distribution-steps: publish")],
      {
        cwd: releaseRoot,
        env: stepEnv,
      },
    );

    // A fresh project outside the repository. The registry has no uplinks, so what the two packages depend
    // on comes from the public registry first (a team's registry would proxy it).
    const project = workspaceScratchDir("release-project");
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "dpod-release-check", private: true }),
    );
    copyFileSync(
      path.join(repositoryRoot, "examples", "quickstart", "Pulumi.yaml"),
      path.join(project, "Pulumi.yaml"),
    );
    copyFileSync(
      path.join(repositoryRoot, "examples", "quickstart", "index.ts"),
      path.join(project, "index.ts"),
    );
    const thirdParty = [`pulumi-dpod-${VERSION}.tgz`, `dpod-emulator-${VERSION}.tgz`].flatMap((tarball) =>
      Object.entries(manifestOf(path.join(dist, tarball)).dependencies ?? {}).map(
        ([name, spec]) => `${name}@${spec}`,
      ),
    );
    await run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--loglevel=error",
        `@pulumi/pulumi@${currentLane().sdk}`,
        "typescript@~5.9.3",
        "ts-node@^10.9.2",
        "@types/node@^20",
        ...thirdParty,
      ],
      { cwd: project },
    );
    await run(
      "bash",
      ["-euo", "pipefail", "-c", markedShellBlock(distributionDoc, "distribution-steps: install")],
      {
        cwd: project,
        // The registry cannot serve @pulumi/pulumi's metadata for npm's peer-dependency check (see above).
        env: { ...stepEnv, npm_config_legacy_peer_deps: "true" },
      },
    );
    // What was installed is the release, byte for byte: the lockfile records each tarball's hash.
    const lock = JSON.parse(readFileSync(path.join(project, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; integrity?: string }>;
    };
    for (const name of ["pulumi-dpod", "dpod-emulator"]) {
      const tarball = readFileSync(path.join(dist, `${name}-${VERSION}.tgz`));
      expect(lock.packages[`node_modules/${name}`]).toMatchObject({
        version: VERSION,
        integrity: `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
      });
    }

    const started = await startNpxEmulator(project);
    emulator = started.child;
    const stack = await PulumiStack.create({ projectDir: project });
    try {
      await configureForSeed(stack, started.info);
      const up = await stack.up();
      expect({ code: up.code, stderr: up.code === 0 ? "" : up.stderr }).toEqual({ code: 0, stderr: "" });
      expect((await stack.outputs()).ciClientSecret).toBe("[secret]");
      // The provider that ran is the release installed from the registry.
      const installed = JSON.parse(
        readFileSync(path.join(project, "node_modules", "pulumi-dpod", "package.json"), "utf8"),
      ) as { version: string };
      expect(installed.version).toBe(VERSION);
      expect(await stack.exportText()).toContain("pulumi-dpod/dist/provider/dynamic-providers/");
      expect((await stack.destroy()).code).toBe(0);
    } finally {
      stack.dispose();
    }
  });
});
