/**
 * SubscriberGroup lifecycle on a DpodClient, free of Pulumi (test/unit/layering.test.ts): both adapters
 * reach it through resources/registry.ts.
 *
 * - name and description are updated in place (PATCH with only the changed fields); nothing forces a
 *   replacement. Group names are unique in a tenant, so any replacement (e.g. forced by the user with
 *   replaceOnChanges) deletes first.
 * - Names are compared without regard to case in lookups, as DPoD enforces their uniqueness.
 * - A create whose answer was lost is resolved by looking the group up by name; it is adopted only when
 *   name and description both match and DPoD's createdAt does not predate the request; without a
 *   createdAt only dpod:adoptIdentical adopts it (common/recovery.ts).
 * - A create refused with 409 takes over the existing group only when it is identical to the program and
 *   the provider-wide dpod:adoptIdentical policy is on; otherwise the error tells both stories.
 * - With `adopt: true`, create first looks for a group of that name; if one exists it is taken over (its
 *   description brought to the program's with one PATCH) instead of failing with 409. Opt-in, because
 *   taking over an object someone else made is a decision; `retainOnDelete` keeps it on destroy.
 */
import { type SubscriberGroup } from "../../client";
import { sameConnection } from "../common/connection";
import { goneWarning, isAmbiguousCreate, isNotFound, orUndefinedIfNotFound } from "../common/errors";
import { findByKey } from "../common/find-by-key";
import { diffOutcome, type DpodApi, type HandlerContext, type ResourceHandler } from "../common/lifecycle";
import {
  adoptIdenticalOrExplain,
  onlyCandidate,
  recoverUniqueKeyCreate,
  type UniqueKeyLookup,
} from "../common/recovery";
import { asDuplicateKeyConflict } from "../common/duplicate-key";
import { GROUP_FIELDS, wholeAnswer } from "../common/read-fields";
import { checkInputs, parseInputs } from "../common/validation";
import { readText, sameOptionalText, withoutProvider } from "../common/values";
import {
  groupDifferences,
  inputsFromState,
  outsFromState,
  patchFor,
  sameGroupName,
  stateFromApi,
  stateFromProps,
} from "./mapping";
import { subscriberGroupInputsSchema, type SubscriberGroupInputs } from "./schema";

const KIND = "SubscriberGroup";

/**
 * The groups whose name equals `name` as DPoD compares them (without regard to case), by distinct id,
 * each as a GET answers it: a list item may be a summary, and these are compared field by field.
 */
async function findByName(client: DpodApi, name: string): Promise<SubscriberGroup[]> {
  return findByKey(
    client.subscriberGroups.list(),
    (group) => sameGroupName(group.name, name),
    (group) => group.id,
    (id) => client.subscriberGroups.get(id),
  );
}

/** The unique-key lookup of the group a create declares (common/recovery.ts). */
function byName(ctx: HandlerContext, inputs: SubscriberGroupInputs): UniqueKeyLookup<SubscriberGroup> {
  return {
    kind: KIND,
    key: `"${inputs.name}"`,
    noun: "group named",
    keyName: "name",
    find: () => findByName(ctx.client, inputs.name),
    differences: (group) => groupDifferences(group, inputs),
    idOf: (group) => group.id,
    createdAtOf: (group) => group.createdAt,
  };
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
        if (Object.keys(patch).length > 0) ctx.reads?.forget(found.id); // no earlier list serves it again
        const current =
          Object.keys(patch).length > 0
            ? await wholeAnswer(await ctx.client.subscriberGroups.update(found.id, patch), GROUP_FIELDS, () =>
                ctx.client.subscriberGroups.get(found.id),
              )
            : found;
        return { id: current.id, outs: outsFromState(stateFromApi(current, inputs.connection)) };
      }
    }
    const requestStart = ctx.now();
    let group: SubscriberGroup;
    try {
      group = await ctx.client.subscriberGroups.create({
        name: inputs.name,
        description: inputs.description,
      });
    } catch (error) {
      const conflict = await asDuplicateKeyConflict(byName(ctx, inputs), error);
      if (conflict !== undefined) {
        const existing = await adoptIdenticalOrExplain(byName(ctx, inputs), conflict, ctx);
        return { id: existing.id, outs: outsFromState(stateFromApi(existing, inputs.connection)) };
      }
      if (!isAmbiguousCreate(error)) throw error;
      group = await recoverUniqueKeyCreate(byName(ctx, inputs), error, requestStart, ctx);
    }
    const created = group;
    group = await wholeAnswer(created, GROUP_FIELDS, () => ctx.client.subscriberGroups.get(created.id));
    return { id: group.id, outs: outsFromState(stateFromApi(group, inputs.connection)) };
  },

  async read(ctx, id, props) {
    const state = stateFromProps(props);
    const group = await orUndefinedIfNotFound(() =>
      ctx.reads ? ctx.reads.groups().read(id) : ctx.client.subscriberGroups.get(id),
    );
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
    const answer = await ctx.client.subscriberGroups.update(id, patch);
    const group = await wholeAnswer(answer, GROUP_FIELDS, () => ctx.client.subscriberGroups.get(id));
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
