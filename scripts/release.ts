/**
 * Builds a release: versioned tarballs of every npm package of the repository (the root `pulumi-dpod` and
 * each workspace: `dpod-emulator`, and any other workspace package there is) and the Python SDK as a wheel,
 * with the release version stamped into the copies being packed, never into the committed files (the
 * generated SDKs and the plugin schema stay as they are; the native plugin reports the version of the
 * package.json it is installed with).
 *
 *   npm run release -- --version 0.2.0              (or tag HEAD v0.2.0 and leave --version out)
 *       [--out dist-release] [--no-wheel] [--allow-dirty]
 *
 * Writes into the output directory (default dist-release/): <name>-<version>.tgz per npm package,
 * pulumi_dpod-<python version>-py3-none-any.whl, and release-<version>.sha256 (`sha256sum -c` format).
 * The rules (scripts/lib/release.ts): the version comes from --version or a vX.Y.Z tag on HEAD and is never
 * the development version; an artifact already there is kept when identical and is never overwritten when
 * it differs. Refuses a working tree with uncommitted changes unless --allow-dirty. Builds are
 * reproducible: npm pack fixes file times, and the wheel is built with pinned setuptools and
 * SOURCE_DATE_EPOCH set to the commit's time, so the same commit and version give the same bytes.
 *
 * docs/distribution.md describes how teams share the result; test/e2e/release-registry.test.ts runs this
 * script, publishes its tarballs to a local registry and installs them from there.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { repositoryRoot } from "./lib/engine";
import {
  artifactDecision,
  releaseVersion,
  stampManifest,
  stampPluginJson,
  stampPyproject,
  type ReleasedManifest,
} from "./lib/release";

/** The wheel's build backend, pinned so that the same sources build the same wheel. */
const SETUPTOOLS = "setuptools==84.2.1";

interface PackReport {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

function git(args: string[]): string {
  return execFileSync("git", args, { cwd: repositoryRoot, encoding: "utf8" }).trim();
}

function log(line: string): void {
  process.stderr.write(`[release] ${line}\n`);
}

/** Packs (and so builds, through each package's prepack) every npm package of the repository. */
function packWorkspaces(destination: string): PackReport[] {
  const report = execFileSync(
    "npm",
    ["pack", "--workspaces", "--include-workspace-root", "--json", "--pack-destination", destination],
    { cwd: repositoryRoot, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(report) as PackReport[];
}

/** Unpacks one tarball, stamps its package.json, and packs it again (no scripts: it is already built). */
function restamp(
  packed: PackReport,
  from: string,
  scratch: string,
  version: string,
  releasedNames: string[],
): string {
  const dir = path.join(scratch, "stamp", packed.name.replace(/[@/]/g, "_"));
  mkdirSync(dir, { recursive: true });
  execFileSync("tar", ["-xzf", path.join(from, packed.filename), "-C", dir, "--strip-components=1"]);
  const manifestPath = path.join(dir, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as ReleasedManifest;
  writeFileSync(
    manifestPath,
    `${JSON.stringify(stampManifest(manifest, version, releasedNames), null, 2)}\n`,
  );
  const out = path.join(scratch, "stamped");
  mkdirSync(out, { recursive: true });
  // Run from the scratch directory, away from the repository's workspace configuration.
  const [repacked] = JSON.parse(
    execFileSync("npm", ["pack", dir, "--ignore-scripts", "--json", "--pack-destination", out], {
      cwd: scratch,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }),
  ) as PackReport[];
  const before = packed.files.map((f) => f.path).sort();
  const after = repacked!.files.map((f) => f.path).sort();
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    throw new Error(
      `repacking ${packed.name} changed its file list: ${before.length} files before, ${after.length} after`,
    );
  }
  return path.join(out, repacked!.filename);
}

/** Builds the Python SDK's wheel from a stamped copy of sdk/python, with the repository's LICENSE. */
function buildWheel(scratch: string, version: string, sourceDateEpoch: string): string {
  const python = process.env.PYTHON ?? "python3";
  const sdk = path.join(scratch, "python-sdk");
  cpSync(path.join(repositoryRoot, "sdk", "python"), sdk, { recursive: true });
  copyFileSync(path.join(repositoryRoot, "LICENSE"), path.join(sdk, "LICENSE"));
  const pyproject = path.join(sdk, "pyproject.toml");
  writeFileSync(pyproject, stampPyproject(readFileSync(pyproject, "utf8"), version));
  const pluginJson = path.join(sdk, "pulumi_dpod", "pulumi-plugin.json");
  writeFileSync(pluginJson, stampPluginJson(readFileSync(pluginJson, "utf8"), version));

  const venv = path.join(scratch, "venv");
  execFileSync(python, ["-m", "venv", venv], { stdio: ["ignore", "ignore", "inherit"] });
  const venvPython = path.join(venv, "bin", "python");
  const env = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1", SOURCE_DATE_EPOCH: sourceDateEpoch };
  execFileSync(venvPython, ["-m", "pip", "install", "--quiet", SETUPTOOLS], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const out = path.join(scratch, "wheel");
  execFileSync(
    venvPython,
    ["-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir", out, sdk],
    { cwd: scratch, env, stdio: ["ignore", "ignore", "inherit"] },
  );
  const wheels = readdirSync(out).filter((f) => f.endsWith(".whl"));
  if (wheels.length !== 1) throw new Error(`pip wheel left ${wheels.length} wheels in ${out}`);
  return path.join(out, wheels[0]!);
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** npm's integrity string (the one package-lock.json records). */
function integrity(data: Buffer): string {
  return `sha512-${createHash("sha512").update(data).digest("base64")}`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      version: { type: "string" },
      out: { type: "string", default: "dist-release" },
      "no-wheel": { type: "boolean", default: false },
      "allow-dirty": { type: "boolean", default: false },
    },
    strict: true,
  });
  const rootManifest = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
    version: string;
  };
  const version = releaseVersion({
    option: values.version,
    headTags: git(["tag", "--points-at", "HEAD"]).split("\n").filter(Boolean),
    developmentVersion: rootManifest.version,
  });
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]);
  if (dirty !== "" && !values["allow-dirty"]) {
    throw new Error(
      `the working tree has uncommitted changes, which the release would contain but no commit records:\n${dirty}\n` +
        "commit them, or pass --allow-dirty for a build that is not to be shared",
    );
  }
  const commit = git(["rev-parse", "HEAD"]);
  // Relative to where the script runs (`npm run` runs it at the repository root).
  const out = path.resolve(values.out);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "pulumi-dpod-release-"));
  try {
    log(`version ${version} from ${commit.slice(0, 12)}${dirty === "" ? "" : " with uncommitted changes"}`);
    log("building and packing every npm package of the repository ...");
    const packedDir = path.join(scratch, "packed");
    mkdirSync(packedDir);
    const packed = packWorkspaces(packedDir);
    const names = packed.map((p) => p.name);
    const artifacts = packed.map((p) => restamp(p, packedDir, scratch, version, names));
    if (!values["no-wheel"]) {
      log("building the Python SDK's wheel ...");
      artifacts.push(buildWheel(scratch, version, git(["log", "-1", "--format=%ct", "HEAD"])));
    }
    const sums = artifacts.map((file) => `${sha256(readFileSync(file))}  ${path.basename(file)}\n`).join("");
    const sumsFile = path.join(scratch, `release-${version}.sha256`);
    writeFileSync(sumsFile, sums);
    artifacts.push(sumsFile);

    // Every artifact is checked before any is written: a refused release leaves the directory as it was.
    const decisions = artifacts.map((file) => {
      const target = path.join(out, path.basename(file));
      const built = readFileSync(file);
      return {
        file,
        target,
        built,
        decision: artifactDecision(existsSync(target) ? readFileSync(target) : undefined, built),
      };
    });
    const conflicts = decisions.filter((d) => d.decision === "conflict");
    if (conflicts.length > 0) {
      throw new Error(
        `${conflicts.map((c) => path.relative(process.cwd(), c.target)).join(", ")} already exist with other ` +
          `content. Version ${version} was built before from different sources; a version is released once ` +
          "(lockfiles record each tarball's hash): release the changes as a new version",
      );
    }
    mkdirSync(out, { recursive: true });
    for (const { file, target, built, decision } of decisions) {
      if (decision === "write") copyFileSync(file, target);
      const note = file.endsWith(".tgz") ? `  ${integrity(built)}` : "";
      console.log(
        `${decision === "write" ? "wrote    " : "unchanged"} ${path.relative(process.cwd(), target)}${note}`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  log(`error: ${(error as Error).message}`);
  process.exitCode = 1;
}
