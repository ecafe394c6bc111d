/**
 * Reading resource properties that may not be known yet.
 *
 * During `pulumi preview`, an input computed from another resource's output (a subscriber group id, a
 * username built from a stack output) is unknown. @pulumi/policy hands policies a proxy that throws
 * UnknownValueError when such a value is read; left alone, the pack would turn every such read into
 * a "can't run policy during preview" advisory. The rules here decide instead: a rule whose answer
 * depends on an unknown value passes at preview and is checked again by `pulumi up`, where the engine
 * runs the pack on the resolved inputs before the resource is created or updated.
 */
import { UnknownValueError } from "@pulumi/policy";

/** Marks a value that is not known at preview. */
export const UNKNOWN: unique symbol = Symbol("unknown until the update");
export type Unknown = typeof UNKNOWN;

/** Calls `read`, returning UNKNOWN instead of throwing when it touches a value unknown at preview. */
export function readKnown<T>(read: () => T): T | Unknown {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
}

/** A property's value: UNKNOWN at preview when it is not known yet, undefined when it is absent. */
export function property(props: Record<string, unknown>, name: string): unknown {
  return readKnown(() => props[name]);
}

/**
 * A list property's elements: UNKNOWN when the list itself is unknown; elements that are unknown are
 * UNKNOWN in the result (the length is known).
 */
export function listProperty(props: Record<string, unknown>, name: string): unknown[] | Unknown | undefined {
  const list = property(props, name);
  if (list === UNKNOWN || list === undefined || list === null) return list === null ? undefined : list;
  if (!Array.isArray(list)) return [list];
  const elements: unknown[] = [];
  for (let index = 0; index < list.length; index++) elements.push(readKnown(() => list[index] as unknown));
  return elements;
}

/** True when a map property has at least one entry, UNKNOWN when that cannot be told at preview. */
export function hasEntries(props: Record<string, unknown>, name: string): boolean | Unknown {
  const map = property(props, name);
  if (map === UNKNOWN) return UNKNOWN;
  if (map === undefined || map === null || typeof map !== "object") return false;
  return readKnown(() => Object.keys(map).length > 0);
}

/** A boolean that Pulumi config or an input may carry as a word ("true") or as a boolean. */
export function isOn(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return ["true", "1", "yes"].includes(value.trim().toLowerCase());
  return false;
}
