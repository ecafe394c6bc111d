/**
 * The CLI of the `dpod-emulator` workspace package, as TypeScript source, for scripts that run the emulator
 * in a child process through ts-node (the benchmarks): found through the package's own resolution, like any
 * dependency, but from source so that no build of emulator/dist is needed first.
 */
import * as path from "node:path";

export function emulatorCliSource(): string {
  return path.join(path.dirname(require.resolve("dpod-emulator/package.json")), "cli.ts");
}
