/**
 * SubscriberGroup lifecycle on a DpodClient. No Pulumi types: the dynamic adapter (and later a native
 * provider) wraps it.
 *
 * - name and description are updated in place (PATCH with only the changed fields); nothing forces a
 *   replacement. Group names are unique in a tenant, so any replacement (e.g. forced by the user with
 *   replaceOnChanges) deletes first.
 * - A create whose answer was lost is resolved by looking the group up by name; it is adopted only when
 *   name and description both match.
 * - With `adopt: true`, create first looks for a group of that name; if one exists it is taken over (its
 *   description brought to the program's with one PATCH) instead of failing with 409. Opt-in, because
 *   taking over an object someone else made is a decision; `retainOnDelete` keeps it on destroy.
 */
import type { SubscriberGroup } from "../../client";
import { sameConnection } from "../common/connection";
import {
  explainCreateConflict,
  goneWarning,
  isAmbiguousCreate,
  isNotFound,
  onlyCandidate,
  orUndefinedIfNotFound,
  unresolvedAmbiguousCreate,
} from "../common/errors";
import { diffOutcome, type DpodApi, type ResourceHandler } from "../common/lifecycle";
import { checkInputs, parseInputs } from "../common/validation";
import { readText, sameOptionalText, withoutProvider } from "../common/values";
import { inputsFromState, outsFromState, patchFor, stateFromApi, stateFromProps } from "./mapping";
import { subscriberGroupInputsSchema, type SubscriberGroupInputs } from "./schema";

const KIND = "SubscriberGroup";

async function findByName(client: DpodApi, name: string): Promise<SubscriberGroup[]> {
  const found: SubscriberGroup[] = [];
  for await (const group of client.subscriberGroups.list()) if (group.name === name) found.push(group);
  return found;
}

export const subscriberGroupHandler: ResourceHandler = {
  kind: KIND,

  check(_olds, news) {
    return checkInputs(subscriberGroupInputsSchema, news);
  },

  diff(_id, olds, news) {
    const state = stateFromProps(olds);
    const inputs = withoutProvider(news);
    const changed: string[] = [];
    if (readText(inputs.name) !== state.name) changed.push("name");
    if (!sameOptionalText(readText(inputs.description), state.description)) changed.push("description");
    if (!sameConnection(inputs.connection, state.connection)) changed.push("connection");
    return diffOutcome(changed, [], () => true);
  },

  async create(ctx, news) {
    const inputs = parseInputs(subscriberGroupInputsSchema, KIND, news) as SubscriberGroupInputs;
    if (inputs.adopt) {
      const existing = await findByName(ctx.client, inputs.name);
      const found = onlyCandidate(existing, KIND, `"${inputs.name}"`);
      if (found !== undefined) {
        const patch = patchFor(stateFromApi(found, inputs.connection), inputs);
        const current =
          Object.keys(patch).length > 0 ? await ctx.client.subscriberGroups.update(found.id, patch) : found;
        return { id: current.id, outs: outsFromState(stateFromApi(current, inputs.connection)) };
      }
    }
    let group: SubscriberGroup;
    try {
      group = await ctx.client.subscriberGroups.create({
        name: inputs.name,
        description: inputs.description,
      });
    } catch (error) {
      if (!isAmbiguousCreate(error)) throw explainCreateConflict(KIND, `"${inputs.name}"`, error);
      const matches = await findByName(ctx.client, inputs.name);
      const exact = matches.filter((g) => sameOptionalText(g.description, inputs.description));
      const only = exact[0];
      if (exact.length !== 1 || only === undefined) {
        const detail =
          matches.length === 0
            ? `and no group named "${inputs.name}" exists now, so it was not created; run \`pulumi up\` again.`
            : `and a group named "${inputs.name}" exists whose description differs from the program's.`;
        throw unresolvedAmbiguousCreate(KIND, `"${inputs.name}"`, error, detail);
      }
      group = only; // the lost answer's group: adopted, same name and description
    }
    return { id: group.id, outs: outsFromState(stateFromApi(group, inputs.connection)) };
  },

  async read(ctx, id, props) {
    const state = stateFromProps(props);
    const group = await orUndefinedIfNotFound(() => ctx.client.subscriberGroups.get(id));
    if (group === undefined) {
      ctx.warn(goneWarning(KIND, state.name || id, id));
      return { id: "" };
    }
    const fresh = stateFromApi(group, state.connection);
    return { id: group.id, props: outsFromState(fresh), inputs: inputsFromState(fresh) };
  },

  async update(ctx, id, olds, news) {
    const state = stateFromProps(olds);
    const inputs = parseInputs(subscriberGroupInputsSchema, KIND, news) as SubscriberGroupInputs;
    const patch = patchFor(state, inputs);
    if (Object.keys(patch).length === 0) {
      return { outs: outsFromState({ ...state, connection: inputs.connection }) };
    }
    const group = await ctx.client.subscriberGroups.update(id, patch);
    return { outs: outsFromState(stateFromApi(group, inputs.connection)) };
  },

  async delete(ctx, id) {
    try {
      await ctx.client.subscriberGroups.delete(id);
    } catch (error) {
      if (!isNotFound(error)) throw error; // already gone: the goal is reached
    }
  },
};
