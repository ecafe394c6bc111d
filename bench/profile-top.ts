/**
 * Summarizes V8 CPU profiles (`node --cpu-prof` output, e.g. from `npm run bench:engine-floor -- --cpu-prof
 * DIR`): total sampled time, then the functions with the most self time and the packages or files they
 * belong to, so a reader sees where a process spends its CPU without opening a profiler.
 *
 *   npm run profile:top -- .tmp/profiles/dpod-200/dynamic-provider-*.cpuprofile [--top 25]
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";

/** The parts of the .cpuprofile format (Chrome DevTools Profile) read here. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  timeDeltas: number[];
}

/** "node_modules/@scope/name" or "node_modules/name" of a script URL; else its path from the repository. */
function ownerOf(url: string): string {
  if (url === "") return "(native or idle)";
  if (url.startsWith("node:")) return "node core";
  const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return match ? match[1]! : fileOf(url);
}

/** A script URL shortened to its path inside node_modules, or from the working directory. */
function fileOf(url: string): string {
  if (url.startsWith("node:")) return url;
  const inPackage = /.*node_modules\/(.*)/.exec(url);
  return inPackage ? inPackage[1]! : path.relative(process.cwd(), url.replace(/^file:\/\//, ""));
}

function summarize(file: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfByFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((nodeId, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const frame = frames.get(nodeId)!;
    if (frame.functionName === "(idle)") return;
    total += micros;
    const where = frame.url ? `${fileOf(frame.url)}:${frame.lineNumber + 1}` : ownerOf(frame.url);
    const name = `${frame.functionName || "(anonymous)"} ${where}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + micros);
    const owner = ownerOf(frame.url);
    selfByOwner.set(owner, (selfByOwner.get(owner) ?? 0) + micros);
  });
  const line = (label: string, micros: number) =>
    `  ${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / Math.max(total, 1)).toFixed(1).padStart(5)}%  ${label}`;
  const ranked = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms busy`);
  console.log(" self time by package or file:");
  for (const [owner, micros] of ranked(selfByOwner)) console.log(line(owner, micros));
  console.log(" self time by function:");
  for (const [name, micros] of ranked(selfByFunction)) console.log(line(name, micros));
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: "string", default: "20" } },
});
if (positionals.length === 0) {
  console.error("usage: npm run profile:top -- <file.cpuprofile>... [--top N]");
  process.exit(2);
}
for (const file of positionals) summarize(file, Number(values.top));
