/**
 * The DPoD role names the rules look for, in the full form and the short form the provider also accepts
 * (docs/dpod-api-notes.md, "Credentials and roles"). A unit test holds them equal to the provider's.
 */
const PREFIX = "dpod.tenant.";

/** The full form of a role name given in either form. */
export function fullRole(role: string): string {
  const trimmed = role.trim();
  return trimmed.startsWith(PREFIX) ? trimmed : PREFIX + trimmed;
}

export const APPLICATION_OWNER_ROLE = "dpod.tenant.appowner";
export const SERVICE_PROVIDER_CREDENTIAL_ROLE = "dpod.tenant.api_spadmin";
