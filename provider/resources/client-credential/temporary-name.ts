/**
 * The temporary name a ClientCredential carries between its create (POST) and its rename (PATCH) to the
 * name the program declares. DPoD has no idempotency key and credential names are not unique, so this
 * name is what proves, after a lost answer or a killed run, which credential a create made.
 *
 * `pulumi-dpod-creating-<owner>-<attempt>` (46 characters: lower-case hex, hyphens and letters only, well
 * within the 64-character name limit and free of special characters):
 * - owner: 16 hex digits of a SHA-256 of the resource's URN (which holds the stack and project), the same
 *   for every attempt of that resource in any run, so a later run recognises what an earlier one left;
 * - attempt: 8 random hex digits, new for each POST, so the same run finds exactly the credential its own
 *   POST made.
 * Without a URN (an adapter that does not know it) the owner is random: the same run still recovers its
 * own credential, but a later run cannot recognise it.
 */
import { createHash, randomBytes } from "node:crypto";

export const TEMPORARY_NAME_HEAD = "pulumi-dpod-creating-";

/** The part of the temporary name shared by every attempt of the resource with this URN. */
export function temporaryNameOwner(urn: string | undefined): string {
  if (urn === undefined || urn === "") return randomBytes(8).toString("hex");
  return createHash("sha256").update(urn).digest("hex").slice(0, 16);
}

/** A new temporary name for one create attempt of the resource whose owner part is `owner`. */
export function newTemporaryName(owner: string): string {
  return `${TEMPORARY_NAME_HEAD}${owner}-${randomBytes(4).toString("hex")}`;
}

/** Whether `name` is a temporary name of any attempt of the resource whose owner part is `owner`. */
export function isTemporaryNameOf(name: string, owner: string): boolean {
  const prefix = `${TEMPORARY_NAME_HEAD}${owner}-`;
  return name.startsWith(prefix) && /^[0-9a-f]{8}$/.test(name.slice(prefix.length));
}
