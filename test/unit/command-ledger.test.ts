// Every command a user is told to type either runs in a test or is listed, with the reason, in
// docs/untested-commands.md. A shell block (```sh, ```bash, ```shell, ```console, or an untyped block whose
// first line is a command) in the user-facing Markdown is "run" when the line before it is a marker that a
// named test reads (`<!-- install-steps: checkout -->`, read by test/e2e/install.test.ts); otherwise the
// ledger must list it under its page by its first command line. A ledger entry whose block is gone fails
// too, so the ledger cannot claim more than the docs say.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const ledgerPage = "docs/untested-commands.md";

/**
 * The markers a test reads, and the test that reads them. `named` markers carry a step name after the
 * colon (`install-steps: checkout`) that the test must spell out; the others are read by prefix alone.
 */
const runMarkers: Record<string, { test: string; named: boolean }> = {
  "install-steps": { test: "test/e2e/install.test.ts", named: true },
  "distribution-steps": { test: "test/e2e/release-registry.test.ts", named: true },
  "age-rotation-steps": { test: "test/e2e/examples.test.ts", named: false },
};

/** The pages whose commands users are told to type. */
function userFacingPages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" ? [] : walk(relative);
      return entry.name.endsWith(".md") ? [relative] : [];
    });
  const examples = readdirSync(path.join(root, "examples"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `examples/${entry.name}/README.md`);
  return [
    "README.md",
    "SECURITY.md",
    "CHANGELOG.md",
    "emulator/README.md",
    "policies/README.md",
    ...walk("docs"),
    ...examples,
  ].filter((page) => page !== ledgerPage && existsSync(path.join(root, page)));
}

const shellFences = new Set(["sh", "bash", "shell", "console", "zsh", "powershell", "ps1", "cmd", "bat"]);
/** An untyped block is a command block when its first line starts like one (not like output or a diagram). */
const commandStart =
  /^(\(cd |(npm|npx|node|export|cd|curl|sh|bash|python3?|pip|go|git|mkdir|cp|tar|docker)\s|pulumi (up|preview|refresh|destroy|config|stack|login|import|new|cancel|plugin|policy|package|state)\b|[A-Z_]+=\S*\s)/;

/** A block's identity in the ledger: its first line that is not blank or a comment, without its comment. */
export function firstCommandLine(body: string[]): string {
  const line = body.map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("#")) ?? "";
  return line
    .replace(/^\$\s+/, "")
    .replace(/\s+#\s.*$/, "")
    .replace(/\s*\\$/, "")
    .trim();
}

interface CommandBlock {
  page: string;
  line: number;
  first: string;
  marker: string | undefined;
}

export function commandBlocks(page: string, text: string): CommandBlock[] {
  const lines = text.split("\n");
  const blocks: CommandBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```(\S*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i = i + 1; i < lines.length && !lines[i]!.trim().startsWith("```"); i++) body.push(lines[i]!);
    const first = firstCommandLine(body);
    const isCommand = shellFences.has(fence[1]!) || (fence[1] === "" && commandStart.test(first));
    if (!isCommand) continue;
    let previous = start - 1;
    while (previous >= 0 && lines[previous]!.trim() === "") previous--;
    const marker = /^<!--\s*(.*?)\s*-->$/.exec(lines[previous]?.trim() ?? "")?.[1];
    blocks.push({ page, line: start + 1, first, marker });
  }
  return blocks;
}

interface LedgerEntry {
  page: string;
  first: string;
  reason: string;
}

/** The ledger's entries: under `## [page](link)`, items `- \`first command line\`: reason`. */
export function ledgerEntries(text: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  let page: string | undefined;
  for (const line of text.split("\n")) {
    const heading = /^## \[([^\]]+)\]\(/.exec(line);
    if (heading) page = heading[1]!.replace(/^`|`$/g, "");
    else if (line.startsWith("## ")) page = undefined;
    const item = /^- (`+) ?(.+?) ?\1:?\s*(.*)$/.exec(line);
    if (item && page) entries.push({ page, first: item[2]!, reason: item[3]!.trim() });
  }
  return entries;
}

/** What is wrong between the docs' blocks and the ledger: a list of messages, empty when they agree. */
export function ledgerProblems(blocks: CommandBlock[], entries: LedgerEntry[]): string[] {
  const problems: string[] = [];
  const key = (page: string, first: string) => `${page} :: ${first}`;
  const listed = new Map<string, number>();
  for (const entry of entries) {
    listed.set(key(entry.page, entry.first), (listed.get(key(entry.page, entry.first)) ?? 0) + 1);
    if (entry.reason.length < 15) problems.push(`${key(entry.page, entry.first)}: no reason given`);
  }
  for (const block of blocks) {
    if (block.marker !== undefined) continue;
    const k = key(block.page, block.first);
    const left = listed.get(k) ?? 0;
    if (left === 0)
      problems.push(`${block.page}:${block.line} \`${block.first}\` is neither run by a test nor listed`);
    else listed.set(k, left - 1);
  }
  for (const [k, left] of listed) {
    if (left > 0) problems.push(`${k}: listed in ${ledgerPage} but no such block (${left} too many)`);
  }
  return problems;
}

const blocks = userFacingPages().flatMap((page) =>
  commandBlocks(page, readFileSync(path.join(root, page), "utf8")),
);
const entries = ledgerEntries(readFileSync(path.join(root, ledgerPage), "utf8"));

describe("the ledger of untested commands", () => {
  it("finds the command blocks and the ledger's entries (the checks below are not vacuous)", () => {
    expect(blocks.length).toBeGreaterThan(50);
    expect(blocks.filter((block) => block.marker !== undefined).length).toBeGreaterThanOrEqual(5);
    expect(entries.length).toBeGreaterThan(40);
  });

  it("has every marked block read by the test its marker names", () => {
    const problems: string[] = [];
    for (const block of blocks.filter((b) => b.marker !== undefined)) {
      const [prefix, name] = block.marker!.split(/:\s*/, 2);
      const known = runMarkers[prefix!];
      if (!known) {
        problems.push(`${block.page}:${block.line}: no test reads the marker "${block.marker}"`);
        continue;
      }
      const source = readFileSync(path.join(root, known.test), "utf8");
      const read = source.includes(prefix!) && (!known.named || source.includes(`${name}"`));
      if (!read) problems.push(`${block.page}:${block.line}: ${known.test} does not read "${block.marker}"`);
    }
    expect(problems).toEqual([]);
  });

  it("lists every block no test runs, with a reason, and nothing else", () => {
    expect(ledgerProblems(blocks, entries)).toEqual([]);
  });

  it("names, in its reasons, only tests and scripts that exist", () => {
    const ledger = readFileSync(path.join(root, ledgerPage), "utf8");
    const named = [...ledger.matchAll(/\b(?:test|scripts|examples)\/[\w./-]+\.(?:ts|sh|mod|py)\b/g)].map(
      (m) => m[0],
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((file) => !existsSync(path.join(root, file)))).toEqual([]);
  });

  it("fails on a block missing from the ledger and on an entry whose block is gone", () => {
    const page = "synthetic-page.md";
    const text = ["```sh", "pulumi up   # go", "```", "", "```", "npx dpod-emulator \\", "  --port 0", "```"];
    const found = commandBlocks(page, text.join("\n"));
    expect(found.map((b) => b.first)).toEqual(["pulumi up", "npx dpod-emulator"]);
    const ledger = ledgerEntries(
      [
        "## [synthetic-page.md](synthetic-page.md)",
        "- `pulumi up`: needs a real tenant to mean anything",
        "- `pulumi destroy`: a block that is no longer on the page",
      ].join("\n"),
    );
    expect(ledgerProblems(found, ledger)).toEqual([
      "synthetic-page.md:5 `npx dpod-emulator` is neither run by a test nor listed",
      "synthetic-page.md :: pulumi destroy: listed in docs/untested-commands.md but no such block (1 too many)",
    ]);
  });
});
