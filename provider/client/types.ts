/**
 * The objects the client returns, as the rest of the provider sees them. Wire variations (id vs
 * clientId, 200 vs 201) are resolved in endpoints/*.ts before values reach these types.
 *
 * Contract: an optional field is undefined exactly when DPoD's answer did not carry it (the key was
 * missing, or null for a text field). It is never filled with a default: DPoD's list items may be
 * summaries, and "not sent" must stay distinguishable from "empty" (resources/common/read-fields.ts
 * decides what a read may conclude from an absence).
 */

/** An OAuth client credential of a DPoD tenant (docs/dpod-api-notes.md#resource-models). */
export interface ClientCredential {
  /** The client id; also the `{id}` in this credential's paths. */
  clientId: string;
  name: string;
  /** Role scope, e.g. `dpod.tenant.api_appowner`. */
  role: string;
  /** Services a service credential is limited to; [] when none; undefined when DPoD did not send it. */
  serviceIds?: string[];
  /** Subscriber groups the credential is bound to; [] when none; undefined when DPoD did not send it. */
  subscriberGroups?: string[];
  tenantId?: string;
  createdAt?: string;
  createdBy?: string;
  /** Present only in the answers of create and resetSecret: DPoD keeps no copy. */
  clientSecret?: string;
}

/** A subscriber group: a set of application owners in a tenant (docs/dpod-api-notes.md#resource-models). */
export interface SubscriberGroup {
  id: string;
  name: string;
  description?: string;
  tenantId?: string;
  createdAt?: string;
}

/** A DPoD user account (docs/dpod-api-notes.md#resource-models). */
export interface User {
  id: string;
  /** The login, an email address. */
  username: string;
  email?: string;
  givenName?: string;
  familyName?: string;
  phoneNumber?: string;
  /** e.g. `dpod.tenant.admin`; DPoD echoes the form it was given. */
  accountRole?: string;
  /** [] when none; undefined when DPoD did not send it. */
  subscriberGroups?: string[];
  tenantId?: string;
  verified?: boolean;
  status?: string;
  createdAt?: string;
}
