/**
 * The emulator in a child process of its own, for the benchmarks (they measure the provider, the engine or
 * the emulator's HTTP stack, and an emulator sharing their event loop would blur what each costs) and for
 * the dialect lane's engine test (an emulator started with `--dialect`, as users start it). It runs
 * the `dpod-emulator` CLI from source (ts-node, transpile only), found through the package's own
 * resolution like any dependency, so no build of emulator/dist is needed first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import type { RunningEmulator } from "dpod-emulator";

/** What the CLI prints once listening: one JSON line. */
export type EmulatorProcessInfo = Pick<RunningEmulator, "url" | "tokenUrl" | "adminKey" | "tenants">;

export interface EmulatorProcess {
  child: ChildProcess;
  info: EmulatorProcessInfo;
  /**
   * Ends the emulator (SIGTERM, which it handles by closing its server; SIGKILL after 5 s) and waits for it
   * to exit.
   */
  stop(): Promise<void>;
}

/** The longest the CLI may take to print its address; ts-node compiles it first. */
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export function emulatorCliSource(): string {
  return path.join(path.dirname(require.resolve("dpod-emulator/package.json")), "cli.ts");
}

export interface EmulatorProcessOptions {
  /** Dialects to answer in from the start (the CLI's `--dialect`; docs/emulator.md, "Dialects"). */
  dialects?: readonly string[];
}

/**
 * Starts the emulator CLI on a free loopback port; rejects if it exits or stays silent too long (an unknown
 * dialect makes it exit at once, naming the valid ones on stderr).
 */
export async function startEmulatorProcess(options: EmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const dialects = options.dialects ?? [];
  const child = spawn(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      emulatorCliSource(),
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      ...(dialects.length > 0 ? ["--dialect", dialects.join(",")] : []),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      // It closes its server first; a client still holding a connection open must not keep us waiting.
      const kill = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill("SIGTERM");
    });
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> });
  const timer = setTimeout(() => child.kill("SIGTERM"), STARTUP_TIMEOUT_MS);
  try {
    for await (const line of lines) {
      if (line.trim().startsWith("{")) return { child, info: JSON.parse(line) as EmulatorProcessInfo, stop };
    }
  } finally {
    clearTimeout(timer);
  }
  throw new Error("the emulator exited before printing its address");
}

/** Calls the emulator's admin API (`/_emulator/<route>`: faults, request log) and returns its JSON answer. */
export async function emulatorAdmin(
  info: EmulatorProcessInfo,
  method: string,
  route: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${info.url}/_emulator/${route}`, {
    method,
    headers: {
      "x-emulator-admin-key": info.adminKey,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator admin ${method} ${route}: HTTP ${response.status}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}
