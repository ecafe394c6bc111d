export * from "./client";
export * from "./config";
export * from "./resources";
export { dynamicRuntime, DynamicRuntime, type ResourceKind } from "./dynamic";
export {
  userProvider,
  subscriberGroupProvider,
  clientCredentialProvider,
  rotatingClientCredentialProvider,
} from "./dynamic-providers";
