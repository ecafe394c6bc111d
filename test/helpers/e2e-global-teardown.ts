import { rmSync } from "node:fs";
import { workspaceEnvVar } from "./e2e-workspace";

export default function teardown(): void {
  const dir = process.env[workspaceEnvVar];
  if (dir && !process.env.PULUMI_DPOD_KEEP_E2E_WORKSPACE) rmSync(dir, { recursive: true, force: true });
}
