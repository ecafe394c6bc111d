/**
 * RotatingClientCredential lifecycle: zero-downtime rotation from two DPoD credentials used in turn.
 * No Pulumi types: the dynamic adapter (and later a native provider) wraps it.
 *
 * DPoD keeps one secret per credential, so resetting it cuts off every consumer at once. This resource
 * holds two credentials (slots "a" and "b", named `<name>-a` and `<name>-b`):
 * - create makes one credential (slot a): the current pair; there is no previous pair yet;
 * - each rotation makes the *other* credential current with a fresh secret: the first rotation creates
 *   it, every later one resets its secret (it holds the older of the two). The credential that was
 *   current becomes the previous pair and keeps working until the next rotation resets it. So consumers
 *   have one full rotation interval to move to the new pair.
 * - A rotation happens when rotationTriggers changes to a new non-empty map, or the current secret is
 *   older than rotateAfterDays, or the stack holds no current secret; as ClientCredential, triggers set
 *   at create do not rotate. A failed rotation records nothing new (the old triggers stay), so the next
 *   `up` tries again.
 * - role, serviceIds and subscriberGroups cannot change in place: a change replaces the pair (new
 *   client ids), refused unless `allowRecreate: true` (common/recreate-guard.ts). name is updated on both
 *   credentials with one PATCH each.
 * - Each credential is created through the ClientCredential handler, under a temporary name of its own
 *   slot (the URN plus the slot), so a lost answer or an interrupted create is resolved the same way: only
 *   a credential under that slot's temporary name is taken over (client-credential/temporary-name.ts).
 * - Refresh reads both credentials. A previous credential deleted outside the program is forgotten (the
 *   next rotation creates a new one); a current one deleted outside means the pair is gone.
 */
import { randomUUID } from "node:crypto";
import type { ClientCredential } from "../../client";
import { diffCredential } from "../client-credential/diff";
import { clientCredentialHandler } from "../client-credential/handler";
import { canonicalCredentialRole, clientCredentialRules } from "../client-credential/schema";
import {
  goneWarning,
  isNotFound,
  orUndefinedIfNotFound,
  partialState,
  ResourcePartialStateError,
} from "../common/errors";
import type { HandlerContext, ResourceHandler } from "../common/lifecycle";
import { mapTriggerFires, rotationDue } from "../common/triggers";
import { checkInputs, parseInputs } from "../common/validation";
import { normalizeSet } from "../common/values";
import {
  inputsFromState,
  nameFromCredential,
  otherSlot,
  outsFromState,
  slotName,
  stateFromProps,
  withoutPrevious,
} from "./mapping";
import {
  rotatingClientCredentialInputsSchema,
  type RotatingClientCredentialInputs,
  type RotatingClientCredentialState,
  type Slot,
} from "./schema";

const KIND = "RotatingClientCredential";

function parse(news: unknown): RotatingClientCredentialInputs {
  return parseInputs(rotatingClientCredentialInputsSchema, KIND, news) as RotatingClientCredentialInputs;
}

/** A fresh secret for a new or reset credential; an answer without one is an error (nothing to hand out). */
function secretOf(credential: Pick<ClientCredential, "clientId" | "clientSecret">): string {
  if (credential.clientSecret === undefined || credential.clientSecret === "") {
    throw new Error(`DPoD returned no clientSecret for client id ${credential.clientId}.`);
  }
  return credential.clientSecret;
}

/**
 * Creates the credential of `slot` (through the ClientCredential handler, for its lost-create recovery)
 * and returns its client id and secret.
 */
async function createSlot(
  ctx: HandlerContext,
  inputs: RotatingClientCredentialInputs,
  slot: Slot,
): Promise<{ clientId: string; clientSecret: string; tenantId?: string }> {
  // Each slot has its own temporary-name owner, so the two credentials of a pair never share one.
  const slotContext = { ...ctx, urn: ctx.urn === undefined ? undefined : `${ctx.urn}#slot-${slot}` };
  let created;
  try {
    created = await clientCredentialHandler.create(slotContext, {
      name: slotName(inputs.name, slot),
      role: inputs.role,
      serviceIds: inputs.serviceIds,
      subscriberGroups: inputs.subscriberGroups,
    });
  } catch (error) {
    if (!(error instanceof ResourcePartialStateError)) throw error;
    // The credential exists under its temporary name but could not be renamed: it is not part of the pair
    // and its secret is not recorded, so the next attempt of this slot takes it over (resets and renames it).
    throw new Error(
      `${KIND} "${inputs.name}": DPoD created credential ${error.id} for ${slotName(inputs.name, slot)}, but ` +
        `${error.reasons.join("; ")} It keeps its temporary name and is not used; the next \`pulumi up\` ` +
        `takes it over.`,
    );
  }
  const clientSecret = created.outs.clientSecret;
  if (typeof clientSecret === "string" && clientSecret !== "") {
    const tenantId = typeof created.outs.tenantId === "string" ? created.outs.tenantId : undefined;
    return { clientId: created.id, clientSecret, tenantId };
  }
  // Created, but the answer carried no secret: reset it once to obtain one.
  const reset = await ctx.client.credentials.resetSecret(created.id);
  return { clientId: created.id, clientSecret: secretOf(reset) };
}

function mustRotate(
  state: RotatingClientCredentialState,
  rotationTriggers: Record<string, string> | undefined,
  rotateAfterDays: number | undefined,
  now: Date,
): boolean {
  return (
    state.clientSecret === undefined ||
    mapTriggerFires(state.rotationTriggers, rotationTriggers) ||
    rotationDue(state.secretCreatedAt, rotateAfterDays, now)
  );
}

/**
 * One rotation: the other slot becomes current with a fresh secret (created, or reset when it exists),
 * and the current pair becomes the previous one.
 */
async function rotate(
  ctx: HandlerContext,
  state: RotatingClientCredentialState,
  inputs: RotatingClientCredentialInputs,
): Promise<RotatingClientCredentialState> {
  const next = otherSlot(state.currentSlot);
  const fresh =
    state.previousClientId === undefined
      ? await createSlot(ctx, inputs, next)
      : {
          clientId: state.previousClientId,
          clientSecret: secretOf(await ctx.client.credentials.resetSecret(state.previousClientId)),
        };
  return {
    ...state,
    currentSlot: next,
    clientId: fresh.clientId,
    clientSecret: fresh.clientSecret,
    secretCreatedAt: ctx.now().toISOString(),
    previousClientId: state.clientId,
    previousClientSecret: state.clientSecret,
    previousSecretCreatedAt: state.secretCreatedAt,
  };
}

export const rotatingClientCredentialHandler: ResourceHandler = {
  kind: KIND,

  check(_olds, news) {
    return checkInputs(rotatingClientCredentialInputsSchema, news, clientCredentialRules);
  },

  diff(id, olds, news, now) {
    const state = stateFromProps(olds);
    return diffCredential(state, news, {
      subject: `${KIND} "${state.name}" (id ${id})`,
      consequence:
        "create a new pair of credentials (new client ids and secrets) and delete these two, cutting off " +
        "every consumer of both the current and the previous client id",
      mustRotate: (triggers, days) => mustRotate(state, triggers, days, now()),
    });
  },

  async create(ctx, news) {
    const inputs = parse(news);
    const first = await createSlot(ctx, inputs, "a");
    const state: RotatingClientCredentialState = {
      name: inputs.name,
      role: inputs.role,
      serviceIds: normalizeSet(inputs.serviceIds),
      subscriberGroups: normalizeSet(inputs.subscriberGroups),
      currentSlot: "a",
      clientId: first.clientId,
      clientSecret: first.clientSecret,
      secretCreatedAt: ctx.now().toISOString(),
      tenantId: first.tenantId,
      rotationTriggers: inputs.rotationTriggers,
      rotateAfterDays: inputs.rotateAfterDays,
      connection: inputs.connection,
    };
    return { id: randomUUID(), outs: outsFromState(state) };
  },

  async read(ctx, id, props) {
    const state = stateFromProps(props);
    const current = await orUndefinedIfNotFound(() => ctx.client.credentials.get(state.clientId));
    if (current === undefined) {
      const left =
        state.previousClientId === undefined
          ? ""
          : ` Its previous credential ${state.previousClientId} is left in DPoD; delete it once unused.`;
      ctx.warn(goneWarning(KIND, state.name || id, state.clientId) + left);
      return { id: "" };
    }
    let fresh: RotatingClientCredentialState = {
      ...state,
      name: nameFromCredential(current.name, state.currentSlot),
      role: canonicalCredentialRole(current.role),
      serviceIds: normalizeSet(current.serviceIds),
      subscriberGroups: normalizeSet(current.subscriberGroups),
      tenantId: current.tenantId ?? state.tenantId,
    };
    if (state.previousClientId !== undefined) {
      const previousId = state.previousClientId;
      const previous = await orUndefinedIfNotFound(() => ctx.client.credentials.get(previousId));
      if (previous === undefined) {
        ctx.warn(
          `${KIND} "${state.name}": its previous credential ${previousId} no longer exists in DPoD (404); ` +
            `its secret no longer works. The stack forgets it; the next rotation creates a new one.`,
        );
        fresh = withoutPrevious(fresh);
      }
    }
    return { id, props: outsFromState(fresh), inputs: inputsFromState(fresh) };
  },

  async update(ctx, id, olds, news) {
    const state = stateFromProps(olds);
    const inputs = parse(news);
    let current: RotatingClientCredentialState = { ...state, connection: inputs.connection };
    if (inputs.name !== state.name) {
      await ctx.client.credentials.update(state.clientId, { name: slotName(inputs.name, state.currentSlot) });
      current = { ...current, name: inputs.name };
      if (state.previousClientId !== undefined) {
        const previousSlot = otherSlot(state.currentSlot);
        try {
          await ctx.client.credentials.update(state.previousClientId, {
            name: slotName(inputs.name, previousSlot),
          });
        } catch (error) {
          if (!isNotFound(error))
            throw partialState(KIND, id, outsFromState(current), news, "renaming", error);
          current = withoutPrevious(current); // gone: forgotten, as refresh would
        }
      }
    }
    if (mustRotate(state, inputs.rotationTriggers, inputs.rotateAfterDays, ctx.now())) {
      try {
        current = await rotate(ctx, current, inputs);
      } catch (error) {
        // Nothing rotated: the old triggers stay recorded, so the next `up` rotates again.
        throw partialState(KIND, id, outsFromState(current), news, "the rotation", error);
      }
    }
    current = {
      ...current,
      rotationTriggers: inputs.rotationTriggers,
      rotateAfterDays: inputs.rotateAfterDays,
    };
    return { outs: outsFromState(current) };
  },

  async delete(ctx, _id, props) {
    const state = stateFromProps(props);
    for (const clientId of [state.clientId, state.previousClientId]) {
      if (clientId === undefined || clientId === "") continue;
      try {
        await ctx.client.credentials.delete(clientId);
      } catch (error) {
        if (!isNotFound(error)) throw error; // already gone: the goal is reached
      }
    }
  },
};
