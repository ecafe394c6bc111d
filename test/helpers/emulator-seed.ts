/**
 * The emulator's default seed as e2e tests use it: the service-provider tenant, its child tenant, their
 * ready credentials by role, and the stack config that points a program's default connection at them.
 */
import type { EmulatorTenant, RunningEmulator } from "dpod-emulator";
import type { PulumiStack } from "../../scripts/lib/pulumi-cli";

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

/** Sets the stack's default connection (dpod:*) to the emulator and this credential (its secret as a secret). */
export async function useDefaultConnection(
  stack: PulumiStack,
  emulator: RunningEmulator,
  credential: SeedCredential,
): Promise<void> {
  await stack.setConfig("dpod:apiUrl", emulator.url);
  await stack.setConfig("dpod:tokenUrl", emulator.tokenUrl);
  await stack.setConfig("dpod:clientId", credential.clientId);
  await stack.setConfig("dpod:clientSecret", credential.clientSecret, { secret: true });
}
