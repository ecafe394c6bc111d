/**
 * The per-resource `connection` input, shared by the three resources.
 *
 * It is kept in the resource's outputs on purpose: the engine gives `read` and `delete` only the stored
 * outputs, so a resource managed with its own credential (for example an api_spadmin credential for the
 * users of a child tenant) must find that credential there at refresh and destroy time. It is never stored
 * in plaintext: the SDK marks the secret parts secret on input, and the engine carries that secretness onto
 * the output of the same name (docs/architecture.md, "How secrets stay out of the state").
 */
import { z } from "zod";
import { readMap, sameStringMap } from "./values";

export const connectionSchema = z.strictObject(
  {
    apiUrl: z
      .url({ error: "must be an absolute URL, e.g. https://thales.eu.market.dpondemand.io" })
      .optional(),
    tokenUrl: z
      .url({ error: "must be an absolute URL, e.g. https://access.dpondemand.io/oauth/v1/token" })
      .optional(),
    clientId: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).optional(),
    clientSecret: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).optional(),
    accessToken: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).optional(),
    allowInsecureHttp: z.boolean({ error: "must be true or false" }).optional(),
  },
  {
    error:
      "must be an object with apiUrl, tokenUrl, clientId, clientSecret, accessToken or allowInsecureHttp",
  },
);

export type ConnectionInput = z.output<typeof connectionSchema>;

/** Compares two connection inputs by value (absent = no override; an unknown value differs). */
export function sameConnection(a: unknown, b: unknown): boolean {
  return sameStringMap(readMap(a), readMap(b));
}
