/**
 * ClientCredential inputs (strict; validated by check before any API call) and the state the stack keeps.
 * Limits follow docs/dpod-api-notes.md#field-limits (INFERRED; one edit here if DPoD differs).
 */
import { z } from "zod";
import { connectionSchema, type ConnectionInput } from "../common/connection";
import {
  adoptFlag,
  text,
  triggerValue,
  uuidList,
  withDescriptions,
  type CheckFailure,
} from "../common/validation";

/** Credential roles in the full scope form the provider sends (docs/dpod-api-notes.md#credentials-and-roles). */
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

export const clientCredentialInputsSchema = z.strictObject(
  withDescriptions(
    {
      name: text(1, 64),
      role,
      serviceIds: uuidList().optional(),
      subscriberGroups: uuidList().optional(),
      rotationTriggers: z
        .record(z.string(), triggerValue, { error: "must be an object mapping names to trigger values" })
        .optional(),
      /**
       * Take over the one existing credential with exactly this name, role, serviceIds and
       * subscriberGroups, without resetting its secret (see the handler); consulted only at create.
       */
      adopt: adoptFlag.optional(),
      /** Accept a change that replaces the object (see common/recreate-guard.ts); consulted by diff only. */
      allowRecreate: z.boolean({ error: "must be true or false" }).optional(),
      rotateAfterDays: z
        .number({ error: "must be a number of days" })
        .positive({ error: "must be a positive number of days" })
        .max(36500, { error: "must be at most 36500 days" })
        .optional(),
      /** Consulted by diff only (a preview warning); not recorded. */
      expiryWarningDays: z
        .number({ error: "must be a number of days" })
        .min(0, { error: "must be 0 or more days" })
        .max(36500, { error: "must be at most 36500 days" })
        .optional(),
      connection: connectionSchema.optional(),
    },
    {
      name: "Display name, 1 to 64 characters; not unique. Updated in place.",
      role:
        "The role: dpod.tenant.api_spadmin (service-provider tenants), dpod.tenant.api_appowner or " +
        "dpod.tenant.api_service (tenants); short forms accepted. Changing it replaces the credential (a new " +
        "client id and secret; only with allowRecreate).",
      serviceIds:
        "Service ids the credential is limited to (required for dpod.tenant.api_service); order does not " +
        "matter. Changing the list replaces the credential (only with allowRecreate).",
      subscriberGroups:
        "Subscriber group ids the credential is bound to; order does not matter. Changing it replaces the " +
        "credential (only with allowRecreate).",
      rotationTriggers:
        "Rotation trigger: a map of names to values, each a string, number or boolean compared as its " +
        'string form (2 and "2" are the same). When it changes to a new, non-empty map, the next update ' +
        "resets the secret once (the client id stays); preview shows clientSecret changing.",
      adopt:
        "Brownfield adoption: when true, create takes over the one existing credential with exactly this " +
        "name, role, serviceIds and subscriberGroups, with no write; its secret stays unknown to the stack " +
        "(secretUnknown) and is not reset until rotationTriggers changes. Several such credentials, or " +
        "same-name ones that differ, fail before any change. Consulted only at create.",
      allowRecreate:
        "Accept a change that replaces the credential (role, serviceIds or subscriberGroups), which issues a " +
        "new client id and cuts off every consumer of the old one. Without it such a change fails before any API call.",
      rotateAfterDays:
        "Rotation by age: once the secret is older than this many days (more than 0, at most 36500), " +
        "preview shows an update and the next update resets it. secretExpiresAt says when.",
      expiryWarningDays:
        "With rotateAfterDays: preview warns, naming the resource, once the secret is due for rotation " +
        "within this many days (default 7; 0 turns the warning off). Consulted by preview only.",
      connection:
        "Connection settings for this credential only (TypeScript dynamic SDK); fields left out come from " +
        "the provider configuration. Secret parts stay secret.",
    },
  ),
);

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
  /**
   * True for a credential brought into the stack by `pulumi import` (or `.get`) or taken over with
   * `adopt: true`: its secret exists in DPoD and is in use, but the stack never saw it. Unlike a missing secret after a create, it is not
   * reset on the next update, nor by rotateAfterDays (its age is unknown); a rotation trigger does it.
   */
  secretUnknown?: boolean;
  /** When the provider obtained the current secret (ISO 8601); rotateAfterDays counts from here. */
  secretCreatedAt?: string;
  /** When rotateAfterDays makes the secret due for rotation (ISO 8601): the next update after it resets it. */
  secretExpiresAt?: string;
  /** The rotation trigger values last applied. */
  rotationTriggers?: Record<string, string>;
  rotateAfterDays?: number;
  connection?: ConnectionInput;
}

const optionalText = z.string().optional().catch(undefined);

/** Lenient reading of stored state: tolerate fields written by other versions, never throw. */
export const clientCredentialStateSchema = z.looseObject(
  withDescriptions(
    {
      clientId: z.string().catch(""),
      name: z.string().catch(""),
      role: z.string().catch(""),
      serviceIds: z.array(z.string()).catch([]),
      subscriberGroups: z.array(z.string()).catch([]),
      tenantId: optionalText,
      createdAt: optionalText,
      createdBy: optionalText,
      clientSecret: optionalText,
      secretUnknown: z.boolean().optional().catch(undefined),
      secretCreatedAt: optionalText,
      secretExpiresAt: optionalText,
      rotationTriggers: z.record(z.string(), z.string()).optional().catch(undefined),
      rotateAfterDays: z.number().optional().catch(undefined),
      connection: connectionSchema.optional().catch(undefined),
    },
    {
      clientId: "The client id (also the resource id).",
      name: "The display name.",
      role: "The role, in full form.",
      serviceIds: "Service ids, sorted.",
      subscriberGroups: "Subscriber group ids, sorted.",
      tenantId: "The tenant the credential belongs to.",
      createdAt: "When the credential was created (RFC 3339).",
      createdBy: "Who created the credential, as DPoD reports it.",
      clientSecret:
        "The current client secret; a secret. DPoD returns it only at create and reset, never on read, so " +
        "it is unknown after an import until the next rotation.",
      secretUnknown:
        "True when the credential was imported or adopted: its secret exists but the stack has never held it " +
        "(clientSecret is absent until a rotation).",
      secretCreatedAt:
        "When the provider obtained the current secret (RFC 3339); rotateAfterDays counts from here.",
      secretExpiresAt:
        "With rotateAfterDays: when the secret becomes due for rotation (RFC 3339), secretCreatedAt plus " +
        "rotateAfterDays; the first pulumi up after it resets the secret. Set at create and update.",
      rotationTriggers: "The rotation trigger values last applied, in their string form.",
      rotateAfterDays: "The rotateAfterDays value in effect.",
      connection: "The resource's own connection settings (TypeScript dynamic SDK).",
    },
  ),
);
