/**
 * ClientCredential: API object <-> state <-> inputs, pure. Normalises what DPoD may vary so a clean tenant
 * shows no diff: lists are compared as sets, and short roles are read as their full
 * form. The secret is never read back from DPoD (it is not returned); the state keeps the one it was given.
 * A state is made only from an answer carrying every required field (common/read-fields.ts): a list DPoD
 * did not send is never recorded as [].
 */
import type { ClientCredential } from "../../client";
import { CREDENTIAL_FIELDS, requireSent } from "../common/read-fields";
import { normalizeSet, stripUndefined, withoutProvider, type PlainObject } from "../common/values";
import {
  canonicalCredentialRole,
  clientCredentialStateSchema,
  type ClientCredentialInputs,
  type ClientCredentialState,
} from "./schema";

/** What the state keeps that GET does not return: carried over from the inputs or the previous state. */
export type CredentialExtras = Pick<
  ClientCredentialState,
  | "clientSecret"
  | "secretUnknown"
  | "secretCreatedAt"
  | "secretExpiresAt"
  | "rotationTriggers"
  | "rotateAfterDays"
  | "connection"
>;

export function extrasFromState(state: ClientCredentialState): CredentialExtras {
  return stripUndefined({
    clientSecret: state.clientSecret,
    secretUnknown: state.secretUnknown,
    secretCreatedAt: state.secretCreatedAt,
    secretExpiresAt: state.secretExpiresAt,
    rotationTriggers: state.rotationTriggers,
    rotateAfterDays: state.rotateAfterDays,
    connection: state.connection,
  });
}

export function extrasFromInputs(inputs: ClientCredentialInputs): CredentialExtras {
  return stripUndefined({
    rotationTriggers: inputs.rotationTriggers,
    rotateAfterDays: inputs.rotateAfterDays,
    connection: inputs.connection,
  });
}

/** The state DPoD's answer describes; MissingFieldError when it lacks a required field. */
export function stateFromApi(answer: ClientCredential, extras: CredentialExtras): ClientCredentialState {
  const credential = requireSent("ClientCredential", answer.clientId, answer, CREDENTIAL_FIELDS.required);
  return stripUndefined({
    clientId: credential.clientId,
    name: credential.name,
    role: canonicalCredentialRole(credential.role),
    serviceIds: normalizeSet(credential.serviceIds),
    subscriberGroups: normalizeSet(credential.subscriberGroups),
    tenantId: credential.tenantId,
    createdAt: credential.createdAt,
    createdBy: credential.createdBy,
    ...extras,
  });
}

export function stateFromProps(props: unknown): ClientCredentialState {
  return stripUndefined(clientCredentialStateSchema.parse(withoutProvider(props))) as ClientCredentialState;
}

/** The inputs a program would have to hold to describe this state (what refresh records as inputs). */
export function inputsFromState(state: ClientCredentialState): PlainObject {
  return stripUndefined({
    name: state.name,
    role: state.role,
    serviceIds: state.serviceIds.length ? state.serviceIds : undefined,
    subscriberGroups: state.subscriberGroups.length ? state.subscriberGroups : undefined,
    rotationTriggers: state.rotationTriggers,
    rotateAfterDays: state.rotateAfterDays,
    connection: state.connection,
  });
}

export function outsFromState(state: ClientCredentialState): PlainObject {
  return stripUndefined({ ...state });
}
