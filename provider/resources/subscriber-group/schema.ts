/**
 * SubscriberGroup inputs (strict; validated by check before any API call) and the state the stack keeps.
 * Limits follow docs/dpod-api-notes.md#field-limits (INFERRED; one edit here if DPoD differs).
 */
import { z } from "zod";
import { connectionSchema, type ConnectionInput } from "../common/connection";
import { adoptFlag, text } from "../common/validation";

export const subscriberGroupInputsSchema = z.strictObject({
  name: text(1, 64),
  description: text(0, 255).optional(),
  /** Take over a group of the same name that already exists instead of failing (see the handler). */
  adopt: adoptFlag.optional(),
  connection: connectionSchema.optional(),
});

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
export const subscriberGroupStateSchema = z.looseObject({
  name: z.string().catch(""),
  description: z.string().optional().catch(undefined),
  tenantId: z.string().optional().catch(undefined),
  createdAt: z.string().optional().catch(undefined),
  connection: connectionSchema.optional().catch(undefined),
});
