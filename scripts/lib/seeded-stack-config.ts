/**
 * Stack configuration for programs run against the emulator's default seed: a service-provider tenant and
 * its child tenant, each with ready credentials by role. The quickstart (`npm run demo`), the benchmark's
 * program and the install test's project read the same keys:
 * - the default connection (`dpod:apiUrl`, `dpod:tokenUrl`, `dpod:clientId`, `dpod:clientSecret`): the
 *   child tenant's api_appowner credential, for groups and client credentials;
 * - `spClientId`, `spClientSecret`: the service provider's api_spadmin credential, for users;
 * - `tenantId`: the child tenant the users are created in.
 * Client secrets are always set as secrets.
 */
import type { EmulatorTenant } from "dpod-emulator";
import type { PulumiStack } from "./pulumi-cli";

type Credential = EmulatorTenant["credentials"][number];

/** Where the emulator listens: what a connection needs besides a credential. */
export interface EmulatorEndpoints {
  url: string;
  tokenUrl: string;
}

/** The parts of the default seed these programs use; throws if the seed lacks one. */
export interface SeedCredentials {
  serviceProvider: EmulatorTenant;
  tenant: EmulatorTenant;
  /** The child tenant's api_appowner credential. */
  appOwner: Credential;
  /** The service provider's api_spadmin credential. */
  spAdmin: Credential;
}

export function seedCredentials(tenants: readonly EmulatorTenant[]): SeedCredentials {
  const serviceProvider = tenants.find((t) => t.kind === "service-provider");
  const tenant = tenants.find((t) => t.kind === "tenant");
  const spAdmin = serviceProvider?.credentials.find((c) => c.role === "dpod.tenant.api_spadmin");
  const appOwner = tenant?.credentials.find((c) => c.role === "dpod.tenant.api_appowner");
  if (!serviceProvider || !tenant || !spAdmin || !appOwner)
    throw new Error(
      "the emulator seed lacks a service provider with an api_spadmin credential or a child tenant with an api_appowner one",
    );
  return { serviceProvider, tenant, appOwner, spAdmin };
}

/** Sets the stack's default connection (`dpod:*`) to the emulator and this credential. */
export async function setDefaultConnection(
  stack: PulumiStack,
  emulator: EmulatorEndpoints,
  credential: Pick<Credential, "clientId" | "clientSecret">,
): Promise<void> {
  await stack.setConfig("dpod:apiUrl", emulator.url);
  await stack.setConfig("dpod:tokenUrl", emulator.tokenUrl);
  await stack.setConfig("dpod:clientId", credential.clientId);
  await stack.setConfig("dpod:clientSecret", credential.clientSecret, { secret: true });
}

/** Sets every key above for the emulator's default seed; returns the seed's parts it used. */
export async function configureForSeed(
  stack: PulumiStack,
  emulator: EmulatorEndpoints & { tenants: readonly EmulatorTenant[] },
): Promise<SeedCredentials> {
  const seed = seedCredentials(emulator.tenants);
  await setDefaultConnection(stack, emulator, seed.appOwner);
  await stack.setConfig("spClientId", seed.spAdmin.clientId);
  await stack.setConfig("spClientSecret", seed.spAdmin.clientSecret, { secret: true });
  await stack.setConfig("tenantId", seed.tenant.id);
  return seed;
}
