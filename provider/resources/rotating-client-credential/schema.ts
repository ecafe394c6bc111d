/**
 * RotatingClientCredential inputs (strict; validated by check before any API call) and the state the
 * stack keeps. The inputs are a ClientCredential's, less `adopt`, with a name two characters shorter:
 * each of the two DPoD credentials is named `<name>-a` or `<name>-b` (its slot), within DPoD's 64.
 */
import { z } from "zod";
import { clientCredentialInputsSchema } from "../client-credential/schema";
import type { ConnectionInput } from "../common/connection";
import { connectionSchema } from "../common/connection";
import { text, withDescriptions } from "../common/validation";

export const SLOTS = ["a", "b"] as const;
export type Slot = (typeof SLOTS)[number];

/**
 * The default grace floor between two rotations, in hours. The previous pair stops working at the next
 * rotation, so the time between two rotations is all consumers get to pick up the new pair; a day covers
 * consumers that redeploy or re-read their configuration daily. 0 turns the floor off.
 */
export const DEFAULT_MIN_ROTATION_INTERVAL_HOURS = 24;

export const rotatingClientCredentialInputsSchema = clientCredentialInputsSchema
  .omit({ adopt: true })
  .extend({
    name: text(1, 62),
    minRotationIntervalHours: z
      .number({ error: "must be a number of hours" })
      .min(0, { error: "must be 0 or more hours" })
      .max(8760, { error: "must be at most 8760 hours (a year)" })
      .optional()
      .meta({
        description:
          "Grace floor: a rotation that would reset the previous pair less than this many hours after it " +
          `became previous is refused (preview fails) (default ${DEFAULT_MIN_ROTATION_INTERVAL_HOURS}; 0 allows ` +
          "any rotation). The previous pair stops working at the next rotation, so this is the least time " +
          "consumers get to pick up a new pair.",
      }),
  });

export type RotatingClientCredentialInputs = z.output<typeof rotatingClientCredentialInputsSchema>;

/** The outputs recorded in the stack. The resource id names the pair; it is not a DPoD id. */
export interface RotatingClientCredentialState {
  name: string;
  role: string;
  /** Sorted: DPoD treats the list as a set. */
  serviceIds: string[];
  /** Sorted: DPoD treats the list as a set. */
  subscriberGroups: string[];
  /** The slot of the current credential; the previous one, if any, holds the other. */
  currentSlot: Slot;
  /** The current credential: the pair consumers should use. */
  clientId: string;
  /** Its secret (a secret output). */
  clientSecret?: string;
  /** When the provider obtained the current secret (ISO 8601); rotateAfterDays counts from here. */
  secretCreatedAt?: string;
  /** The credential that was current before the last rotation; absent until the first rotation. */
  previousClientId?: string;
  /** Its secret (a secret output); it keeps working until the next rotation resets it. */
  previousClientSecret?: string;
  previousSecretCreatedAt?: string;
  /** With rotateAfterDays: when the current secret stops working (two due rotations on). */
  secretExpiresAt?: string;
  /** With rotateAfterDays and a previous pair: when it stops working (the next due rotation). */
  previousSecretExpiresAt?: string;
  tenantId?: string;
  /** The rotation trigger values last applied. */
  rotationTriggers?: Record<string, string>;
  rotateAfterDays?: number;
  /** The grace floor last applied (absent: the default). */
  minRotationIntervalHours?: number;
  connection?: ConnectionInput;
}

const optionalText = z.string().optional().catch(undefined);

/** Lenient reading of stored state: tolerate fields written by other versions, never throw. */
export const rotatingClientCredentialStateSchema = z.looseObject(
  withDescriptions(
    {
      name: z.string().catch(""),
      role: z.string().catch(""),
      serviceIds: z.array(z.string()).catch([]),
      subscriberGroups: z.array(z.string()).catch([]),
      currentSlot: z.enum(SLOTS).catch("a"),
      clientId: z.string().catch(""),
      clientSecret: optionalText,
      secretCreatedAt: optionalText,
      previousClientId: optionalText,
      previousClientSecret: optionalText,
      previousSecretCreatedAt: optionalText,
      secretExpiresAt: optionalText,
      previousSecretExpiresAt: optionalText,
      tenantId: optionalText,
      rotationTriggers: z.record(z.string(), z.string()).optional().catch(undefined),
      rotateAfterDays: z.number().optional().catch(undefined),
      minRotationIntervalHours: z.number().optional().catch(undefined),
      connection: connectionSchema.optional().catch(undefined),
    },
    {
      name: "The base name; the credentials are named <name>-a and <name>-b.",
      role: "The role of both credentials, in full form.",
      serviceIds: "Service ids, sorted.",
      subscriberGroups: "Subscriber group ids, sorted.",
      currentSlot: "Which of the two credentials is current: a or b.",
      clientId: "The current client id: what consumers use now (it alternates between the two credentials).",
      clientSecret: "The current client secret; a secret. Consumers take it together with clientId.",
      secretCreatedAt: "When the current secret was obtained (RFC 3339); rotateAfterDays counts from here.",
      previousClientId:
        "The client id that was current before the last rotation; absent before the first rotation.",
      previousClientSecret: "Its secret; a secret. It keeps working until the next rotation.",
      previousSecretCreatedAt: "When the previous secret was obtained (RFC 3339).",
      secretExpiresAt:
        "With rotateAfterDays: when the current secret stops working if rotations come by age only " +
        "(RFC 3339): it becomes the previous pair at the next due rotation and is reset at the one after.",
      previousSecretExpiresAt:
        "With rotateAfterDays: when the previous pair stops working (RFC 3339), the next due rotation, " +
        "which resets it. A rotation by trigger comes sooner.",
      tenantId: "The tenant the credentials belong to.",
      rotationTriggers: "The rotation trigger values last applied, in their string form.",
      rotateAfterDays: "The rotateAfterDays value in effect.",
      minRotationIntervalHours: "The minRotationIntervalHours value in effect (absent: the default, 24).",
      connection: "The resource's own connection settings (TypeScript dynamic SDK).",
    },
  ),
);
