// Tenant-only quickstart: what a tenant administrator manages with the tenant's own api_appowner platform
// credential, and nothing else: a subscriber group, and a client credential for a CI pipeline bound to
// that group, whose secret is a Pulumi secret output. No service-provider credential is needed, because
// no User is declared (users need the service provider's api_spadmin credential).
//
// The credential comes from stack config dpod:clientId / dpod:clientSecret (or DPOD_CLIENT_ID /
// DPOD_CLIENT_SECRET); no resource sets a `connection`.
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();

const payments = new dpod.SubscriberGroup("payments", {
  name: "payments",
  description: "Payments team",
});

const ci = new dpod.ClientCredential("payments-ci", {
  name: "payments-ci",
  role: "dpod.tenant.api_appowner",
  // Bound to the group: the pipeline sees the payments group and its objects only.
  subscriberGroups: [payments.id],
  // Change the value and `pulumi up` resets the secret once; past 90 days it is reset anyway.
  rotationTriggers: { quarter: config.get("rotation") ?? "2026Q4" },
  rotateAfterDays: 90,
});

export const paymentsGroupId = payments.id;
export const ciClientId = ci.clientId;
export const ciClientSecret = ci.clientSecret; // a Pulumi secret
