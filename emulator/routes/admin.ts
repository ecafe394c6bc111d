/**
 * Emulator-only routes under /_emulator, outside the DPoD contract: fixtures (tenants, users, credentials,
 * user tokens), the outbox, the request log, fault injection, dialects, the clock and a state dump. Every route needs
 * the header `x-emulator-admin-key`; these requests are not counted in the request log and never faulted.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  checkNewUser,
  checkCredentialServices,
  checkRoleFitsTenant,
  checkSubscriberGroupsExist,
  requireCredentialRole,
} from "../business-rules";
import { rfc3339 } from "../clock";
import type { EmulatorContext } from "../context";
import { DIALECTS, DIALECT_NAMES, DialectError } from "../dialects";
import { ApiError } from "../errors";
import { FAULT_KINDS, FAULT_STATUSES, type FaultSpec } from "../faults";
import { ROLES_BY_TENANT_KIND, TEXT_LIMITS, canonicalAccountRole, unverifiedVariant } from "../field-rules";
import { addFixtureCredential, createFixtureTenant } from "../fixtures";
import { digestSecret, safeEqual } from "../secrets";
import type { TenantRecord, UserRecord } from "../store";
import { tokenScopes } from "../tokens";
import { boundedText, parseBody, uuidList, uuidText } from "../validation";
import { credentialView, subscriberGroupView, userView } from "../views";

export const ADMIN_PREFIX = "/_emulator";
export const ADMIN_KEY_HEADER = "x-emulator-admin-key";

const CreateTenantBody = z.strictObject({
  name: boundedText(TEXT_LIMITS.credentialName),
  parentId: uuidText.optional(),
});

const CreateUserBody = z.strictObject({
  tenantId: uuidText,
  username: boundedText(TEXT_LIMITS.username),
  accountRole: z.string(),
  givenName: boundedText(TEXT_LIMITS.givenName).optional(),
  familyName: boundedText(TEXT_LIMITS.familyName).optional(),
  subscriberGroups: uuidList.optional(),
  verified: z.boolean().optional(),
  password: boundedText(TEXT_LIMITS.password).optional(),
});

const CreateCredentialBody = z.strictObject({
  tenantId: uuidText,
  name: boundedText(TEXT_LIMITS.credentialName),
  role: z.string(),
  subscriberGroups: uuidList.optional(),
  serviceIds: uuidList.optional(),
});

const UserTokenBody = z.strictObject({ userId: uuidText });

const FaultBody = z
  .strictObject({
    route: z.string().min(1),
    kind: z.enum(FAULT_KINDS),
    status: z.union(FAULT_STATUSES.map((status) => z.literal(status))).optional(),
    retryAfter: z.string().min(1).max(64).optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(1).optional(),
  })
  .refine(
    (fault) => fault.kind !== "status" || fault.status !== undefined,
    "Field 'status' is required for kind status",
  )
  .refine(
    (fault) => (fault.kind !== "latency" && fault.kind !== "slow-response") || fault.latencyMs !== undefined,
    "Field 'latencyMs' is required for kinds latency and slow-response",
  );

const ClockBody = z.strictObject({ advanceSeconds: z.number().finite() });

const DialectsBody = z.strictObject({ dialects: z.array(z.string()) });

export function registerAdminRoutes(app: FastifyInstance, context: EmulatorContext): void {
  const { store, clock } = context;

  function requireTenant(tenantId: string): TenantRecord {
    const tenant = store.tenants.get(tenantId);
    if (!tenant) throw new ApiError(404, `Tenant ${tenantId} not found`);
    return tenant;
  }

  app.register(
    async (admin) => {
      admin.addHook("onRequest", async (request) => {
        const key = request.headers[ADMIN_KEY_HEADER];
        if (typeof key !== "string" || !safeEqual(key, context.adminKey)) {
          throw new ApiError(401, `Missing or wrong ${ADMIN_KEY_HEADER} header`);
        }
      });

      admin.post("/tenants", async (request, reply) => {
        const body = parseBody(CreateTenantBody, request.body);
        if (
          [...store.tenants.values()].some((tenant) => tenant.name.toLowerCase() === body.name.toLowerCase())
        ) {
          throw new ApiError(409, `A tenant named '${body.name}' already exists`);
        }
        if (body.parentId !== undefined && requireTenant(body.parentId).kind !== "service-provider") {
          throw new ApiError(400, "Field 'parentId' must name a service-provider tenant");
        }
        const tenant = createFixtureTenant(store, clock, body.name, body.parentId);
        store.commit();
        return reply.code(201).send(tenant);
      });

      admin.post("/users", async (request, reply) => {
        const body = parseBody(CreateUserBody, request.body);
        const tenant = requireTenant(body.tenantId);
        const subscriberGroups = body.subscriberGroups ?? [];
        checkNewUser(context, tenant, { ...body, subscriberGroups });
        const user: UserRecord = {
          id: randomUUID(),
          tenantId: tenant.id,
          username: body.username,
          givenName: body.givenName ?? "Test",
          familyName: body.familyName ?? "User",
          accountRole: body.accountRole,
          subscriberGroups,
          verified: body.verified ?? true,
          createdAt: rfc3339(clock.now()),
        };
        if (body.password !== undefined) user.password = digestSecret(body.password);
        store.putUser(user);
        store.commit();
        return reply.code(201).send(userView(user));
      });

      admin.post("/credentials", async (request, reply) => {
        const body = parseBody(CreateCredentialBody, request.body);
        const tenant = requireTenant(body.tenantId);
        const role = requireCredentialRole(body.role);
        checkRoleFitsTenant(role, ROLES_BY_TENANT_KIND[tenant.kind].credential, tenant);
        checkCredentialServices(role, body.serviceIds ?? []);
        checkSubscriberGroupsExist(context, tenant, body.subscriberGroups ?? []);
        const { credential, clientSecret } = addFixtureCredential(store, clock, {
          tenantId: tenant.id,
          name: body.name,
          role: body.role,
          subscriberGroups: body.subscriberGroups ?? [],
          serviceIds: body.serviceIds ?? [],
        });
        store.commit();
        return reply.code(201).send(credentialView(credential, clientSecret));
      });

      admin.post("/user-tokens", async (request) => {
        const body = parseBody(UserTokenBody, request.body);
        const user = store.users.get(body.userId);
        if (!user) throw new ApiError(404, `User ${body.userId} not found`);
        const role = canonicalAccountRole(user.accountRole) ?? user.accountRole;
        const roleScope = user.verified ? role : unverifiedVariant(role);
        return context.tokens.issueUserToken(
          user.id,
          user.username,
          user.tenantId,
          tokenScopes(user.tenantId, roleScope, user.subscriberGroups),
        );
      });

      admin.get("/outbox", async () => ({ messages: context.outbox.list() }));
      admin.delete("/outbox", async (_request, reply) => {
        context.outbox.clear();
        return reply.code(204).send();
      });

      admin.get("/requests", async () => context.requestLog.report());
      admin.delete("/requests", async (_request, reply) => {
        context.requestLog.reset();
        return reply.code(204).send();
      });

      admin.post("/faults", async (request, reply) => {
        const body: FaultSpec = parseBody(FaultBody, request.body);
        const fault = context.faults.add(body);
        return reply.code(201).send({ id: fault.id });
      });
      admin.get("/faults", async () => ({ faults: context.faults.list() }));
      admin.delete("/faults", async (_request, reply) => {
        context.faults.clear();
        return reply.code(204).send();
      });

      /** The active dialects, and every dialect with the assumption it contradicts. */
      const dialectsAnswer = () => ({
        active: context.dialects.list(),
        available: DIALECT_NAMES.map((name) => ({ name, ...DIALECTS[name] })),
      });
      admin.get("/dialects", async () => dialectsAnswer());
      /** Replaces the active dialects; an unknown or contradicting name is a 400 and changes nothing. */
      admin.put("/dialects", async (request) => {
        const body = parseBody(DialectsBody, request.body);
        try {
          context.dialects.replace(body.dialects);
        } catch (error) {
          if (error instanceof DialectError) throw new ApiError(400, `Field 'dialects': ${error.message}`);
          throw error;
        }
        return dialectsAnswer();
      });
      admin.delete("/dialects", async (_request, reply) => {
        context.dialects.replace([]);
        return reply.code(204).send();
      });

      admin.post("/clock", async (request) => {
        const body = parseBody(ClockBody, request.body);
        clock.advance(body.advanceSeconds);
        return { now: rfc3339(clock.now()), offsetSeconds: clock.offsetMs / 1000 };
      });

      /** Debug dump; secrets and password digests are left out. */
      admin.get("/state", async () => ({
        now: rfc3339(clock.now()),
        tenants: [...store.tenants.values()],
        users: [...store.users.values()].map(userView),
        subscriberGroups: [...store.subscriberGroups.values()].map(subscriberGroupView),
        credentials: [...store.credentials.values()].map((credential) => credentialView(credential)),
      }));
    },
    { prefix: ADMIN_PREFIX },
  );
}
