/**
 * Loads jose, which since version 6 ships only as an ES module, from this CommonJS package.
 *
 * Node >= 20.19 can `require()` an ES module natively. jest's module registry cannot, and replaces
 * `createRequire` with its own; but the emulator must load inside jest (tests start it in-process). So jose is
 * required through a `Module` instance of Node's own loader, which jest leaves alone. On Node 20.18, where
 * that require fails with ERR_REQUIRE_ESM, a real dynamic `import()` is used (hidden from TypeScript, which
 * would otherwise compile it back into `require`).
 */
import NodeModule from "node:module";
import type * as Jose from "jose";

export type JoseModule = typeof Jose;

let loading: Promise<JoseModule> | undefined;

function requireWithNodeLoader(specifier: string): unknown {
  const loader = new NodeModule(__filename);
  loader.filename = __filename;
  loader.paths = (
    NodeModule as unknown as { _nodeModulePaths(directory: string): string[] }
  )._nodeModulePaths(__dirname);
  return loader.require(specifier);
}

export function loadJose(): Promise<JoseModule> {
  loading ??= (async () => {
    try {
      return requireWithNodeLoader("jose") as JoseModule;
    } catch {
      const dynamicImport = new Function("specifier", "return import(specifier)") as (
        specifier: string,
      ) => Promise<JoseModule>;
      return dynamicImport("jose");
    }
  })();
  return loading;
}
