/**
 * The e2e tests' shared program workspace: pulumi-dpod installed from its tarball in a temporary
 * directory outside the repository (so nothing resolves from the repository's own node_modules), created
 * once per run by the e2e global setup. Each test copies its program into a subdirectory.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryRoot } from "../../scripts/lib/engine";
import { packedTarballs } from "../../scripts/lib/program-workspace";

export const workspaceEnvVar = "PULUMI_DPOD_E2E_WORKSPACE";

export function e2eWorkspaceDir(): string {
  const dir = process.env[workspaceEnvVar];
  if (!dir)
    throw new Error(
      `${workspaceEnvVar} is not set: run e2e tests through jest (the e2e global setup sets it)`,
    );
  return dir;
}

/** Creates a fresh project directory in the workspace from inline files. */
export function createProgram(name: string, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(e2eWorkspaceDir(), `${name}-`));
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
  return dir;
}

/** Copies a directory (e.g. an example) into a fresh project directory in the workspace. */
export function copyProgram(name: string, sourceDir: string): string {
  const dir = mkdtempSync(path.join(e2eWorkspaceDir(), `${name}-`));
  cpSync(sourceDir, dir, {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}node_modules`),
  });
  return dir;
}

export function newWorkspacePath(): string {
  return path.join(os.tmpdir(), `pulumi-dpod-e2e-${process.pid}-${Date.now()}`);
}

/**
 * A plugin directory for `pulumi plugin install resource dpod <version> --file <dir>`, built from the
 * packed tarball the documented way (scripts/native-plugin/plugin-dir.sh), in the workspace so that the
 * run's teardown removes it (about 100 MB).
 */
export function nativePluginDir(): string {
  const workspace = e2eWorkspaceDir();
  const dir = mkdtempSync(path.join(workspace, "pulumi-resource-dpod-"));
  // Relative paths from the tarball's directory, as docs/native-plugin.md types them: the script changes
  // directory before installing, so this is what proves it still finds the tarball.
  execFileSync(
    "sh",
    [
      path.join(repositoryRoot, "scripts", "native-plugin", "plugin-dir.sh"),
      `./${path.basename(packedTarballs(workspace).provider)}`,
      `./${path.basename(dir)}`,
    ],
    { cwd: workspace, stdio: ["ignore", "ignore", "inherit"] },
  );
  return dir;
}

/** A scratch directory in the workspace, removed with it by the run's teardown. */
export function workspaceScratchDir(name: string): string {
  return mkdtempSync(path.join(e2eWorkspaceDir(), `${name}-`));
}

/** Points the example's plugin path at the program workspace, where the package is installed. */
export function usePluginFromWorkspace(projectDir: string): void {
  const file = path.join(projectDir, "Pulumi.yaml");
  const text = readFileSync(file, "utf8");
  const pluginDir = path.join(e2eWorkspaceDir(), "node_modules", ".bin");
  if (!text.includes("path: node_modules/.bin")) throw new Error(`${file} names no plugin path to rewrite`);
  writeFileSync(file, text.replace("path: node_modules/.bin", `path: ${pluginDir}`));
}
