/**
 * The native provider's configuration: what `new dpod.Provider(...)` (or the stack config `dpod:*` of the
 * default provider) may set. The same settings as the dynamic SDK's, read through the same resolvers, so
 * precedence, defaults and messages stay identical: provider inputs first, then the environment (DPOD_*).
 */
import { z } from "zod";
import type { ClientOptions, ConnectionSettings } from "../client";
import {
  DpodConfigError,
  resolveAdoptIdentical,
  resolveConnectionSettings,
  resolveMaxConcurrency,
  type ConnectionSettingKey,
  type ConnectionSettingProblem,
} from "../config";
import { withDescriptions } from "../resources/common/validation";

/** Stack config values arrive as text; explicit provider inputs may be typed. Both are accepted. */
const flag = z.union([z.boolean(), z.string()], { error: "must be true or false" });
const whole = z.union([z.number().int(), z.string()], { error: "must be a whole number" });

export const providerConfigSchema = z.strictObject(
  withDescriptions(
    {
      apiUrl: z.string({ error: "must be a URL" }).optional(),
      tokenUrl: z.string({ error: "must be a URL" }).optional(),
      clientId: z.string({ error: "must be a string" }).optional(),
      clientSecret: z.string({ error: "must be a string" }).optional(),
      accessToken: z.string({ error: "must be a string" }).optional(),
      allowInsecureHttp: flag.optional(),
      maxConcurrency: whole.optional(),
      adoptIdentical: flag.optional(),
    },
    {
      apiUrl:
        "The DPoD API host, e.g. https://thales.eu.market.dpondemand.io (environment DPOD_API_URL). Required.",
      tokenUrl:
        "The OAuth token endpoint (environment DPOD_TOKEN_URL); default https://access.dpondemand.io/oauth/v1/token.",
      clientId: "The client id of the DPoD platform credential to act as (environment DPOD_CLIENT_ID).",
      clientSecret: "Its client secret (environment DPOD_CLIENT_SECRET). A secret.",
      accessToken:
        "A user's bearer token instead of a client credential (environment DPOD_ACCESS_TOKEN). A secret.",
      allowInsecureHttp:
        "Allow plain http:// to a host that is not loopback (environment DPOD_ALLOW_INSECURE_HTTP); test servers only.",
      maxConcurrency:
        "Requests in flight at once per provider process, 1 to 64, default 8 (environment DPOD_MAX_CONCURRENCY).",
      adoptIdentical:
        "Take over, at create, a user or group that already exists identical to the declaration, with a " +
        "warning (environment DPOD_ADOPT_IDENTICAL); completes an interrupted update. Default false.",
    },
  ),
);

export type ProviderConfig = z.output<typeof providerConfigSchema>;

/** Provider inputs that are secrets: marked so in the schema, and never echoed. */
export const SECRET_CONFIG_KEYS: readonly (keyof ProviderConfig)[] = ["clientSecret", "accessToken"];

/** Everything the provider needs from its configuration, resolved once per Configure. */
export interface ResolvedProviderConfig {
  settings: ConnectionSettings;
  clientOptions: ClientOptions;
  adoptIdentical: boolean;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value);
}

/**
 * Resolves the provider inputs (plain values, secrets already unwrapped) and the environment into
 * settings; throws one DpodConfigError naming every problem (never a value) when they are unusable.
 */
export function resolveProviderConfig(
  config: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedProviderConfig {
  const fromConfig = (key: string) => text(config[key]);
  const problems: ConnectionSettingProblem[] = [];
  const attempt = <T>(resolve: () => T): T | undefined => {
    try {
      return resolve();
    } catch (error) {
      if (!(error instanceof DpodConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const settings = attempt(() =>
    resolveConnectionSettings({ stackConfig: (key: ConnectionSettingKey) => fromConfig(key), env }),
  );
  const maxConcurrency = attempt(() => resolveMaxConcurrency({ stackConfig: fromConfig, env }));
  const adoptIdentical = attempt(() => resolveAdoptIdentical({ stackConfig: fromConfig, env }));
  if (settings === undefined || problems.length > 0) throw new DpodConfigError(problems);
  return {
    settings,
    clientOptions: maxConcurrency === undefined ? {} : { maxConcurrency },
    adoptIdentical: adoptIdentical ?? false,
  };
}
