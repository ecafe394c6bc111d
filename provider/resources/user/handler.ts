/**
 * User lifecycle on a DpodClient, free of Pulumi (test/unit/layering.test.ts): both adapters reach it
 * through resources/registry.ts.
 *
 * - username, accountRole, subscriberGroups and tenantId cannot change in place (docs/dpod-api-notes.md): a
 *   change replaces the user. The username is unique, so a replacement that keeps it deletes first.
 * - givenName, familyName and phoneNumber are updated with one PATCH carrying only the changed fields.
 * - password and emailHints are create-only: they are sent once, at create. Changing them later does
 *   nothing (use resetPasswordTrigger to give the user a new password). The password never enters the
 *   outputs; the engine keeps it (encrypted) among the recorded inputs while the program passes it.
 * - Triggers (resetPasswordTrigger, resetMfaTrigger, sendVerificationTrigger) run their action once when
 *   the value changes to a new one; a trigger set at create does not run (a new user needs no reset).
 * - Replacing a user deletes a person's account; unless the program sets `allowRecreate: true`, the diff
 *   refuses (common/recreate-guard.ts), so preview fails before any API call.
 * - A create whose answer was lost is resolved by looking the user up by username (in the tenantId
 *   tenant); it is adopted only when every create field matches and DPoD's createdAt does not predate the
 *   request. Without a createdAt only dpod:adoptIdentical adopts it (common/recovery.ts).
 * - A create refused with 409 takes over the existing user only when it is identical to the program and
 *   the provider-wide dpod:adoptIdentical policy is on (an interrupted `pulumi up` leaves such users);
 *   otherwise the error tells both stories, the stack's interrupted run and someone else's user.
 * - With `adopt: true`, create first looks for a user of that username (in the tenantId tenant) and takes
 *   it over instead of failing with 409 (see adopt below). Opt-in; `retainOnDelete` keeps it on destroy.
 */
import { type User } from "../../client";
import { sameConnection } from "../common/connection";
import {
  goneWarning,
  isAmbiguousCreate,
  isNotFound,
  orUndefinedIfNotFound,
  partialState,
} from "../common/errors";
import { findByKey } from "../common/find-by-key";
import { diffOutcome, type DpodApi, type HandlerContext, type ResourceHandler } from "../common/lifecycle";
import { guardRecreate, recreateAllowed, shown } from "../common/recreate-guard";
import {
  adoptIdenticalOrExplain,
  onlyCandidate,
  recoverUniqueKeyCreate,
  type UniqueKeyLookup,
} from "../common/recovery";
import { asDuplicateKeyConflict } from "../common/duplicate-key";
import { USER_FIELDS, wholeAnswer } from "../common/read-fields";
import { triggerFires, triggerText, withTextTriggers } from "../common/triggers";
import { checkInputs, parseInputs } from "../common/validation";
import { readList, readText, sameOptionalText, sameSet, withoutProvider } from "../common/values";
import {
  extrasFromInputs,
  extrasFromState,
  inputsFromState,
  outsFromState,
  patchFor,
  sameUsername,
  stateFromApi,
  stateFromProps,
  userDifferences,
} from "./mapping";
import {
  canonicalAccountRole,
  USER_TRIGGERS,
  userInputsSchema,
  userRules,
  type UserInputs,
  type UserState,
  type UserTrigger,
} from "./schema";

const KIND = "User";
const REPLACE_KEYS = ["username", "accountRole", "subscriberGroups", "tenantId"] as const;
const UPDATE_TEXT_KEYS = ["givenName", "familyName"] as const;

function parse(news: unknown): UserInputs {
  return parseInputs(userInputsSchema, KIND, news) as UserInputs;
}

function tenantQuery(tenantId: string | undefined): { tenantId?: string } {
  return tenantId === undefined ? {} : { tenantId };
}

/**
 * The users with the input's username (compared as DPoD does, without regard to case), by distinct id,
 * each as a GET answers it: a list item may be a summary, and these are compared field by field.
 */
async function findByUsername(client: DpodApi, inputs: UserInputs): Promise<User[]> {
  const query = tenantQuery(inputs.tenantId);
  return findByKey(
    client.users.list(query),
    (user) => sameUsername(user.username, inputs.username),
    (user) => user.id,
    (id) => client.users.get(id, query),
  );
}

/** The unique-key lookup of the user a create declares (common/recovery.ts). */
function byUsername(ctx: HandlerContext, inputs: UserInputs): UniqueKeyLookup<User> {
  return {
    kind: KIND,
    key: `"${inputs.username}"`,
    noun: "user",
    keyName: "username",
    find: () => findByUsername(ctx.client, inputs),
    differences: (user) => userDifferences(user, inputs),
    idOf: (user) => user.id,
    createdAtOf: (user) => user.createdAt,
  };
}

/** A user id, and the tenant an import id "<tenantId>/<userId>" names (none in a plain id). */
function splitImportId(id: string): [string, string | undefined] {
  const slash = id.indexOf("/");
  return slash < 0 ? [id, undefined] : [id.slice(slash + 1), id.slice(0, slash)];
}

/** Runs the trigger actions that fire, in a fixed order, one API call each. */
async function runTriggers(
  ctx: HandlerContext,
  id: string,
  state: UserState,
  inputs: UserInputs,
  news: unknown,
): Promise<UserState> {
  const working: UserState = { ...state };
  const query = tenantQuery(state.targetTenantId);
  const actions: { trigger: UserTrigger; what: string; run: () => Promise<void> }[] = [
    {
      trigger: "resetPasswordTrigger",
      what: "the password reset (resetPasswordTrigger)",
      run: async () => {
        const { temporaryPassword } = await ctx.client.users.resetPassword(id, query);
        working.temporaryPassword = temporaryPassword;
      },
    },
    {
      trigger: "resetMfaTrigger",
      what: "the MFA token reset (resetMfaTrigger)",
      run: () => ctx.client.users.resetMfaToken(id, query),
    },
    {
      trigger: "sendVerificationTrigger",
      what: "sending the verification email (sendVerificationTrigger)",
      run: () => ctx.client.users.sendVerification(id, query),
    },
  ];
  for (const action of actions) {
    const desired = inputs[action.trigger];
    if (triggerFires(state[action.trigger], desired)) {
      try {
        await action.run();
      } catch (error) {
        // The failed trigger keeps its old value in the recorded state, so the next `up` retries it.
        throw partialState(KIND, id, outsFromState(working), news, action.what, error);
      }
    }
    working[action.trigger] = desired;
  }
  return working;
}

/**
 * Takes over an existing user for `adopt: true`. What cannot change in place (accountRole,
 * subscriberGroups) must already match, or adoption is refused before any change; names and phone number
 * are brought to the program's with one PATCH. The password and emailHints are not applied (they are
 * create-only) and triggers are recorded as applied, as at create.
 */
async function adopt(ctx: HandlerContext, found: User, inputs: UserInputs) {
  const differing = userDifferences(found, inputs).filter((key) => REPLACE_KEYS.some((k) => k === key));
  if (differing.length > 0) {
    throw new Error(
      `User "${inputs.username}" exists in DPoD with a different ${differing.join(" and ")}, which cannot ` +
        `change in place, so it was not adopted. Make the program match it, or delete the user first.`,
    );
  }
  const extras = extrasFromInputs(inputs);
  const patch = patchFor(stateFromApi(found, extras), inputs);
  if (Object.keys(patch).length > 0) ctx.reads?.forget(found.id); // no earlier list serves it again
  const query = tenantQuery(inputs.tenantId);
  const current =
    Object.keys(patch).length > 0
      ? await wholeAnswer(await ctx.client.users.update(found.id, patch, query), USER_FIELDS, () =>
          ctx.client.users.get(found.id, query),
        )
      : found;
  return { id: current.id, outs: outsFromState(stateFromApi(current, extras)) };
}

export const userHandler: ResourceHandler = {
  kind: KIND,

  check(_olds, news) {
    const result = checkInputs(userInputsSchema, news, userRules);
    return { ...result, inputs: withTextTriggers(result.inputs, USER_TRIGGERS, []) };
  },

  diff(id, olds, news) {
    const state = stateFromProps(olds);
    const inputs = withoutProvider(news);
    const changed: string[] = [];
    if (!sameUsername(readText(inputs.username), state.username)) changed.push("username");
    const role = readText(inputs.accountRole);
    if ((role === undefined ? undefined : canonicalAccountRole(role)) !== state.accountRole)
      changed.push("accountRole");
    if (!sameSet(readList(inputs.subscriberGroups), state.subscriberGroups)) changed.push("subscriberGroups");
    if (readText(inputs.tenantId) !== state.targetTenantId) changed.push("tenantId");
    for (const key of UPDATE_TEXT_KEYS) if (readText(inputs[key]) !== state[key]) changed.push(key);
    if (!sameOptionalText(readText(inputs.phoneNumber), state.phoneNumber)) changed.push("phoneNumber");
    for (const key of USER_TRIGGERS) {
      if (triggerText(inputs[key]) !== state[key]) changed.push(key);
    }
    // A password reset hands out a new temporary password (a native preview shows it changing).
    if (triggerFires(state.resetPasswordTrigger, triggerText(inputs.resetPasswordTrigger))) {
      changed.push("temporaryPassword");
    }
    if (!sameConnection(inputs.connection, state.connection)) changed.push("connection");
    // A replacement that keeps the username must delete first: DPoD refuses a second user of that name.
    const outcome = diffOutcome(changed, REPLACE_KEYS, (replaces) => !replaces.includes("username"));
    const recorded: Record<(typeof REPLACE_KEYS)[number], unknown> = {
      username: state.username,
      accountRole: state.accountRole,
      subscriberGroups: state.subscriberGroups,
      tenantId: state.targetTenantId,
    };
    guardRecreate(
      `User "${state.username}" (id ${id})`,
      outcome.replaces.map((key) => ({
        key,
        recorded: shown(recorded[key as keyof typeof recorded]),
        desired:
          key === "accountRole" && role !== undefined ? canonicalAccountRole(role) : shown(inputs[key]),
      })),
      recreateAllowed(inputs),
      "delete this person's account and create a new one: a new id, no password, no MFA registration",
    );
    return outcome;
  },

  async create(ctx, news) {
    const inputs = parse(news);
    if (inputs.adopt) {
      const found = onlyCandidate(await findByUsername(ctx.client, inputs), KIND, `"${inputs.username}"`);
      if (found !== undefined) return adopt(ctx, found, inputs);
    }
    const requestStart = ctx.now();
    let user: User;
    try {
      user = await ctx.client.users.create({
        username: inputs.username,
        givenName: inputs.givenName,
        familyName: inputs.familyName,
        accountRole: inputs.accountRole,
        phoneNumber: inputs.phoneNumber,
        password: inputs.password,
        subscriberGroups: inputs.subscriberGroups,
        tenantId: inputs.tenantId,
        emailHints: inputs.emailHints,
      });
    } catch (error) {
      const conflict = await asDuplicateKeyConflict(byUsername(ctx, inputs), error);
      if (conflict !== undefined) {
        const existing = await adoptIdenticalOrExplain(byUsername(ctx, inputs), conflict, ctx);
        return { id: existing.id, outs: outsFromState(stateFromApi(existing, extrasFromInputs(inputs))) };
      }
      if (!isAmbiguousCreate(error)) throw error;
      user = await recoverUniqueKeyCreate(byUsername(ctx, inputs), error, requestStart, ctx);
    }
    const created = user;
    user = await wholeAnswer(created, USER_FIELDS, () =>
      ctx.client.users.get(created.id, tenantQuery(inputs.tenantId)),
    );
    // Triggers present at create are recorded as applied without running (see the module comment).
    return { id: user.id, outs: outsFromState(stateFromApi(user, extrasFromInputs(inputs))) };
  },

  async read(ctx, id, props) {
    const state = stateFromProps(props);
    // `pulumi import` of a child tenant's user names the tenant in the id: "<tenantId>/<userId>".
    const [userId, importedTenant] = splitImportId(id);
    const targetTenantId = state.targetTenantId ?? importedTenant;
    const user = await orUndefinedIfNotFound(() =>
      ctx.reads
        ? ctx.reads.users(targetTenantId).read(userId)
        : ctx.client.users.get(userId, tenantQuery(targetTenantId)),
    );
    if (user === undefined) {
      ctx.warn(goneWarning(KIND, state.username || userId, userId));
      return { id: "" };
    }
    const fresh = stateFromApi(user, { ...extrasFromState(state), targetTenantId });
    return { id: user.id, props: outsFromState(fresh), inputs: inputsFromState(fresh) };
  },

  async update(ctx, id, olds, news) {
    const state = stateFromProps(olds);
    const inputs = parse(news);
    const patch = patchFor(state, inputs);
    let current: UserState = { ...state, connection: inputs.connection };
    if (Object.keys(patch).length > 0) {
      const query = tenantQuery(state.targetTenantId);
      const answer = await ctx.client.users.update(id, patch, query);
      const user = await wholeAnswer(answer, USER_FIELDS, () => ctx.client.users.get(id, query));
      current = stateFromApi(user, { ...extrasFromState(state), connection: inputs.connection });
    }
    current = await runTriggers(ctx, id, current, inputs, news);
    return { outs: outsFromState(current) };
  },

  async delete(ctx, id, props) {
    const state = stateFromProps(props);
    try {
      await ctx.client.users.delete(id, tenantQuery(state.targetTenantId));
    } catch (error) {
      if (!isNotFound(error)) throw error; // already gone: the goal is reached
    }
  },
};
