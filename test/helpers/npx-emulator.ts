/**
 * The emulator as a user's project runs it: `npx dpod-emulator` from the project's directory, in its own
 * process group (npx runs the emulator as a child), so that stopping it ends both.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { EmulatorProcessInfo } from "../../scripts/lib/emulator-process";

/** Starts `npx dpod-emulator --port 0` in `cwd` and reads the JSON line it prints once listening. */
export async function startNpxEmulator(
  cwd: string,
): Promise<{ child: ChildProcess; info: EmulatorProcessInfo }> {
  const child = spawn("npx", ["dpod-emulator", "--port", "0"], {
    cwd,
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.trim().startsWith("{")) return { child, info: JSON.parse(line) as EmulatorProcessInfo };
  }
  throw new Error("npx dpod-emulator exited before printing its address");
}

/** Ends the process group `startNpxEmulator` started, if it still runs. */
export function stopProcessGroup(child: ChildProcess | undefined): void {
  if (child?.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}
