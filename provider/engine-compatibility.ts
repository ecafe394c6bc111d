/**
 * Recognises a Pulumi CLI too old for the dynamic resources, so the user is told to upgrade instead of
 * being asked for settings they did set.
 *
 * Since Pulumi 3.139.0 the engine passes the stack configuration (dpod:*) to dynamic providers, and, in the
 * same change, sets PULUMI_PROJECT in every provider plugin's environment. A dynamic-provider process
 * without PULUMI_PROJECT was therefore started by an older CLI, which never passes dpod:* settings.
 */
import { DpodConfigError } from "./config";

/** The oldest Pulumi CLI this package supports: the oldest one its tests run on. */
export const MINIMUM_PULUMI_CLI = "3.248.0";

/** The first Pulumi CLI that passes stack configuration to dynamic providers. */
export const FIRST_CLI_PASSING_CONFIG = "3.139.0";

export function startedByOldEngine(env: NodeJS.ProcessEnv): boolean {
  return !env.PULUMI_PROJECT && !env.PULUMI_NODEJS_PROJECT;
}

/**
 * The error for missing connection settings: the settings' own problems, or, when the CLI is too old to
 * have passed the stack config, the upgrade the user needs (the environment variables still work).
 */
export function explainMissingSettings(error: DpodConfigError, env: NodeJS.ProcessEnv): Error {
  if (!startedByOldEngine(env)) return error;
  return new Error(
    `pulumi-dpod: this Pulumi CLI is older than ${FIRST_CLI_PASSING_CONFIG} and does not pass the stack ` +
      `configuration (dpod:*) to dynamic providers, so the connection settings cannot be read. pulumi-dpod ` +
      `needs Pulumi CLI ${MINIMUM_PULUMI_CLI} or later: upgrade the pulumi CLI (\`pulumi version\` shows ` +
      `yours). Until then, the DPOD_* environment variables work. (${error.problems.length} setting(s) missing ` +
      `or invalid: ${error.problems.map((p) => p.configKey).join(", ")}.)`,
  );
}
