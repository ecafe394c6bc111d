/**
 * Fixture tenants: the default seed of a fresh store and the tenants made through POST /_emulator/tenants.
 *
 * A service-provider tenant gets a primary SP admin and an api_spadmin credential; a child tenant gets a
 * primary tenant admin, an api_appowner credential and an api_service credential bound to a random service.
 * Fixture credentials keep their plain secret in the store so they can be listed again (see store.ts).
 */
import { randomUUID } from "node:crypto";
import { rfc3339, type EmulatorClock } from "./clock";
import type { TenantKind } from "./field-rules";
import { SCOPES } from "./scope-matrix";
import { digestSecret, generateClientSecret } from "./secrets";
import type { CredentialRecord, EmulatorStore, TenantRecord, UserRecord } from "./store";

/** A tenant as the CLI prints it and startEmulator returns it. */
export interface EmulatorTenant {
  id: string;
  name: string;
  kind: TenantKind;
  parentId: string | null;
  primaryAdmin: { id: string; username: string };
  credentials: Array<{ clientId: string; clientSecret: string; role: string; tenantId: string }>;
}

export const DEFAULT_SEED = {
  serviceProviderName: "sp-tenant",
  childTenantName: "child-tenant",
} as const;

/** Who fixtures are "created by" in credential responses. */
export const FIXTURE_CREATOR = "dpod-emulator";

export interface FixtureCredentialInput {
  tenantId: string;
  name: string;
  role: string;
  subscriberGroups?: string[];
  serviceIds?: string[];
}

/** Adds a credential whose plain secret is kept for listing. Does not commit. */
export function addFixtureCredential(
  store: EmulatorStore,
  clock: EmulatorClock,
  input: FixtureCredentialInput,
): { credential: CredentialRecord; clientSecret: string } {
  const clientSecret = generateClientSecret();
  const credential: CredentialRecord = {
    clientId: randomUUID(),
    tenantId: input.tenantId,
    name: input.name,
    role: input.role,
    serviceIds: input.serviceIds ?? [],
    subscriberGroups: input.subscriberGroups ?? [],
    secret: digestSecret(clientSecret),
    fixtureSecret: clientSecret,
    createdAt: rfc3339(clock.now()),
    createdBy: FIXTURE_CREATOR,
  };
  store.credentials.set(credential.clientId, credential);
  return { credential, clientSecret };
}

/** A free primary-admin username for a tenant name, e.g. admin@sp-tenant.example. */
function primaryAdminUsername(store: EmulatorStore, tenantName: string): string {
  const slug =
    tenantName
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "tenant";
  let candidate = `admin@${slug}.example`;
  for (let suffix = 2; store.findUserByUsername(candidate); suffix += 1)
    candidate = `admin${suffix}@${slug}.example`;
  return candidate;
}

/**
 * Creates a tenant with its primary admin and its ready credentials. Does not commit.
 * @param parentId undefined for a service-provider tenant; the SP tenant's id for a child tenant
 */
export function createFixtureTenant(
  store: EmulatorStore,
  clock: EmulatorClock,
  name: string,
  parentId?: string,
): EmulatorTenant {
  const kind: TenantKind = parentId === undefined ? "service-provider" : "tenant";
  const createdAt = rfc3339(clock.now());
  const tenant: TenantRecord = {
    id: randomUUID(),
    name,
    kind,
    parentId: parentId ?? null,
    primaryAdminId: randomUUID(),
    serviceIds: kind === "tenant" ? [randomUUID()] : [],
    createdAt,
  };
  const admin: UserRecord = {
    id: tenant.primaryAdminId,
    tenantId: tenant.id,
    username: primaryAdminUsername(store, name),
    givenName: "Primary",
    familyName: "Administrator",
    accountRole: kind === "service-provider" ? SCOPES.spadmin : SCOPES.admin,
    subscriberGroups: [],
    verified: true,
    createdAt,
  };
  store.tenants.set(tenant.id, tenant);
  store.putUser(admin);
  if (kind === "service-provider") {
    addFixtureCredential(store, clock, {
      tenantId: tenant.id,
      name: `${name}-api-spadmin`,
      role: SCOPES.apiSpadmin,
    });
  } else {
    addFixtureCredential(store, clock, {
      tenantId: tenant.id,
      name: `${name}-api-appowner`,
      role: SCOPES.apiAppowner,
    });
    addFixtureCredential(store, clock, {
      tenantId: tenant.id,
      name: `${name}-api-service`,
      role: SCOPES.apiService,
      serviceIds: [...tenant.serviceIds],
    });
  }
  return describeTenant(store, tenant.id);
}

/** The default seed of a fresh store: one SP tenant and one child. Does not commit. */
export function seedDefaultTenants(store: EmulatorStore, clock: EmulatorClock): void {
  const serviceProvider = createFixtureTenant(store, clock, DEFAULT_SEED.serviceProviderName);
  createFixtureTenant(store, clock, DEFAULT_SEED.childTenantName, serviceProvider.id);
}

/** A tenant with its primary admin and the fixture credentials that still exist. */
export function describeTenant(store: EmulatorStore, tenantId: string): EmulatorTenant {
  const tenant = store.tenants.get(tenantId);
  if (!tenant) throw new Error(`No tenant ${tenantId}`);
  const admin = store.users.get(tenant.primaryAdminId);
  return {
    id: tenant.id,
    name: tenant.name,
    kind: tenant.kind,
    parentId: tenant.parentId,
    primaryAdmin: { id: tenant.primaryAdminId, username: admin?.username ?? "" },
    credentials: store
      .credentialsOf(tenant.id)
      .filter((credential) => credential.fixtureSecret !== undefined)
      .map((credential) => ({
        clientId: credential.clientId,
        clientSecret: credential.fixtureSecret ?? "",
        role: credential.role,
        tenantId: credential.tenantId,
      })),
  };
}

/** Every tenant in creation order (so the default seed lists the SP tenant first, then its child). */
export function describeAllTenants(store: EmulatorStore): EmulatorTenant[] {
  return [...store.tenants.keys()].map((tenantId) => describeTenant(store, tenantId));
}
