/**
 * The data functions' arguments: validated at the edge (the native plugin's invokes) and described once,
 * for the plugin schema and the SDKs generated from it. The TypeScript SDK's argument types derive from
 * these too.
 */
import { z } from "zod";
import { withDescriptions } from "../resources/common/validation";

const optionalText = z.string({ error: "must be a string" }).optional();

export const userLookupSchema = z.strictObject(
  withDescriptions(
    { id: optionalText, username: optionalText, tenantId: optionalText },
    {
      id: "The user id.",
      username: "The login email address (compared without regard to case).",
      tenantId: "A child tenant to look in (service-provider credentials).",
    },
  ),
);
export type UserLookup = z.output<typeof userLookupSchema>;

export const usersFilterSchema = z.strictObject(
  withDescriptions(
    {
      accountRole: optionalText,
      subscriberGroup: optionalText,
      usernameContains: optionalText,
      tenantId: optionalText,
    },
    {
      accountRole: "Only users with this account role (full or short form).",
      subscriberGroup: "Only members of this subscriber group id.",
      usernameContains: "Only users whose username contains this text (without regard to case).",
      tenantId: "A child tenant to list (service-provider credentials).",
    },
  ),
);
export type UsersFilter = z.output<typeof usersFilterSchema>;

export const currentUserArgsSchema = z.strictObject({});

export const subscriberGroupLookupSchema = z.strictObject(
  withDescriptions(
    { id: optionalText, name: optionalText },
    { id: "The group id.", name: "The exact group name." },
  ),
);
export type SubscriberGroupLookup = z.output<typeof subscriberGroupLookupSchema>;

export const subscriberGroupsFilterSchema = z.strictObject(
  withDescriptions(
    { nameContains: optionalText },
    { nameContains: "Only groups whose name contains this text (without regard to case)." },
  ),
);
export type SubscriberGroupsFilter = z.output<typeof subscriberGroupsFilterSchema>;

export const clientCredentialLookupSchema = z.strictObject(
  withDescriptions(
    { clientId: optionalText, name: optionalText, role: optionalText },
    {
      clientId: "The client id.",
      name: "The exact credential name.",
      role: "With name: only credentials of this role (full or short form).",
    },
  ),
);
export type ClientCredentialLookup = z.output<typeof clientCredentialLookupSchema>;

export const clientCredentialsFilterSchema = z.strictObject(
  withDescriptions(
    { role: optionalText, name: optionalText },
    {
      role: "Only credentials of this role (full or short form).",
      name: "Only credentials with exactly this name.",
    },
  ),
);
export type ClientCredentialsFilter = z.output<typeof clientCredentialsFilterSchema>;
