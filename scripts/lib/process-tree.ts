/**
 * Ends a process and everything it started, by process id, with SIGKILL: how a test reproduces a CI runner
 * that is lost mid-run. The Pulumi CLI starts its plugins in process groups of their own, so killing the
 * CLI's group would leave them running; the tree is read from /proc instead (Linux only).
 */
import { readdirSync, readFileSync } from "node:fs";

/** The parent pid of every running process, from /proc/<pid>/stat. */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (command) state ppid ...": the command may hold spaces and parentheses, so parse after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  return parents;
}

/** `pid` and all its descendants, parents before children. */
export function processTree(pid: number): number[] {
  const parents = parentPids();
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/** SIGKILLs `pid` and its descendants; returns the pids signalled. */
export function killProcessTree(pid: number): number[] {
  const tree = processTree(pid);
  for (const member of tree) {
    try {
      process.kill(member, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return tree;
}
