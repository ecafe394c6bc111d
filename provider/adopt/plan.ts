/**
 * The adoption plan: one declaration per object to adopt, in a stable order, with its inputs as they
 * must be declared for `adopt: true` to take the object over with no write (every field DPoD holds,
 * exactly), references to other declarations instead of raw ids, and the objects that cannot be
 * declared, each with the reason. Both outputs (the TypeScript program and the import file) render it.
 *
 * Contract:
 * - each declaration passes the resource's own input check (run here on the raw values), so `pulumi up`
 *   never fails validation; an object that would not (e.g. an `.unverified` account role) is skipped;
 * - a user's and a credential's subscriber groups are references to declared groups; a group that is not
 *   declared (filtered out) stays a raw id;
 * - credentials that are identical in name, role, serviceIds and subscriberGroups to another credential of
 *   the tenant (declared or not: ClientCredential looks at every one) are skipped, as adoption would be
 *   ambiguous;
 * - the credentials the command runs as are skipped unless the selection keeps them;
 * - names follow names.ts, computed over every listed object of a kind; every variable of the program and
 *   every resource name of a kind is unique, or planning fails (a program that does not compile, or two
 *   declarations of one URN, is never written);
 * - an object whose answer lacks a field its declaration needs (common/read-fields.ts) is skipped: a
 *   field DPoD did not send is never written as empty.
 */
import type { ClientCredential, SubscriberGroup, User } from "../client";
import { clientCredentialHandler } from "../resources/client-credential/handler";
import { canonicalCredentialRole } from "../resources/client-credential/schema";
import {
  CREDENTIAL_FIELDS,
  unsent,
  USER_FIELDS,
  type ReadFields,
  type Sent,
} from "../resources/common/read-fields";
import { normalizeSet, textOrUndefined } from "../resources/common/values";
import { subscriberGroupHandler } from "../resources/subscriber-group/handler";
import { userHandler } from "../resources/user/handler";
import { canonicalAccountRole } from "../resources/user/schema";
import type { DeclaredKind } from "./kinds";
import { assignNames } from "./names";
import { emptyPreviousNames, type PreviousNames } from "./previous-names";
import { nameSelected, type Selection } from "./selection";
import type { TenantObjects } from "./tenant";

export type { DeclaredKind };

/** An input value: literal JSON, a reference to a declared resource's id, or a program-level name. */
export type InputValue =
  | { literal: string | number | boolean }
  | { reference: string }
  | { identifier: string }
  | { list: InputValue[] };

export interface Declaration {
  kind: DeclaredKind;
  /** The DPoD id (client id for credentials): what `adopt` finds, and the import id. */
  id: string;
  resourceName: string;
  variable: string;
  /** The inputs, in the order they are written. */
  inputs: Array<[key: string, value: InputValue]>;
}

export interface Skipped {
  kind: DeclaredKind;
  id: string;
  name: string;
  reason: string;
}

export interface AdoptionPlan {
  groups: Declaration[];
  users: Declaration[];
  credentials: Declaration[];
  skipped: Skipped[];
  /** Whether users carry `tenantId` (the child tenant) and `connection` (the users connection). */
  usersTenantId?: string;
  usersConnection: boolean;
}

export interface PlanOptions {
  selection: Selection;
  /** The child tenant users were read in (declared as each user's tenantId). */
  usersTenantId?: string;
  /** Whether users are managed with their own connection (declared from the program's config). */
  usersConnection: boolean;
  /** Resource names of a previous run, kept for the objects still there (names.ts). */
  previousNames?: PreviousNames;
}

/** Names of program-level constants the rendered program defines when the plan uses them. */
export const TENANT_ID_CONSTANT = "tenantId";
export const USERS_CONNECTION_CONSTANT = "usersConnection";

const text = (value: string): InputValue => ({ literal: value });

type ListedUser = Sent<User, (typeof USER_FIELDS.required)[number]>;
type ListedCredential = Sent<ClientCredential, (typeof CREDENTIAL_FIELDS.required)[number]>;

/** Why an object whose list item lacks required fields is skipped; undefined when it has them all. */
function notSent<T>(item: T, fields: ReadFields<T>): string | undefined {
  const missing = unsent(item, fields.required);
  return missing.length === 0
    ? undefined
    : `DPoD's list did not include its ${missing.join(", ")}, and a declaration is never written from a ` +
        `guess; declare it by hand`;
}

/** The first check failure of the inputs (raw values), or undefined when they would pass. */
function checkFailure(
  handler: { check(olds: unknown, news: unknown): { failures: Array<{ reason: string }> } },
  raw: Record<string, unknown>,
): string | undefined {
  const failures = handler.check({}, raw).failures;
  return failures.length === 0 ? undefined : failures.map((f) => f.reason).join("; ");
}

function groupRefs(ids: readonly string[], declared: ReadonlyMap<string, Declaration>): InputValue {
  return {
    list: normalizeSet(ids).map((id) => {
      const group = declared.get(id);
      return group === undefined ? text(id) : { reference: group.variable };
    }),
  };
}

/** A credential's create fields; a list DPoD did not send is null, never equal to any sent list. */
function credentialKey(c: ClientCredential): string {
  return JSON.stringify([
    c.name,
    canonicalCredentialRole(c.role),
    c.serviceIds === undefined ? null : normalizeSet(c.serviceIds),
    c.subscriberGroups === undefined ? null : normalizeSet(c.subscriberGroups),
  ]);
}

/** Names the rendered program defines besides the declarations. */
const PROGRAM_NAMES = ["pulumi", "dpod", "config", TENANT_ID_CONSTANT, USERS_CONNECTION_CONSTANT];

/** Fails when two declarations share a variable (or one shadows a program name) or a kind and name. */
function assertUnique(declarations: readonly Declaration[]): void {
  const variables = new Set(PROGRAM_NAMES);
  const names = new Set<string>();
  for (const d of declarations) {
    const name = `${d.kind} ${JSON.stringify(d.resourceName)}`;
    const clash = variables.has(d.variable)
      ? `the variable ${d.variable}`
      : names.has(name)
        ? name
        : undefined;
    if (clash !== undefined) throw new Error(`two declarations would share ${clash}; nothing was written`);
    variables.add(d.variable);
    names.add(name);
  }
}

export function planAdoption(tenant: TenantObjects, options: PlanOptions): AdoptionPlan {
  const { selection } = options;
  const previous = options.previousNames ?? emptyPreviousNames();
  const skipped: Skipped[] = [];
  const keep = <T>(items: T[], nameOf: (item: T) => string) =>
    items.filter((item) => nameSelected(selection, nameOf(item)));

  // Subscriber groups.
  const groupCandidates: Array<{ group: SubscriberGroup; raw: Record<string, unknown> }> = [];
  if (selection.kinds.has("groups")) {
    for (const group of keep(tenant.groups, (g) => g.name)) {
      const raw = { name: group.name, description: textOrUndefined(group.description), adopt: true };
      const failure = checkFailure(subscriberGroupHandler, raw);
      if (failure !== undefined) {
        skipped.push({ kind: "SubscriberGroup", id: group.id, name: group.name, reason: failure });
      } else groupCandidates.push({ group, raw });
    }
  }
  const groupNames = assignNames(tenant.groups, "group", "group", previous.SubscriberGroup);
  const groups: Declaration[] = groupCandidates.map(({ group }) => {
    const names = groupNames.get(group.id)!;
    const inputs: Declaration["inputs"] = [["name", text(group.name)]];
    const description = textOrUndefined(group.description);
    if (description !== undefined) inputs.push(["description", text(description)]);
    inputs.push(["adopt", { literal: true }]);
    return { kind: "SubscriberGroup", id: group.id, ...names, inputs };
  });
  const declaredGroups = new Map(groups.map((g) => [g.id, g]));

  // Users.
  const userCandidates: ListedUser[] = [];
  if (selection.kinds.has("users")) {
    for (const listed of keep(tenant.users, (u) => u.username)) {
      const missing = notSent(listed, USER_FIELDS);
      if (missing !== undefined) {
        skipped.push({ kind: "User", id: listed.id, name: listed.username, reason: missing });
        continue;
      }
      const user = listed as ListedUser;
      const raw = {
        username: user.username,
        givenName: user.givenName,
        familyName: user.familyName,
        phoneNumber: textOrUndefined(user.phoneNumber),
        accountRole: canonicalAccountRole(user.accountRole),
        subscriberGroups: user.subscriberGroups.length > 0 ? normalizeSet(user.subscriberGroups) : undefined,
        tenantId: options.usersTenantId,
        adopt: true,
      };
      const failure = checkFailure(userHandler, raw);
      if (failure !== undefined) {
        skipped.push({ kind: "User", id: user.id, name: user.username, reason: failure });
      } else userCandidates.push(user);
    }
  }
  const userNames = assignNames(
    tenant.users.map((u) => ({ id: u.id, name: u.username, createdAt: u.createdAt })),
    "user",
    "user",
    previous.User,
  );
  const users: Declaration[] = userCandidates.map((user) => {
    const inputs: Declaration["inputs"] = [
      ["username", text(user.username)],
      ["givenName", text(user.givenName)],
      ["familyName", text(user.familyName)],
    ];
    const phone = textOrUndefined(user.phoneNumber);
    if (phone !== undefined) inputs.push(["phoneNumber", text(phone)]);
    inputs.push(["accountRole", text(canonicalAccountRole(user.accountRole))]);
    if (user.subscriberGroups.length > 0)
      inputs.push(["subscriberGroups", groupRefs(user.subscriberGroups, declaredGroups)]);
    if (options.usersTenantId !== undefined) inputs.push(["tenantId", { identifier: TENANT_ID_CONSTANT }]);
    if (options.usersConnection) inputs.push(["connection", { identifier: USERS_CONNECTION_CONSTANT }]);
    inputs.push(["adopt", { literal: true }]);
    return { kind: "User", id: user.id, ...userNames.get(user.id)!, inputs };
  });

  // Client credentials.
  const credentialCandidates: ListedCredential[] = [];
  if (selection.kinds.has("credentials")) {
    const kept: ListedCredential[] = [];
    for (const listed of keep(tenant.credentials, (c) => c.name)) {
      if (selection.excludedClientIds.has(listed.clientId)) continue;
      const missing = notSent(listed, CREDENTIAL_FIELDS);
      if (missing === undefined) kept.push(listed as ListedCredential);
      else
        skipped.push({ kind: "ClientCredential", id: listed.clientId, name: listed.name, reason: missing });
    }
    // Twins are counted among all the tenant's credentials: one left out here is still found at `up`.
    const sameKey = new Map<string, number>();
    for (const c of tenant.credentials)
      sameKey.set(credentialKey(c), (sameKey.get(credentialKey(c)) ?? 0) + 1);
    for (const credential of kept) {
      const raw = {
        name: credential.name,
        role: canonicalCredentialRole(credential.role),
        serviceIds: credential.serviceIds.length > 0 ? normalizeSet(credential.serviceIds) : undefined,
        subscriberGroups:
          credential.subscriberGroups.length > 0 ? normalizeSet(credential.subscriberGroups) : undefined,
        adopt: true,
      };
      const failure =
        (sameKey.get(credentialKey(credential)) ?? 0) > 1
          ? "several credentials have this name, role, serviceIds and subscriberGroups, so adopting one is " +
            "ambiguous; rename all but one in DPoD and run the command again"
          : checkFailure(clientCredentialHandler, raw);
      if (failure !== undefined) {
        skipped.push({
          kind: "ClientCredential",
          id: credential.clientId,
          name: credential.name,
          reason: failure,
        });
      } else credentialCandidates.push(credential);
    }
  }
  const credentialNames = assignNames(
    tenant.credentials.map((c) => ({ id: c.clientId, name: c.name, createdAt: c.createdAt })),
    "credential",
    "credential",
    previous.ClientCredential,
  );
  const credentials: Declaration[] = credentialCandidates.map((credential) => {
    const inputs: Declaration["inputs"] = [
      ["name", text(credential.name)],
      ["role", text(canonicalCredentialRole(credential.role))],
    ];
    if (credential.serviceIds.length > 0)
      inputs.push(["serviceIds", { list: normalizeSet(credential.serviceIds).map(text) }]);
    if (credential.subscriberGroups.length > 0)
      inputs.push(["subscriberGroups", groupRefs(credential.subscriberGroups, declaredGroups)]);
    inputs.push(["adopt", { literal: true }]);
    return {
      kind: "ClientCredential",
      id: credential.clientId,
      ...credentialNames.get(credential.clientId)!,
      inputs,
    };
  });

  assertUnique([...groups, ...users, ...credentials]);
  return {
    groups,
    users,
    credentials,
    skipped,
    usersTenantId: users.length > 0 ? options.usersTenantId : undefined,
    usersConnection: users.length > 0 && options.usersConnection,
  };
}
