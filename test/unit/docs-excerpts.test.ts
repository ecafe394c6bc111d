// Every TypeScript, Python or Go program shown in README.md, docs/ and the examples' READMEs is an excerpt
// of a tested file: the block is preceded by `<!-- excerpt: <path from the repository root> -->`, and its
// lines appear in that file in order and contiguously (a line `// ...`, or `# ...` in Python, marks an
// elision between two runs). So an example that changes without its documentation, or the reverse, fails
// here.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

function markdownFiles(): string[] {
  const files = ["README.md"];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(relative);
      else if (entry.name.endsWith(".md")) files.push(relative);
    }
  };
  walk("docs");
  walk("examples");
  return files.filter((file) => existsSync(path.join(root, file)));
}

interface CodeBlock {
  file: string;
  line: number;
  source: string | undefined;
  lines: string[];
}

function programBlocks(file: string): CodeBlock[] {
  const text = readFileSync(path.join(root, file), "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < text.length; i++) {
    if (!/^```(ts|typescript|python|py|go)\s*$/.test(text[i] ?? "")) continue;
    let previous = i - 1;
    while (previous >= 0 && (text[previous] ?? "").trim() === "") previous--;
    const marker = /^<!--\s*excerpt:\s*(\S+)\s*-->$/.exec((text[previous] ?? "").trim());
    const start = i;
    const lines: string[] = [];
    for (i = i + 1; i < text.length && !(text[i] ?? "").startsWith("```"); i++) lines.push(text[i] ?? "");
    blocks.push({ file, line: start + 1, source: marker?.[1], lines });
  }
  return blocks;
}

/** Where the block's runs are missing from the source, or undefined when they all appear in order. */
function findMismatch(block: CodeBlock, sourceLines: string[]): string | undefined {
  const runs: string[][] = [[]];
  for (const line of block.lines) {
    if (line.trim() === "// ..." || line.trim() === "# ...") runs.push([]);
    else runs[runs.length - 1]!.push(line.trimEnd());
  }
  let from = 0;
  for (const run of runs.filter((r) => r.length > 0)) {
    let found = -1;
    for (let at = from; at + run.length <= sourceLines.length && found < 0; at++) {
      if (run.every((line, k) => sourceLines[at + k] === line)) found = at;
    }
    if (found < 0) return `this run is not in the source, in order:\n${run.join("\n")}`;
    from = found + run.length;
  }
  return undefined;
}

const blocks = markdownFiles().flatMap(programBlocks);

describe("programs shown in the documentation", () => {
  it("exist (the check below is not vacuous)", () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it("include the Python and Go examples", () => {
    const sources = new Set(blocks.map((block) => block.source));
    expect(sources).toContain("examples/python/dpod_program.py");
    expect(sources).toContain("examples/go/program.go");
  });

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))(
    "%s is an excerpt of a tested file",
    (_, block) => {
      expect(block.source).toBeDefined();
      const sourcePath = path.join(root, block.source!);
      expect(existsSync(sourcePath)).toBe(true);
      const sourceLines = readFileSync(sourcePath, "utf8")
        .split("\n")
        .map((line) => line.trimEnd());
      expect(findMismatch(block, sourceLines)).toBeUndefined();
    },
  );
});
