/**
 * What the credential create journal costs (a benchmark script, not a timed test):
 * `npm run bench:create-journal [-- --entries 200,1000]`.
 *
 * For a journal holding N entries (a first `pulumi up` of N credentials, none settled yet) it prints the
 * time per operation the provider performs: note (each create, before its rename), find (each create
 * looks for an earlier one of its resource) and forgetClientIds (each diff, read, update or delete of a
 * credential), and the directory's size on disk. Scratch directories only; they are removed at the end.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CreateJournal } from "../provider/resources/common/create-journal";

const TENANT = "https://tenant.example";

function microsPer(count: number, run: (i: number) => void): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) run(i);
  return Number(process.hrtime.bigint() - started) / 1_000 / count;
}

function measure(entries: number): void {
  const directory = mkdtempSync(path.join(os.tmpdir(), "bench-journal-"));
  try {
    const journal = new CreateJournal(directory);
    const owner = (i: number) => i.toString(16).padStart(16, "0");
    const note = microsPer(entries, (i) => journal.note(owner(i), TENANT, `client-${i}`));
    const bytes = readdirSync(directory).reduce(
      (sum, file) => sum + statSync(path.join(directory, file)).size,
      0,
    );
    const find = microsPer(entries, (i) => journal.find(owner(i), TENANT));
    const forget = microsPer(entries, (i) => journal.forgetClientIds([`client-${i}`]));
    console.log(
      `${entries} entries: note ${note.toFixed(0)} µs, find ${find.toFixed(0)} µs, ` +
        `forgetClientIds ${forget.toFixed(0)} µs per call; ${(bytes / 1024).toFixed(1)} KiB on disk ` +
        `(a first up of ${entries} credentials spends about ${(((note + find) * entries) / 1e6).toFixed(2)} s ` +
        `in the journal, its next preview about ${((forget * entries) / 1e6).toFixed(2)} s)`,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const { values } = parseArgs({ options: { entries: { type: "string", default: "200,1000" } } });
for (const size of values.entries.split(",").map(Number)) measure(size);
