/**
 * Where the Pulumi engine binaries come from, for the demo and the e2e tests.
 *
 * Contract: `PULUMI_ENGINE_DIR`, when set, names a directory holding an existing `pulumi` CLI (and its
 * language host and dynamic-provider plugin, as a normal Pulumi install has them); otherwise the engine of
 * the test lane in effect (scripts/lib/lanes.ts) is built by scripts/pulumi-engine/build.sh <version> (the
 * first build downloads Go modules through the Go module proxy), which reuses a matching build: the
 * development pin in `.pulumi-engine/bin`, any other version in `.pulumi-engine/<version>/bin`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { currentLane } from "./lanes";

export const repositoryRoot = path.resolve(__dirname, "..", "..");

/** The version build.sh builds without an argument; it lives in .pulumi-engine/bin. */
export const DEVELOPMENT_ENGINE = "v3.248.0";

/** The engine version of the lane in effect. */
export function engineVersion(): string {
  return currentLane().cli;
}

export function engineBinDir(version: string = engineVersion()): string {
  const configured = process.env.PULUMI_ENGINE_DIR;
  if (configured) return path.resolve(configured);
  return version === DEVELOPMENT_ENGINE
    ? path.join(repositoryRoot, ".pulumi-engine", "bin")
    : path.join(repositoryRoot, ".pulumi-engine", version, "bin");
}

/** Builds the engine unless PULUMI_ENGINE_DIR points at one; throws with the build's own message on failure. */
export function ensureEngine(version: string = engineVersion()): string {
  const dir = engineBinDir(version);
  if (process.env.PULUMI_ENGINE_DIR) {
    if (!existsSync(path.join(dir, "pulumi"))) {
      throw new Error(`PULUMI_ENGINE_DIR=${dir} holds no 'pulumi' executable`);
    }
    return dir;
  }
  const build = spawnSync(
    "bash",
    [path.join(repositoryRoot, "scripts", "pulumi-engine", "build.sh"), version],
    {
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (build.status !== 0) {
    throw new Error(`building the Pulumi engine failed (exit ${build.status}); see the [engine] lines above`);
  }
  return dir;
}
