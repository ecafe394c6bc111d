/**
 * pulumi-dpod against the engine floor (a benchmark script, not a timed test): `npm run bench:engine-floor`.
 *
 * The same program shape, N/2 subscriber groups and N/2 users, runs through pulumi-dpod and through no-op
 * dynamic resources (what Pulumi itself costs), phase by phase and interleaved so both see the same
 * machine: up (create), preview --refresh, up (update every object), refresh, destroy. The emulator runs as
 * a separate process. For each N it prints seconds per phase for both, their ratio, the API calls of each
 * pulumi-dpod phase (from the emulator's request log), the peak resident memory of the dynamic-provider
 * process (pulumi-dpod's and the floor's), and the CPU seconds of each process (engine, program, dynamic
 * provider, emulator), which show where a difference goes; at the end it writes docs/performance-chart.svg
 * (time against N for both).
 *
 *   npm run bench:engine-floor                 # N = 200 and 1000
 *   npm run bench:engine-floor -- --sizes 200  # one size
 *   npm run bench:engine-floor -- --repeat 5   # runs of preview --refresh and refresh (median counts)
 *   npm run bench:engine-floor -- --lane node24  # programs and providers on a test lane's Node.js, SDK and CLI
 *   npm run bench:engine-floor -- --sizes 200 --concurrency 1,2,4,8,16 [--latency-ms 100] [--rate-limited 0.2]
 *       # instead: up and destroy of pulumi-dpod per dpod:maxConcurrency, every API call delayed
 *   npm run bench:engine-floor -- --sizes 200 --floor-outputs
 *       # the floor's no-op resources also register the property names pulumi-dpod's classes register
 *       # (Pulumi's program-side cost is per registered property, defined or not)
 *   npm run bench:engine-floor -- --sizes 200 --cpu-prof .tmp/profiles
 *       # also writes V8 CPU profiles of every node process, per program and size; summarize one with
 *       # `npm run profile:top -- <file.cpuprofile>`
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ensureEngine, repositoryRoot } from "../scripts/lib/engine";
import {
  emulatorAdmin,
  startEmulatorProcess,
  type EmulatorProcessInfo,
} from "../scripts/lib/emulator-process";
import { currentLane, laneNamed, laneNodeDir } from "../scripts/lib/lanes";
import { installProgramWorkspace } from "../scripts/lib/program-workspace";
import { processTree } from "../scripts/lib/process-tree";
import { cpuSecondsOf, measureProcessUsage, type ProcessRole, type ProcessUsage } from "./lib/process-usage";
import { PulumiStack, type PulumiResult } from "../scripts/lib/pulumi-cli";
import { registeredProperties, type RegisteredProperties } from "./lib/sdk-outputs";
import { configureForSeed } from "../scripts/lib/seeded-stack-config";

const PHASES = ["up (create)", "preview --refresh", "up (update)", "refresh", "destroy"] as const;
type Phase = (typeof PHASES)[number];
/** The phases that leave the stack as it was, so they can run several times in a row. */
const IDEMPOTENT: ReadonlySet<Phase> = new Set(["preview --refresh", "refresh"]);

interface Measured {
  seconds: number;
  usage: ProcessUsage;
  cpu: Record<ProcessRole | "emulator", number>;
}

/** The run with the median time (the upper one of an even count). */
function median(runs: Measured[]): Measured {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}

/**
 * The program's arguments for each group and user, as TypeScript expressions of its loop (`i`, `round`,
 * `config`, `connection`): written once, so that the `--floor-outputs` probe builds its resources with the
 * same input names.
 */
const GROUP_ARGS: Record<string, string> = { name: "`group-${i}`", description: "`round ${round}`" };
const USER_ARGS: Record<string, string> = {
  username: "`user-${i}@example.com`",
  givenName: "`Round ${round}`",
  familyName: "`Number ${i}`",
  accountRole: '"dpod.tenant.admin"',
  tenantId: 'config.require("tenantId")',
  connection: "connection",
};

/** An object literal of those expressions. */
const objectLiteral = (args: Record<string, string>) =>
  `{ ${Object.entries(args)
    .map(([name, expression]) => `${name}: ${expression}`)
    .join(", ")} }`;

/**
 * The program shape; `dpod` uses the package, `noop` a dynamic provider that does nothing. With
 * `floorOutputs`, the no-op resources also register those property names (undefined until the provider
 * answers), as pulumi-dpod's classes do.
 */
function program(kind: "dpod" | "noop", n: number, floorOutputs?: RegisteredProperties): string {
  const half = Math.floor(n / 2);
  const unset = (names: string[] = []) =>
    `Object.fromEntries(${JSON.stringify(names)}.map((name) => [name, undefined]))`;
  const head =
    kind === "dpod"
      ? `import * as dpod from "pulumi-dpod";
const Group = dpod.SubscriberGroup;
const User = dpod.User;`
      : `const noop: pulumi.dynamic.ResourceProvider = {
  async create(inputs) { return { id: require("crypto").randomUUID(), outs: inputs }; },
  async read(id, props) { return { id, props, inputs: props }; },
  async update(_id, _olds, news) { return { outs: news }; },
  async delete() {},
};
const groupOutputs = ${unset(floorOutputs?.SubscriberGroup)};
const userOutputs = ${unset(floorOutputs?.User)};
class Group extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, unknown>) { super(noop, name, { ...groupOutputs, ...args }, undefined, "noop", "Group"); }
}
class User extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, unknown>) { super(noop, name, { ...userOutputs, ...args }, undefined, "noop", "User"); }
}`;
  return `import * as pulumi from "@pulumi/pulumi";
${head}
const config = new pulumi.Config();
const round = config.get("round") ?? "1";
const connection = { clientId: config.require("spClientId"), clientSecret: config.requireSecret("spClientSecret") };
for (let i = 0; i < ${half}; i++) {
  new Group(\`group-\${i}\`, ${objectLiteral(GROUP_ARGS)});
  new User(\`user-\${i}\`, ${objectLiteral(USER_ARGS)});
}
`;
}

/** A stack of the benchmark program in a directory of its own, configured for the emulator's seed. */
async function createStack(
  kind: "dpod" | "noop",
  n: number,
  workspace: string,
  info: EmulatorProcessInfo,
  floorOutputs?: RegisteredProperties,
): Promise<PulumiStack> {
  const dir = mkdtempSync(path.join(workspace, `${kind}-${n}-`));
  writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-${kind}\nruntime: nodejs\n`);
  writeFileSync(path.join(dir, "index.ts"), program(kind, n, floorOutputs));
  const stack = await PulumiStack.create({ projectDir: dir, timeoutMs: 3_600_000 });
  await configureForSeed(stack, info);
  return stack;
}

/** Runs a Pulumi command and fails the benchmark when it fails: its time would mean nothing. */
async function succeeded(run: Promise<PulumiResult>): Promise<void> {
  const result = await run;
  if (result.code !== 0)
    throw new Error(`${result.command} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
}

/**
 * The request-concurrency sweep (`--concurrency 1,2,4,8,16`): with every API call delayed by `latencyMs`
 * (a real tenant is an Internet round trip away, the emulator a loopback one), times `up` (create) and
 * `destroy` of the pulumi-dpod program for each dpod:maxConcurrency value; with `--rate-limited 0.2`, that
 * share of requests is answered 429 (Retry-After: 1 s) first, to see what a rate limit costs.
 */
async function sweepConcurrency(
  n: number,
  workspace: string,
  values: number[],
  latencyMs: number,
  rateLimitedShare: number,
) {
  const emulatorProcess = await startEmulatorProcess();
  const { info } = emulatorProcess;
  try {
    // A rate limit as DPoD would answer it: that share of requests refused with 429 and Retry-After: 1.
    if (rateLimitedShare > 0)
      await emulatorAdmin(info, "POST", "faults", {
        route: "*",
        kind: "status",
        status: 429,
        retryAfter: "1",
        rate: rateLimitedShare,
      });
    await emulatorAdmin(info, "POST", "faults", { route: "*", kind: "latency", latencyMs });
    const stack = await createStack("dpod", n, workspace, info);
    for (const value of values) {
      await stack.setConfig("dpod:maxConcurrency", String(value));
      const timed = async (run: () => Promise<PulumiResult>) => {
        const started = Date.now();
        await succeeded(run());
        return (Date.now() - started) / 1000;
      };
      await emulatorAdmin(info, "DELETE", "requests");
      const create = await timed(() => stack.up());
      const destroy = await timed(() => stack.destroy());
      const { total } = (await emulatorAdmin(info, "GET", "requests")) as { total: number };
      console.log(
        `N=${n}, ${latencyMs} ms per API call, ${Math.round(rateLimitedShare * 100)}% answered 429, ` +
          `maxConcurrency ${String(value).padStart(2)}: up (create) ${create.toFixed(1)} s, ` +
          `destroy ${destroy.toFixed(1)} s, ${total} requests`,
      );
    }
    stack.dispose();
  } finally {
    await emulatorProcess.stop();
  }
}

interface PhaseResult {
  dpod: number;
  noop: number;
  calls: number;
  byRoute: Record<string, number>;
  /** Peak resident memory of the pulumi-dpod dynamic-provider process, and of the floor's. */
  peakMb: number;
  floorPeakMb: number;
  /** CPU seconds by process, for each program: where the difference goes. */
  cpu: Record<"dpod" | "noop", Record<ProcessRole | "emulator", number>>;
}

interface RunOptions {
  /** Runs of each idempotent phase (the median counts). */
  repeat: number;
  /** Where every node process writes a V8 CPU profile; none when undefined. */
  cpuProfileDir?: string;
  /** Property names the floor's resources register besides their inputs (`--floor-outputs`). */
  floorOutputs?: RegisteredProperties;
}

async function runSize(
  n: number,
  workspace: string,
  { repeat, cpuProfileDir, floorOutputs }: RunOptions,
): Promise<Record<Phase, PhaseResult>> {
  const emulatorProcess = await startEmulatorProcess();
  const { child, info } = emulatorProcess;
  try {
    const stacks = {} as Record<"dpod" | "noop", PulumiStack>;
    for (const kind of ["dpod", "noop"] as const) {
      stacks[kind] = await createStack(kind, n, workspace, info, floorOutputs);
      // Every node process of the run (program, dynamic provider) writes a V8 CPU profile when it ends.
      if (cpuProfileDir !== undefined) {
        stacks[kind].setEnv(
          "NODE_OPTIONS",
          `--require ${path.join(__dirname, "lib", "cpu-profile-preload.js")}`,
        );
        stacks[kind].setEnv("DPOD_CPU_PROFILE_DIR", path.resolve(cpuProfileDir, `${kind}-${n}`));
      }
    }
    const commands: Record<Phase, (stack: PulumiStack) => Promise<void>> = {
      "up (create)": (s) => succeeded(s.up()),
      "preview --refresh": (s) => succeeded(s.preview(["--refresh"])),
      "up (update)": (s) => succeeded(s.up()),
      refresh: (s) => succeeded(s.refresh()),
      destroy: (s) => succeeded(s.destroy()),
    };
    const results = {} as Record<Phase, PhaseResult>;
    for (const phase of PHASES) {
      // The update phase changes every object: a new "round" in both programs' config, set untimed.
      if (phase === "up (update)")
        for (const stack of Object.values(stacks)) await stack.setConfig("round", "2");
      // Each run is timed, its processes sampled for CPU and memory, and the emulator's CPU read around it.
      const measured = async (kind: "dpod" | "noop"): Promise<Measured> => {
        const emulatorBefore = cpuSecondsOf(child.pid!) ?? 0;
        const started = Date.now();
        const run = commands[phase](stacks[kind]);
        const usage = await measureProcessUsage(findPulumi, run);
        await run;
        const seconds = (Date.now() - started) / 1000;
        const emulator = (cpuSecondsOf(child.pid!) ?? 0) - emulatorBefore;
        return { seconds, usage, cpu: { ...usage.cpuSeconds, emulator } };
      };
      // Phases that change nothing (preview --refresh, refresh) run `repeat` times, interleaved, and count
      // by their median run: one run of a few seconds is too noisy to compare.
      const runs = IDEMPOTENT.has(phase) ? repeat : 1;
      const dpodRuns: Measured[] = [];
      const noopRuns: Measured[] = [];
      let report: { total: number; byRoute: Record<string, number> } | undefined;
      for (let i = 0; i < runs; i++) {
        await emulatorAdmin(info, "DELETE", "requests");
        dpodRuns.push(await measured("dpod"));
        report ??= (await emulatorAdmin(info, "GET", "requests")) as typeof report;
        noopRuns.push(await measured("noop"));
      }
      const dpodRun = median(dpodRuns);
      const noopRun = median(noopRuns);
      results[phase] = {
        dpod: dpodRun.seconds,
        noop: noopRun.seconds,
        calls: report!.total,
        byRoute: report!.byRoute,
        peakMb: Math.max(...dpodRuns.map((run) => run.usage.peakMb["dynamic provider"])),
        floorPeakMb: Math.max(...noopRuns.map((run) => run.usage.peakMb["dynamic provider"])),
        cpu: { dpod: dpodRun.cpu, noop: noopRun.cpu },
      };
      const r = results[phase];
      console.log(
        `N=${n} ${phase.padEnd(18)} pulumi-dpod ${r.dpod.toFixed(1)} s, floor ${r.noop.toFixed(1)} s, ` +
          `ratio ${(r.dpod / r.noop).toFixed(2)}, ${r.calls} API calls, ` +
          `provider peak ${r.peakMb} MB (floor's ${r.floorPeakMb} MB)`,
      );
      for (const kind of ["dpod", "noop"] as const) {
        const parts = Object.entries(r.cpu[kind])
          .filter(([, seconds]) => seconds > 0)
          .map(([role, seconds]) => `${role} ${seconds.toFixed(1)}`);
        console.log(`  CPU seconds, ${kind === "dpod" ? "pulumi-dpod" : "floor"}: ${parts.join(", ")}`);
      }
    }
    for (const stack of Object.values(stacks)) stack.dispose();
    return results;
  } finally {
    await emulatorProcess.stop();
  }
}

/** The pid of this process's `pulumi` child, if one runs (the dynamic provider is among its descendants). */
function findPulumi(): number | undefined {
  for (const pid of processTree(process.pid).slice(1)) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "pulumi") return pid;
    } catch {
      // ended
    }
  }
  return undefined;
}

function chart(results: Map<number, Record<Phase, PhaseResult>>): string {
  const sizes = [...results.keys()].sort((a, b) => a - b);
  const width = 720;
  const height = 420;
  const left = 70;
  const bottom = 50;
  const top = 30;
  const right = 200;
  const max = Math.max(
    ...[...results.values()].flatMap((r) => PHASES.flatMap((p) => [r[p].dpod, r[p].noop])),
    1,
  );
  const x = (n: number) =>
    left +
    (sizes.length === 1 ? 0.5 : (n - sizes[0]!) / (sizes.at(-1)! - sizes[0]!)) * (width - left - right);
  const y = (s: number) => height - bottom - (s / max) * (height - bottom - top);
  const colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"];
  const lines: string[] = [];
  PHASES.forEach((phase, i) => {
    for (const kind of ["dpod", "noop"] as const) {
      const points = sizes
        .map((n) => `${x(n).toFixed(1)},${y(results.get(n)![phase][kind]).toFixed(1)}`)
        .join(" ");
      const dash = kind === "noop" ? ' stroke-dasharray="6 4"' : "";
      lines.push(`<polyline fill="none" stroke="${colors[i]}" stroke-width="2"${dash} points="${points}"/>`);
      for (const n of sizes) {
        lines.push(
          `<circle cx="${x(n).toFixed(1)}" cy="${y(results.get(n)![phase][kind]).toFixed(1)}" r="3" fill="${colors[i]}"/>`,
        );
      }
    }
    const ly = top + 20 + i * 22;
    lines.push(
      `<line x1="${width - right + 20}" y1="${ly}" x2="${width - right + 45}" y2="${ly}" stroke="${colors[i]}" stroke-width="2"/>`,
    );
    lines.push(`<text x="${width - right + 50}" y="${ly + 4}" font-size="12">${phase}</text>`);
  });
  const ticks = sizes.map(
    (n) =>
      `<text x="${x(n)}" y="${height - bottom + 18}" font-size="12" text-anchor="middle">N = ${n}</text>`,
  );
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map(
    (f) =>
      `<text x="${left - 8}" y="${y(f * max) + 4}" font-size="11" text-anchor="end">${(f * max).toFixed(0)} s</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<rect width="100%" height="100%" fill="white"/>
<text x="${left}" y="18" font-size="14">Seconds per phase against N: pulumi-dpod (solid) and no-op dynamic resources (dashed)</text>
<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="black"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="black"/>
${[...ticks, ...yTicks, ...lines].join("\n")}
<text x="${width - right + 20}" y="${top + 20 + PHASES.length * 22 + 10}" font-size="11">solid: pulumi-dpod</text>
<text x="${width - right + 20}" y="${top + 20 + PHASES.length * 22 + 26}" font-size="11">dashed: engine floor</text>
</svg>
`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "200,1000" },
      repeat: { type: "string", default: "3" },
      "cpu-prof": { type: "string" },
      concurrency: { type: "string" },
      "latency-ms": { type: "string", default: "100" },
      "rate-limited": { type: "string", default: "0" },
      "floor-outputs": { type: "boolean", default: false },
      lane: { type: "string" },
    },
  });
  // A test lane's runtimes for the programs and providers (Node.js, SDK, CLI); this script's own Node.js
  // does not matter, it only drives the CLI.
  if (values.lane !== undefined) {
    process.env.DPOD_TEST_LANE = laneNamed(values.lane).name;
    const nodeDir = laneNodeDir(currentLane());
    if (nodeDir !== undefined) process.env.DPOD_LANE_NODE_DIR = nodeDir;
  }
  const sizes = values.sizes.split(",").map(Number);
  ensureEngine();
  const workspace = mkdtempSync(path.join(os.tmpdir(), "pulumi-dpod-bench-"));
  // The workspace holds a full install (about 140 MB): removed however the run ends.
  try {
    installProgramWorkspace(workspace, (line) => console.log(line));
    if (values.concurrency !== undefined) {
      const settings = values.concurrency.split(",").map(Number);
      for (const n of sizes)
        await sweepConcurrency(
          n,
          workspace,
          settings,
          Number(values["latency-ms"]),
          Number(values["rate-limited"]),
        );
      return;
    }
    // The program's input names, with placeholder values: the SDK registers what a program gives it.
    const placeholders = (args: Record<string, string>) =>
      Object.fromEntries(
        Object.keys(args).map((name) => [
          name,
          name === "connection" ? { clientId: "probe", clientSecret: "probe" } : "probe",
        ]),
      );
    const floorOutputs = values["floor-outputs"]
      ? await registeredProperties(placeholders(USER_ARGS), placeholders(GROUP_ARGS))
      : undefined;
    if (floorOutputs !== undefined)
      console.log(
        `the floor's User registers ${floorOutputs.User.join(", ")}; its Group ${floorOutputs.SubscriberGroup.join(", ")}`,
      );
    const results = new Map<number, Record<Phase, PhaseResult>>();
    for (const n of sizes)
      results.set(
        n,
        await runSize(n, workspace, {
          repeat: Number(values.repeat),
          cpuProfileDir: values["cpu-prof"],
          floorOutputs,
        }),
      );
    console.log(
      "\nphase              " + sizes.map((n) => `N=${n}: dpod / floor = ratio, calls`.padEnd(40)).join(""),
    );
    for (const phase of PHASES) {
      console.log(
        phase.padEnd(19) +
          sizes
            .map((n) => {
              const r = results.get(n)![phase];
              return `${r.dpod.toFixed(1)} / ${r.noop.toFixed(1)} = ${(r.dpod / r.noop).toFixed(2)}, ${r.calls}`.padEnd(
                40,
              );
            })
            .join(""),
      );
    }
    const svg = path.join(repositoryRoot, "docs", "performance-chart.svg");
    writeFileSync(svg, chart(results));
    console.log(`\nwrote ${path.relative(repositoryRoot, svg)}`);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
