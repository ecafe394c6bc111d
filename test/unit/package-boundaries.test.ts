// The packages stay apart: the provider (provider/, sdk/) never imports the emulator, so programs that
// install pulumi-dpod never load fastify or jose; the emulator never imports provider code, so it remains an
// independent second reading of the DPoD contract; the policy pack (policies/) sees resources only as the
// engine shows them and imports no provider code, so it serves programs in every language. check:packages
// enforces the same on the compiled tarballs; this test points at the offending source line.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory())
      return ["node_modules", "dist"].includes(entry.name) ? [] : sourceFiles(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

/** Module specifiers of static imports, re-exports, require() and import() calls. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const patterns = [/\bfrom\s+["']([^"']+)["']/g, /\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!));
}

/** The repository directory a relative specifier lands in, or the package name of a bare one. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith(".")) return specifier;
  return path
    .relative(root, path.resolve(path.dirname(path.join(root, file)), specifier))
    .split(path.sep)[0]!;
}

function crossings(dirs: string[], forbidden: (destination: string) => boolean): string[] {
  return dirs
    .flatMap(sourceFiles)
    .flatMap((file) => importsOf(file).map((specifier) => [file, specifier] as const))
    .filter(([file, specifier]) => forbidden(target(file, specifier)))
    .map(([file, specifier]) => `${file} imports ${specifier}`);
}

describe("package boundaries", () => {
  it("finds the imports it checks (the checks below are not vacuous)", () => {
    expect(sourceFiles("provider").flatMap(importsOf).length).toBeGreaterThan(100);
    expect(sourceFiles("emulator").flatMap(importsOf).length).toBeGreaterThan(50);
    expect(target("emulator/routes/users.ts", "../../provider/client")).toBe("provider");
  });

  it("the provider and the SDK never import the emulator, fastify or jose", () => {
    const emulatorSide = ["emulator", "dpod-emulator", "fastify", "jose"];
    expect(crossings(["provider", "sdk"], (destination) => emulatorSide.includes(destination))).toEqual([]);
  });

  it("the emulator never imports provider or SDK code", () => {
    const providerSide = ["provider", "sdk", "pulumi-dpod", "undici", "@pulumi/pulumi"];
    expect(
      crossings(["emulator"], (destination) =>
        providerSide.some((name) => destination === name || destination.startsWith(`${name}/`)),
      ),
    ).toEqual([]);
  });

  it("the policy pack imports only @pulumi/policy, @pulumi/pulumi and its own files", () => {
    expect(sourceFiles("policies").flatMap(importsOf).length).toBeGreaterThan(10);
    const allowed = ["policies", "@pulumi/policy", "@pulumi/pulumi"];
    expect(crossings(["policies"], (destination) => !allowed.includes(destination))).toEqual([]);
  });
});
