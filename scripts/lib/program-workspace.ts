/**
 * A directory where Pulumi programs run with pulumi-dpod installed the way users install it: from the
 * package tarball (`npm pack`), as a real directory under node_modules, never as a `file:` symlink.
 *
 * Why: the dynamic-provider closure serializer captures modules under node_modules as `require("<name>")`
 * but copies everything else by value (docs/architecture.md, "The lifecycle"), and the dynamic-provider plugin resolves
 * `require` from the project directory. Only a real install shows what users will get, including a small
 * `__provider` and a complete dependency list.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { repositoryRoot } from "./engine";
import { currentLane, type Lane } from "./lanes";

/**
 * Versions installed beside pulumi-dpod: the lane's SDK, and TypeScript so the SDK never falls back to its
 * bundled TS 3.8, with the Node types of the lane's runtime.
 */
function programDependencies(lane: Lane): string[] {
  const nodeTypes = lane.node === "system" ? "^20" : `^${lane.node}`;
  return [`@pulumi/pulumi@${lane.sdk}`, "typescript@~5.9.3", "ts-node@^10.9.2", `@types/node@${nodeTypes}`];
}

/**
 * The tsconfig a user's project has (the shape of Pulumi's TypeScript template: strict, CommonJS), written
 * at the workspace root for lanes that type-check programs: ts-node finds it above each program's
 * directory, so every program and the package's shipped .d.ts files are checked as in a user's `pulumi up`.
 */
export const STRICT_USER_TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
};

/**
 * The npm arguments that build and pack the three packages of the repository, the provider (`pulumi-dpod`,
 * the workspace root), the emulator (`dpod-emulator`, the `emulator/` workspace) and the policy pack
 * (`pulumi-dpod-policies`, the `policies/` workspace): each package's `prepack` script compiles it.
 * docs/installation-and-configuration.md gives users the same command; the e2e install test checks that
 * the two agree.
 */
export const packArguments = [
  "pack",
  "--workspace",
  "dpod-emulator",
  "--workspace",
  "pulumi-dpod-policies",
  "--include-workspace-root",
];

export interface PackedTarballs {
  /** Absolute path of pulumi-dpod-<version>.tgz. */
  provider: string;
  /** Absolute path of dpod-emulator-<version>.tgz. */
  emulator: string;
  /** Absolute path of pulumi-dpod-policies-<version>.tgz. */
  policies: string;
}

/** One packed package as npm reports it: its name, tarball, and the paths (relative to the package) inside. */
export interface PackedPackage {
  name: string;
  tarball: string;
  files: string[];
}

/** Builds and packs the three packages into `destination`; throws unless each tarball is there afterwards. */
export function packPackages(destination: string): {
  provider: PackedPackage;
  emulator: PackedPackage;
  policies: PackedPackage;
} {
  // --json: stdout carries only npm's report (the prepack scripts' banners go to stderr).
  const report = execFileSync("npm", [...packArguments, "--json", "--pack-destination", destination], {
    cwd: repositoryRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const packed = JSON.parse(report) as Array<{
    name: string;
    filename: string;
    files: Array<{ path: string }>;
  }>;
  const packageNamed = (name: string): PackedPackage => {
    const entry = packed.find((p) => p.name === name);
    if (!entry || !readdirSync(destination).includes(entry.filename)) {
      throw new Error(`npm pack did not produce a ${name} tarball in ${destination}`);
    }
    return { name, tarball: path.join(destination, entry.filename), files: entry.files.map((f) => f.path) };
  };
  return {
    provider: packageNamed("pulumi-dpod"),
    emulator: packageNamed("dpod-emulator"),
    policies: packageNamed("pulumi-dpod-policies"),
  };
}

/**
 * Builds and packs the packages, then installs the tarballs and the program dependencies into `dir`.
 * Programs placed in subdirectories of `dir` resolve every module from `dir/node_modules`; the policy pack
 * is then `dir/node_modules/pulumi-dpod-policies` (see `installedPolicyPack`). The tarballs stay in `dir`
 * (see `packedTarballs`).
 */
export function installProgramWorkspace(
  dir: string,
  log: (line: string) => void = () => {},
  lane: Lane = currentLane(),
): PackedTarballs {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log("building and packing pulumi-dpod, dpod-emulator and pulumi-dpod-policies ...");
  const packed = packPackages(dir);
  const tarballs = {
    provider: packed.provider.tarball,
    emulator: packed.emulator.tarball,
    policies: packed.policies.tarball,
  };
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "pulumi-dpod-programs", private: true, version: "0.0.0" }, null, 2),
  );
  log(
    `installing pulumi-dpod, dpod-emulator, pulumi-dpod-policies and @pulumi/pulumi@${lane.sdk} into the program workspace ...`,
  );
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
      `./${path.basename(tarballs.provider)}`,
      `./${path.basename(tarballs.emulator)}`,
      `./${path.basename(tarballs.policies)}`,
      ...programDependencies(lane),
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "inherit"] },
  );
  if (lane.typecheck) {
    writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(STRICT_USER_TSCONFIG, null, 2)}\n`);
  }
  return tarballs;
}

/** The tarballs `installProgramWorkspace` left in `dir`. */
export function packedTarballs(dir: string): PackedTarballs {
  const find = (name: string): string => {
    // <name>-<version>.tgz: the version starts with a digit, so pulumi-dpod- never matches pulumi-dpod-policies-.
    const file = readdirSync(dir).find(
      (f) => f.startsWith(`${name}-`) && /^\d/.test(f.slice(name.length + 1)) && f.endsWith(".tgz"),
    );
    if (!file) throw new Error(`no ${name}-<version>.tgz in ${dir}`);
    return path.join(dir, file);
  };
  return {
    provider: find("pulumi-dpod"),
    emulator: find("dpod-emulator"),
    policies: find("pulumi-dpod-policies"),
  };
}

/** The policy pack's directory in a workspace made by `installProgramWorkspace`: what `--policy-pack` names. */
export function installedPolicyPack(dir: string): string {
  return path.join(dir, "node_modules", "pulumi-dpod-policies");
}
