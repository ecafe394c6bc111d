// Tenant objects that must only change through this program. The CI job in drift-check.sh (wired into
// GitHub Actions by github-workflow.yml) fails as soon as someone changes them by hand in the DPoD UI.
import * as dpod from "pulumi-dpod";

const payments = new dpod.SubscriberGroup("payments", {
  name: "payments",
  description: "Payment services and their operators",
});

const paymentsBatch = new dpod.ClientCredential("payments-batch", {
  name: "payments-batch",
  role: "dpod.tenant.api_appowner",
  rotateAfterDays: 90,
});

export const paymentsGroupId = payments.id;
export const paymentsBatchClientId = paymentsBatch.clientId;
