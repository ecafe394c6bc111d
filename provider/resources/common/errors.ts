/**
 * How handlers report failures to the engine.
 *
 * - ResourcePartialStateError: the object exists but a later step failed. The dynamic-provider runtime
 *   turns an error carrying `id`, `properties` and `reasons` into ErrorResourceInitFailed; the engine keeps
 *   the object in the stack with those outputs and retries on the next `up` (docs/architecture.md, "The lifecycle of a resource").
 * - Everything else is a plain error: nothing was created or changed.
 *
 * No message built here contains a secret: only names, ids and the client's (already redacted) messages.
 */
import {
  AmbiguousCreateError,
  DpodApiError,
  DpodConflictError,
  DpodNotFoundError,
  DpodResponseShapeError,
} from "../../client";
import { PROVIDER_KEY, stripUndefined, type PlainObject } from "./values";

export class ResourcePartialStateError extends Error {
  readonly id: string;
  /** The outputs to record, including `__provider`; no undefined anywhere. */
  readonly properties: PlainObject;
  readonly reasons: string[];

  constructor(message: string, id: string, properties: PlainObject, reasons: string[]) {
    super(message);
    this.name = "ResourcePartialStateError";
    this.id = id;
    this.properties = stripUndefined(properties);
    this.reasons = reasons;
  }
}

/**
 * The partial-state error for an object that exists: `outs` are the outputs to record, `news` the raw
 * inputs of the call (for `__provider`, so later update and delete can load the provider).
 */
export function partialState(
  kind: string,
  id: string,
  outs: PlainObject,
  news: unknown,
  what: string,
  cause: unknown,
): ResourcePartialStateError {
  const reason = describe(cause);
  const properties: PlainObject = { ...outs };
  const provider = (news as PlainObject | undefined)?.[PROVIDER_KEY];
  if (provider !== undefined) properties[PROVIDER_KEY] = provider;
  return new ResourcePartialStateError(
    `${kind} ${id} exists, but ${what} failed: ${reason} The stack records it; run \`pulumi up\` again to finish.`,
    id,
    properties,
    [`${what} failed: ${reason}`],
  );
}

export function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof DpodNotFoundError || (error instanceof DpodApiError && error.status === 404);
}

/**
 * Whether a failed create may nevertheless have created the object: the client gave up without an answer
 * (AmbiguousCreateError), or DPoD answered 2xx with a body the client could not read (the object exists,
 * but its id is unknown). Either way the resource looks the object up by its unique key.
 */
export function isAmbiguousCreate(error: unknown): error is AmbiguousCreateError | DpodResponseShapeError {
  return (
    error instanceof AmbiguousCreateError ||
    (error instanceof DpodResponseShapeError && error.status !== undefined && error.status < 300)
  );
}

/** Calls `fn`, mapping a 404 to undefined. */
export async function orUndefinedIfNotFound<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The warning printed when refresh finds an object gone. */
export function goneWarning(kind: string, label: string, id: string): string {
  return (
    `${kind} "${label}" (${id}) no longer exists in DPoD (404); it was deleted outside this program. ` +
    `It is removed from the stack; the next \`pulumi up\` creates it again.`
  );
}

/** The error when an ambiguous create cannot be resolved to exactly one matching object. */
export function unresolvedAmbiguousCreate(kind: string, key: string, cause: unknown, detail: string): Error {
  return new Error(
    `Creating ${kind} ${key} may or may not have reached DPoD (${describe(cause)}) ${detail} ` +
      `Nothing was adopted, to avoid managing the wrong object. Check the tenant, delete a stray copy if ` +
      `there is one, then run \`pulumi up\` again.`,
  );
}

/**
 * A create refused because the unique key is taken (409). The provider never adopts an existing object
 * silently (it might belong to someone else); the message says how to go on.
 */
export function explainCreateConflict(kind: string, key: string, error: unknown): unknown {
  if (!(error instanceof DpodConflictError)) return error;
  const adoption =
    kind === "ClientCredential" ? "" : ` set \`adopt: true\` on the resource to take the existing one over,`;
  return new Error(
    `${kind} ${key} already exists in DPoD (409: ${error.dpodMessage ?? "conflict"}). It is not managed by ` +
      `this stack, and it is not adopted automatically. Choose another name,${adoption} or delete the ` +
      `existing one (dynamic resources cannot be imported), then run \`pulumi up\` again.`,
  );
}

/**
 * For `adopt`: the one existing object with the resource's unique key, or undefined when there is none.
 * Several would mean the key is not unique after all: adopting any of them could take over the wrong
 * one, so that is an error.
 */
export function onlyCandidate<T>(found: readonly T[], kind: string, key: string): T | undefined {
  if (found.length > 1) {
    throw new Error(
      `${kind} ${key}: ${found.length} objects with this key exist in DPoD, so adopt cannot tell which one to ` +
        `take over; remove the extra ones or drop \`adopt\`.`,
    );
  }
  return found[0];
}
