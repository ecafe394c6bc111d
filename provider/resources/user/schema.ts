/**
 * User inputs (strict; validated by check before any API call) and the state the stack keeps.
 * Limits follow docs/dpod-api-notes.md#field-limits (INFERRED; one edit here if DPoD differs).
 */
import { z } from "zod";
import { connectionSchema, type ConnectionInput } from "../common/connection";
import {
  adoptFlag,
  email,
  text,
  triggerValue,
  uuid,
  uuidList,
  withDescriptions,
  type CheckFailure,
} from "../common/validation";

/** Account roles in the full scope form the provider sends (docs/dpod-api-notes.md#credentials-and-roles). */
export const ACCOUNT_ROLES = ["dpod.tenant.spadmin", "dpod.tenant.admin", "dpod.tenant.appowner"] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** The full form of an account role; short forms (`appowner`) are accepted on input and from DPoD. */
export function canonicalAccountRole(role: string): string {
  const full = `dpod.tenant.${role}`;
  return (ACCOUNT_ROLES as readonly string[]).includes(full) ? full : role;
}

const accountRole = z
  .string({ error: `must be one of ${ACCOUNT_ROLES.join(", ")}` })
  .transform(canonicalAccountRole)
  .pipe(z.enum(ACCOUNT_ROLES, { error: `must be one of ${ACCOUNT_ROLES.join(", ")}` }));

export const userInputsSchema = z.strictObject(
  withDescriptions(
    {
      username: email,
      givenName: text(1, 50),
      familyName: text(1, 50),
      accountRole,
      phoneNumber: text(0, 20).optional(),
      // The message never repeats the value: it is a secret.
      password: z
        .string({ error: "must be a string" })
        .min(8, { error: "must be 8 to 100 characters" })
        .max(100, { error: "must be 8 to 100 characters" })
        .optional(),
      subscriberGroups: uuidList().optional(),
      tenantId: uuid.optional(),
      emailHints: z
        .record(z.string(), z.string({ error: "must map names to strings" }), {
          error: "must be an object whose values are strings",
        })
        .optional(),
      resetPasswordTrigger: triggerValue.optional(),
      resetMfaTrigger: triggerValue.optional(),
      sendVerificationTrigger: triggerValue.optional(),
      /** Take over a user of the same username that already exists instead of failing (see the handler). */
      adopt: adoptFlag.optional(),
      /** Accept a change that replaces the object (see common/recreate-guard.ts); consulted by diff only. */
      allowRecreate: z.boolean({ error: "must be true or false" }).optional(),
      connection: connectionSchema.optional(),
    },
    {
      username:
        "The login: the user's email address. Unique in the tenant, compared without regard to case. " +
        "Changing it replaces the user (only with allowRecreate).",
      givenName: "First name, 1 to 50 characters. Updated in place.",
      familyName: "Last name, 1 to 50 characters. Updated in place.",
      accountRole:
        "The account role: dpod.tenant.spadmin (service-provider tenants), dpod.tenant.admin or " +
        "dpod.tenant.appowner (tenants); the short forms spadmin, admin and appowner are accepted. Changing " +
        "it replaces the user (only with allowRecreate).",
      phoneNumber: "Phone number, at most 20 characters. Updated in place; leaving it out clears it.",
      password:
        "Initial password, 8 to 100 characters; a secret. Create-only: sent once when the user is created " +
        "and never stored in the outputs; changing it later does nothing (use resetPasswordTrigger).",
      subscriberGroups:
        "Subscriber group ids the user belongs to (at least one for dpod.tenant.appowner); order does not " +
        "matter. Changing the list replaces the user (only with allowRecreate).",
      tenantId:
        "The child tenant to create the user in, for a service-provider (api_spadmin) credential; leave it " +
        "out for the credential's own tenant. Changing it replaces the user (only with allowRecreate).",
      emailHints: "Values for DPoD's invitation email (names to strings). Create-only.",
      resetPasswordTrigger:
        "Trigger (a string, number or boolean, compared as its string form): set it to a new value and the " +
        "next update resets the user's password once; the " +
        "temporary password is the secret output temporaryPassword. A value present at create does not run.",
      resetMfaTrigger:
        "Trigger (a string, number or boolean, compared as its string form): set it to a new value and the " +
        "next update resets the user's MFA token once.",
      sendVerificationTrigger:
        "Trigger (a string, number or boolean, compared as its string form): set it to a new value and the " +
        "next update sends the verification email once (DPoD grants " +
        "this to administrators' user tokens).",
      adopt:
        "When true and a user with this username exists, create takes it over instead of failing with 409 " +
        "(its accountRole and subscriberGroups must match). Consulted only at create.",
      allowRecreate:
        "Accept a change that replaces the user (username, accountRole, subscriberGroups or tenantId), which " +
        "deletes the person's account and creates a new one. Without it such a change fails before any API call.",
      connection:
        "Connection settings for this user only (TypeScript dynamic SDK); fields left out come from the " +
        "provider configuration. Secret parts stay secret.",
    },
  ),
);

export type UserInputs = z.output<typeof userInputsSchema>;

/** Rules across fields, run once every field is valid on its own. */
export function userRules(inputs: UserInputs): CheckFailure[] {
  if (inputs.accountRole === "dpod.tenant.appowner" && (inputs.subscriberGroups ?? []).length === 0) {
    return [
      {
        property: "subscriberGroups",
        reason:
          "subscriberGroups: must name at least one subscriber group when accountRole is dpod.tenant.appowner",
      },
    ];
  }
  return [];
}

export const USER_TRIGGERS = ["resetPasswordTrigger", "resetMfaTrigger", "sendVerificationTrigger"] as const;
export type UserTrigger = (typeof USER_TRIGGERS)[number];

/** The outputs recorded in the stack (the resource id is the user id). */
export interface UserState {
  username: string;
  email?: string;
  givenName: string;
  familyName: string;
  /** Absent when the user has no phone number ("" and absent are the same to DPoD). */
  phoneNumber?: string;
  accountRole: string;
  /** Sorted: DPoD treats the list as a set. */
  subscriberGroups: string[];
  /** The tenant DPoD reports the user in. */
  tenantId?: string;
  /** The `tenantId` input, when the user is managed in a child tenant; sent as the tenantId query. */
  targetTenantId?: string;
  verified?: boolean;
  status?: string;
  createdAt?: string;
  /** The temporary password from the last resetPasswordTrigger run (a secret output). */
  temporaryPassword?: string;
  /** Create-only: recorded so refresh can rebuild the inputs. */
  emailHints?: Record<string, string>;
  /** The trigger values last applied. */
  resetPasswordTrigger?: string;
  resetMfaTrigger?: string;
  sendVerificationTrigger?: string;
  connection?: ConnectionInput;
}

const optionalText = z.string().optional().catch(undefined);

/** Lenient reading of stored state: tolerate fields written by other versions, never throw. */
export const userStateSchema = z.looseObject(
  withDescriptions(
    {
      username: z.string().catch(""),
      email: optionalText,
      givenName: z.string().catch(""),
      familyName: z.string().catch(""),
      phoneNumber: optionalText,
      accountRole: z.string().catch(""),
      subscriberGroups: z.array(z.string()).catch([]),
      tenantId: optionalText,
      targetTenantId: optionalText,
      verified: z.boolean().optional().catch(undefined),
      status: optionalText,
      createdAt: optionalText,
      temporaryPassword: optionalText,
      emailHints: z.record(z.string(), z.string()).optional().catch(undefined),
      resetPasswordTrigger: optionalText,
      resetMfaTrigger: optionalText,
      sendVerificationTrigger: optionalText,
      connection: connectionSchema.optional().catch(undefined),
    },
    {
      username: "The login email address, as DPoD reports it.",
      email: "The email address DPoD reports (normally the username).",
      givenName: "First name.",
      familyName: "Last name.",
      phoneNumber: "Phone number; absent when none.",
      accountRole: "The account role, in full form (dpod.tenant.admin).",
      subscriberGroups: "Subscriber group ids, sorted.",
      tenantId: "The tenant the user belongs to, as DPoD reports it.",
      targetTenantId: "The tenantId input the user is managed in (sent as the tenantId query).",
      verified: "Whether the user has verified their email address.",
      status: "The account status DPoD reports.",
      createdAt: "When the user was created (RFC 3339).",
      temporaryPassword:
        "The temporary password from the last resetPasswordTrigger run; absent before the first one. A secret.",
      emailHints: "The emailHints sent at create.",
      resetPasswordTrigger: "The resetPasswordTrigger value last applied.",
      resetMfaTrigger: "The resetMfaTrigger value last applied.",
      sendVerificationTrigger: "The sendVerificationTrigger value last applied.",
      connection: "The resource's own connection settings (TypeScript dynamic SDK).",
    },
  ),
);
