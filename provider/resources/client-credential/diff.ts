/**
 * The diff of a credential's inputs against its recorded state, shared by ClientCredential and
 * RotatingClientCredential (which manages two DPoD credentials with the same inputs): what changed,
 * whether the secret rotates, and the guard on replacements that would cut consumers off.
 */
import { sameConnection } from "../common/connection";
import { diffOutcome, type DiffOutcome } from "../common/lifecycle";
import { guardRecreate, recreateAllowed, shown } from "../common/recreate-guard";
import {
  readList,
  readMap,
  readNumber,
  readText,
  sameSet,
  sameStringMap,
  withoutProvider,
} from "../common/values";
import { canonicalCredentialRole } from "./schema";

/** role, serviceIds and subscriberGroups cannot change in place: a change replaces the credential. */
export const CREDENTIAL_REPLACE_KEYS = ["role", "serviceIds", "subscriberGroups"] as const;

/** The recorded fields the diff compares. */
export interface CredentialDiffState {
  name: string;
  role: string;
  serviceIds: string[];
  subscriberGroups: string[];
  rotationTriggers?: Record<string, string>;
  rotateAfterDays?: number;
  connection?: unknown;
}

export interface CredentialDiffOptions {
  /** e.g. `ClientCredential "ci" (client id …)`, for the guard's message. */
  subject: string;
  /** What a replacement would destroy, for the guard's message. */
  consequence: string;
  /** Whether the update resets the secret, given the desired triggers and maximum age. */
  mustRotate: (triggers: Record<string, string> | undefined, days: number | undefined) => boolean;
}

export function diffCredential(
  state: CredentialDiffState,
  news: unknown,
  options: CredentialDiffOptions,
): DiffOutcome {
  const inputs = withoutProvider(news);
  const changed: string[] = [];
  const role = readText(inputs.role);
  if ((role === undefined ? undefined : canonicalCredentialRole(role)) !== state.role) changed.push("role");
  if (!sameSet(readList(inputs.serviceIds), state.serviceIds)) changed.push("serviceIds");
  if (!sameSet(readList(inputs.subscriberGroups), state.subscriberGroups)) changed.push("subscriberGroups");
  if (readText(inputs.name) !== state.name) changed.push("name");
  const triggers = readMap(inputs.rotationTriggers);
  if (!sameStringMap(triggers, state.rotationTriggers)) changed.push("rotationTriggers");
  const days = readNumber(inputs.rotateAfterDays);
  if (days !== state.rotateAfterDays) changed.push("rotateAfterDays");
  // A trigger fired, an age-based rotation is due, or the stack holds no secret: the update resets it,
  // so the secret is among what changes (a native preview shows it).
  if (options.mustRotate(triggers, days)) changed.push("clientSecret");
  if (!sameConnection(inputs.connection, state.connection)) changed.push("connection");
  const outcome = diffOutcome(changed, CREDENTIAL_REPLACE_KEYS);
  const recorded: Record<(typeof CREDENTIAL_REPLACE_KEYS)[number], unknown> = {
    role: state.role,
    serviceIds: state.serviceIds,
    subscriberGroups: state.subscriberGroups,
  };
  guardRecreate(
    options.subject,
    outcome.replaces.map((key) => ({
      key,
      recorded: shown(recorded[key as keyof typeof recorded]),
      desired: key === "role" && role !== undefined ? canonicalCredentialRole(role) : shown(inputs[key]),
    })),
    recreateAllowed(inputs),
    options.consequence,
  );
  return outcome;
}
