/**
 * RotatingClientCredential lifecycle: zero-downtime rotation from two DPoD credentials used in turn.
 * No Pulumi types: both adapters (dynamic and native) route to it through the registry.
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
 * - Hand edits and retries (each says so in a warning):
 *   - a previous credential gone (404 on its reset, or on refresh) is replaced: the rotation creates a
 *     fresh credential in its slot instead of resetting it;
 *   - a current credential gone (on refresh, or found by the GET each rotation starts with) promotes the
 *     previous one to current (it works, and the stack holds its secret); the rotation then creates a
 *     fresh credential in the freed slot. Only when both are gone is the pair gone;
 *   - a run killed mid-rotation recorded nothing, so the next run performs that same rotation (one slot
 *     change per trigger change): a reset is simply repeated, and a slot credential left under its
 *     temporary name, or renamed before the engine recorded it (the create journal names it), is taken
 *     over. Without the journal the latter is left alone, named in the create's look-alike warning.
 * - Grace floor: a rotation that would reset the previous credential less than minRotationIntervalHours
 *   (default 24) after it became previous is refused by diff (preview fails) and by update, before any
 *   API call: its consumers may not have picked up the new pair yet. Creating a fresh credential in a free
 *   slot cuts nobody off, so it is never refused.
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
import { CREDENTIAL_FIELDS, requireSent } from "../common/read-fields";
import { daysToExpiryWithin, secretExpiry, secretResetDue, withTextTriggers } from "../common/triggers";
import { checkInputs, parseInputs } from "../common/validation";
import { normalizeSet, readNumber, readText, withoutProvider } from "../common/values";
import { CREDENTIAL_REPLACE_KEYS } from "../client-credential/diff";
import { diffOutcome } from "../common/lifecycle";
import {
  inputsFromState,
  nameFromCredential,
  otherSlot,
  outsFromState,
  promotePrevious,
  slotName,
  withExpiry,
  stateFromProps,
  withoutPrevious,
} from "./mapping";
import {
  DEFAULT_MIN_ROTATION_INTERVAL_HOURS,
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

const HOUR_MS = 60 * 60 * 1000;

/**
 * A preview warning when the previous pair stops working (the next rotation by age) within
 * expiryWarningDays; none when this update rotates anyway or there is no previous pair.
 */
function expiryWarnings(
  subject: string,
  state: RotatingClientCredentialState,
  news: unknown,
  changedKeys: readonly string[],
  now: Date,
): string[] {
  if (state.previousClientId === undefined || changedKeys.includes("clientSecret")) return [];
  const inputs = withoutProvider(news);
  const days = readNumber(inputs.rotateAfterDays);
  const stopsAt = secretExpiry(state.secretCreatedAt, days);
  const left = daysToExpiryWithin(stopsAt, readNumber(inputs.expiryWarningDays), now);
  if (left === undefined) return [];
  return [
    `${subject}: the previous pair (client id ${state.previousClientId}) stops working at ` +
      `${String(stopsAt)}, the next rotation by age (rotateAfterDays ${String(days)}), in ` +
      `${left.toFixed(1)} days. Consumers still using it must move to the current pair (client id ` +
      `${state.clientId}) before then.`,
  ];
}

/**
 * Why a rotation of `state` now would come too early, or undefined when it may go ahead: it would reset
 * the previous credential less than `minHours` after that credential became previous (when the current
 * secret was issued). Without a previous credential, or with an unreadable timestamp, nothing is refused.
 */
export function earlyRotation(
  subject: string,
  state: RotatingClientCredentialState,
  minHours: number | undefined,
  now: Date,
): string | undefined {
  const floor = minHours ?? DEFAULT_MIN_ROTATION_INTERVAL_HOURS;
  if (state.previousClientId === undefined || !(floor > 0)) return undefined;
  const since = state.secretCreatedAt === undefined ? Number.NaN : Date.parse(state.secretCreatedAt);
  if (Number.isNaN(since) || now.getTime() - since >= floor * HOUR_MS) return undefined;
  const hours = ((now.getTime() - since) / HOUR_MS).toFixed(1);
  return (
    `${subject}: this rotation would reset the previous credential ${state.previousClientId}, which ` +
    `became previous at ${state.secretCreatedAt} (${hours} hours ago), less than minRotationIntervalHours ` +
    `(${floor}) ago: its consumers may not have picked up the current pair yet. Nothing was changed. ` +
    `Rotate after ${new Date(since + floor * HOUR_MS).toISOString()}, or set minRotationIntervalHours ` +
    `lower (0 allows any rotation). If that credential was deleted by hand, \`pulumi refresh\` first: ` +
    `a rotation into a free slot is never refused.`
  );
}

/**
 * The recorded pair checked against DPoD before a rotation: when the current credential is gone, the
 * previous one (if it still exists) is promoted; when both are gone, there is no current credential
 * (undefined), and the rotation starts a new pair.
 */
async function livePair(
  ctx: HandlerContext,
  state: RotatingClientCredentialState,
): Promise<RotatingClientCredentialState | undefined> {
  const current = await orUndefinedIfNotFound(() => ctx.client.credentials.get(state.clientId));
  if (current !== undefined) return state;
  const previousId = state.previousClientId;
  const previous =
    previousId === undefined
      ? undefined
      : await orUndefinedIfNotFound(() => ctx.client.credentials.get(previousId));
  ctx.warn(
    `${KIND} "${state.name}": its current credential ${state.clientId} no longer exists in DPoD (404). ` +
      (previous === undefined
        ? `Neither does a previous one, so this rotation starts a new pair.`
        : `Its previous credential ${previousId} becomes current (it still works); this rotation creates ` +
          `a fresh credential in the freed slot.`),
  );
  return previous === undefined ? undefined : promotePrevious(state);
}

/**
 * One rotation: the other slot becomes current with a fresh secret (created, or reset when it exists),
 * and the current pair becomes the previous one. A previous credential gone from DPoD (404 on its
 * reset) is replaced by a fresh one in its slot.
 */
async function rotate(
  ctx: HandlerContext,
  recorded: RotatingClientCredentialState,
  inputs: RotatingClientCredentialInputs,
): Promise<RotatingClientCredentialState> {
  const live = await livePair(ctx, recorded);
  const state = live ?? withoutPrevious(recorded);
  const next = live === undefined ? recorded.currentSlot : otherSlot(state.currentSlot);
  let fresh: { clientId: string; clientSecret: string; tenantId?: string } | undefined;
  const previousId = state.previousClientId;
  if (previousId !== undefined) {
    try {
      fresh = {
        clientId: previousId,
        clientSecret: secretOf(await ctx.client.credentials.resetSecret(previousId)),
      };
    } catch (error) {
      if (!isNotFound(error)) throw error;
      ctx.warn(
        `${KIND} "${state.name}": its previous credential ${previousId} no longer exists in DPoD (404), so ` +
          `it cannot be reset; a fresh credential ${slotName(inputs.name, next)} is created in its slot.`,
      );
    }
  }
  fresh ??= await createSlot(ctx, inputs, next);
  const rotated: RotatingClientCredentialState = {
    ...state,
    currentSlot: next,
    clientId: fresh.clientId,
    clientSecret: fresh.clientSecret,
    secretCreatedAt: ctx.now().toISOString(),
    tenantId: state.tenantId ?? fresh.tenantId,
    previousClientId: state.clientId,
    previousClientSecret: state.clientSecret,
    previousSecretCreatedAt: state.secretCreatedAt,
  };
  // Both credentials were gone: the new one is the whole pair.
  return live === undefined ? withoutPrevious(rotated) : rotated;
}

export const rotatingClientCredentialHandler: ResourceHandler = {
  kind: KIND,

  check(_olds, news) {
    const result = checkInputs(rotatingClientCredentialInputsSchema, news, clientCredentialRules);
    return { ...result, inputs: withTextTriggers(result.inputs, [], ["rotationTriggers"]) };
  },

  diff(id, olds, news, now) {
    const state = stateFromProps(olds);
    const subject = `${KIND} "${state.name}" (id ${id})`;
    const outcome = diffCredential(state, news, {
      subject,
      consequence:
        "create a new pair of credentials (new client ids and secrets) and delete these two, cutting off " +
        "every consumer of both the current and the previous client id",
      mustRotate: (triggers, days) => secretResetDue(state, triggers, days, now()),
    });
    const minHours = readNumber(withoutProvider(news).minRotationIntervalHours);
    // An unknown value (preview of a computed input) is checked by update once known.
    if (
      outcome.replaces.length === 0 &&
      outcome.changedKeys.includes("clientSecret") &&
      !Number.isNaN(minHours)
    ) {
      const early = earlyRotation(subject, state, minHours, now());
      if (early !== undefined) throw new Error(early);
    }
    const warnings = expiryWarnings(subject, state, news, outcome.changedKeys, now());
    if (minHours === state.minRotationIntervalHours) return { ...outcome, warnings };
    return {
      ...diffOutcome([...outcome.changedKeys, "minRotationIntervalHours"], CREDENTIAL_REPLACE_KEYS),
      warnings,
    };
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
      minRotationIntervalHours: inputs.minRotationIntervalHours,
      connection: inputs.connection,
    };
    return { id: randomUUID(), outs: outsFromState(withExpiry(state)) };
  },

  async read(ctx, id, props) {
    const recorded = stateFromProps(props);
    if (recorded.clientId === "") {
      // `pulumi import` (or `.get`) sends no state: the pair's secrets cannot be read back from DPoD.
      throw new Error(
        `${KIND} "${id}" cannot be imported: DPoD never reveals a credential's secret, so a pair could only ` +
          `be taken over by resetting both. Import each credential as a ClientCredential instead.`,
      );
    }
    let state = recorded;
    let current = await orUndefinedIfNotFound(() => ctx.client.credentials.get(recorded.clientId));
    let previous =
      recorded.previousClientId === undefined
        ? undefined
        : await orUndefinedIfNotFound(() => ctx.client.credentials.get(String(recorded.previousClientId)));
    if (recorded.previousClientId !== undefined && previous === undefined) {
      ctx.warn(
        `${KIND} "${recorded.name}": its previous credential ${recorded.previousClientId} no longer exists ` +
          `in DPoD (404); its secret no longer works. The stack forgets it; the next rotation creates a new one.`,
      );
      state = withoutPrevious(state);
    }
    if (current === undefined) {
      if (previous === undefined) {
        ctx.warn(goneWarning(KIND, recorded.name || id, recorded.clientId));
        return { id: "" };
      }
      ctx.warn(
        `${KIND} "${recorded.name}": its current credential ${recorded.clientId} no longer exists in DPoD ` +
          `(404). Its previous credential ${previous.clientId} becomes current (it still works, and the stack ` +
          `holds its secret); the next rotation creates a fresh credential in the freed slot.`,
      );
      state = withExpiry(promotePrevious(state));
      current = previous;
      previous = undefined;
    }
    // Nothing is recorded from an answer lacking a field the state needs (common/read-fields.ts).
    const sent = requireSent("ClientCredential", current.clientId, current, CREDENTIAL_FIELDS.required);
    const fresh: RotatingClientCredentialState = {
      ...state,
      name: nameFromCredential(sent.name, state.currentSlot),
      role: canonicalCredentialRole(sent.role),
      serviceIds: normalizeSet(sent.serviceIds),
      subscriberGroups: normalizeSet(sent.subscriberGroups),
      tenantId: sent.tenantId ?? state.tenantId,
    };
    return { id, props: outsFromState(fresh), inputs: inputsFromState(fresh) };
  },

  async update(ctx, id, olds, news) {
    const state = stateFromProps(olds);
    const inputs = parse(news);
    const rotating = secretResetDue(state, inputs.rotationTriggers, inputs.rotateAfterDays, ctx.now());
    // Diff refuses this already; checked again here so no call path resets a pair too early.
    const early = rotating
      ? earlyRotation(`${KIND} "${state.name}" (id ${id})`, state, inputs.minRotationIntervalHours, ctx.now())
      : undefined;
    if (early !== undefined) throw new Error(early);
    let current: RotatingClientCredentialState = { ...state, connection: inputs.connection };
    // The adapter forgets this resource's id; the objects written are its two credentials.
    for (const clientId of [state.clientId, state.previousClientId]) {
      if (clientId !== undefined) ctx.reads?.forget(clientId);
    }
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
    if (rotating) {
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
      minRotationIntervalHours: inputs.minRotationIntervalHours,
    };
    return { outs: outsFromState(withExpiry(current)) };
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

  journaledIds(_id, state) {
    const props = withoutProvider(state);
    return [readText(props.clientId), readText(props.previousClientId)].filter(
      (clientId): clientId is string => clientId !== undefined && clientId !== "",
    );
  },
};
