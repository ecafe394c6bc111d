// The repository stands on its own: no file cites the background notes kept outside it (the project says
// what it needs of them in its own words, in docs/architecture.md and docs/dpod-api-notes.md), no relative
// link leaves the repository, and every pointer to a documentation page (a Markdown link, or a
// "docs/<page>.md#<anchor>" in a code comment) names a page and a heading that exist.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

/** Build output, installed and generated trees, and git's own files: not the project's text. */
const skippedDirectories = new Set(["node_modules", "dist", ".git", ".pulumi-engine", "coverage", ".tmp"]);
const skippedFiles = new Set(["package-lock.json", ".git"]);

function repositoryFiles(dir = ""): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return skippedDirectories.has(entry.name) ? [] : repositoryFiles(relative);
    if (skippedFiles.has(entry.name) || entry.name.endsWith(".tgz")) return [];
    return [relative];
  });
}

// Spelled in pieces so that this file does not itself contain the names it looks for.
const outsideNotes = [
  "design",
  "dpod-api",
  "peer-providers",
  "pulumi-mechanics",
  "native-provider",
  "style-anchors",
];
const outsideCitation = new RegExp(
  `(?<![\\w-])(${outsideNotes.join("|")})\\.md\\b|\\.\\.${"/"}shared\\b`,
  "g",
);

/** The outside notes or outside paths a text cites. */
function outsideCitations(text: string): string[] {
  return [...text.matchAll(outsideCitation)].map((match) => match[0]);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function anchorsOf(markdownFile: string): Set<string> {
  const text = readFileSync(markdownFile, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set(
    [...text.matchAll(/^#{1,6}\s+(.+?)\s*$/gm)].map((match) =>
      match[1]!
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, "")
        .replace(/ /g, "-"),
    ),
  );
}

const files = repositoryFiles();
const texts = new Map(files.map((file) => [file, readFileSync(path.join(root, file), "utf8")]));

/** [file, target] for Markdown links (outside code blocks) and for docs/<page>.md pointers anywhere. */
const pointers = files.flatMap((file) => {
  const text = texts.get(file)!;
  const found: Array<readonly [string, string]> = [];
  if (file.endsWith(".md")) {
    for (const match of text.replace(/```[\s\S]*?```/g, "").matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (!/^[a-z]+:/i.test(target)) found.push([file, target]);
    }
  } else {
    for (const match of text.matchAll(/(?<![\w./-])docs\/[\w/-]+\.md(#[\w-]+)?/g)) {
      found.push([file, path.relative(path.dirname(path.join(root, file)), path.join(root, match[0]))]);
    }
  }
  return found;
});

describe("the repository is self-contained", () => {
  it("recognises a citation of an outside note (the scan below is not vacuous)", () => {
    const planted = `see ${outsideNotes[1]}.md §3 and ..${"/"}shared/docs`;
    expect(outsideCitations(planted)).toEqual([`${outsideNotes[1]}.md`, `..${"/"}shared`]);
    expect(outsideCitations("see docs/dpod-api-notes.md#paging")).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });

  it("has no file that cites a note or path outside the repository", () => {
    const citing = files.flatMap((file) =>
      outsideCitations(texts.get(file)!).map((citation) => `${file}: ${citation}`),
    );
    expect(citing).toEqual([]);
  });

  it("finds documentation pointers to check", () => {
    expect(pointers.filter(([file]) => !file.endsWith(".md")).length).toBeGreaterThan(20);
  });

  it.each(pointers)("%s points to %s, which exists inside the repository", (file, target) => {
    const [page, anchor] = target.split("#") as [string, string | undefined];
    const resolved =
      page === "" ? path.join(root, file) : path.resolve(path.dirname(path.join(root, file)), page);
    expect(path.relative(root, resolved).startsWith("..")).toBe(false);
    expect(existsSync(resolved)).toBe(true);
    if (anchor && resolved.endsWith(".md")) expect(anchorsOf(resolved)).toContain(anchor);
  });
});
