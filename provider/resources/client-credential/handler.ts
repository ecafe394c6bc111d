/**
 * ClientCredential lifecycle on a DpodClient. No Pulumi types: the dynamic adapter (and later a native
 * provider) wraps it.
 *
 * - role, serviceIds and subscriberGroups cannot change in place (docs/dpod-api-notes.md): a change replaces the
 *   credential. Names need not be unique, so the replacement is created before the old one is deleted (a
 *   new secret exists before the old one stops working). A replacement gives consumers a new client id,
 *   so unless the program sets `allowRecreate: true` the diff refuses (common/recreate-guard.ts).
 * - name is updated with one PATCH.
 * - Rotation: one resetSecret per update when rotationTriggers changed to a new non-empty map, or the
 *   secret is older than rotateAfterDays, or the stack holds no secret (see create). Create already yields
 *   a fresh secret, so triggers set at create do not rotate.
 * - Create lists the credentials of the same name and role first (one list call): names are not unique,
 *   so that list is what proves, if the create's answer is lost, which credential the create made. Only a
 *   credential absent from it, matching every create field (and created by the caller, where DPoD reports
 *   createdBy) is adopted and has its secret reset; otherwise nothing is adopted and nobody's secret is
 *   touched (common/recovery.ts). The same list names look-alikes in a warning at create, e.g. one left by
 *   an interrupted `pulumi up`.
 * - A create answer without a secret is recorded without one, with a warning; the next `up` resets it.
 * - With `adopt: true`, create takes over the one credential that has exactly the input's name, role,
 *   serviceIds and subscriberGroups (the same list call, no write). DPoD never reveals a secret, so it is
 *   recorded without one and marked `secretUnknown`; unlike a create answer without a secret, that never
 *   makes the next `up` reset it (its holders would be cut off): only a new rotationTriggers value does.
 *   Several such credentials, or same-name ones that differ, refuse adoption before any change; none
 *   means an ordinary create.
 */
import type { ClientCredential } from "../../client";
import { diffCredential } from "./diff";
import {
  goneWarning,
  isAmbiguousCreate,
  isNotFound,
  orUndefinedIfNotFound,
  partialState,
} from "../common/errors";
import type { DpodApi, HandlerContext, ResourceHandler } from "../common/lifecycle";
import { distinctById, idsText, lookupAfterLostCreate, unresolvedLostCreate } from "../common/recovery";
import { mapTriggerFires, rotationDue, withTextTriggers } from "../common/triggers";
import { checkInputs, parseInputs } from "../common/validation";
import { sameSet } from "../common/values";
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

/** The credentials with the input's name and role, by distinct id. */
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
  return distinctById(found, (credential) => credential.clientId);
}

function label(inputs: ClientCredentialInputs): string {
  return `"${inputs.name}" (${inputs.role})`;
}

/** Whether DPoD's createdBy, where reported, names the caller; unknowable (and so true) otherwise. */
function createdByCaller(credential: ClientCredential, ctx: HandlerContext): boolean {
  return (
    credential.createdBy === undefined ||
    ctx.callerClientId === undefined ||
    credential.createdBy === ctx.callerClientId
  );
}

/**
 * After a create whose answer was lost: the credential it made, proven by its absence from the list taken
 * before the POST (`before`), or an error naming every candidate. Never adopts a credential that existed.
 */
async function recoverLostCreate(
  ctx: HandlerContext,
  inputs: ClientCredentialInputs,
  before: readonly ClientCredential[],
  cause: unknown,
): Promise<ClientCredential> {
  const key = label(inputs);
  const after = await lookupAfterLostCreate(KIND, key, cause, () => findByNameAndRole(ctx.client, inputs));
  const existed = new Set(before.map((credential) => credential.clientId));
  const newcomers = after.filter((credential) => !existed.has(credential.clientId));
  const proven = newcomers.filter((c) => matchesCreate(c, inputs) && createdByCaller(c, ctx));
  const only = proven[0];
  if (proven.length === 1 && only !== undefined) return only;
  const foreign =
    before.length === 0
      ? "None existed before the request."
      : `${before.length} existed before the request (${idsText([...existed])}) and were left alone.`;
  const detail =
    newcomers.length === 0
      ? `No ${key} credential has appeared since the request, so DPoD most likely did not create it; ` +
        `${foreign} Run \`pulumi up\` again.`
      : `${newcomers.length} ${key} credential(s) appeared since the request (${idsText(
          newcomers.map((c) => c.clientId),
        )}), and ${proven.length === 0 ? "none" : "more than one"} of them can be proven to be this ` +
        `create's (same name, role, serviceIds and subscriberGroups, created by this caller); ${foreign} ` +
        `Check them in the DPoD console, delete those that are not in use, and run \`pulumi up\` again.`;
  throw unresolvedLostCreate(KIND, key, cause, detail);
}

/** Whether the next update must reset the secret, given the recorded state and the desired inputs. */
function mustRotate(
  state: ClientCredentialState,
  rotationTriggers: Record<string, string> | undefined,
  rotateAfterDays: number | undefined,
  now: Date,
): boolean {
  return (
    (state.clientSecret === undefined && state.secretUnknown !== true) ||
    mapTriggerFires(state.rotationTriggers, rotationTriggers) ||
    (state.secretUnknown !== true && rotationDue(state.secretCreatedAt, rotateAfterDays, now))
  );
}

/**
 * `adopt: true`: the one credential among `sameName` (those with the input's name and role) identical to
 * the inputs, recorded without a secret; undefined when there is none of that name (create then makes
 * one). Throws, before any change, when it is ambiguous or when the same-name credentials all differ.
 */
function adoptExisting(
  inputs: ClientCredentialInputs,
  sameName: readonly ClientCredential[],
): { id: string; outs: ReturnType<typeof outsFromState> } | undefined {
  if (sameName.length === 0) return undefined;
  const identical = sameName.filter((credential) => matchesCreate(credential, inputs));
  const only = identical[0];
  if (identical.length === 1 && only !== undefined) {
    const state: ClientCredentialState = {
      ...stateFromApi({ ...only, clientSecret: undefined }, extrasFromInputs(inputs)),
      secretUnknown: true,
    };
    return { id: only.clientId, outs: outsFromState(state) };
  }
  const ids = idsText((identical.length > 1 ? identical : sameName).map((c) => c.clientId));
  throw new Error(
    identical.length > 1
      ? `ClientCredential ${label(inputs)}: adopt is true but ${identical.length} credentials have this ` +
          `name, role, serviceIds and subscriberGroups (${ids}), so which one to take over is ambiguous; ` +
          `nothing was changed. Rename all but one in DPoD, or remove adopt to create a new one.`
      : `ClientCredential ${label(inputs)}: adopt is true but the ${sameName.length} credential(s) with this ` +
          `name and role (${ids}) differ from the program in serviceIds or subscriberGroups, which cannot ` +
          `change in place; nothing was changed. Make the program match one of them, or remove adopt to ` +
          `create a new one.`,
  );
}

function withSecret(
  state: ClientCredentialState,
  credential: ClientCredential,
  ctx: HandlerContext,
): ClientCredentialState {
  // A reset exists only to obtain a secret: an answer without one is an error (the old secret is gone).
  if (credential.clientSecret === undefined || credential.clientSecret === "") {
    throw new Error(
      `DPoD reset the secret of ClientCredential ${state.clientId} but returned no clientSecret.`,
    );
  }
  return {
    ...state,
    clientSecret: credential.clientSecret,
    secretUnknown: undefined,
    secretCreatedAt: ctx.now().toISOString(),
  };
}

export const clientCredentialHandler: ResourceHandler = {
  kind: KIND,

  check(_olds, news) {
    const result = checkInputs(clientCredentialInputsSchema, news, clientCredentialRules);
    return { ...result, inputs: withTextTriggers(result.inputs, [], ["rotationTriggers"]) };
  },

  diff(id, olds, news, now) {
    const state = stateFromProps(olds);
    return diffCredential(state, news, {
      subject: `ClientCredential "${state.name}" (client id ${id})`,
      consequence:
        "create a new credential (a new client id and secret) and delete this one, cutting off every consumer of this client id",
      mustRotate: (triggers, days) => mustRotate(state, triggers, days, now()),
    });
  },

  async create(ctx, news) {
    const inputs = parse(news);
    const extras = extrasFromInputs(inputs);
    const before = await findByNameAndRole(ctx.client, inputs);
    if (inputs.adopt) {
      const adopted = adoptExisting(inputs, before);
      if (adopted !== undefined) return adopted;
    }
    if (before.length > 0) {
      ctx.warn(
        `ClientCredential ${label(inputs)}: ${before.length} other credential(s) with this name and role ` +
          `already exist in DPoD (${idsText(before.map((c) => c.clientId))}); a new one is created, as ` +
          `credential names are not unique. If one was left by an interrupted \`pulumi up\` of this stack, ` +
          `delete it in DPoD once nothing uses it.`,
      );
    }
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
      const mine = await recoverLostCreate(ctx, inputs, before, error);
      // Proven to be this create's credential, but DPoD never returns a secret on read, so the only way
      // to hand the program a working secret is to reset it once now.
      const adopted = stateFromApi(mine, extras);
      try {
        const reset = await ctx.client.credentials.resetSecret(mine.clientId);
        return { id: mine.clientId, outs: outsFromState(withSecret(adopted, reset, ctx)) };
      } catch (resetError) {
        // Recorded without a secret; the next `up` sees that and resets it (diff reports clientSecret).
        throw partialState(
          KIND,
          mine.clientId,
          outsFromState(adopted),
          news,
          "obtaining its secret (resetSecret)",
          resetError,
        );
      }
    }
    const state = stateFromApi(credential, extras);
    if (credential.clientSecret === undefined || credential.clientSecret === "") {
      ctx.warn(
        `DPoD created ClientCredential ${label(inputs)} (client id ${credential.clientId}) but its answer ` +
          `carried no clientSecret, so the stack holds no secret for it: clientSecret is undefined. The next ` +
          `\`pulumi up\` resets the secret to obtain one (preview shows clientSecret changing).`,
      );
      return { id: credential.clientId, outs: outsFromState(state) };
    }
    const withFreshSecret = {
      ...state,
      clientSecret: credential.clientSecret,
      secretCreatedAt: ctx.now().toISOString(),
    };
    return { id: credential.clientId, outs: outsFromState(withFreshSecret) };
  },

  async read(ctx, id, props) {
    const state = stateFromProps(props);
    const credential = await orUndefinedIfNotFound(() =>
      ctx.reads ? ctx.reads.credentials().read(id) : ctx.client.credentials.get(id),
    );
    if (credential === undefined) {
      ctx.warn(goneWarning(KIND, state.name || id, id));
      return { id: "" };
    }
    // GET never carries the secret: the one in the stack is kept. A state with no client id is an import
    // (or `.get`): the credential's secret is in use but unknown to the stack, and not to be reset.
    const importing = state.clientId === "";
    const extras = importing ? { ...extrasFromState(state), secretUnknown: true } : extrasFromState(state);
    const fresh = stateFromApi({ ...credential, clientSecret: undefined }, extras);
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
