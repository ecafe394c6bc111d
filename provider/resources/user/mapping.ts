/**
 * User: API object <-> state <-> inputs, pure. Normalises what DPoD may vary so a clean tenant shows no
 * diff: subscriberGroups is compared as a set, "" and absent phone numbers are the same, short account
 * roles are read as their full form, and usernames compare case-insensitively. A field DPoD did not send
 * is never filled in (common/read-fields.ts): a state is made only from an answer carrying every
 * required field, and a lookup never counts an unsent field as matching.
 */
import type { User } from "../../client";
import { requireSent, unsent, USER_FIELDS } from "../common/read-fields";
import {
  normalizeSet,
  sameOptionalText,
  sameSet,
  stripUndefined,
  textOrUndefined,
  withoutProvider,
  type PlainObject,
} from "../common/values";
import { canonicalAccountRole, userStateSchema, type UserInputs, type UserState } from "./schema";

/** What the state keeps that DPoD does not return: carried over from the inputs or the previous state. */
export type UserExtras = Pick<
  UserState,
  | "targetTenantId"
  | "temporaryPassword"
  | "emailHints"
  | "resetPasswordTrigger"
  | "resetMfaTrigger"
  | "sendVerificationTrigger"
  | "connection"
>;

export function extrasFromInputs(inputs: UserInputs): UserExtras {
  return stripUndefined({
    targetTenantId: inputs.tenantId,
    emailHints: inputs.emailHints,
    resetPasswordTrigger: inputs.resetPasswordTrigger,
    resetMfaTrigger: inputs.resetMfaTrigger,
    sendVerificationTrigger: inputs.sendVerificationTrigger,
    connection: inputs.connection,
  });
}

export function extrasFromState(state: UserState): UserExtras {
  return stripUndefined({
    targetTenantId: state.targetTenantId,
    temporaryPassword: state.temporaryPassword,
    emailHints: state.emailHints,
    resetPasswordTrigger: state.resetPasswordTrigger,
    resetMfaTrigger: state.resetMfaTrigger,
    sendVerificationTrigger: state.sendVerificationTrigger,
    connection: state.connection,
  });
}

/** The state DPoD's answer describes; MissingFieldError when it lacks a required field. */
export function stateFromApi(answer: User, extras: UserExtras): UserState {
  const user = requireSent("User", answer.id, answer, USER_FIELDS.required);
  return stripUndefined({
    username: user.username,
    email: textOrUndefined(user.email),
    givenName: user.givenName,
    familyName: user.familyName,
    phoneNumber: textOrUndefined(user.phoneNumber),
    accountRole: canonicalAccountRole(user.accountRole),
    subscriberGroups: normalizeSet(user.subscriberGroups),
    tenantId: user.tenantId ?? extras.targetTenantId,
    verified: user.verified,
    status: user.status,
    createdAt: user.createdAt,
    ...extras,
  });
}

export function stateFromProps(props: unknown): UserState {
  return stripUndefined(userStateSchema.parse(withoutProvider(props))) as UserState;
}

/** The inputs a program would have to hold to describe this state (what refresh records as inputs). */
export function inputsFromState(state: UserState): PlainObject {
  return stripUndefined({
    username: state.username,
    givenName: state.givenName,
    familyName: state.familyName,
    accountRole: state.accountRole,
    phoneNumber: state.phoneNumber,
    subscriberGroups: state.subscriberGroups.length ? state.subscriberGroups : undefined,
    tenantId: state.targetTenantId,
    emailHints: state.emailHints,
    resetPasswordTrigger: state.resetPasswordTrigger,
    resetMfaTrigger: state.resetMfaTrigger,
    sendVerificationTrigger: state.sendVerificationTrigger,
    connection: state.connection,
  });
}

export function sameUsername(a: string | undefined, b: string | undefined): boolean {
  return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
}

/**
 * The create fields in which an existing user differs from the inputs; [] when it is identical. A field
 * DPoD did not send is unknown, so it counts as differing ("… (not sent by DPoD)").
 */
export function userDifferences(user: User, inputs: UserInputs): string[] {
  const missing = unsent(user, USER_FIELDS.required);
  if (missing.length > 0) return missing.map((field) => `${field} (not sent by DPoD)`);
  const differing: string[] = [];
  if (!sameUsername(user.username, inputs.username)) differing.push("username");
  if (user.givenName !== inputs.givenName) differing.push("givenName");
  if (user.familyName !== inputs.familyName) differing.push("familyName");
  if (canonicalAccountRole(user.accountRole ?? "") !== inputs.accountRole) differing.push("accountRole");
  if (!sameSet(user.subscriberGroups, inputs.subscriberGroups)) differing.push("subscriberGroups");
  if (!sameOptionalText(user.phoneNumber, inputs.phoneNumber)) differing.push("phoneNumber");
  return differing;
}

export interface UserPatch {
  givenName?: string;
  familyName?: string;
  phoneNumber?: string;
}

/** The PATCH body: only the updatable fields whose desired value differs from the recorded one. */
export function patchFor(state: UserState, inputs: UserInputs): UserPatch {
  const patch: UserPatch = {};
  if (inputs.givenName !== state.givenName) patch.givenName = inputs.givenName;
  if (inputs.familyName !== state.familyName) patch.familyName = inputs.familyName;
  if (!sameOptionalText(inputs.phoneNumber, state.phoneNumber)) patch.phoneNumber = inputs.phoneNumber ?? "";
  return patch;
}

export function outsFromState(state: UserState): PlainObject {
  return stripUndefined({ ...state });
}
