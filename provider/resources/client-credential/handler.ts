/**
 * ClientCredential lifecycle on a DpodClient. No Pulumi types: the dynamic adapter (and later a native
 * provider) wraps it.
 *
 * - role, serviceIds and subscriberGroups cannot change in place (docs/dpod-api-notes.md): a change replaces the
 *   credential. Names need not be unique, so the replacement is created before the old one is deleted (a
 *   new secret exists before the old one stops working).
 * - name is updated with one PATCH.
 * - Rotation: one resetSecret per update when rotationTriggers changed to a new non-empty map, or the
 *   secret is older than rotateAfterDays, or the stack holds no secret (see create). Create already yields
 *   a fresh secret, so triggers set at create do not rotate.
 * - A create whose answer was lost is resolved by looking the credential up by name and role; it is
 *   adopted only when exactly one credential matches name, role, serviceIds and subscriberGroups.
 */
import type { ClientCredential } from "../../client";
import { sameConnection } from "../common/connection";
import {
  goneWarning,
  isAmbiguousCreate,
  isNotFound,
  orUndefinedIfNotFound,
  partialState,
  unresolvedAmbiguousCreate,
} from "../common/errors";
import { diffOutcome, type DpodApi, type HandlerContext, type ResourceHandler } from "../common/lifecycle";
import { mapTriggerFires, rotationDue } from "../common/triggers";
import { checkInputs, parseInputs } from "../common/validation";
import {
  readList,
  readMap,
  readNumber,
  readText,
  sameSet,
  sameStringMap,
  withoutProvider,
} from "../common/values";
import {
  extrasFromInputs,
  extrasFromState,
  inputsFromState,
  outsFromState,
  stateFromApi,
  stateFromProps,
} from "./mapping";
import {
  canonicalCredentialRole,
  clientCredentialInputsSchema,
  clientCredentialRules,
  type ClientCredentialInputs,
  type ClientCredentialState,
} from "./schema";

const KIND = "ClientCredential";
const REPLACE_KEYS = ["role", "serviceIds", "subscriberGroups"] as const;

function parse(news: unknown): ClientCredentialInputs {
  return parseInputs(clientCredentialInputsSchema, KIND, news) as ClientCredentialInputs;
}

function matchesCreate(credential: ClientCredential, inputs: ClientCredentialInputs): boolean {
  return (
    credential.name === inputs.name &&
    canonicalCredentialRole(credential.role) === inputs.role &&
    sameSet(credential.serviceIds, inputs.serviceIds) &&
    sameSet(credential.subscriberGroups, inputs.subscriberGroups)
  );
}

async function findByNameAndRole(
  client: DpodApi,
  inputs: ClientCredentialInputs,
): Promise<ClientCredential[]> {
  const found: ClientCredential[] = [];
  for await (const credential of client.credentials.list({ role: inputs.role })) {
    if (credential.name === inputs.name && canonicalCredentialRole(credential.role) === inputs.role) {
      found.push(credential);
    }
  }
  return found;
}

/** Whether the next update must reset the secret, given the recorded state and the desired inputs. */
function mustRotate(
  state: ClientCredentialState,
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

function withSecret(
  state: ClientCredentialState,
  credential: ClientCredential,
  ctx: HandlerContext,
): ClientCredentialState {
  if (credential.clientSecret === undefined || credential.clientSecret === "") {
    throw new Error(
      `DPoD reset the secret of ClientCredential ${state.clientId} but returned no clientSecret.`,
    );
  }
  return { ...state, clientSecret: credential.clientSecret, secretCreatedAt: ctx.now().toISOString() };
}

export const clientCredentialHandler: ResourceHandler = {
  kind: KIND,

  check(_olds, news) {
    return checkInputs(clientCredentialInputsSchema, news, clientCredentialRules);
  },

  diff(_id, olds, news, now) {
    const state = stateFromProps(olds);
    const inputs = withoutProvider(news);
    const changed: string[] = [];
    const role = readText(inputs.role);
    if ((role === undefined ? undefined : canonicalCredentialRole(role)) !== state.role) changed.push("role");
    if (!sameSet(readList(inputs.serviceIds), state.serviceIds)) changed.push("serviceIds");
    if (!sameSet(readList(inputs.subscriberGroups), state.subscriberGroups)) changed.push("subscriberGroups");
    if (readText(inputs.name) !== state.name) changed.push("name");
    const triggers = readMap(inputs.rotationTriggers);
    if (!sameStringMap(triggers, state.rotationTriggers)) changed.push("rotationTriggers");
    const days = readNumber(inputs.rotateAfterDays);
    if (days !== state.rotateAfterDays) changed.push("rotateAfterDays");
    // An age-based rotation is due, or the stack holds no secret: the update resets it.
    if (mustRotate(state, undefined, days, now())) changed.push("clientSecret");
    if (!sameConnection(inputs.connection, state.connection)) changed.push("connection");
    return diffOutcome(changed, REPLACE_KEYS);
  },

  async create(ctx, news) {
    const inputs = parse(news);
    const extras = extrasFromInputs(inputs);
    let credential: ClientCredential;
    try {
      credential = await ctx.client.credentials.create({
        name: inputs.name,
        role: inputs.role,
        serviceIds: inputs.serviceIds,
        subscriberGroups: inputs.subscriberGroups,
      });
    } catch (error) {
      if (!isAmbiguousCreate(error)) throw error;
      const matches = (await findByNameAndRole(ctx.client, inputs)).filter((c) => matchesCreate(c, inputs));
      const only = matches[0];
      if (matches.length !== 1 || only === undefined) {
        const detail =
          matches.length === 0
            ? `and no ${inputs.role} credential named "${inputs.name}" exists now, so it was not created; run \`pulumi up\` again.`
            : `and ${matches.length} ${inputs.role} credentials named "${inputs.name}" exist, so the new one cannot be told apart.`;
        throw unresolvedAmbiguousCreate(KIND, `"${inputs.name}"`, error, detail);
      }
      // Adopted: this is the credential the lost answer described, but DPoD never returns a secret on
      // read, so the only way to hand the program a working secret is to reset it once now.
      const adopted = stateFromApi(only, extras);
      try {
        const reset = await ctx.client.credentials.resetSecret(only.clientId);
        return { id: only.clientId, outs: outsFromState(withSecret(adopted, reset, ctx)) };
      } catch (resetError) {
        // Recorded without a secret; the next `up` sees that and resets it (diff reports clientSecret).
        throw partialState(
          KIND,
          only.clientId,
          outsFromState(adopted),
          news,
          "obtaining its secret (resetSecret)",
          resetError,
        );
      }
    }
    const state = stateFromApi(credential, extras);
    const withFreshSecret =
      credential.clientSecret === undefined || credential.clientSecret === ""
        ? state
        : { ...state, clientSecret: credential.clientSecret, secretCreatedAt: ctx.now().toISOString() };
    return { id: credential.clientId, outs: outsFromState(withFreshSecret) };
  },

  async read(ctx, id, props) {
    const state = stateFromProps(props);
    const credential = await orUndefinedIfNotFound(() => ctx.client.credentials.get(id));
    if (credential === undefined) {
      ctx.warn(goneWarning(KIND, state.name || id, id));
      return { id: "" };
    }
    // GET never carries the secret: the one in the stack is kept.
    const fresh = stateFromApi({ ...credential, clientSecret: undefined }, extrasFromState(state));
    return { id: credential.clientId, props: outsFromState(fresh), inputs: inputsFromState(fresh) };
  },

  async update(ctx, id, olds, news) {
    const state = stateFromProps(olds);
    const inputs = parse(news);
    const keep = { ...extrasFromState(state), connection: inputs.connection };
    let current: ClientCredentialState = { ...state, connection: inputs.connection };
    if (inputs.name !== state.name) {
      const credential = await ctx.client.credentials.update(id, { name: inputs.name });
      current = stateFromApi({ ...credential, clientSecret: undefined }, keep);
    }
    if (mustRotate(state, inputs.rotationTriggers, inputs.rotateAfterDays, ctx.now())) {
      try {
        current = withSecret(current, await ctx.client.credentials.resetSecret(id), ctx);
      } catch (error) {
        // The old triggers stay recorded, so the next `up` rotates again.
        throw partialState(
          KIND,
          id,
          outsFromState(current),
          news,
          "the secret rotation (resetSecret)",
          error,
        );
      }
    }
    current = {
      ...current,
      rotationTriggers: inputs.rotationTriggers,
      rotateAfterDays: inputs.rotateAfterDays,
    };
    return { outs: outsFromState(current) };
  },

  async delete(ctx, id) {
    try {
      await ctx.client.credentials.delete(id);
    } catch (error) {
      if (!isNotFound(error)) throw error; // already gone: the goal is reached
    }
  },
};
