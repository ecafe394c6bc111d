// A client credential for a deployment pipeline whose secret rotates two ways:
//   - by trigger: change `rotation` (any string, e.g. a date or a ticket number) and `pulumi up` resets the
//     secret once;
//   - by age: once the secret is older than `rotateAfterDays`, `pulumi preview` shows an update and a
//     scheduled `pulumi up` rotates it, with no code change.
// Either way the old secret stops working at once (DPoD keeps one secret per credential), so consumers must
// pick the new one up in the same run: see consumer/ for a stack that reads it through a stack reference.
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();

const deployer = new dpod.ClientCredential("deployer", {
  name: "deployer",
  role: "dpod.tenant.api_appowner",
  rotationTriggers: { rotation: config.get("rotation") ?? "initial" },
  rotateAfterDays: 90,
});

export const deployerClientId = deployer.clientId;
export const deployerClientSecret = deployer.clientSecret; // a Pulumi secret
export const deployerSecretCreatedAt = deployer.secretCreatedAt;
