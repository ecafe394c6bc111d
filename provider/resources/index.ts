/** The resource handlers and what adapters need around them (no Pulumi types here). */
export { subscriberGroupHandler } from "./subscriber-group/handler";
export { userHandler } from "./user/handler";
export { clientCredentialHandler } from "./client-credential/handler";
export { rotatingClientCredentialHandler } from "./rotating-client-credential/handler";
export type { ResourceHandler, HandlerContext, DiffOutcome, DpodApi } from "./common/lifecycle";
export { ResourcePartialStateError } from "./common/errors";
export { clockFromEnv } from "./common/clock";
export { ClientCache } from "./common/client-cache";
export type { ConnectionInput } from "./common/connection";
export type { SubscriberGroupInputs, SubscriberGroupState } from "./subscriber-group/schema";
export type { UserInputs, UserState } from "./user/schema";
export type { ClientCredentialInputs, ClientCredentialState } from "./client-credential/schema";
export type {
  RotatingClientCredentialInputs,
  RotatingClientCredentialState,
} from "./rotating-client-credential/schema";
