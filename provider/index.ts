export * from "./client";
export * from "./config";
export * from "./resources";
export {
  dynamicRuntime,
  DynamicRuntime,
  userProvider,
  subscriberGroupProvider,
  clientCredentialProvider,
  rotatingClientCredentialProvider,
  type ResourceKind,
} from "./dynamic";
