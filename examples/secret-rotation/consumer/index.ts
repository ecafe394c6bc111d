// A consumer of the rotated secret: reads the credential from the secret-rotation stack through a stack
// reference, so each `pulumi up` here delivers the current secret (still a Pulumi secret) to wherever the
// application takes it from. Run it right after the rotation stack's `pulumi up`.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const rotation = new pulumi.StackReference(config.require("rotationStack"));

export const clientId = rotation.requireOutput("deployerClientId");
export const clientSecret = rotation.requireOutput("deployerClientSecret"); // stays secret
