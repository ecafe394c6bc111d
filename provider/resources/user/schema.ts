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

export const userInputsSchema = z.strictObject({
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
  connection: connectionSchema.optional(),
});

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
export const userStateSchema = z.looseObject({
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
});
