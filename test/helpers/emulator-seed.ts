/**
 * The emulator's default seed as e2e tests use it: the service-provider tenant, its child tenant, their
 * ready credentials by role, and the stack config that points a program's default connection at them.
 */
import type { EmulatorTenant, RunningEmulator } from "dpod-emulator";
import type { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { setDefaultConnection } from "../../scripts/lib/seeded-stack-config";

export type SeedCredential = EmulatorTenant["credentials"][number];

export interface Seed {
  serviceProvider: EmulatorTenant;
  /** The child tenant (kind "tenant"). */
  tenant: EmulatorTenant;
}

export function seedOf(emulator: RunningEmulator): Seed {
  const serviceProvider = emulator.tenants.find((t) => t.kind === "service-provider");
  const tenant = emulator.tenants.find((t) => t.kind === "tenant");
  if (!serviceProvider || !tenant)
    throw new Error("the emulator seed has no service provider and child tenant");
  return { serviceProvider, tenant };
}

export function credentialOf(owner: EmulatorTenant, role: string): SeedCredential {
  const found = owner.credentials.find((c) => c.role === role);
  if (!found) throw new Error(`the emulator seed has no ${role} credential in ${owner.name}`);
  return found;
}

/** The stack's default connection (dpod:*) set to the emulator and a credential: shared with the scripts. */
export { setDefaultConnection };

/**
 * The config the test programs read to manage users: the service-provider credential they pass as the
 * users' `connection` (spClientId, spClientSecret as a secret) and the child tenant they live in.
 */
export async function setUsersConfig(
  stack: PulumiStack,
  credential: { clientId: string; clientSecret: string },
  tenantId: string,
): Promise<void> {
  await stack.setConfig("spClientId", credential.clientId);
  await stack.setConfig("spClientSecret", credential.clientSecret, { secret: true });
  await stack.setConfig("tenantId", tenantId);
}
