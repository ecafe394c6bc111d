// A consumer of the rotating credential: reads the current pair from the zero-downtime-rotation stack
// through a stack reference, so each `pulumi up` here delivers it (still a Pulumi secret) to wherever the
// application takes it from. The pair it delivered before keeps working until the producer's next
// rotation, so this stack must run at least once per rotation interval, at any time within it.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const rotation = new pulumi.StackReference(config.require("rotationStack"));

export const clientId = rotation.requireOutput("clientId");
export const clientSecret = rotation.requireOutput("clientSecret"); // stays secret
