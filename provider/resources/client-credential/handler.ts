/**
 * ClientCredential lifecycle on a DpodClient, free of Pulumi (test/unit/layering.test.ts): both adapters
 * reach it through resources/registry.ts.
 *
 * - role, serviceIds and subscriberGroups cannot change in place (docs/dpod-api-notes.md): a change replaces the
 *   credential. Names need not be unique, so the replacement is created before the old one is deleted (a
 *   new secret exists before the old one stops working). A replacement gives consumers a new client id,
 *   so unless the program sets `allowRecreate: true` the diff refuses (common/recreate-guard.ts).
 * - name is updated with one PATCH.
 * - Rotation: one resetSecret per update when rotationTriggers changed to a new non-empty map, or the
 *   secret is older than rotateAfterDays, or the stack holds no secret (see create). Create already yields
 *   a fresh secret, so triggers set at create do not rotate.
 * - Create proves which credential it made without an idempotency key: it creates the credential under a
 *   temporary name unique to the resource and the attempt (temporary-name.ts), then renames it (PATCH).
 *   - One list call first: a credential under a temporary name of this resource (same stack and URN) was
 *     left by an earlier attempt that was interrupted before it could rename it, and its secret was never
 *     handed out. One that matches the create fields is taken over (secret reset, renamed); any other is
 *     deleted. So no credential is left behind, and a credential of anyone else is never touched.
 *   - A lost create answer: the credential with exactly this attempt's temporary name is taken over the
 *     same way; none means DPoD did not create it (the next attempt would find it if it appears late).
 *   - An answer without a secret: the secret is reset before the rename (nobody can hold it yet).
 *   - A rename that fails: the credential is recorded under its temporary name with its secret (partial
 *     state), and the next `pulumi up` renames it.
 *   - A run killed after DPoD applied the rename but before the engine recorded the create: the create
 *     journal (common/create-journal.ts), written before the rename, names the credential, so the next
 *     create of the resource takes it over like one under a temporary name. Without the journal (another
 *     machine, an unwritable directory) it is left alone and named in the look-alike warning.
 *   - The same list names look-alikes (same name and role) in a warning, and serves `adopt`.
 *   - Creates of the same name and role through one connection run one at a time in a process.
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
  describe,
  goneWarning,
  isAmbiguousCreate,
  isNotFound,
  orUndefinedIfNotFound,
  partialState,
} from "../common/errors";
import { listDistinct, readEach } from "../common/find-by-key";
import type { CreateOutcome, DpodApi, HandlerContext, ResourceHandler } from "../common/lifecycle";
import { serialized } from "../common/keyed-lock";
import { idsText, lookupAfterLostCreate, unresolvedLostCreate } from "../common/recovery";
import { CREDENTIAL_FIELDS, wholeAnswer } from "../common/read-fields";
import { daysToExpiryWithin, secretExpiry, secretResetDue, withTextTriggers } from "../common/triggers";
import { checkInputs, parseInputs } from "../common/validation";
import { readNumber, readText, sameSet, withoutProvider } from "../common/values";
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
import {
  isTemporaryNameOf,
  newTemporaryName,
  TEMPORARY_NAME_HEAD,
  temporaryNameOwner,
} from "./temporary-name";

const KIND = "ClientCredential";

function parse(news: unknown): ClientCredentialInputs {
  return parseInputs(clientCredentialInputsSchema, KIND, news) as ClientCredentialInputs;
}

/** Whether the credential has the create fields other than the name (role, serviceIds, subscriberGroups). */
function matchesCreateFields(credential: ClientCredential, inputs: ClientCredentialInputs): boolean {
  return (
    canonicalCredentialRole(credential.role) === inputs.role &&
    credential.serviceIds !== undefined &&
    sameSet(credential.serviceIds, inputs.serviceIds) &&
    credential.subscriberGroups !== undefined &&
    sameSet(credential.subscriberGroups, inputs.subscriberGroups)
  );
}

function matchesCreate(credential: ClientCredential, inputs: ClientCredentialInputs): boolean {
  return credential.name === inputs.name && matchesCreateFields(credential, inputs);
}

/** Every credential visible to the caller, by distinct id (a page boundary can repeat one). */
async function listCredentials(client: DpodApi): Promise<ClientCredential[]> {
  return listDistinct(client.credentials.list(), (credential) => credential.clientId);
}

function label(inputs: ClientCredentialInputs): string {
  return `"${inputs.name}" (${inputs.role})`;
}

async function deleteUnlessGone(client: DpodApi, clientId: string): Promise<void> {
  try {
    await client.credentials.delete(clientId);
  } catch (error) {
    if (!isNotFound(error)) throw error; // already gone: the goal is reached
  }
}

/**
 * The create, once a credential under one of this resource's temporary names exists (`credential`, with
 * the secret when the create answer carried one): obtain a secret if there is none, then rename it.
 * Until the rename, nobody else can know it, so a reset cuts nobody off. A failed rename is recorded as
 * partial state under the temporary name, with the secret; the next `pulumi up` finishes the rename.
 */
async function finishCreate(
  ctx: HandlerContext,
  inputs: ClientCredentialInputs,
  news: unknown,
  credential: ClientCredential,
): Promise<CreateOutcome> {
  const extras = extrasFromInputs(inputs);
  const id = credential.clientId;
  // Before anything can rename it: from here on only the journal can prove whose it is.
  if (ctx.urn !== undefined) ctx.journal?.note(temporaryNameOwner(ctx.urn), id);
  // An answer lacking a field the state needs is completed by a GET (the secret comes only in the answer).
  try {
    const whole = await wholeAnswer(credential, CREDENTIAL_FIELDS, () => ctx.client.credentials.get(id));
    credential = { ...whole, clientSecret: credential.clientSecret };
  } catch (error) {
    throw leftUnderTemporaryName(inputs, credential, "reading it (GET)", error);
  }
  let state: ClientCredentialState;
  if (credential.clientSecret === undefined || credential.clientSecret === "") {
    try {
      state = withSecret(stateFromApi(credential, extras), await ctx.client.credentials.resetSecret(id), ctx);
    } catch (error) {
      throw leftUnderTemporaryName(inputs, credential, "obtaining its secret (resetSecret)", error);
    }
  } else {
    state = {
      ...stateFromApi(credential, extras),
      clientSecret: credential.clientSecret,
      secretCreatedAt: ctx.now().toISOString(),
    };
  }
  let renamed: ClientCredential;
  try {
    renamed = await ctx.client.credentials.update(id, { name: inputs.name });
  } catch (error) {
    throw partialState(
      KIND,
      id,
      outsFromState(state),
      news,
      `renaming it from its temporary name ${credential.name} to "${inputs.name}" (PATCH)`,
      error,
    );
  }
  // The rename is done; an answer lacking a field the state needs is completed by a GET. Should that GET
  // fail, the state holds the temporary name and the next `pulumi up` sends the (harmless) rename again.
  let whole: ClientCredential;
  try {
    whole = await wholeAnswer(renamed, CREDENTIAL_FIELDS, () => ctx.client.credentials.get(id));
  } catch (error) {
    throw partialState(KIND, id, outsFromState(state), news, "reading it back after its rename (GET)", error);
  }
  const named = { ...stateFromApi({ ...whole, clientSecret: undefined }, extras), ...secretOf(state) };
  return { id, outs: outsFromState(named) };
}

function secretOf(
  state: ClientCredentialState,
): Pick<ClientCredentialState, "clientSecret" | "secretCreatedAt"> {
  return { clientSecret: state.clientSecret, secretCreatedAt: state.secretCreatedAt };
}

/** The error when a credential under a temporary name has no secret yet and cannot get one now. */
function leftUnderTemporaryName(
  inputs: ClientCredentialInputs,
  credential: ClientCredential,
  what: string,
  cause: unknown,
): Error {
  return new Error(
    `ClientCredential ${label(inputs)}: DPoD created credential ${credential.clientId} under its temporary ` +
      `name ${credential.name}, but ${what} failed: ${describe(cause)} Nothing was recorded. The next ` +
      `\`pulumi up\` of this stack takes it over (resets its secret and renames it); nobody else can hold it.`,
  );
}

/**
 * Credentials provably this resource's, whose secrets were never handed out (`listed`: under one of its
 * temporary names, or named by the create journal): the one matching the create fields is taken over
 * (secret reset, then renamed); every other one is deleted first. Undefined when none matches: the
 * caller then creates a new one. Each is read by id first: a list item may lack fields, and the match
 * must not rest on what DPoD did not send.
 */
async function takeOverOwn(
  ctx: HandlerContext,
  inputs: ClientCredentialInputs,
  news: unknown,
  listed: readonly ClientCredential[],
): Promise<CreateOutcome | undefined> {
  const candidates = await readCredentials(ctx.client, listed);
  const kept = candidates.find((credential) => matchesCreateFields(credential, inputs));
  const extra = candidates.filter((credential) => credential !== kept);
  for (const credential of extra) await deleteUnlessGone(ctx.client, credential.clientId);
  if (extra.length > 0) {
    ctx.warn(
      `ClientCredential ${label(inputs)}: deleted ${extra.length} credential(s) that interrupted creates of ` +
        `this resource left under a temporary name (${idsText(extra.map((c) => c.clientId))}); their ` +
        `secrets were never handed out.`,
    );
  }
  if (kept === undefined) return undefined;
  const how = kept.name.startsWith(TEMPORARY_NAME_HEAD)
    ? `left under its temporary name ${kept.name}`
    : `renamed to "${kept.name}" before the engine recorded it (the create journal names it)`;
  ctx.warn(
    `ClientCredential ${label(inputs)}: took over credential ${kept.clientId}, which an interrupted create of ` +
      `this resource ${how}; its secret is reset (nobody else can hold it) and it is renamed.`,
  );
  let reset: ClientCredential;
  try {
    reset = await ctx.client.credentials.resetSecret(kept.clientId);
  } catch (error) {
    throw leftUnderTemporaryName(inputs, kept, "obtaining its secret (resetSecret)", error);
  }
  if (reset.clientSecret === undefined || reset.clientSecret === "") {
    throw leftUnderTemporaryName(inputs, kept, "obtaining its secret (resetSecret)", "DPoD returned none.");
  }
  return finishCreate(ctx, inputs, news, { ...kept, clientSecret: reset.clientSecret });
}

/**
 * After a create whose answer was lost: the credential with exactly this attempt's temporary name,
 * taken over; or, when there is none, an error saying DPoD did not create it.
 */
async function recoverLostCreate(
  ctx: HandlerContext,
  inputs: ClientCredentialInputs,
  news: unknown,
  temporaryName: string,
  cause: unknown,
): Promise<CreateOutcome> {
  const key = label(inputs);
  const mine = await lookupAfterLostCreate(KIND, key, cause, async () =>
    (await listCredentials(ctx.client)).filter((credential) => credential.name === temporaryName),
  );
  const adopted = mine.length === 0 ? undefined : await takeOverOwn(ctx, inputs, news, mine);
  if (adopted !== undefined) return adopted;
  throw unresolvedLostCreate(
    KIND,
    key,
    cause,
    mine.length === 0
      ? `No credential carries this attempt's temporary name ${temporaryName}, so DPoD did not create it ` +
          `(should it appear later, the next \`pulumi up\` takes it over). Run \`pulumi up\` again.`
      : `The credential under this attempt's temporary name ${temporaryName} differs from the program, so it ` +
          `was deleted. Run \`pulumi up\` again.`,
  );
}

/**
 * The credential the create journal names for this resource, when it still exists and the engine cannot
 * hold it: an earlier create made it and was killed after its rename, before the engine recorded it.
 * One still under its temporary name is already among `underTemporaryName`.
 */
async function journaledCredential(
  ctx: HandlerContext,
  inputs: ClientCredentialInputs,
  owner: string,
  underTemporaryName: readonly ClientCredential[],
): Promise<ClientCredential | undefined> {
  const journal = ctx.journal;
  if (journal === undefined || ctx.urn === undefined) return undefined;
  const earlier = journal.earlierCreate(owner);
  if (earlier === undefined) return undefined;
  if (underTemporaryName.some((credential) => credential.clientId === earlier.clientId)) return undefined;
  if (earlier.engineMayHoldIt) {
    ctx.warn(
      `ClientCredential ${label(inputs)}: the create journal names credential ${earlier.clientId}, made by an ` +
        `earlier create of this resource, but this run replaces the resource without showing the provider ` +
        `its recorded state (\`--replace\` or a changed provider), so the stack may hold it: it is not ` +
        `taken over. If it is not in the stack after this run, delete it in DPoD once nothing uses it.`,
    );
    return undefined;
  }
  const credential = await orUndefinedIfNotFound(() => ctx.client.credentials.get(earlier.clientId));
  if (credential === undefined) journal.forget(owner); // deleted since: nothing to recover
  return credential === undefined ? undefined : { ...credential, clientSecret: undefined };
}

/** The create proper, run with no other create of the same name and role in flight (see the handler). */
async function createCredential(
  ctx: HandlerContext,
  inputs: ClientCredentialInputs,
  news: unknown,
): Promise<CreateOutcome> {
  const owner = temporaryNameOwner(ctx.urn);
  const listed = await listCredentials(ctx.client);
  const underTemporaryName = listed.filter((credential) => isTemporaryNameOf(credential.name, owner));
  const journaled = await journaledCredential(ctx, inputs, owner, underTemporaryName);
  const own = journaled === undefined ? underTemporaryName : [...underTemporaryName, journaled];
  if (own.length > 0) {
    const adopted = await takeOverOwn(ctx, inputs, news, own);
    if (adopted !== undefined) return adopted;
  }
  const ownIds = new Set(own.map((credential) => credential.clientId));
  const sameName = listed.filter(
    (credential) =>
      !ownIds.has(credential.clientId) &&
      credential.name === inputs.name &&
      canonicalCredentialRole(credential.role) === inputs.role,
  );
  if (inputs.adopt) {
    // Compared as a GET answers them: a list item may leave out serviceIds or subscriberGroups.
    const adopted = adoptExisting(inputs, await readCredentials(ctx.client, sameName));
    if (adopted !== undefined) return adopted;
  }
  if (sameName.length > 0) {
    ctx.warn(
      `ClientCredential ${label(inputs)}: ${sameName.length} other credential(s) with this name and role ` +
        `already exist in DPoD (${idsText(sameName.map((c) => c.clientId))}); a new one is created, as ` +
        `credential names are not unique. None of them is touched; if one was left by a \`pulumi up\` of ` +
        `this stack killed right after its rename on a machine whose create journal this run cannot read ` +
        `(another CI runner, say), delete it in DPoD once nothing uses it.`,
    );
  }
  const temporaryName = newTemporaryName(owner);
  let credential: ClientCredential;
  try {
    credential = await ctx.client.credentials.create({
      name: temporaryName,
      role: inputs.role,
      serviceIds: inputs.serviceIds,
      subscriberGroups: inputs.subscriberGroups,
    });
  } catch (error) {
    if (!isAmbiguousCreate(error)) throw error;
    return recoverLostCreate(ctx, inputs, news, temporaryName, error);
  }
  return finishCreate(ctx, inputs, news, credential);
}

/** Each credential as a GET answers it, without those gone since they were listed. */
async function readCredentials(
  client: DpodApi,
  listed: readonly ClientCredential[],
): Promise<ClientCredential[]> {
  const read = await readEach(
    listed,
    (credential) => credential.clientId,
    (id) => client.credentials.get(id),
  );
  return read.map((credential) => ({ ...credential, clientSecret: undefined }));
}

/**
 * `adopt: true`: the one credential among `sameName` (those with the input's name and role) identical to
 * the inputs, recorded without a secret; undefined when there is none of that name (create then makes
 * one). Throws, before any change, when it is ambiguous or when the same-name credentials all differ.
 */
function adoptExisting(
  inputs: ClientCredentialInputs,
  sameName: readonly ClientCredential[],
): CreateOutcome | undefined {
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
    const subject = `ClientCredential "${state.name}" (client id ${id})`;
    const outcome = diffCredential(state, news, {
      subject,
      consequence:
        "create a new credential (a new client id and secret) and delete this one, cutting off every consumer of this client id",
      mustRotate: (triggers, days) => secretResetDue(state, triggers, days, now()),
    });
    if (outcome.changedKeys.includes("clientSecret") || state.secretUnknown === true) return outcome;
    const inputs = withoutProvider(news);
    const days = readNumber(inputs.rotateAfterDays);
    const expiresAt = secretExpiry(state.secretCreatedAt, days);
    const left = daysToExpiryWithin(expiresAt, readNumber(inputs.expiryWarningDays), now());
    if (left === undefined) return outcome;
    const warning =
      `${subject}: its secret is due for rotation at ${String(expiresAt)} (rotateAfterDays ${String(days)}), ` +
      `in ${left.toFixed(1)} days; the first \`pulumi up\` after that resets it and cuts off every consumer ` +
      `still holding the current secret. Make sure they can pick up the new one.`;
    return { ...outcome, warnings: [warning] };
  },

  async create(ctx, news) {
    const inputs = parse(news);
    // Same name and role: one at a time per connection, so their lookups never see each other mid-way.
    const created = await serialized(
      ctx.client,
      JSON.stringify(["credential", inputs.name, inputs.role]),
      () => createCredential(ctx, inputs, news),
    );
    const expiresAt = secretExpiry(readText(created.outs.secretCreatedAt), inputs.rotateAfterDays);
    return expiresAt === undefined
      ? created
      : { ...created, outs: { ...created.outs, secretExpiresAt: expiresAt } };
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
      const answer = await ctx.client.credentials.update(id, { name: inputs.name });
      const credential = await wholeAnswer(answer, CREDENTIAL_FIELDS, () => ctx.client.credentials.get(id));
      current = stateFromApi({ ...credential, clientSecret: undefined }, keep);
    }
    if (secretResetDue(state, inputs.rotationTriggers, inputs.rotateAfterDays, ctx.now())) {
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
      secretExpiresAt: secretExpiry(current.secretCreatedAt, inputs.rotateAfterDays),
    };
    return { outs: outsFromState(current) };
  },

  async delete(ctx, id) {
    await deleteUnlessGone(ctx.client, id);
  },

  journaledIds(id) {
    return id === "" ? [] : [id];
  },
};
