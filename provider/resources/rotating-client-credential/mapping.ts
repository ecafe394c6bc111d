/**
 * RotatingClientCredential: slots, state and inputs, pure. Each of the pair's credentials is named after
 * its slot (`<name>-a`, `<name>-b`) so both are recognisable in the DPoD console; the name input is read
 * back from the current credential's name without that suffix.
 */
import { secretExpiry } from "../common/triggers";
import { normalizeSet, stripUndefined, withoutProvider, type PlainObject } from "../common/values";
import { rotatingClientCredentialStateSchema, type RotatingClientCredentialState, type Slot } from "./schema";

/** The DPoD name of the credential in `slot`. */
export function slotName(name: string, slot: Slot): string {
  return `${name}-${slot}`;
}

export function otherSlot(slot: Slot): Slot {
  return slot === "a" ? "b" : "a";
}

/** The name input a credential's DPoD name stands for: without its slot suffix, or as is if renamed. */
export function nameFromCredential(credentialName: string, slot: Slot): string {
  const suffix = `-${slot}`;
  return credentialName.endsWith(suffix) && credentialName.length > suffix.length
    ? credentialName.slice(0, -suffix.length)
    : credentialName;
}

export function stateFromProps(props: unknown): RotatingClientCredentialState {
  const parsed = rotatingClientCredentialStateSchema.parse(withoutProvider(props));
  return stripUndefined({
    ...parsed,
    serviceIds: normalizeSet(parsed.serviceIds),
    subscriberGroups: normalizeSet(parsed.subscriberGroups),
  }) as RotatingClientCredentialState;
}

/** The state without the previous pair: before the first rotation, or once that credential is gone. */
export function withoutPrevious(state: RotatingClientCredentialState): RotatingClientCredentialState {
  return {
    ...state,
    previousClientId: undefined,
    previousClientSecret: undefined,
    previousSecretCreatedAt: undefined,
  };
}

/**
 * The state once the current credential is gone: the previous one becomes current (it works, and the
 * stack holds its secret), in its own slot; the other slot is free for the next rotation.
 */
export function promotePrevious(state: RotatingClientCredentialState): RotatingClientCredentialState {
  if (state.previousClientId === undefined)
    throw new Error("promotePrevious: there is no previous credential");
  return {
    ...state,
    currentSlot: otherSlot(state.currentSlot),
    clientId: state.previousClientId,
    clientSecret: state.previousClientSecret,
    secretCreatedAt: state.previousSecretCreatedAt,
    previousClientId: undefined,
    previousClientSecret: undefined,
    previousSecretCreatedAt: undefined,
  };
}

/** The state with its expiry outputs computed from secretCreatedAt and rotateAfterDays. */
export function withExpiry(state: RotatingClientCredentialState): RotatingClientCredentialState {
  return {
    ...state,
    secretExpiresAt: secretExpiry(state.secretCreatedAt, state.rotateAfterDays, 2),
    previousSecretExpiresAt:
      state.previousClientId === undefined
        ? undefined
        : secretExpiry(state.secretCreatedAt, state.rotateAfterDays, 1),
  };
}

/** The inputs a program would have to hold to describe this state (what refresh records as inputs). */
export function inputsFromState(state: RotatingClientCredentialState): PlainObject {
  return stripUndefined({
    name: state.name,
    role: state.role,
    serviceIds: state.serviceIds.length ? state.serviceIds : undefined,
    subscriberGroups: state.subscriberGroups.length ? state.subscriberGroups : undefined,
    rotationTriggers: state.rotationTriggers,
    rotateAfterDays: state.rotateAfterDays,
    minRotationIntervalHours: state.minRotationIntervalHours,
    connection: state.connection,
  });
}

export function outsFromState(state: RotatingClientCredentialState): PlainObject {
  return stripUndefined({ ...state });
}
