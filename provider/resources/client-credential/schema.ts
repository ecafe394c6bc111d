/**
 * ClientCredential inputs (strict; validated by check before any API call) and the state the stack keeps.
 * Limits follow dpod-api.md §3.1 (INFERRED there; one edit here if DPoD differs).
 */
import { z } from "zod";
import { connectionSchema, type ConnectionInput } from "../common/connection";
import { adoptFlag, text, triggerValue, uuidList, type CheckFailure } from "../common/validation";

/** Credential roles in the full scope form the provider sends (dpod-api.md §2.6, §5.2). */
export const CREDENTIAL_ROLES = [
  "dpod.tenant.api_spadmin",
  "dpod.tenant.api_appowner",
  "dpod.tenant.api_service",
] as const;
export type CredentialRole = (typeof CREDENTIAL_ROLES)[number];

/** The full form of a credential role; short forms (`api_appowner`) are accepted on input and from DPoD. */
export function canonicalCredentialRole(role: string): string {
  const full = `dpod.tenant.${role}`;
  return (CREDENTIAL_ROLES as readonly string[]).includes(full) ? full : role;
}

const role = z
  .string({ error: `must be one of ${CREDENTIAL_ROLES.join(", ")}` })
  .transform(canonicalCredentialRole)
  .pipe(z.enum(CREDENTIAL_ROLES, { error: `must be one of ${CREDENTIAL_ROLES.join(", ")}` }));

export const clientCredentialInputsSchema = z.strictObject({
  name: text(1, 64),
  role,
  serviceIds: uuidList().optional(),
  subscriberGroups: uuidList().optional(),
  rotationTriggers: z
    .record(z.string(), triggerValue, { error: "must be an object whose values are strings" })
    .optional(),
  /**
   * Take over the one existing credential with exactly this name, role, serviceIds and subscriberGroups,
   * without resetting its secret (see the handler); consulted only at create.
   */
  adopt: adoptFlag.optional(),
  /** Accept a change that replaces the object (see common/recreate-guard.ts); consulted by diff only. */
  allowRecreate: z.boolean({ error: "must be true or false" }).optional(),
  rotateAfterDays: z
    .number({ error: "must be a number of days" })
    .positive({ error: "must be a positive number of days" })
    .max(36500, { error: "must be at most 36500 days" })
    .optional(),
  connection: connectionSchema.optional(),
});

export type ClientCredentialInputs = z.output<typeof clientCredentialInputsSchema>;

/** Rules across fields, run once every field is valid on its own. */
export function clientCredentialRules(inputs: ClientCredentialInputs): CheckFailure[] {
  if (inputs.role === "dpod.tenant.api_service" && (inputs.serviceIds ?? []).length === 0) {
    return [
      {
        property: "serviceIds",
        reason: "serviceIds: must name at least one service when role is dpod.tenant.api_service",
      },
    ];
  }
  return [];
}

/** The outputs recorded in the stack (the resource id is the client id). */
export interface ClientCredentialState {
  clientId: string;
  name: string;
  role: string;
  /** Sorted: DPoD treats the list as a set. */
  serviceIds: string[];
  /** Sorted: DPoD treats the list as a set. */
  subscriberGroups: string[];
  tenantId?: string;
  createdAt?: string;
  createdBy?: string;
  /** The current secret (a secret output). DPoD returns it only at create and reset, never on read. */
  clientSecret?: string;
  /** When the provider obtained the current secret (ISO 8601); rotateAfterDays counts from here. */
  secretCreatedAt?: string;
  /**
   * true when the credential was adopted (`adopt: true`): its secret exists but DPoD never reveals it, so
   * the stack does not know it and clientSecret is absent. Such a credential is not rotated until
   * rotationTriggers changes to a new value (a reset would cut off everyone using the current secret).
   */
  secretUnknown?: boolean;
  /** The rotation trigger values last applied. */
  rotationTriggers?: Record<string, string>;
  rotateAfterDays?: number;
  connection?: ConnectionInput;
}

const optionalText = z.string().optional().catch(undefined);

/** Lenient reading of stored state: tolerate fields written by other versions, never throw. */
export const clientCredentialStateSchema = z.looseObject({
  clientId: z.string().catch(""),
  name: z.string().catch(""),
  role: z.string().catch(""),
  serviceIds: z.array(z.string()).catch([]),
  subscriberGroups: z.array(z.string()).catch([]),
  tenantId: optionalText,
  createdAt: optionalText,
  createdBy: optionalText,
  clientSecret: optionalText,
  secretCreatedAt: optionalText,
  secretUnknown: z.boolean().optional().catch(undefined),
  rotationTriggers: z.record(z.string(), z.string()).optional().catch(undefined),
  rotateAfterDays: z.number().optional().catch(undefined),
  connection: connectionSchema.optional().catch(undefined),
});
