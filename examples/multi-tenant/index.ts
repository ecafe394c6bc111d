// One program, two credentials, no default connection needed:
//   - the service provider's api_spadmin credential creates users: its own SP administrators, and users
//     of a child tenant (tenantId);
//   - the child tenant's api_appowner credential manages that tenant's subscriber groups and credentials.
// Each resource names its connection; secrets in connections are kept as Pulumi secrets.
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const apiUrl = config.require("apiUrl");
const tokenUrl = config.require("tokenUrl");

const serviceProvider: dpod.ConnectionArgs = {
  apiUrl,
  tokenUrl,
  clientId: config.require("spClientId"),
  clientSecret: config.requireSecret("spClientSecret"),
};
const childTenant: dpod.ConnectionArgs = {
  apiUrl,
  tokenUrl,
  clientId: config.require("tenantClientId"),
  clientSecret: config.requireSecret("tenantClientSecret"),
};
const childTenantId = config.require("tenantId");

// A second administrator of the service-provider tenant itself.
const spOperator = new dpod.User("sp-operator", {
  username: "operator@sp.example.com",
  givenName: "Sam",
  familyName: "Operator",
  accountRole: "dpod.tenant.spadmin",
  connection: serviceProvider,
});

// The child tenant's own objects, with its own credential.
const analytics = new dpod.SubscriberGroup("analytics", {
  name: "analytics",
  description: "Analytics team",
  connection: childTenant,
});
const analyticsService = new dpod.ClientCredential("analytics-service", {
  name: "analytics-service",
  role: "dpod.tenant.api_appowner",
  subscriberGroups: [analytics.id],
  rotateAfterDays: 90,
  connection: childTenant,
});

// Users of the child tenant, created by the service provider.
const tenantAdmin = new dpod.User("tenant-admin", {
  username: "admin2@child.example.com",
  givenName: "Taylor",
  familyName: "Admin",
  accountRole: "dpod.tenant.admin",
  tenantId: childTenantId,
  connection: serviceProvider,
  // Set to a new value (e.g. a ticket number) and the next `pulumi up` resets the password once; the
  // temporary password is exported below as a secret, for the helpdesk to hand over.
  resetPasswordTrigger: config.get("resetTenantAdminPassword"),
  // Likewise for the user's MFA token: they must register MFA again at the next sign-in.
  resetMfaTrigger: config.get("resetTenantAdminMfa"),
});
const analyst = new dpod.User("analyst", {
  username: "analyst@child.example.com",
  givenName: "Ana",
  familyName: "Lyst",
  accountRole: "dpod.tenant.appowner",
  subscriberGroups: [analytics.id],
  tenantId: childTenantId,
  connection: serviceProvider,
});

export const spOperatorId = spOperator.id;
export const tenantAdminId = tenantAdmin.id;
export const tenantAdminTemporaryPassword = tenantAdmin.temporaryPassword; // a Pulumi secret
export const analystId = analyst.id;
export const analyticsClientId = analyticsService.clientId;
export const analyticsClientSecret = analyticsService.clientSecret; // a Pulumi secret
