/**
 * CPU time and peak memory of a Pulumi command's processes, by role, read from /proc (Linux only): what the
 * engine-floor benchmark uses to say where a phase's time goes. The tree is sampled every 100 ms while the
 * command runs; each process counts with its last sample, so a process that lives under 100 ms is missed
 * and one that ends counts up to 100 ms short. Good enough for phases of seconds.
 */
import { readFileSync } from "node:fs";
import { processTree } from "../../scripts/lib/process-tree";

export type ProcessRole = "engine" | "language host" | "program" | "dynamic provider" | "other";

export interface ProcessUsage {
  /** User plus system CPU seconds, summed over the processes of each role. */
  cpuSeconds: Record<ProcessRole, number>;
  /** The largest VmHWM (peak resident set) of one process of each role, in MB. */
  peakMb: Record<ProcessRole, number>;
}

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

function roleOf(pid: number): ProcessRole | undefined {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    if (comm === "pulumi") return "engine";
    if (comm.startsWith("pulumi-language")) return "language host";
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (cmdline.includes("dynamic-provider")) return "dynamic provider";
    if (comm === "node" || comm === "MainThread") return "program";
    return "other";
  } catch {
    return undefined; // ended while looked at
  }
}

/** User plus system CPU seconds a process has used so far; undefined once it has ended. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(command)": state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function peakKbOf(pid: number): number {
  try {
    const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return hwm ? Number(hwm[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples the processes under `root()` (re-evaluated each time: the command's pid may not exist yet) until
 * `done` settles, and sums their use by role.
 */
export async function measureProcessUsage(
  root: () => number | undefined,
  done: Promise<unknown>,
): Promise<ProcessUsage> {
  const last = new Map<number, { role: ProcessRole; cpu: number; peakKb: number }>();
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => undefined);
  while (!finished) {
    const pid = root();
    for (const member of pid === undefined ? [] : processTree(pid)) {
      // Look again while a process is unrecognized (a forked child runs the shell before it execs node);
      // keep a role once known (an ended process that is not yet reaped has no command line).
      const previous = last.get(member)?.role;
      const role = previous !== undefined && previous !== "other" ? previous : roleOf(member);
      const cpu = cpuSecondsOf(member);
      if (role === undefined || cpu === undefined) continue;
      const peakKb = Math.max(last.get(member)?.peakKb ?? 0, peakKbOf(member));
      last.set(member, { role, cpu, peakKb });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const zero = (): Record<ProcessRole, number> => ({
    engine: 0,
    "language host": 0,
    program: 0,
    "dynamic provider": 0,
    other: 0,
  });
  const usage: ProcessUsage = { cpuSeconds: zero(), peakMb: zero() };
  for (const { role, cpu, peakKb } of last.values()) {
    usage.cpuSeconds[role] += cpu;
    usage.peakMb[role] = Math.max(usage.peakMb[role], Math.round(peakKb / 1024));
  }
  return usage;
}
