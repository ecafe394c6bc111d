/**
 * What loading the package costs the processes Pulumi starts. The program process loads the SDK for every
 * run and the dynamic-provider process loads the serialized provider objects for every operation: a
 * provider object loads nothing until it is called, and the SDK never loads undici, which only the tests
 * use (a dev dependency, absent from users' installs; the client sends with node:http). Measured in a
 * fresh node process, as Pulumi starts them.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

/**
 * The packages (under node_modules) that requiring `modulePath` loads in a fresh process; what ts-node and
 * the TypeScript compiler (which run the sources here, not in users' processes) load is left out.
 */
function packagesLoadedBy(modulePath: string): string[] {
  const script = `
    require("typescript");
    const before = new Set(Object.keys(require.cache));
    require(${JSON.stringify(path.join(root, modulePath))});
    const names = Object.keys(require.cache)
      .filter((file) => !before.has(file))
      .map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file)?.[1])
      .filter(Boolean);
    console.log(JSON.stringify([...new Set(names)].sort()));`;
  const output = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: root,
    encoding: "utf8",
  });
  return JSON.parse(output) as string[];
}

it("the SDK loads @pulumi/pulumi but not undici", () => {
  const loaded = packagesLoadedBy("sdk/nodejs/index.ts");
  expect(loaded).toContain("@pulumi/pulumi"); // the probe sees packages
  expect(loaded).not.toContain("undici");
});

it("a serialized provider object loads nothing at all until it is called", () => {
  const loaded = packagesLoadedBy("provider/dynamic-providers/user.ts");
  expect(loaded).toEqual([]);
});
