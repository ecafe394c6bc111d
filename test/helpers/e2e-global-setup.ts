// Runs once before the e2e project: builds (or reuses) the Pulumi engine, packs pulumi-dpod and
// dpod-emulator and installs both tarballs into a temporary program workspace. Workers inherit the
// workspace path through the environment.
import { ensureEngine } from "../../scripts/lib/engine";
import { currentLane, laneNodeDir } from "../../scripts/lib/lanes";
import { installProgramWorkspace } from "../../scripts/lib/program-workspace";
import { newWorkspacePath, workspaceEnvVar } from "./e2e-workspace";

export default function setup(): void {
  ensureEngine();
  // The lane's Node.js runs programs and providers (PulumiStack puts it on PATH after the engine).
  const nodeDir = laneNodeDir(currentLane());
  if (nodeDir !== undefined) process.env.DPOD_LANE_NODE_DIR = nodeDir;
  const dir = newWorkspacePath();
  installProgramWorkspace(dir, (line) => process.stderr.write(`[e2e] ${line}\n`));
  process.env[workspaceEnvVar] = dir;
}
