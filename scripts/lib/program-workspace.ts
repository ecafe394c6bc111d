/**
 * A directory where Pulumi programs run with pulumi-dpod installed the way users install it: from the
 * package tarball (`npm pack`), as a real directory under node_modules, never as a `file:` symlink.
 *
 * Why: the dynamic-provider closure serializer captures modules under node_modules as `require("<name>")`
 * but copies everything else by value (pulumi-mechanics.md §B3), and the dynamic-provider plugin resolves
 * `require` from the project directory. Only a real install shows what users will get, including a small
 * `__provider` and a complete dependency list.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { repositoryRoot } from "./engine";

/** Versions installed beside pulumi-dpod: the pinned SDK, and TypeScript so the SDK never falls back to TS 3.8. */
const programDependencies = [
  "@pulumi/pulumi@3.248.0",
  "typescript@~5.9.3",
  "ts-node@^10.9.2",
  "@types/node@^20",
];

/**
 * Builds and packs the package, then installs the tarball and the program dependencies into `dir`.
 * Programs placed in subdirectories of `dir` resolve every module from `dir/node_modules`.
 */
export function installProgramWorkspace(dir: string, log: (line: string) => void = () => {}): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log("building and packing pulumi-dpod ...");
  // `npm pack` runs the `prepare` script, which compiles the package.
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], {
    cwd: repositoryRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const tarball = packed.trim().split("\n").pop() ?? "";
  if (!readdirSync(dir).includes(tarball)) {
    throw new Error(`npm pack did not produce a tarball in ${dir} (said: ${packed.trim()})`);
  }
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "pulumi-dpod-programs", private: true, version: "0.0.0" }, null, 2),
  );
  log("installing pulumi-dpod and @pulumi/pulumi into the program workspace ...");
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
      `./${tarball}`,
      ...programDependencies,
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "inherit"] },
  );
}
