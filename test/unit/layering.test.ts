// The layering inside the provider (docs/architecture.md, "Layering"): every source file of provider/ and
// sdk/nodejs/ sits in one room, and an import may only point along an arrow of ROOMS below. The arrows
// drawn in docs/architecture.md must be exactly these; a failure names the file, the import and why the
// design forbids it. The packages' separation (emulator, policy pack) is package-boundaries.test.ts's.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const root = path.resolve(__dirname, "..", "..");

type Room =
  | "sdk"
  | "dynamic-providers"
  | "dynamic"
  | "native"
  | "functions"
  | "commands"
  | "entry"
  | "config"
  | "resources"
  | "handlers"
  | "common"
  | "client";

/** Which room a file is in: the first prefix that matches. */
const PLACES: ReadonlyArray<readonly [string, Room]> = [
  ["sdk/nodejs/", "sdk"],
  ["provider/dynamic-providers/", "dynamic-providers"],
  ["provider/dynamic.ts", "dynamic"],
  ["provider/native/", "native"],
  ["provider/functions/", "functions"],
  ["provider/adopt/", "commands"],
  ["provider/doctor/", "commands"],
  ["provider/cli.ts", "commands"],
  ["provider/command-exit.ts", "commands"],
  ["provider/index.ts", "entry"],
  ["provider/config.ts", "config"],
  ["provider/engine-compatibility.ts", "config"],
  ["provider/resources/common/", "common"],
  ["provider/resources/registry.ts", "resources"],
  ["provider/resources/context.ts", "resources"],
  ["provider/resources/journal-access.ts", "resources"],
  ["provider/resources/index.ts", "resources"],
  ["provider/resources/", "handlers"],
  ["provider/client/", "client"],
];

/** The arrows the design allows (a room may always import its own files), each with its reason. */
const ROOMS: Readonly<Record<Room, { may: readonly Room[]; because: string }>> = {
  sdk: {
    may: ["dynamic-providers", "functions"],
    because:
      "the TypeScript SDK builds resources on the serializable dynamic providers and calls the data functions; " +
      "it reaches nothing deeper (sdk/nodejs/index.ts alone re-exports the public client and config API)",
  },
  "dynamic-providers": {
    may: ["dynamic"],
    because:
      "the serialized provider objects load nothing at load time: they reach the runtime by package name when " +
      "an operation runs, so only types may come from provider/dynamic.ts",
  },
  dynamic: {
    may: ["dynamic-providers", "resources", "common", "config", "client"],
    because:
      "the dynamic runtime only routes: settings (config), a client, a handler from the registry; it takes " +
      "the SDK's URN key from dynamic-providers",
  },
  native: {
    may: ["resources", "handlers", "common", "functions", "config", "client"],
    because:
      "the native plugin serves the registry's handlers and the data functions; its schema is generated from " +
      "each kind's schema.ts",
  },
  functions: {
    may: ["handlers", "common", "config", "client"],
    because: "the data functions read with a client and shape results by the kinds' schemas; no Pulumi",
  },
  commands: {
    may: ["resources", "handlers", "common", "config", "client"],
    because: "CLI commands (adopt, doctor) sit over the resources and the client, never over an adapter",
  },
  entry: {
    may: ["dynamic", "dynamic-providers", "resources", "config", "client"],
    because:
      "pulumi-dpod/provider exports the dynamic runtime and what it is built of, not the CLI or plugin",
  },
  config: {
    may: ["client"],
    because: "settings resolution knows the client's settings type and nothing of resources or adapters",
  },
  resources: {
    may: ["handlers", "common", "client"],
    because:
      "the registry, the handler context and the create journal's access sit over the handlers, under both adapters",
  },
  handlers: {
    may: ["handlers", "common", "client"],
    because:
      "a handler takes a client and plain JSON; it never knows an adapter, the registry or the settings " +
      "(RotatingClientCredential is built on ClientCredential, the one handler-to-handler arrow)",
  },
  common: {
    may: ["client"],
    because: "what the handlers share stays under them: no handler, registry or adapter",
  },
  client: {
    may: [],
    because: "the client speaks HTTP and knows nothing of resources, settings resolution or adapters",
  },
};

/** Packages a room must not import, and why. */
const PULUMI_FREE: readonly Room[] = ["functions", "config", "resources", "handlers", "common", "client"];

/** The public client and config API that sdk/nodejs/index.ts re-exports to programs. */
const SDK_REEXPORTS = ["provider/client/index.ts", "provider/config.ts"];

interface Import {
  file: string;
  specifier: string;
  /** The repository file it resolves to (relative specifiers only). */
  target?: string;
  typeOnly: boolean;
  reexport: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [relative] : [];
  });
}

function resolve(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  const candidates = [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, ".ts")];
  return candidates.find((candidate) => {
    try {
      return readFileSync(path.join(root, candidate)) && candidate.endsWith(".ts");
    } catch {
      return false;
    }
  });
}

/** Static imports, re-exports, `import x = require()`, and require()/import() calls anywhere. */
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(path.join(root, file), "utf8"),
    ts.ScriptTarget.Latest,
  );
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean, reexport = false) =>
    found.push({ file, specifier, target: resolve(file, specifier), typeOnly, reexport });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly, true);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0]!)
    ) {
      add((node.arguments[0] as ts.StringLiteral).text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) add(literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function roomOf(file: string): Room | undefined {
  return PLACES.find(([prefix]) => file === prefix || (prefix.endsWith("/") && file.startsWith(prefix)))?.[1];
}

const files = [...sourceFiles("provider"), ...sourceFiles("sdk/nodejs")];
const imports = files.flatMap(importsOf);

/** Why an import breaks the layering, or undefined when the design allows it. */
function violation(entry: Import): string | undefined {
  const from = roomOf(entry.file)!;
  if (PULUMI_FREE.includes(from) && /^@pulumi\//.test(entry.specifier))
    return `${from} never imports Pulumi: it is shared by every adapter and must run without an engine`;
  if (entry.target === undefined) return undefined;
  const to = roomOf(entry.target);
  if (to === undefined) return undefined; // reported by the "every file has a room" test
  if (
    to === "client" &&
    !["client", "commands"].includes(from) &&
    entry.target !== "provider/client/index.ts"
  )
    return "outside the client, code uses the client's public face (provider/client/index.ts), not its files";
  if ((from === "dynamic" || from === "native") && /\/handler\.ts$/.test(entry.target))
    return "adapters route by the registry (provider/resources/registry.ts), never to a handler directly";
  if ((from === "dynamic" || from === "native") && entry.target === "provider/resources/common/list-reads.ts")
    return "adapters build a handler's context with resources/context.ts (handlerContext), which attaches the reads";
  if (from === to) return undefined;
  if (
    from === "sdk" &&
    entry.file === "sdk/nodejs/index.ts" &&
    entry.reexport &&
    SDK_REEXPORTS.includes(entry.target)
  )
    return undefined;
  if (from === "dynamic-providers" && to === "dynamic" && !entry.typeOnly) return ROOMS[from].because;
  if (!ROOMS[from].may.includes(to)) return `${from} may not import ${to}: ${ROOMS[from].because}`;
  return undefined;
}

/** The import circles of a graph (file -> files it imports), each as "a -> b -> a". */
function circlesIn(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const circles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const walk = (file: string): void => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") circles.push([...stack.slice(stack.indexOf(next)), next].join(" -> "));
      else if (state.get(next) === undefined) walk(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (state.get(file) === undefined) walk(file);
  return circles;
}

describe("layering", () => {
  it("reads the imports it checks (the checks below are not vacuous)", () => {
    expect(files.length).toBeGreaterThan(85);
    expect(imports.filter((entry) => entry.target !== undefined).length).toBeGreaterThan(300);
    // the parser sees each form: type-only, import = require, re-export
    expect(imports).toContainEqual(
      expect.objectContaining({
        file: "provider/dynamic-providers/adapter.ts",
        target: "provider/dynamic.ts",
        typeOnly: true,
      }),
    );
    expect(
      imports.some(
        (entry) =>
          entry.file === "sdk/nodejs/user.ts" && entry.target?.startsWith("provider/dynamic-providers/"),
      ),
    ).toBe(true);
    expect(imports.some((entry) => entry.reexport && entry.file === "provider/index.ts")).toBe(true);
  });

  it("the rules catch what they name", () => {
    const probe = (file: string, specifier: string, typeOnly = false) =>
      violation({ file, specifier, target: resolve(file, specifier), typeOnly, reexport: false });
    expect(probe("provider/client/index.ts", "../resources/registry")).toMatch(
      /client may not import resources/,
    );
    expect(probe("provider/resources/user/handler.ts", "@pulumi/pulumi")).toMatch(/never imports Pulumi/);
    expect(probe("sdk/nodejs/functions.ts", "../../provider/client")).toMatch(/sdk may not import client/);
    expect(probe("provider/dynamic-providers/adapter.ts", "../dynamic")).toMatch(/only types/);
    expect(probe("provider/dynamic-providers/adapter.ts", "../dynamic", true)).toBeUndefined();
    expect(probe("provider/resources/common/list-reads.ts", "../../client/paging")).toMatch(/public face/);
    expect(probe("provider/native/server.ts", "../resources/user/handler")).toMatch(/route by the registry/);
    expect(probe("provider/adopt/tenant.ts", "../native/server")).toMatch(/commands may not import native/);
    expect(probe("provider/native/server.ts", "../resources/common/list-reads")).toMatch(/handlerContext/);
  });

  it("every source file has a room", () => {
    expect(files.filter((file) => roomOf(file) === undefined)).toEqual([]);
  });

  it("every import points along an allowed arrow", () => {
    const broken = imports.flatMap((entry) => {
      const why = violation(entry);
      return why === undefined ? [] : [`${entry.file} imports ${entry.specifier}: ${why}`];
    });
    expect(broken).toEqual([]);
  });

  it("no two files of the provider import each other, directly or around a circle", () => {
    const graph = new Map<string, string[]>();
    for (const entry of imports)
      if (entry.target !== undefined) graph.set(entry.file, [...(graph.get(entry.file) ?? []), entry.target]);
    expect(
      circlesIn(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["a"]],
          ["d", ["a"]],
        ]),
      ),
    ).toEqual(["a -> b -> c -> a"]);
    expect(circlesIn(graph)).toEqual([]);
  });

  it("docs/architecture.md draws exactly these arrows", () => {
    const doc = readFileSync(path.join(root, "docs", "architecture.md"), "utf8");
    const block = /<!-- layering: held by test\/unit\/layering\.test\.ts -->\n```\n([\s\S]*?)```/.exec(doc);
    expect(block).not.toBeNull();
    const drawn = Object.fromEntries(
      block![1]!
        .trim()
        .split("\n")
        .map((line) => /^(\S+)\s+->\s*(.*)$/.exec(line.trim())!)
        .map((match) => [
          match[1],
          match[2]!
            .split(",")
            .map((room) => room.trim())
            .filter(Boolean)
            .sort(),
        ]),
    );
    const enforced = Object.fromEntries(
      Object.entries(ROOMS).map(([room, { may }]) => [room, [...may].sort()]),
    );
    expect(drawn).toEqual(enforced);
  });
});
