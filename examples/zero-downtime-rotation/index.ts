// A client credential for a deployment pipeline that rotates without a moment of downtime.
// DPoD keeps one secret per credential, so a plain reset cuts off every consumer at once. A
// RotatingClientCredential holds two DPoD credentials (`deployer-a`, `deployer-b`) used in turn: each
// rotation gives the older one a fresh secret and makes it current, and the pair that was current keeps
// working until the next rotation. Consumers take `clientId` and `clientSecret` together (the client id
// alternates) and have one rotation interval to pick them up: see consumer/.
import * as pulumi from "@pulumi/pulumi";
import * as dpod from "pulumi-dpod";

const config = new pulumi.Config();

const deployer = new dpod.RotatingClientCredential("deployer", {
  name: "deployer",
  role: "dpod.tenant.api_appowner",
  rotationTriggers: { rotation: config.get("rotation") ?? "initial" },
  rotateAfterDays: 30,
  // A rotation that would reset the previous pair sooner than this after the last one fails preview
  // (default 24 hours): its consumers need time to pick up the current pair. 0 allows any rotation.
  minRotationIntervalHours: config.getNumber("minRotationIntervalHours"),
});

export const clientId = deployer.clientId;
export const clientSecret = deployer.clientSecret; // a Pulumi secret
export const secretCreatedAt = deployer.secretCreatedAt;
export const previousClientId = deployer.previousClientId;
export const previousClientSecret = deployer.previousClientSecret; // a Pulumi secret; works until the next rotation
export const previousSecretCreatedAt = deployer.previousSecretCreatedAt;
