// Relative links in README.md, docs/ and the examples' READMEs point at files that exist, so the
// documentation cannot quietly rot as files move. (Anchors and external URLs are not checked.)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

function markdownFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : markdownFiles(relative);
    return entry.name.endsWith(".md") ? [relative] : [];
  });
}

const files = ["README.md", ...markdownFiles("docs"), ...markdownFiles("examples")];

const links = files.flatMap((file) => {
  const text = readFileSync(path.join(root, file), "utf8").replace(/```[\s\S]*?```/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith("#"))
    .map((target) => [file, target] as const);
});

describe("links in the documentation", () => {
  it("exist (the check below is not vacuous)", () => {
    expect(links.length).toBeGreaterThan(20);
  });

  it.each(links)("%s links to %s, which exists", (file, target) => {
    const resolved = path.resolve(path.dirname(path.join(root, file)), target.split("#")[0]!);
    expect(existsSync(resolved)).toBe(true);
  });
});
