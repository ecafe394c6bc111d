/**
 * Where the Pulumi engine binaries come from, for the demo and the e2e tests.
 *
 * Contract: `PULUMI_ENGINE_DIR`, when set, names a directory holding an existing `pulumi` CLI (and its
 * language host and dynamic-provider plugin, as a normal Pulumi install has them); otherwise the engine is
 * built into `.pulumi-engine/bin` by scripts/pulumi-engine/build.sh (the first build downloads Go modules
 * through the Go module proxy), which reuses a matching build.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";

export const repositoryRoot = path.resolve(__dirname, "..", "..");

export function engineBinDir(): string {
  const configured = process.env.PULUMI_ENGINE_DIR;
  return configured ? path.resolve(configured) : path.join(repositoryRoot, ".pulumi-engine", "bin");
}

/** Builds the engine unless PULUMI_ENGINE_DIR points at one; throws with the build's own message on failure. */
export function ensureEngine(): string {
  const dir = engineBinDir();
  if (process.env.PULUMI_ENGINE_DIR) {
    if (!existsSync(path.join(dir, "pulumi"))) {
      throw new Error(`PULUMI_ENGINE_DIR=${dir} holds no 'pulumi' executable`);
    }
    return dir;
  }
  const build = spawnSync("bash", [path.join(repositoryRoot, "scripts", "pulumi-engine", "build.sh")], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (build.status !== 0) {
    throw new Error(`building the Pulumi engine failed (exit ${build.status}); see the [engine] lines above`);
  }
  return dir;
}
