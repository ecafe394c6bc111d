/**
 * How both adapters (provider/dynamic.ts, provider/native/server.ts) use the create journal
 * (common/create-journal.ts) in one provider process: what the engine has shown this process of each
 * resource's recorded state, and the view each create or update call hands its handler.
 *
 * The journal may name a credential the engine does hold: a run killed right after the engine recorded
 * a create keeps that create's entry. Before a create takes a journaled credential over, it must know
 * the engine does not hold it:
 * - the engine checks a resource with its recorded inputs ("olds") when it has a recorded instance, and
 *   without them for a first create (then it holds none);
 * - the diff that follows shows the recorded client ids (the handler's journaledIds), which leave the
 *   journal at once (so do the ids a read, update or delete shows);
 * - a replacement the engine decides without a diff (`pulumi up --replace`, a changed provider) shows no
 *   ids: the recorded instance is then unknown, and no journaled credential is taken over.
 */
import { CreateJournal, journalDirectory } from "./common/create-journal";
import { describe } from "./common/errors";
import type { CallJournal, EarlierCreate } from "./common/lifecycle";
import { handlerFor } from "./registry";

/** What the engine showed of a resource's recorded instance: its client ids, or "unknown". */
type Recorded = readonly string[] | "unknown";

/** Whether a check's olds are recorded inputs: any key but the dynamic SDK's own (provider and URN). */
function hasRecordedInputs(olds: unknown): boolean {
  if (typeof olds !== "object" || olds === null || Array.isArray(olds)) return false;
  return Object.keys(olds).some((key) => key !== "__provider" && key !== "__urn");
}

/** Said once per process: a broken journal would otherwise warn at every credential create. */
interface Warnings {
  unreadable: boolean;
  unwritable: boolean;
}

class CallView implements CallJournal {
  readonly written = new Set<string>();

  constructor(
    private readonly journal: CreateJournal,
    private readonly tenant: string,
    private readonly recorded: Recorded | undefined,
    private readonly warn: (message: string) => void,
    private readonly warned: Warnings,
  ) {}

  earlierCreate(owner: string): EarlierCreate | undefined {
    let entry;
    try {
      entry = this.journal.find(owner, this.tenant);
    } catch (error) {
      if (this.warned.unreadable) return undefined;
      this.warned.unreadable = true;
      this.warn(
        `pulumi-dpod: the create journal at ${this.journal.directory} cannot be read (${describe(error)}); ` +
          `a credential an interrupted run renamed before the engine recorded it cannot be recognised.`,
      );
      return undefined;
    }
    if (entry === undefined) return undefined;
    if (
      this.recorded !== undefined &&
      this.recorded !== "unknown" &&
      this.recorded.includes(entry.clientId)
    ) {
      this.forget(owner); // the engine holds it: the entry is stale
      return undefined;
    }
    return { clientId: entry.clientId, engineMayHoldIt: this.recorded === "unknown" };
  }

  note(owner: string, clientId: string): void {
    try {
      this.written.add(this.journal.note(owner, this.tenant, clientId));
    } catch (error) {
      if (this.warned.unwritable) return;
      this.warned.unwritable = true;
      this.warn(
        `pulumi-dpod: the create journal at ${this.journal.directory} cannot be written ` +
          `(${describe(error)}); should this run be killed right after a credential's rename, the next run ` +
          `cannot prove that credential is the stack's and leaves it alone. Set ` +
          `DPOD_CREATE_JOURNAL_DIR to a writable directory.`,
      );
    }
  }

  forget(owner: string): void {
    this.journal.forgetOwner(owner);
  }
}

export class JournalAccess {
  private readonly recorded = new Map<string, Recorded>();
  private readonly warned: Warnings = { unreadable: false, unwritable: false };

  /** `journal` undefined: no journal (handlers then rely on temporary names alone). */
  constructor(private readonly journal: CreateJournal | undefined) {}

  static fromEnvironment(env: NodeJS.ProcessEnv): JournalAccess {
    return new JournalAccess(new CreateJournal(journalDirectory(env)));
  }

  /** A check of `urn`: recorded inputs mean the engine holds an instance (ids unknown until its diff). */
  checked(kind: string, urn: string | undefined, olds: unknown): void {
    if (urn === undefined || handlerFor(kind).journaledIds === undefined) return;
    if (hasRecordedInputs(olds)) {
      if (!this.recorded.has(urn)) this.recorded.set(urn, "unknown");
    } else {
      this.recorded.delete(urn);
    }
  }

  /**
   * A diff, read, update or delete: the engine holds `state` (id `id`), so its client ids leave the
   * journal. A diff also tells later creates of `urn` which credentials the engine holds.
   */
  shown(kind: string, id: string, state: unknown, diffOf?: string): void {
    const ids = handlerFor(kind).journaledIds?.(id, state);
    if (ids === undefined) return;
    if (diffOf !== undefined) this.recorded.set(diffOf, ids);
    if (this.journal === undefined) return;
    try {
      this.journal.forgetClientIds(ids);
    } catch (error) {
      throw new Error(
        `pulumi-dpod: the create journal at ${this.journal.directory} cannot be updated ` +
          `(${describe(error)}); nothing was changed. Make it writable, or set DPOD_CREATE_JOURNAL_DIR.`,
      );
    }
  }

  /** The journal view for one create or update of `urn` in `tenant` (the API URL). */
  forCall(urn: string | undefined, tenant: string, warn: (message: string) => void): CallView | undefined {
    if (this.journal === undefined || urn === undefined) return undefined;
    return new CallView(this.journal, tenant, this.recorded.get(urn), warn, this.warned);
  }

  /** The call that used `view` returned to the engine: its entries go at the graceful shutdown. */
  returned(view: CallJournal | undefined): void {
    if (view instanceof CallView && this.journal !== undefined) this.journal.markReturned(view.written);
  }

  /** Whether a graceful shutdown has entries to remove. */
  get hasReturned(): boolean {
    return this.journal?.hasReturned ?? false;
  }

  /** The engine's graceful shutdown: it has recorded every call that returned. */
  shutdown(): void {
    try {
      this.journal?.forgetReturned();
    } catch {
      // A stale entry is harmless to this run; later diffs of the same credentials remove it.
    }
  }
}
