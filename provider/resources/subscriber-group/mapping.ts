/**
 * SubscriberGroup: API object <-> state <-> inputs, pure. Normalises what DPoD leaves out so a clean tenant
 * shows no diff: a missing or empty description is "no description".
 */
import type { SubscriberGroup } from "../../client";
import type { ConnectionInput } from "../common/connection";
import { GROUP_FIELDS, requireSent } from "../common/read-fields";
import {
  sameOptionalText,
  stripUndefined,
  textOrUndefined,
  withoutProvider,
  type PlainObject,
} from "../common/values";
import { subscriberGroupStateSchema, type SubscriberGroupInputs, type SubscriberGroupState } from "./schema";

/** The state DPoD's answer describes; MissingFieldError when it lacks a required field. */
export function stateFromApi(
  answer: SubscriberGroup,
  connection: ConnectionInput | undefined,
): SubscriberGroupState {
  const group = requireSent("SubscriberGroup", answer.id, answer, GROUP_FIELDS.required);
  return stripUndefined({
    name: group.name,
    description: textOrUndefined(group.description),
    tenantId: group.tenantId,
    createdAt: group.createdAt,
    connection,
  });
}

export function stateFromProps(props: unknown): SubscriberGroupState {
  return stripUndefined(subscriberGroupStateSchema.parse(withoutProvider(props))) as SubscriberGroupState;
}

/** The inputs a program would have to hold to describe this state (what refresh records as inputs). */
export function inputsFromState(state: SubscriberGroupState): PlainObject {
  return stripUndefined({ name: state.name, description: state.description, connection: state.connection });
}

/** The PATCH body: only the fields whose desired value differs from the recorded one. */
export function patchFor(
  state: SubscriberGroupState,
  inputs: SubscriberGroupInputs,
): { name?: string; description?: string } {
  const patch: { name?: string; description?: string } = {};
  if (inputs.name !== state.name) patch.name = inputs.name;
  if (!sameOptionalText(inputs.description, state.description)) patch.description = inputs.description ?? "";
  return patch;
}

export function outsFromState(state: SubscriberGroupState): PlainObject {
  return stripUndefined({ ...state });
}

/** Group names as DPoD enforces their uniqueness: without regard to case. */
export function sameGroupName(a: string | undefined, b: string | undefined): boolean {
  return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
}

/** The create fields in which an existing group differs from the inputs (names exactly); [] when identical. */
export function groupDifferences(group: SubscriberGroup, inputs: SubscriberGroupInputs): string[] {
  const differing: string[] = [];
  if (group.name !== inputs.name) differing.push("name");
  if (!sameOptionalText(group.description, inputs.description)) differing.push("description");
  return differing;
}
