/**
 * The gRPC and protobuf modules the native plugin speaks with, loaded from the installed @pulumi/pulumi:
 * its generated stubs (proto/*_pb) and the very copies of @grpc/grpc-js and google-protobuf they use, so
 * that messages built here are the ones the stubs serialize. Loaded on first use: the TypeScript SDK
 * never needs them.
 */
import { createRequire } from "node:module";
import type * as grpcJs from "@grpc/grpc-js";
import type * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import type * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import type * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import type * as anyPb from "google-protobuf/google/protobuf/any_pb";
import type * as emptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb";

export interface GrpcModules {
  grpc: typeof grpcJs;
  provider: typeof providerPb;
  providerGrpc: typeof providerGrpc;
  plugin: typeof pluginPb;
  engine: typeof enginePb;
  engineGrpc: typeof engineGrpc;
  Struct: typeof structPb.Struct;
  Empty: typeof emptyPb.Empty;
  Any: typeof anyPb.Any;
  /** google.rpc.Status, for structured error details. */
  Status: new () => {
    setCode(code: number): void;
    setMessage(message: string): void;
    addDetails(detail: anyPb.Any): void;
    serializeBinary(): Uint8Array;
  };
}

let loaded: GrpcModules | undefined;

export function grpcModules(): GrpcModules {
  if (loaded !== undefined) return loaded;
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
  loaded = {
    grpc: fromPulumi("@grpc/grpc-js"),
    provider: fromPulumi("./proto/provider_pb"),
    providerGrpc: fromPulumi("./proto/provider_grpc_pb"),
    plugin: fromPulumi("./proto/plugin_pb"),
    engine: fromPulumi("./proto/engine_pb"),
    engineGrpc: fromPulumi("./proto/engine_grpc_pb"),
    Struct: fromPulumi("google-protobuf/google/protobuf/struct_pb").Struct,
    Empty: fromPulumi("google-protobuf/google/protobuf/empty_pb").Empty,
    Any: fromPulumi("google-protobuf/google/protobuf/any_pb").Any,
    Status: fromPulumi("./proto/status_pb").Status,
  };
  return loaded;
}
