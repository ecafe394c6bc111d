/**
 * SubscriberGroup inputs (strict; validated by check before any API call) and the state the stack keeps.
 * Limits follow docs/dpod-api-notes.md#field-limits (INFERRED; one edit here if DPoD differs).
 */
import { z } from "zod";
import { connectionSchema, type ConnectionInput } from "../common/connection";
import { adoptFlag, text, withDescriptions } from "../common/validation";

export const subscriberGroupInputsSchema = z.strictObject(
  withDescriptions(
    {
      name: text(1, 64),
      description: text(0, 255).optional(),
      adopt: adoptFlag.optional(),
      connection: connectionSchema.optional(),
    },
    {
      name:
        "The group name, 1 to 64 characters, unique in the tenant (compared without regard to case). " +
        "Updated in place.",
      description: "Free text, at most 255 characters. Updated in place; leaving it out clears it.",
      adopt:
        "When true and a group with this name exists, create takes it over instead of failing with 409. " +
        "Consulted only at create.",
      connection:
        "Connection settings for this group only (TypeScript dynamic SDK); fields left out come from the " +
        "provider configuration. Secret parts stay secret.",
    },
  ),
);

export type SubscriberGroupInputs = z.output<typeof subscriberGroupInputsSchema>;

/** The outputs recorded in the stack (the resource id is the group id). */
export interface SubscriberGroupState {
  name: string;
  /** Absent when the group has no description ("" and absent are the same to DPoD). */
  description?: string;
  tenantId?: string;
  createdAt?: string;
  connection?: ConnectionInput;
}

/** Lenient reading of stored state: tolerate fields written by other versions, never throw. */
export const subscriberGroupStateSchema = z.looseObject(
  withDescriptions(
    {
      name: z.string().catch(""),
      description: z.string().optional().catch(undefined),
      tenantId: z.string().optional().catch(undefined),
      createdAt: z.string().optional().catch(undefined),
      connection: connectionSchema.optional().catch(undefined),
    },
    {
      name: "The group name.",
      description: "The description; absent when none.",
      tenantId: "The tenant the group belongs to.",
      createdAt: "When the group was created (RFC 3339).",
      connection: "The resource's own connection settings (TypeScript dynamic SDK).",
    },
  ),
);
