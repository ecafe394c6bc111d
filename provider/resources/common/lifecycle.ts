/**
 * The lifecycle contract every resource handler implements, free of Pulumi types: both adapters (the
 * dynamic runtime and the native plugin) route to the same handlers through resources/registry.ts.
 *
 * Property bags are plain JSON with secrets unwrapped (each adapter unwraps them), possibly holding
 * `__provider`, which handlers ignore.
 */
import type { DpodApi } from "./dpod-api";
import type { BatchedReads } from "./list-reads";
import type { CheckFailure } from "./validation";
import type { PlainObject } from "./values";

export type { DpodApi };

export interface HandlerContext {
  client: DpodApi;
  /** The current time; injected so tests (and DPOD_PROVIDER_NOW) can move the clock. */
  now: () => Date;
  /** Where user-facing warnings go (the dynamic adapter prints them; the engine shows them). */
  warn: (message: string) => void;
  /**
   * The provider-wide dpod:adoptIdentical policy: a create refused with 409 takes over the existing user
   * or group when it is identical to the declaration (what an interrupted `pulumi up` leaves behind).
   */
  adoptIdentical?: boolean;
  /**
   * The URN of the resource the call is for (it names the stack, project, type and resource), as the
   * engine knows it; every adapter fills it on create. A ClientCredential derives its temporary name
   * from it, so a later run recognises a credential an interrupted create left behind.
   */
  urn?: string;
  /**
   * Reads served from paged lists when many arrive at once (refresh); absent, reads are plain GETs. The
   * adapter forgets an object here before every update or delete of it; a handler forgets what else it
   * writes (an object a create takes over with a PATCH, a rotating pair's credentials).
   */
  reads?: BatchedReads;
  /**
   * The create journal (common/create-journal.ts) for a create or update of a resource whose URN the
   * adapter knows; absent, a credential a killed run renamed before the engine recorded it is left alone.
   */
  journal?: CallJournal;
}

/** A credential an earlier create of the same resource made, as the create journal names it. */
export interface EarlierCreate {
  clientId: string;
  /**
   * The engine may hold it: this run replaces the resource without having shown the provider its
   * recorded state (`pulumi up --replace`, a changed provider), so it must not be taken over.
   */
  engineMayHoldIt: boolean;
}

/** The create journal as one handler call sees it; `owner` is a temporary-name owner. */
export interface CallJournal {
  /** The credential an earlier, unrecorded create of `owner` made in this tenant, if the journal has one. */
  earlierCreate(owner: string): EarlierCreate | undefined;
  /** Records, before the rename, that this create of `owner` made `clientId` (warns when it cannot). */
  note(owner: string, clientId: string): void;
  /** Drops the entry of `owner` (its credential is gone). */
  forget(owner: string): void;
}

export interface DiffOutcome {
  /** true: update or replace; false: nothing to do. */
  changes: boolean;
  /** Input names whose change forces a replacement. */
  replaces: string[];
  /**
   * Delete the old object before creating its replacement (a unique key would clash otherwise). Set even
   * when this diff replaces nothing: the engine also consults it for replacements the user forces
   * (replaceOnChanges, `pulumi up --replace`), and ignores it otherwise.
   */
  deleteBeforeReplace: boolean;
  /** Every input whose value differs, for messages and tests (the engine does not receive it). */
  changedKeys: string[];
  /** Warnings for the user at preview (e.g. a secret close to its rotation); each adapter logs them. */
  warnings?: string[];
}

export interface CreateOutcome {
  id: string;
  outs: PlainObject;
}

/** `id: ""` means the object is gone; the engine then drops it from the stack. */
export interface ReadOutcome {
  id: string;
  props?: PlainObject;
  inputs?: PlainObject;
}

export interface ResourceHandler {
  /** The resource's type name, used in messages ("User", "SubscriberGroup", "ClientCredential"). */
  readonly kind: string;
  check(olds: unknown, news: unknown): { inputs: PlainObject; failures: CheckFailure[] };
  diff(id: string, olds: unknown, news: unknown, now: () => Date): DiffOutcome;
  create(ctx: HandlerContext, news: unknown): Promise<CreateOutcome>;
  read(ctx: HandlerContext, id: string, props: unknown): Promise<ReadOutcome>;
  update(ctx: HandlerContext, id: string, olds: unknown, news: unknown): Promise<{ outs: PlainObject }>;
  delete(ctx: HandlerContext, id: string, props: unknown): Promise<void>;
  /**
   * Kinds whose creates go through the create journal: the DPoD client ids a recorded state holds. The
   * adapters remove them from the journal whenever the engine shows them that state.
   */
  journaledIds?(id: string, state: unknown): string[];
}

/** Builds a diff outcome from the changed keys and the subset of them that forces replacement. */
export function diffOutcome(
  changedKeys: string[],
  replaceKeys: readonly string[],
  deleteBeforeReplace: (replaces: string[]) => boolean = () => false,
): DiffOutcome {
  const replaces = changedKeys.filter((key) => replaceKeys.includes(key));
  return {
    changes: changedKeys.length > 0,
    replaces,
    deleteBeforeReplace: deleteBeforeReplace(replaces),
    changedKeys,
  };
}
