/**
 * Commands that the docs tell users to type, read from the docs themselves so that a test runs them as
 * written: the `sh` code block that follows a `<!-- NAME: ... -->` marker line in a Markdown file.
 */
import { readFileSync } from "node:fs";

/** The text of the first ```sh block after the marker `<!-- ${marker}` in `file`; throws when there is none. */
export function markedShellBlock(file: string, marker: string): string {
  const text = readFileSync(file, "utf8");
  const at = text.indexOf(`<!-- ${marker}`);
  if (at < 0) throw new Error(`no "<!-- ${marker}" marker in ${file}`);
  const block = /```sh\n([\s\S]*?)\n\s*```/.exec(text.slice(at));
  if (!block) throw new Error(`the "<!-- ${marker}" marker in ${file} is not followed by a sh block`);
  return block[1]!;
}

/** The block's commands, one per line, without blank lines and comment lines. */
export function commandLines(block: string): string[] {
  return block
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}
