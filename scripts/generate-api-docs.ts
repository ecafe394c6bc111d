/**
 * Writes docs/reference/*.md, the API reference, from provider/native/pulumi-schema.json (see
 * scripts/api-docs/render.ts). `--check` writes nothing and exits 1 when a committed page differs from a
 * fresh rendering, is missing, or is left over; test/unit/api-docs.test.ts makes the same comparison in
 * `npm test`. Run `npm run generate:docs` after `npm run generate:schema`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { renderApiDocs, type PackageSchema } from "./api-docs/render";
import { repositoryRoot } from "./lib/engine";

export const REFERENCE_DIR = path.join(repositoryRoot, "docs", "reference");
const SCHEMA_FILE = path.join(repositoryRoot, "provider", "native", "pulumi-schema.json");

function markdownNames(dir: string): Set<string> {
  return new Set(existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".md")) : []);
}

/** The pages as the committed schema renders them. */
export function expectedPages(): Map<string, string> {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as PackageSchema;
  return renderApiDocs(schema, {
    resources: markdownNames(path.join(repositoryRoot, "docs", "resources")),
    functions: markdownNames(path.join(repositoryRoot, "docs", "functions")),
  });
}

/** What differs between the committed pages and a fresh rendering, one line per file; empty when none. */
export function staleReferencePages(): string[] {
  const expected = expectedPages();
  const committed = markdownNames(REFERENCE_DIR);
  const problems: string[] = [];
  for (const [file, text] of expected) {
    if (!committed.has(file)) problems.push(`docs/reference/${file} is missing`);
    else if (readFileSync(path.join(REFERENCE_DIR, file), "utf8") !== text) {
      problems.push(`docs/reference/${file} differs from the schema`);
    }
  }
  for (const file of committed) {
    if (!expected.has(file)) problems.push(`docs/reference/${file} is left over (no such schema entry)`);
  }
  return problems;
}

if (require.main === module) {
  if (process.argv.includes("--check")) {
    const problems = staleReferencePages();
    for (const problem of problems) console.error(problem);
    if (problems.length > 0) {
      console.error("run `npm run generate:docs` and commit docs/reference");
      process.exit(1);
    }
    console.log("docs/reference matches the schema");
  } else {
    rmSync(REFERENCE_DIR, { recursive: true, force: true });
    mkdirSync(REFERENCE_DIR, { recursive: true });
    for (const [file, text] of expectedPages()) writeFileSync(path.join(REFERENCE_DIR, file), text);
    console.log(`wrote ${path.relative(repositoryRoot, REFERENCE_DIR)}`);
  }
}
