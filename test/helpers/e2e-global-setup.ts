// Runs once before the e2e project: builds (or reuses) the Pulumi engine, packs pulumi-dpod and
// dpod-emulator and installs both tarballs into a temporary program workspace. Workers inherit the
// workspace path through the environment.
import { ensureEngine } from "../../scripts/lib/engine";
import { installProgramWorkspace } from "../../scripts/lib/program-workspace";
import { newWorkspacePath, workspaceEnvVar } from "./e2e-workspace";

export default function setup(): void {
  ensureEngine();
  const dir = newWorkspacePath();
  installProgramWorkspace(dir, (line) => process.stderr.write(`[e2e] ${line}\n`));
  process.env[workspaceEnvVar] = dir;
}
