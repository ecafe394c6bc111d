/**
 * Connection settings: where they come from and whether they are usable.
 *
 * Contract:
 * - sources in precedence order: explicit settings passed by the caller, then Pulumi stack config
 *   (`dpod:<key>`), then the environment (`DPOD_*`);
 * - apiUrl, tokenUrl and allowInsecureHttp are each taken from the first source that has a value;
 * - the credential (clientId, clientSecret, accessToken) is taken as a unit from the first source that
 *   has any part of one, so two sources' credentials are never mixed: a resource whose connection gives
 *   only an accessToken uses that token even when the stack config holds a client id and secret;
 * - tokenUrl defaults to https://access.dpondemand.io/oauth/v1/token; apiUrl has no default;
 * - either clientId + clientSecret or accessToken must be set;
 * - URLs must be absolute https:// URLs; plain http:// is allowed for loopback hosts (127.0.0.0/8,
 *   localhost, ::1, e.g. the emulator) or when allowInsecureHttp is true;
 * - every problem is reported in ONE DpodConfigError, each line naming the stack config key and the
 *   environment variable; no value of a secret (or of a URL, which may embed credentials) is echoed.
 */
import { z } from "zod";
import { isLoopbackHost, type ConnectionSettings } from "./client";

export const DEFAULT_TOKEN_URL = "https://access.dpondemand.io/oauth/v1/token";

export type ConnectionSettingKey = keyof ConnectionSettings;

/** The environment variable read for each setting. */
export const CONNECTION_ENV_VARS: Readonly<Record<ConnectionSettingKey, string>> = {
  apiUrl: "DPOD_API_URL",
  tokenUrl: "DPOD_TOKEN_URL",
  clientId: "DPOD_CLIENT_ID",
  clientSecret: "DPOD_CLIENT_SECRET",
  accessToken: "DPOD_ACCESS_TOKEN",
  allowInsecureHttp: "DPOD_ALLOW_INSECURE_HTTP",
};

const KEYS = Object.keys(CONNECTION_ENV_VARS) as ConnectionSettingKey[];

export interface ConnectionSettingSources {
  /** Settings passed by the caller (a resource's connection input); win over everything else. */
  explicit?: Partial<ConnectionSettings>;
  /** Reads `dpod:<key>` from the Pulumi stack config. */
  stackConfig?: (key: ConnectionSettingKey) => string | undefined;
  /** Environment variables; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface ConnectionSettingProblem {
  /** The setting, e.g. "apiUrl". */
  key: ConnectionSettingKey | "maxConcurrency" | "adoptIdentical";
  /** The stack config key, e.g. "dpod:apiUrl". */
  configKey: string;
  /** The environment variable, e.g. "DPOD_API_URL". */
  envVar: string;
  /** What is wrong and how to fix it; never contains the value. */
  problem: string;
}

/** Missing or malformed connection settings: all problems at once. */
export class DpodConfigError extends Error {
  readonly problems: ConnectionSettingProblem[];

  constructor(problems: ConnectionSettingProblem[]) {
    super(
      `The DPoD connection settings are incomplete or invalid:\n` +
        problems
          .map((p) => `  - ${p.configKey} (environment variable ${p.envVar}): ${p.problem}`)
          .join("\n") +
        `\nSet them with \`pulumi config set dpod:<key> <value>\` (add --secret for dpod:clientSecret and ` +
        `dpod:accessToken), through the environment variables, or in the resource's connection input.`,
    );
    Object.defineProperty(this, "name", { value: "DpodConfigError", enumerable: false, writable: true });
    this.problems = problems;
  }
}

type Origin = "explicit" | "stack config" | "environment" | "default";

interface RawSetting {
  value: string | undefined;
  origin: Origin | undefined;
}

const API_URL_HELP =
  "set it to your DPoD API host: https://thales.na.market.dpondemand.io (North America) or " +
  "https://thales.eu.market.dpondemand.io (Europe), or your tenant's own <tenant>.<region>.market.dpondemand.io " +
  "host (the address of the DPoD console you sign in to).";

function urlSchema(helpWhenMissing: string) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `is not set; ${helpWhenMissing}` : "must be text"),
    })
    .superRefine((text, ctx) => {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        ctx.addIssue({
          code: "custom",
          message: "is not an absolute URL (expected https://host[:port][/path]).",
        });
        return;
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        ctx.addIssue({ code: "custom", message: `uses ${url.protocol}//; use an https:// URL.` });
      }
      if (url.username || url.password) {
        ctx.addIssue({
          code: "custom",
          message: "must not contain a user name or password; use dpod:clientId and dpod:clientSecret.",
        });
      }
      if (url.search || url.hash) {
        ctx.addIssue({ code: "custom", message: "must not contain a query (?…) or fragment (#…)." });
      }
    });
}

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  "1": true,
  yes: true,
  false: false,
  "0": false,
  no: false,
};

const SettingsSchema = z.object({
  apiUrl: urlSchema(API_URL_HELP),
  tokenUrl: urlSchema(`leave it unset for ${DEFAULT_TOKEN_URL}.`),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  accessToken: z.string().optional(),
  allowInsecureHttp: z
    .union([z.boolean(), z.string()])
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || typeof value === "boolean") return value ?? false;
      const parsed = BOOLEAN_WORDS[value.trim().toLowerCase()];
      if (parsed === undefined) {
        ctx.addIssue({ code: "custom", message: "must be true or false." });
        return z.NEVER;
      }
      return parsed;
    }),
});

/**
 * Rules that involve more than one setting. Kept outside the zod object so they are reported even when
 * a field failed on its own: the user gets every problem in one message.
 */
function crossSettingIssues(
  input: Record<string, unknown>,
): Array<{ key: ConnectionSettingKey; message: string }> {
  const issues: Array<{ key: ConnectionSettingKey; message: string }> = [];
  const insecureAllowed =
    input.allowInsecureHttp === true ||
    (typeof input.allowInsecureHttp === "string" &&
      BOOLEAN_WORDS[input.allowInsecureHttp.toLowerCase()] === true);
  for (const key of ["apiUrl", "tokenUrl"] as const) {
    const text = input[key];
    if (typeof text !== "string" || !URL.canParse(text)) continue; // reported by the field schema
    const url = new URL(text);
    if (url.protocol === "http:" && !insecureAllowed && !isLoopbackHost(url.hostname)) {
      issues.push({
        key,
        message:
          "uses plain http:// to a host that is not loopback (127.0.0.0/8, localhost, ::1); use https://, " +
          "or set dpod:allowInsecureHttp (DPOD_ALLOW_INSECURE_HTTP) to true if you really mean it.",
      });
    }
  }
  const hasId = Boolean(input.clientId);
  const hasSecret = Boolean(input.clientSecret);
  if (hasId && !hasSecret) {
    issues.push({
      key: "clientSecret",
      message:
        "is not set, but dpod:clientId is; set the secret that was shown when the credential was created.",
    });
  } else if (hasSecret && !hasId) {
    issues.push({
      key: "clientId",
      message: "is not set, but dpod:clientSecret is; set the client id of the same credential.",
    });
  } else if (!hasId && !input.accessToken) {
    issues.push({
      key: "clientId",
      message:
        "no credential is configured: set dpod:clientId and dpod:clientSecret (DPOD_CLIENT_ID and " +
        "DPOD_CLIENT_SECRET) to a DPoD platform credential, or dpod:accessToken (DPOD_ACCESS_TOKEN) to a " +
        "bearer token.",
    });
  }
  return issues;
}

/** Resolves and validates the connection settings; throws one DpodConfigError listing every problem. */
export function resolveConnectionSettings(sources: ConnectionSettingSources): ConnectionSettings {
  const raw = {} as Record<ConnectionSettingKey, RawSetting>;
  for (const key of KEYS) raw[key] = pick(key, sources);
  if (raw.tokenUrl.value === undefined) raw.tokenUrl = { value: DEFAULT_TOKEN_URL, origin: "default" };

  const input: Record<string, unknown> = {};
  for (const key of KEYS) if (raw[key].value !== undefined) input[key] = raw[key].value;
  if (typeof sources.explicit?.allowInsecureHttp === "boolean") {
    input.allowInsecureHttp = sources.explicit.allowInsecureHttp;
  }

  const parsed = SettingsSchema.safeParse(input);
  const issues = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({
          key: issue.path[0] as ConnectionSettingKey,
          message: issue.message,
        }))),
    ...crossSettingIssues(input),
  ].sort((x, y) => KEYS.indexOf(x.key) - KEYS.indexOf(y.key));
  if (!parsed.success || issues.length > 0) {
    const problems: ConnectionSettingProblem[] = [];
    for (const issue of issues) {
      const key = issue.key;
      const origin = raw[key]?.origin;
      const from =
        origin && origin !== "default" && raw[key].value !== undefined ? ` (value from ${origin})` : "";
      problems.push({
        key,
        configKey: `dpod:${key}`,
        envVar: CONNECTION_ENV_VARS[key],
        problem: `${issue.message}${from}`,
      });
    }
    throw new DpodConfigError(problems);
  }

  const { apiUrl, tokenUrl, clientId, clientSecret, accessToken, allowInsecureHttp } = parsed.data;
  const settings: ConnectionSettings = { apiUrl: apiUrl.replace(/\/+$/, ""), tokenUrl, allowInsecureHttp };
  if (clientId && clientSecret) {
    settings.clientId = clientId;
    settings.clientSecret = clientSecret;
  }
  if (accessToken) settings.accessToken = accessToken;
  return settings;
}

const CREDENTIAL_KEYS: readonly ConnectionSettingKey[] = ["clientId", "clientSecret", "accessToken"];

/** Each source's non-empty value of `key`, trimmed, in precedence order. */
function candidates(key: ConnectionSettingKey, sources: ConnectionSettingSources): RawSetting[] {
  const explicit = sources.explicit?.[key];
  const all: Array<[Origin, unknown]> = [
    ["explicit", typeof explicit === "boolean" ? String(explicit) : explicit],
    ["stack config", sources.stackConfig?.(key)],
    ["environment", (sources.env ?? process.env)[CONNECTION_ENV_VARS[key]]],
  ];
  return all.flatMap(([origin, value]) =>
    typeof value === "string" && value.trim() !== "" ? [{ value: value.trim(), origin }] : [],
  );
}

/** The value of `key` by the precedence rules of the contract above. */
function pick(key: ConnectionSettingKey, sources: ConnectionSettingSources): RawSetting {
  const none: RawSetting = { value: undefined, origin: undefined };
  if (!CREDENTIAL_KEYS.includes(key)) return candidates(key, sources)[0] ?? none;
  const credentialOrigin = (["explicit", "stack config", "environment"] as const).find((origin) =>
    CREDENTIAL_KEYS.some((k) => candidates(k, sources).some((c) => c.origin === origin)),
  );
  return candidates(key, sources).find((c) => c.origin === credentialOrigin) ?? none;
}

/** The most requests one provider process may have in flight at once, when set (dpod:maxConcurrency). */
export const MAX_CONCURRENCY_LIMIT = 64;

/**
 * The provider's request concurrency: stack config `dpod:maxConcurrency`, then `DPOD_MAX_CONCURRENCY`;
 * undefined when neither is set (the client's default applies). Lower it to stay under a tenant's rate
 * limit, as a budget shared with other automation. Throws a DpodConfigError naming both places when the
 * value is not a whole number from 1 to MAX_CONCURRENCY_LIMIT.
 */
export function resolveMaxConcurrency(sources: {
  stackConfig?: (key: "maxConcurrency") => string | undefined;
  env?: NodeJS.ProcessEnv;
}): number | undefined {
  const raw = [sources.stackConfig?.("maxConcurrency"), (sources.env ?? process.env).DPOD_MAX_CONCURRENCY]
    .map((value) => value?.trim())
    .find((value) => value !== undefined && value !== "");
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 1 && value <= MAX_CONCURRENCY_LIMIT) return value;
  throw new DpodConfigError([
    {
      key: "maxConcurrency",
      configKey: "dpod:maxConcurrency",
      envVar: "DPOD_MAX_CONCURRENCY",
      problem: `must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT}.`,
    },
  ]);
}

/**
 * The dpod:adoptIdentical policy: whether a create refused with 409 takes over an existing user or group
 * that is identical to the declaration (what an interrupted `pulumi up` leaves behind). Stack config
 * `dpod:adoptIdentical`, then `DPOD_ADOPT_IDENTICAL`; false when neither is set. Throws a DpodConfigError
 * naming both places when the value is not true or false.
 */
export function resolveAdoptIdentical(sources: {
  stackConfig?: (key: "adoptIdentical") => string | undefined;
  env?: NodeJS.ProcessEnv;
}): boolean {
  const raw = [sources.stackConfig?.("adoptIdentical"), (sources.env ?? process.env).DPOD_ADOPT_IDENTICAL]
    .map((value) => value?.trim())
    .find((value) => value !== undefined && value !== "");
  if (raw === undefined) return false;
  const value = BOOLEAN_WORDS[raw.toLowerCase()];
  if (value !== undefined) return value;
  throw new DpodConfigError([
    {
      key: "adoptIdentical",
      configKey: "dpod:adoptIdentical",
      envVar: "DPOD_ADOPT_IDENTICAL",
      problem: "must be true or false.",
    },
  ]);
}

/** Where the CLI commands (adopt, doctor) read the secret of a --users-client-id credential. */
export const USERS_SECRET_VARIABLE = "DPOD_USERS_CLIENT_SECRET";

/** The connection flags every pulumi-dpod command takes (adopt, doctor). */
export interface CommandConnectionFlags {
  apiUrl?: string;
  tokenUrl?: string;
  /** The tenant credential's client id; its secret comes from DPOD_CLIENT_SECRET. */
  clientId?: string;
  /** A second, user-managing credential (api_spadmin); its secret comes from USERS_SECRET_VARIABLE. */
  usersClientId?: string;
}

/**
 * The tenant connection and the optional users connection of a CLI command: flags over the environment.
 * Secrets are read only from the environment, never from arguments (which other users can see). Throws a
 * DpodConfigError, or an Error naming USERS_SECRET_VARIABLE when --users-client-id has no secret.
 */
export function resolveCommandConnections(
  flags: CommandConnectionFlags,
  env: NodeJS.ProcessEnv,
): { tenant: ConnectionSettings; users: ConnectionSettings | undefined } {
  const urls = { apiUrl: flags.apiUrl, tokenUrl: flags.tokenUrl };
  const tenant = resolveConnectionSettings({
    // A --client-id takes its secret from DPOD_CLIENT_SECRET (the credential is taken as a unit).
    explicit: {
      ...urls,
      ...(flags.clientId === undefined
        ? {}
        : { clientId: flags.clientId, clientSecret: env.DPOD_CLIENT_SECRET }),
    },
    env,
  });
  if (flags.usersClientId === undefined) return { tenant, users: undefined };
  const secret = env[USERS_SECRET_VARIABLE];
  if (secret === undefined || secret === "") {
    throw new Error(
      `--users-client-id needs that credential's secret in the environment variable ${USERS_SECRET_VARIABLE} ` +
        `(secrets are never taken from arguments).`,
    );
  }
  const users = resolveConnectionSettings({
    explicit: { ...urls, clientId: flags.usersClientId, clientSecret: secret },
    env,
  });
  return { tenant, users };
}
