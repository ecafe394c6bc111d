// The program whose state is recorded as a fixture for each release (npm run record:state-fixture): one of
// each resource with the inputs that shape the state (triggers, rotation, a per-resource connection, a
// password). The compatibility test refreshes, updates and destroys that state with the current package.
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();
const ops = new dpod.SubscriberGroup("ops", {
  name: "ops",
  description: config.get("opsDescription") ?? "Operations",
});
const alice = new dpod.User("alice", {
  username: "alice@example.com",
  givenName: config.get("aliceGivenName") ?? "Alice",
  familyName: "Doe",
  accountRole: "dpod.tenant.appowner",
  subscriberGroups: [ops.id],
  tenantId: config.require("tenantId"),
  password: config.requireSecret("alicePassword"),
  resetMfaTrigger: "initial",
  connection: {
    clientId: config.require("spClientId"),
    clientSecret: config.requireSecret("spClientSecret"),
  },
});
const ci = new dpod.ClientCredential("ci", {
  name: "ci-pipeline",
  role: "dpod.tenant.api_appowner",
  rotationTriggers: { round: config.get("rotation") ?? "1" },
  rotateAfterDays: 3650,
});

export const opsGroupId = ops.id;
export const aliceUserId = alice.id;
export const ciClientId = ci.clientId;
export const ciClientSecret = ci.clientSecret;
