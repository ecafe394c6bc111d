/**
 * The one way a handler's context is built, by both adapters (provider/dynamic.ts and
 * provider/native/server.ts): from the client the call's own settings selected, the provider-wide policy,
 * the clock and where warnings go. List-served reads are the client's (one batch per client).
 */
import type { DpodClient } from "../client";
import type { CallJournal, HandlerContext } from "./common/lifecycle";
import { readsFor } from "./common/list-reads";

export interface ContextParts {
  /** The client built from this call's settings (a resource's `connection` over the provider's). */
  client: DpodClient;
  now: () => Date;
  warn: (message: string) => void;
  /** dpod:adoptIdentical as the adapter resolved it with those settings. */
  adoptIdentical: boolean;
  /** The resource's URN, when the adapter knows it for this call. */
  urn?: string;
  /** The create journal's view for this call (journal-access.ts), for creates and updates. */
  journal?: CallJournal;
}

export function handlerContext(parts: ContextParts): HandlerContext {
  const { client, now, warn, adoptIdentical, urn, journal } = parts;
  return {
    client,
    reads: readsFor(client),
    now,
    warn,
    adoptIdentical,
    ...(urn === undefined ? {} : { urn }),
    ...(journal === undefined ? {} : { journal }),
  };
}
