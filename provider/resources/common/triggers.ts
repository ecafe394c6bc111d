/**
 * Trigger semantics, shared by User (single string triggers) and ClientCredential (a map of strings).
 *
 * The state records the trigger value that was last *applied*. A trigger fires once when its new value is
 * set and differs from the applied one; removing a trigger fires nothing (the state just forgets it).
 * Triggers present at create are recorded without firing: a new object needs no reset.
 * If an action fails, the state keeps the old value, so the next `pulumi up` tries it again.
 */
import { sameStringMap } from "./values";

/** Whether a single-value trigger should run its action now. */
export function triggerFires(applied: string | undefined, desired: string | undefined): boolean {
  return desired !== undefined && desired !== applied;
}

/** Whether a map trigger should run its action now: the map changed and is not empty. */
export function mapTriggerFires(
  applied: Readonly<Record<string, string>> | undefined,
  desired: Readonly<Record<string, string>> | undefined,
): boolean {
  return desired !== undefined && Object.keys(desired).length > 0 && !sameStringMap(applied, desired);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a secret issued at `issuedAt` (ISO 8601) is older than `maxAgeDays` at `now`. A missing or
 * unreadable timestamp counts as due, so that a secret of unknown age is rotated rather than kept.
 */
export function rotationDue(
  issuedAt: string | undefined,
  maxAgeDays: number | undefined,
  now: Date,
): boolean {
  if (maxAgeDays === undefined) return false;
  const issued = issuedAt === undefined ? Number.NaN : Date.parse(issuedAt);
  if (Number.isNaN(issued)) return true;
  return now.getTime() - issued > maxAgeDays * DAY_MS;
}
