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
import { AmbiguousCreateError, DpodApiError, DpodNotFoundError, DpodResponseShapeError } from "../../client";
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
