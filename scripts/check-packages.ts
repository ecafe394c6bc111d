/**
 * Package hygiene of the three published packages, run by `npm test` (`npm run check:packages`).
 *
 * Builds and packs pulumi-dpod, dpod-emulator and pulumi-dpod-policies exactly as users' tarballs are made,
 * then, on each tarball:
 *   1. the file list holds only what belongs: package.json, README.md, LICENSE, compiled JavaScript and
 *      declarations under dist/, (provider only) the user documentation and its figures under docs/, and
 *      (policy pack only) PulumiPolicy.yaml, which makes the installed package a policy pack directory; no TypeScript
 *      sources, tests or source maps (and each build empties its dist/ first, so no output of deleted
 *      sources);
 *   2. every file that package.json names (main, types, exports, typesVersions, bin) is in the tarball;
 *   3. every bare module the compiled code requires is a declared dependency or peer dependency, and every
 *      declared one is named by the compiled code, so the provider cannot silently pull the emulator's
 *      fastify or jose back in, and no import lacks its declaration;
 *   4. no script runs when users install the package (building happens in `prepack`);
 *   5. publint (package.json against the files; strict: warnings fail) and @arethetypeswrong/cli (every
 *      exported entry point resolves, with types, for node10, node16 CommonJS, node16 ESM and bundlers)
 *      both pass.
 * Prints one summary line per package, then every problem found; exits 1 if there was any.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryRoot } from "./lib/engine";
import { packPackages, type PackedPackage } from "./lib/program-workspace";

interface PackageJson {
  scripts?: Record<string, string>;
  main?: string;
  types?: string;
  exports?: Record<string, string | Record<string, string>>;
  typesVersions?: Record<string, Record<string, string[]>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** What may be in each tarball. Anything else (sources, tests, maps, configs) is a packaging mistake. */
const allowedFiles: Record<string, RegExp[]> = {
  "pulumi-dpod": [
    /^package\.json$/,
    /^README\.md$/,
    /^LICENSE$/,
    /^docs\/[\w/-]+\.(md|svg)$/, // the user documentation and its figures
    /^dist\/(sdk|provider)\/[\w/.-]+\.(js|d\.ts)$/,
  ],
  "dpod-emulator": [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/[\w/.-]+\.(js|d\.ts)$/],
  "pulumi-dpod-policies": [
    /^package\.json$/,
    /^README\.md$/,
    /^LICENSE$/,
    /^PulumiPolicy\.yaml$/,
    /^dist\/[\w/.-]+\.(js|d\.ts)$/,
  ],
};

/** Every file path package.json points at, normalised to the tarball's relative form. */
function declaredFiles(manifest: PackageJson): string[] {
  const paths: string[] = [];
  if (manifest.main) paths.push(manifest.main);
  if (manifest.types) paths.push(manifest.types);
  for (const target of Object.values(manifest.exports ?? {})) {
    paths.push(...(typeof target === "string" ? [target] : Object.values(target)));
  }
  for (const map of Object.values(manifest.typesVersions ?? {})) {
    for (const targets of Object.values(map)) paths.push(...targets);
  }
  paths.push(...Object.values(manifest.bin ?? {}));
  return [...new Set(paths.map((p) => path.posix.normalize(p)))];
}

/** Bare module names required by the compiled JavaScript (`require("x")`, `import("x")`), package part only. */
function requiredPackages(directory: string, files: string[]): Set<string> {
  const builtins = new Set(builtinModules);
  const found = new Set<string>();
  for (const file of files.filter((f) => f.endsWith(".js"))) {
    const source = readFileSync(path.join(directory, file), "utf8");
    for (const match of source.matchAll(/\b(?:require|import)\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
      const specifier = match[1]!;
      if (specifier.startsWith("node:") || builtins.has(specifier)) continue;
      const parts = specifier.split("/");
      found.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
    }
  }
  return found;
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { cwd: repositoryRoot, encoding: "utf8" });
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}`.trim() };
}

function checkPackage(packed: PackedPackage): string[] {
  const problems: string[] = [];
  // Everything below reads the tarball's own contents, not the working tree.
  const directory = path.join(path.dirname(packed.tarball), packed.name);
  mkdirSync(directory);
  execFileSync("tar", ["-xzf", packed.tarball, "-C", directory, "--strip-components=1"]);
  const manifest = JSON.parse(readFileSync(path.join(directory, "package.json"), "utf8")) as PackageJson;

  // A tarball holds compiled code; a script npm would run when users install it (npm 11 lists these for
  // approval) could only fail or surprise them. Building belongs to `prepack`, which runs when packing.
  const installScripts = ["preinstall", "install", "postinstall", "prepare"].filter(
    (name) => manifest.scripts?.[name] !== undefined,
  );
  if (installScripts.length > 0) problems.push(`scripts run on install: ${installScripts.join(", ")}`);

  if (!packed.files.includes("LICENSE")) problems.push("no LICENSE file in the tarball");

  const stray = packed.files.filter((f) => !allowedFiles[packed.name]!.some((pattern) => pattern.test(f)));
  if (stray.length > 0) problems.push(`files that do not belong: ${stray.join(", ")}`);

  const missing = declaredFiles(manifest).filter((f) => !packed.files.includes(f));
  if (missing.length > 0)
    problems.push(`package.json names files missing from the tarball: ${missing.join(", ")}`);

  const required = requiredPackages(directory, packed.files);
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const undeclared = [...required].filter((name) => name !== packed.name && !declared.has(name));
  // A dependency may be loaded indirectly (the emulator loads the ES-module-only jose through a helper), so
  // "used" means named as a module string anywhere in the compiled code, not only inside require().
  const compiled = packed.files
    .filter((f) => f.endsWith(".js"))
    .map((f) => readFileSync(path.join(directory, f), "utf8"))
    .join("\n");
  const unused = [...declared].filter(
    (name) =>
      !required.has(name) && !new RegExp(`["']${name.replace(/[/.]/g, "\\$&")}(/[^"']*)?["']`).test(compiled),
  );
  if (undeclared.length > 0) problems.push(`required but not declared: ${undeclared.join(", ")}`);
  if (unused.length > 0) problems.push(`declared but never required: ${unused.join(", ")}`);

  const publint = run("npx", ["--no", "publint", "run", packed.tarball, "--strict"]);
  if (!publint.ok) problems.push(`publint:\n${publint.output}`);
  // --profile strict (the default) also checks node10 resolution, which TypeScript projects using
  // `"moduleResolution": "node"` (Pulumi's own TypeScript template) still get.
  const attw = run("npx", ["--no", "attw", packed.tarball, "--format", "ascii", "--no-emoji", "--no-color"]);
  if (!attw.ok) problems.push(`@arethetypeswrong/cli:\n${attw.output}`);

  const size = Math.round(statSync(packed.tarball).size / 1024);
  console.log(
    `${packed.name}: ${packed.files.length} files, ${size} KiB packed; requires ${[...required].sort().join(", ")}; ` +
      `publint ${publint.ok ? "ok" : "FAILED"}, attw ${attw.ok ? "ok" : "FAILED"}`,
  );
  return problems;
}

function main(): number {
  const destination = mkdtempSync(path.join(os.tmpdir(), "pulumi-dpod-pack-"));
  try {
    const packed = packPackages(destination);
    let failed = false;
    for (const pkg of [packed.provider, packed.emulator, packed.policies]) {
      for (const problem of checkPackage(pkg)) {
        failed = true;
        console.error(`${pkg.name}: ${problem}`);
      }
    }
    return failed ? 1 : 0;
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

process.exitCode = main();
