/**
 * A fresh create-journal directory for a provider a test builds in process, so tests never write to the
 * user's ~/.pulumi-dpod (e2e stacks get theirs from scripts/lib/pulumi-cli.ts).
 */
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function scratchJournalEnv(): { DPOD_CREATE_JOURNAL_DIR: string } {
  return { DPOD_CREATE_JOURNAL_DIR: mkdtempSync(path.join(os.tmpdir(), "pulumi-dpod-journal-")) };
}
