/**
 * Trigger semantics, shared by User (single triggers) and the credentials (a map of triggers).
 *
 * A trigger value is any string, number or boolean, recorded and compared as its string form: 2 and "2"
 * are the same value, so a program that switches between them (or a YAML config value that looks like a
 * number) fires nothing, and states that recorded strings keep matching.
 *
 * The state records the trigger value that was last *applied*. A trigger fires once when its new value is
 * set and differs from the applied one; removing a trigger fires nothing (the state just forgets it).
 * Triggers present at create are recorded without firing: a new object needs no reset.
 * If an action fails, the state keeps the old value, so the next `pulumi up` tries it again.
 */
import { isPlainObject, sameStringMap, type PlainObject } from "./values";

/** A trigger value as it is recorded and compared: the string form of a scalar; anything else is no value. */
export function triggerText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

/**
 * The inputs with every scalar trigger value in its string form: what check hands back, so the engine
 * records, and diff and update compare, one type. Values of other types stay as they are for check to
 * refuse by name.
 */
export function withTextTriggers(
  inputs: PlainObject,
  triggers: readonly string[],
  triggerMaps: readonly string[],
): PlainObject {
  const out: PlainObject = { ...inputs };
  const text = (value: unknown) => triggerText(value) ?? value;
  for (const key of triggers) if (out[key] !== undefined) out[key] = text(out[key]);
  for (const key of triggerMaps) {
    const map = out[key];
    if (isPlainObject(map))
      out[key] = Object.fromEntries(Object.entries(map).map(([name, value]) => [name, text(value)]));
  }
  return out;
}

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

/** What a credential's state records about its secret, for secretResetDue. */
export interface RecordedSecret {
  clientSecret?: string;
  /** The secret exists in DPoD but the stack does not hold it: only a trigger change resets it. */
  secretUnknown?: boolean;
  secretCreatedAt?: string;
  rotationTriggers?: Readonly<Record<string, string>>;
}

/**
 * Whether a credential's next update must reset its secret: the state holds none (and does not know it to
 * be unknown), a rotation trigger changed, or the secret is older than `rotateAfterDays`.
 */
export function secretResetDue(
  state: RecordedSecret,
  rotationTriggers: Readonly<Record<string, string>> | undefined,
  rotateAfterDays: number | undefined,
  now: Date,
): boolean {
  return (
    (state.clientSecret === undefined && state.secretUnknown !== true) ||
    mapTriggerFires(state.rotationTriggers, rotationTriggers) ||
    (state.secretUnknown !== true && rotationDue(state.secretCreatedAt, rotateAfterDays, now))
  );
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

/**
 * When a secret issued at `issuedAt` becomes due for rotation by age (ISO 8601): `periods` times
 * `maxAgeDays` later. Undefined without a maximum age or a readable timestamp.
 */
export function secretExpiry(
  issuedAt: string | undefined,
  maxAgeDays: number | undefined,
  periods = 1,
): string | undefined {
  if (maxAgeDays === undefined || issuedAt === undefined) return undefined;
  const issued = Date.parse(issuedAt);
  if (Number.isNaN(issued)) return undefined;
  return new Date(issued + periods * maxAgeDays * DAY_MS).toISOString();
}

/** The default of `expiryWarningDays`: a week's notice covers a weekly release or on-call cycle. */
export const DEFAULT_EXPIRY_WARNING_DAYS = 7;

/**
 * How many days remain before `expiresAt` when that is within `warnDays` (default 7) of `now` and still
 * ahead; undefined otherwise (no expiry, already past, or further away).
 */
export function daysToExpiryWithin(
  expiresAt: string | undefined,
  warnDays: number | undefined,
  now: Date,
): number | undefined {
  if (expiresAt === undefined) return undefined;
  const left = (Date.parse(expiresAt) - now.getTime()) / DAY_MS;
  const window = warnDays ?? DEFAULT_EXPIRY_WARNING_DAYS;
  return left > 0 && left <= window ? left : undefined;
}
