/**
 * Response shapes (docs/dpod-api-notes.md#resource-models): what a stored record looks like on the wire.
 *
 * - User: `email` repeats `username` (§5.6); `phoneNumber` and `emailHints` appear only when set; no password.
 * - ClientCredential: `clientId` is the id (no separate `id`, §5.4); `clientSecret` only from create and
 *   resetSecret.
 * - SubscriberGroup: `description` is always a string ("" when not set).
 * Roles are echoed in the form they were received.
 */
import type { CredentialRecord, SubscriberGroupRecord, UserRecord } from "./store";

export interface UserView {
  id: string;
  username: string;
  email: string;
  givenName: string;
  familyName: string;
  phoneNumber?: string;
  accountRole: string;
  subscriberGroups: string[];
  tenantId: string;
  verified: boolean;
  emailHints?: Record<string, unknown>;
  createdAt: string;
}

export interface CredentialView {
  clientId: string;
  clientSecret?: string;
  name: string;
  role: string;
  serviceIds: string[];
  subscriberGroups: string[];
  tenantId: string;
  createdAt: string;
  createdBy: string;
}

export interface SubscriberGroupView {
  id: string;
  name: string;
  description: string;
  tenantId: string;
  createdAt: string;
}

export function userView(user: UserRecord): UserView {
  const view: UserView = {
    id: user.id,
    username: user.username,
    email: user.username,
    givenName: user.givenName,
    familyName: user.familyName,
    accountRole: user.accountRole,
    subscriberGroups: [...user.subscriberGroups],
    tenantId: user.tenantId,
    verified: user.verified,
    createdAt: user.createdAt,
  };
  if (user.phoneNumber !== undefined) view.phoneNumber = user.phoneNumber;
  if (user.emailHints !== undefined) view.emailHints = { ...user.emailHints };
  return view;
}

/** @param clientSecret pass only from create and resetSecret */
export function credentialView(credential: CredentialRecord, clientSecret?: string): CredentialView {
  const view: CredentialView = {
    clientId: credential.clientId,
    name: credential.name,
    role: credential.role,
    serviceIds: [...credential.serviceIds],
    subscriberGroups: [...credential.subscriberGroups],
    tenantId: credential.tenantId,
    createdAt: credential.createdAt,
    createdBy: credential.createdBy,
  };
  if (clientSecret !== undefined) view.clientSecret = clientSecret;
  return view;
}

export function subscriberGroupView(group: SubscriberGroupRecord): SubscriberGroupView {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    tenantId: group.tenantId,
    createdAt: group.createdAt,
  };
}
