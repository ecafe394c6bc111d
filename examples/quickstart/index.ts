// Quickstart: a subscriber group, an application owner in it, and a CI client credential whose secret
// is a Pulumi secret output, rotated by changing the `rotation` config value.
//
// Two credentials, because DPoD splits the work by role: the tenant's own api_appowner credential (stack
// config dpod:clientId / dpod:clientSecret) manages subscriber groups and client credentials, and the
// service provider's api_spadmin credential (config spClientId / spClientSecret) manages users, here in the
// child tenant named by tenantId.
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const serviceProviderAdmin: dpod.ConnectionArgs = {
  clientId: config.require("spClientId"),
  clientSecret: config.requireSecret("spClientSecret"),
};

const ops = new dpod.SubscriberGroup("ops", { name: "ops", description: "Operations" });

const alice = new dpod.User("alice", {
  username: "alice@example.com",
  givenName: "Alice",
  familyName: "Doe",
  accountRole: "dpod.tenant.appowner",
  subscriberGroups: [ops.id],
  tenantId: config.require("tenantId"),
  connection: serviceProviderAdmin,
});

const ci = new dpod.ClientCredential("ci", {
  name: "ci-pipeline",
  role: "dpod.tenant.api_appowner",
  // Change the value (e.g. each quarter) and `pulumi up` resets the secret once.
  rotationTriggers: { quarter: config.get("rotation") ?? "2026Q4" },
});

export const opsGroupId = ops.id;
export const aliceUserId = alice.id;
export const ciClientId = ci.clientId;
export const ciClientSecret = ci.clientSecret; // a Pulumi secret
