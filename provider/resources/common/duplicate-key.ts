/**
 * A create of a unique-key object (user, subscriber group) refused with 400 instead of 409.
 *
 * Our reading is that DPoD refuses a duplicate username or group name with 409 (docs/dpod-api-notes.md,
 * the `duplicate-400` dialect). If it says 400 instead, the 409 story (the explanation of both usual
 * causes, and dpod:adoptIdentical) must still apply. A 400 is read as a duplicate only when a lookup by
 * the unique key finds an object holding it; that lookup only reads, and what follows is the 409 path,
 * which takes nothing over that is not identical to the program and allowed by dpod:adoptIdentical.
 * A 400 with no such object (or whose lookup fails) is DPoD refusing the input, and stands as it came.
 */
import { DpodBadRequestError, DpodConflictError } from "../../client";
import type { UniqueKeyLookup } from "./recovery";

/** The create's error as a DpodConflictError when it is a duplicate key; undefined when it is not one. */
export async function asDuplicateKeyConflict<T>(
  lookup: UniqueKeyLookup<T>,
  error: unknown,
): Promise<DpodConflictError | undefined> {
  if (error instanceof DpodConflictError) return error;
  if (!(error instanceof DpodBadRequestError)) return undefined;
  let found: T[];
  try {
    found = await lookup.find();
  } catch {
    return undefined; // nothing shows the key is taken: DPoD's 400 is the answer
  }
  if (found.length === 0) return undefined;
  return new DpodConflictError(
    `DPoD refused ${error.method} ${error.path} with 400 while ${lookup.kind} ${lookup.key} exists (id ` +
      `${found.map(lookup.idOf).join(", ")}): read as a duplicate ${lookup.keyName}, which DPoD was ` +
      `expected to refuse with 409.`,
    {
      status: error.status,
      dpodMessage: error.dpodMessage,
      method: error.method,
      path: error.path,
      operation: error.operation,
      requestId: error.requestId,
      attempts: error.attempts,
    },
  );
}
