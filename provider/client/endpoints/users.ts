/**
 * Users, administered by a platform credential: /v1/users (docs/dpod-api-notes.md).
 * `tenantId` lets a service-provider credential act on a user of a child tenant (§4.7).
 */
import { z } from "zod";
import { apiPath, withQuery } from "../path";
import { iteratePages, type Page } from "../paging";
import type { ApiRequester } from "../request";
import type { User } from "../types";
import { compact, idList, optionalText, parseBody, parsePage, text } from "./wire";

export const UserWire = z
  .object({
    id: text,
    username: text,
    email: optionalText,
    givenName: optionalText,
    familyName: optionalText,
    phoneNumber: optionalText,
    accountRole: optionalText,
    subscriberGroups: idList,
    tenantId: optionalText,
    verified: z
      .boolean()
      .nullish()
      .transform((value) => value ?? undefined),
    status: optionalText,
    createdAt: optionalText,
  })
  .transform((wire): User => compact({ ...wire }));

/** docs/dpod-api-notes.md#account-flows: the field name is inferred; `password` is accepted as an alias. */
const TemporaryPasswordWire = z
  .object({ temporaryPassword: optionalText, password: optionalText })
  .refine((wire) => Boolean(wire.temporaryPassword ?? wire.password), {
    message: "no temporaryPassword in the answer",
    path: ["temporaryPassword"],
  })
  .transform((wire) => ({ temporaryPassword: (wire.temporaryPassword ?? wire.password) as string }));

export interface CreateUserBody {
  /** The login, an email address. */
  username: string;
  givenName: string;
  familyName: string;
  accountRole: string;
  phoneNumber?: string;
  /** Initial password; without it the user sets one through the email flow. */
  password?: string;
  /** Required (non-empty) for application owners. */
  subscriberGroups?: string[];
  /** Child tenant to create the user in (service-provider credentials). */
  tenantId?: string;
  emailHints?: Record<string, string>;
}

export interface TenantOption {
  /** Child tenant of the caller's tenant that holds the user. */
  tenantId?: string;
}

export interface UsersEndpoints {
  create(body: CreateUserBody): Promise<User>;
  /** Throws DpodNotFoundError on 404. */
  get(id: string, opts?: TenantOption): Promise<User>;
  list(opts?: TenantOption): AsyncIterable<User>;
  listPage(query?: { page?: number; size?: number; tenantId?: string }): Promise<Page<User>>;
  update(
    id: string,
    patch: { givenName?: string; familyName?: string; phoneNumber?: string },
    opts?: TenantOption,
  ): Promise<User>;
  /** DPoD refuses to delete a tenant's primary administrator (409). */
  delete(id: string, opts?: TenantOption): Promise<void>;
  /** Forces the user to register MFA again. */
  resetMfaToken(id: string, opts?: TenantOption): Promise<void>;
  /** Replaces the password with a generated temporary one, returned here (a secret). */
  resetPassword(id: string, opts?: TenantOption): Promise<{ temporaryPassword: string }>;
  /** Sends the user a new email-verification code (admin action). */
  sendVerification(id: string, opts?: TenantOption): Promise<void>;
}

export function usersEndpoints(requester: ApiRequester): UsersEndpoints {
  const listPage = async (
    query: { page?: number; size?: number; tenantId?: string } = {},
  ): Promise<Page<User>> => {
    const requested = { page: query.page ?? 0, size: query.size ?? 100 };
    const call = {
      operation: "listUsers" as const,
      path: withQuery("/v1/users", { ...requested, tenantId: query.tenantId }),
    };
    return parsePage(requester, call, await requester.call(call), UserWire, requested);
  };
  const userPath = (id: string, opts: TenantOption | undefined, suffix = ""): string =>
    withQuery(`${apiPath`/v1/users/${id}`}${suffix}`, { tenantId: opts?.tenantId });

  return {
    async create(body) {
      const call = { operation: "createUser" as const, path: "/v1/users", body };
      return parseBody(requester, call, await requester.call(call), UserWire);
    },
    async get(id, opts) {
      const call = { operation: "getUser" as const, path: userPath(id, opts) };
      return parseBody(requester, call, await requester.call(call), UserWire);
    },
    list(opts = {}) {
      return iteratePages((page, size) => listPage({ page, size, tenantId: opts.tenantId }));
    },
    listPage,
    async update(id, patch, opts) {
      const call = { operation: "editUserDetails" as const, path: userPath(id, opts), body: patch };
      return parseBody(requester, call, await requester.call(call), UserWire);
    },
    async delete(id, opts) {
      await requester.call({ operation: "deleteUser", path: userPath(id, opts) });
    },
    async resetMfaToken(id, opts) {
      await requester.call({ operation: "resetMfaToken", path: userPath(id, opts, "/resetMfaToken") });
    },
    async resetPassword(id, opts) {
      const call = { operation: "resetUserPassword" as const, path: userPath(id, opts, "/resetPassword") };
      const result = parseBody(requester, call, await requester.call(call), TemporaryPasswordWire);
      requester.registerSecret(result.temporaryPassword);
      return result;
    },
    async sendVerification(id, opts) {
      await requester.call({
        operation: "sendUserVerification",
        path: userPath(id, opts, "/sendVerification"),
      });
    },
  };
}
