/**
 * The create journal: a local record, kept outside the Pulumi state, of which DPoD credential each
 * resource's create made. It closes the one window the temporary name cannot: a run killed after DPoD
 * applied a credential's rename to its real name but before the engine recorded the create. The
 * credential then carries nothing that proves it is the stack's, but the journal does, so the next create
 * of the same resource takes it over instead of leaving it orphaned.
 *
 * Layout: one file per resource and credential under the journal directory, named
 * `<owner>.<16 hex of SHA-256 of the client id>.json`, where owner is the resource's temporary-name owner
 * (client-credential/temporary-name.ts: a hash of its URN). It holds the tenant (API URL), the client id
 * and when it was written; never a secret. Writes are atomic (a temporary file, then a rename), so a kill
 * leaves either the old entry or the new one.
 *
 * An entry is written before the rename and removed as soon as the engine can hold the credential:
 * - whenever the engine shows the provider a recorded state holding its client id (diff, read, update,
 *   delete: forgetClientIds);
 * - when a later create of the same resource has used it (forgetOwner);
 * - when the engine shuts the provider down gracefully, for every create that returned (forgetReturned):
 *   the engine ends a plugin only after recording every step that finished. A killed run gives the
 *   provider no such signal, so the entries of its unrecorded creates stay.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { z } from "zod";

/** The environment variable that moves the journal (default: ~/.pulumi-dpod/create-journal). */
export const JOURNAL_DIR_VARIABLE = "DPOD_CREATE_JOURNAL_DIR";

export interface JournalEntry {
  /** The DPoD API URL of the tenant the credential was created in. */
  tenant: string;
  clientId: string;
  /** ISO time of the write, for people reading the directory. */
  writtenAt: string;
}

const entrySchema = z.object({ tenant: z.string(), clientId: z.string(), writtenAt: z.string() });

/** The journal directory: DPOD_CREATE_JOURNAL_DIR when set, else ~/.pulumi-dpod/create-journal. */
export function journalDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[JOURNAL_DIR_VARIABLE];
  return configured !== undefined && configured !== ""
    ? path.resolve(configured)
    : path.join(homedir(), ".pulumi-dpod", "create-journal");
}

const ID_HASH_LENGTH = 16;

function idHash(clientId: string): string {
  return createHash("sha256").update(clientId).digest("hex").slice(0, ID_HASH_LENGTH);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

export class CreateJournal {
  /** Entries written by creates of this process that have returned to the engine. */
  private readonly returned = new Set<string>();

  constructor(readonly directory: string) {}

  /**
   * Records that a create of `owner` made `clientId` in `tenant`, replacing the owner's earlier entries.
   * Returns the entry's file name. Throws when the directory cannot be written.
   */
  note(owner: string, tenant: string, clientId: string): string {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    const file = `${owner}.${idHash(clientId)}.json`;
    const entry: JournalEntry = { tenant, clientId, writtenAt: new Date().toISOString() };
    const temporary = path.join(this.directory, `.${file}.${randomBytes(4).toString("hex")}.tmp`);
    writeFileSync(temporary, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    renameSync(temporary, path.join(this.directory, file));
    for (const other of this.filesOf(owner)) if (other !== file) this.remove(other);
    return file;
  }

  /** The owner's entry for `tenant`, if any; an unreadable or malformed file counts as none. */
  find(owner: string, tenant: string): JournalEntry | undefined {
    for (const file of this.filesOf(owner)) {
      let text: string;
      try {
        text = readFileSync(path.join(this.directory, file), "utf8");
      } catch (error) {
        if (isMissing(error)) continue;
        throw error;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        continue;
      }
      const parsed = entrySchema.safeParse(raw);
      if (parsed.success && parsed.data.tenant === tenant) return parsed.data;
    }
    return undefined;
  }

  /** Removes every entry of `owner`. */
  forgetOwner(owner: string): void {
    for (const file of this.filesOf(owner)) this.remove(file);
  }

  /**
   * Removes every entry, of any owner, for one of these client ids. A directory that cannot be listed
   * holds nothing find can read either, so it is left as it is; an entry that cannot be removed throws.
   */
  forgetClientIds(clientIds: readonly string[]): void {
    if (clientIds.length === 0) return;
    const hashes = new Set(clientIds.map(idHash));
    let files: string[];
    try {
      files = this.files();
    } catch {
      return;
    }
    for (const file of files) {
      const hash = file.split(".")[1];
      if (hash !== undefined && hashes.has(hash)) this.remove(file);
    }
  }

  /** Marks entries as written by creates that have returned to the engine (see forgetReturned). */
  markReturned(files: Iterable<string>): void {
    for (const file of files) this.returned.add(file);
  }

  /** Whether creates of this process that have returned left entries (forgetReturned would remove them). */
  get hasReturned(): boolean {
    return this.returned.size > 0;
  }

  /** On the engine's graceful shutdown: removes the entries of every create that returned. */
  forgetReturned(): void {
    for (const file of this.returned) this.remove(file);
    this.returned.clear();
  }

  private files(): string[] {
    try {
      return readdirSync(this.directory).filter((file) => file.endsWith(".json") && !file.startsWith("."));
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  private filesOf(owner: string): string[] {
    return this.files().filter((file) => file.startsWith(`${owner}.`));
  }

  private remove(file: string): void {
    rmSync(path.join(this.directory, file), { force: true });
    this.returned.delete(file);
  }
}
