/**
 * The jest part of `npm test`, lane by lane (scripts/lib/lanes.ts).
 *
 *   npm test                          # development lane: unit, integration and e2e on Node 20 + 3.248.0,
 *                                     # then the dialect lane (the core scenario in every DPoD dialect)
 *   CI=true npm test                  # those, then the e2e tests of every other lane (what .ci/run does)
 *   npm test -- --lane node24         # the development lane's unit and integration tests, then one lane's e2e
 *   npm test -- --lane all            # every lane, as CI
 *
 * Each lane runs in its own jest process on the lane's Node.js, with DPOD_TEST_LANE naming it; its header
 * says which Node.js, SDK and CLI it used and its end says how long it took. The last line is the sum over
 * all lanes in the form CI reads ("lanes: N passed, N failed").
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryRoot } from "./lib/engine";
import { DEFAULT_LANE, LANES, laneNamed, laneNodeDir, type Lane } from "./lib/lanes";

interface LaneResult {
  lane: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  header: string;
}

function lanesToRun(args: string[]): { lanes: Lane[]; developmentProjects: string[] } {
  const requested = args.flatMap((arg, i) => (arg === "--lane" ? [args[i + 1] ?? ""] : []));
  const all = requested.includes("all") || (requested.length === 0 && process.env.CI === "true");
  if (all) return { lanes: Object.values(LANES), developmentProjects: ["unit", "integration", "e2e"] };
  if (requested.length === 0)
    return {
      lanes: [laneNamed(DEFAULT_LANE), laneNamed("dialects")],
      developmentProjects: ["unit", "integration", "e2e"],
    };
  const lanes = requested.map(laneNamed);
  // Unit and integration tests do not depend on the lane: they run once, on the development lane.
  const developmentProjects = lanes.some((lane) => lane.name === DEFAULT_LANE)
    ? ["unit", "integration", "e2e"]
    : ["unit", "integration"];
  if (!lanes.some((lane) => lane.name === DEFAULT_LANE)) lanes.unshift(laneNamed(DEFAULT_LANE));
  return { lanes, developmentProjects };
}

function runLane(lane: Lane, projects: string[]): LaneResult {
  const started = Date.now();
  const nodeDir = laneNodeDir(lane);
  const node = nodeDir === undefined ? process.execPath : path.join(nodeDir, "node");
  const nodeVersion = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  const header =
    `lane ${lane.name}: Node.js ${nodeVersion}, @pulumi/pulumi ${lane.sdk}, Pulumi CLI ${lane.cli}` +
    `${lane.typecheck ? ", programs type-checked (strict tsconfig)" : ""}; ${lane.purpose}`;
  console.log(`\n=== ${header}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "pulumi-dpod-lane-"));
  const results = path.join(scratch, "results.json");
  const jest = path.join(repositoryRoot, "node_modules", "jest", "bin", "jest.js");
  const selection = [
    ...(lane.only === undefined ? [] : ["--testPathPatterns", `(${lane.only.join("|")})\\.test\\.ts$`]),
    ...Object.keys(lane.skip ?? {}).flatMap((name) => ["--testPathIgnorePatterns", `/${name}\\.test\\.ts$`]),
  ];
  const run = spawnSync(
    node,
    [
      jest,
      ...projects.flatMap((p) => ["--selectProjects", p]),
      ...selection,
      "--json",
      "--outputFile",
      results,
    ],
    {
      cwd: repositoryRoot,
      stdio: "inherit",
      env: {
        ...process.env,
        DPOD_TEST_LANE: lane.name,
        PATH: [nodeDir, process.env.PATH].filter(Boolean).join(path.delimiter),
      },
    },
  );
  let passed = 0;
  let failed = run.status === 0 ? 0 : 1;
  let skipped = 0;
  try {
    const report = JSON.parse(readFileSync(results, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      numRuntimeErrorTestSuites: number;
      numPendingTests: number;
    };
    passed = report.numPassedTests;
    failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
    if (run.status !== 0 && failed === 0) failed = 1; // jest failed without a failing test (e.g. its setup)
    skipped = report.numPendingTests;
  } catch {
    // no report: jest did not get to run the tests; counted as one failure above
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    `=== lane ${lane.name}: ${passed} passed, ${failed} failed, ${skipped} skipped in ${seconds} s`,
  );
  return { lane: lane.name, passed, failed, skipped, seconds, header };
}

function main(): void {
  const { lanes, developmentProjects } = lanesToRun(process.argv.slice(2));
  const results = lanes.map((lane) =>
    runLane(lane, lane.name === DEFAULT_LANE ? developmentProjects : [...(lane.projects ?? ["e2e"])]),
  );
  console.log("\nLanes:");
  for (const r of results)
    console.log(`  ${r.header}\n    ${r.passed} passed, ${r.failed} failed in ${r.seconds} s`);
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  const skipped = results.reduce((sum, r) => sum + r.skipped, 0);
  console.log(`\nlanes: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 ? 1 : 0);
}

main();
