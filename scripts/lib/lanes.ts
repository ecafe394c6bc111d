/**
 * The test lanes: the runtime combinations the end-to-end tests run on. Each lane fixes the Node.js that
 * runs the programs and providers, the @pulumi/pulumi SDK the program workspace installs, the Pulumi CLI
 * (engine) built for it, whether programs are type-checked as a user's `pulumi up` type-checks them, and
 * which e2e tests run. README "Requirements" lists them; scripts/test-lanes.ts runs them.
 *
 * The lane in effect is named by DPOD_TEST_LANE (default: the development pin).
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const repositoryRoot = path.resolve(__dirname, "..", "..");

export interface Lane {
  name: string;
  /** "system": the node on PATH (the development machine's Node 20); else the major version to install. */
  node: "system" | "22" | "24";
  /** The @pulumi/pulumi version installed beside programs. */
  sdk: string;
  /** The Pulumi CLI version (scripts/pulumi-engine/build.sh <version>). */
  cli: string;
  /** Type-check programs with a strict tsconfig (no PULUMI_NODEJS_TRANSPILE_ONLY). */
  typecheck: boolean;
  /** Only these e2e test files (by name without .test.ts); all of them when absent. */
  only?: readonly string[];
  /** These e2e test files are left out of the lane, each for the reason given (what they test does not vary with it). */
  skip?: Readonly<Record<string, string>>;
  /** The jest projects the lane runs (default: e2e). */
  projects?: readonly string[];
  /** What the lane proves, for the README table and the run's printout. */
  purpose: string;
}

export const DEFAULT_LANE = "node20";

export const LANES: Readonly<Record<string, Lane>> = {
  node20: {
    name: "node20",
    node: "system",
    sdk: "3.248.0",
    cli: "v3.248.0",
    typecheck: false,
    purpose: "the development pin: every e2e test",
  },
  node24: {
    name: "node24",
    node: "24",
    sdk: "3.276.0",
    cli: "v3.276.0",
    typecheck: true,
    skip: {
      "release-registry": "npm packing and a local registry, the same on every lane",
      "credential-create-proof":
        "the random-kill runs; the kill-and-recover contract of the newest engine is held by interrupted-up",
    },
    purpose:
      "Node 24 LTS with the newest SDK and CLI, programs type-checked under a strict tsconfig: every e2e test but the two whose subject does not vary by lane",
  },
  node22: {
    name: "node22",
    node: "22",
    sdk: "3.276.0",
    cli: "v3.276.0",
    typecheck: true,
    only: ["engine-smoke", "resources"],
    purpose: "Node 22 with the newest SDK and CLI: the smoke and resources tests",
  },
  floor: {
    name: "floor",
    node: "system",
    sdk: "3.216.0",
    cli: "v3.248.0",
    typecheck: false,
    only: ["engine-smoke", "resources"],
    purpose: "the lowest @pulumi/pulumi the package accepts (3.216.0): the smoke and resources tests",
  },
  // The core scenario in every DPoD dialect (test/dialects). On the real engine the scenario costs about
  // 2.3 minutes per dialect on the 2-core CI machine, so the 16 dialects and 4 combinations would add some
  // 45 minutes to a CI budget of 45 (today's other lanes take about 22). The engine adds nothing
  // dialect-specific: it routes check, diff, create, read, update and delete to the same runtime. So every
  // case runs in-process through that runtime and the real client over HTTP (about 2.5 s each, under a
  // minute for all), and the real engine runs the two sets where its own behaviour matters: concurrent
  // refresh reads served from summary list items with no createdAt/createdBy, and pages counted from 1.
  // Measured 2026-12-06: 314 s for the lane, its setup (packing and installing) included.
  dialects: {
    name: "dialects",
    node: "system",
    sdk: "3.248.0",
    cli: "v3.248.0",
    typecheck: false,
    projects: ["dialects"],
    purpose:
      "the core scenario in every DPoD dialect (test/dialects): in-process for each dialect, on the real engine for the decisive ones",
  },
};

export function laneNamed(name: string): Lane {
  const lane = LANES[name];
  if (lane === undefined) {
    throw new Error(`unknown test lane "${name}"; the lanes are ${Object.keys(LANES).join(", ")}`);
  }
  return lane;
}

/** The lane in effect for this process (DPOD_TEST_LANE, default the development pin). */
export function currentLane(): Lane {
  return laneNamed(process.env.DPOD_TEST_LANE || DEFAULT_LANE);
}

/**
 * The directory holding the lane's `node`: undefined for the system one; otherwise installed on first use
 * (scripts/node-runtime/install.sh).
 */
export function laneNodeDir(lane: Lane): string | undefined {
  if (lane.node === "system") return undefined;
  return execFileSync(
    "bash",
    [path.join(repositoryRoot, "scripts", "node-runtime", "install.sh"), lane.node],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  ).trim();
}
