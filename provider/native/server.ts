/**
 * The native plugin `pulumi-resource-dpod`: a Pulumi resource-provider gRPC server over the same
 * Pulumi-free handlers the dynamic SDK uses. It exists for what dynamic providers cannot do: every Pulumi
 * language, `pulumi import`, explicit provider instances, and diffs the engine can show in detail.
 *
 * Contract with the engine (Pulumi 3.248 and later):
 * - Configure takes the provider's inputs (the stack config `dpod:*` for the default provider, the
 *   arguments of an explicit `dpod.Provider`); settings missing there come from DPOD_* in the environment.
 *   It answers acceptSecrets and supportsPreview: secrets arrive wrapped, and every property map goes
 *   back through one rule (secrets.ts) that wraps the schema's secrets and whatever the call received as a
 *   secret; Create and Update are called in previews, where they make no API call.
 * - CheckConfig hands back the provider inputs with clientSecret and accessToken wrapped, also when given
 *   in plain. Invoke results are secret when any argument was.
 * - A check failure names its property to the engine only when the engine can print that property's
 *   value harmlessly (validation.ts `nameableProperty`); a secret's value is never printed.
 * - Diff answers a detailed diff: the changed inputs, and outputs that will change (a rotation shows
 *   `clientSecret`); replacements only where the handler says replace.
 * - Read returns outputs and inputs, also for `pulumi import`, which sends no properties; an import of
 *   an id that does not exist fails with a message naming it.
 * - Warnings reach the user through the engine's log (engine-log.ts), never stdout.
 */
import type * as grpcJs from "@grpc/grpc-js";
import type * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import type { ZodType } from "zod";
import { DpodClient, type ClientOptions, type ConnectionSettings } from "../client";
import { DpodConfigError } from "../config";
import {
  clientCredentialLookupSchema,
  clientCredentialsFilterSchema,
  currentUserArgsSchema,
  subscriberGroupLookupSchema,
  subscriberGroupsFilterSchema,
  userLookupSchema,
  usersFilterSchema,
} from "../functions/args";
import {
  currentUser,
  listClientCredentials,
  listSubscriberGroups,
  listUsers,
  lookupClientCredential,
  lookupSubscriberGroup,
  lookupUser,
  type LookupClient,
} from "../functions/lookups";
import { clockFromEnv } from "../resources/common/clock";
import { ClientCache } from "../resources/common/client-cache";
import { ResourcePartialStateError } from "../resources/common/errors";
import type { HandlerContext, ResourceHandler } from "../resources/common/lifecycle";
import { issuesToFailures, nameableProperty, type CheckFailure } from "../resources/common/validation";
import { containsUnknown, UNKNOWN, type PlainObject } from "../resources/common/values";
import { handlerContext } from "../resources/context";
import { JournalAccess } from "../resources/journal-access";
import { handlerFor, isResourceKind, type ResourceKind } from "../resources/registry";
import type { EngineLog } from "./engine-log";
import { grpcModules } from "./grpc";
import {
  providerConfigSchema,
  resolveProviderConfig,
  SECRET_CONFIG_KEYS,
  type ResolvedProviderConfig,
} from "./provider-config";
import { buildPackageSchema, kindOfToken, PACKAGE_NAME, type PackageSpec } from "./schema";
import { secretKeysFor, wrapSecrets } from "./secrets";
import { fromStruct, toStruct } from "./wire";

/** The resource type of a request: its type field, or the type part of its URN. */
/**
 * The outputs a rotation changes besides clientSecret, unknown in its preview: a RotatingClientCredential
 * also switches to its other credential, so its client id and previous pair change too.
 */
const ROTATED_OUTPUTS: Readonly<Record<ResourceKind, readonly string[]>> = {
  User: [],
  SubscriberGroup: [],
  ClientCredential: ["secretCreatedAt"],
  RotatingClientCredential: [
    "secretCreatedAt",
    "clientId",
    "currentSlot",
    "previousClientId",
    "previousClientSecret",
    "previousSecretCreatedAt",
  ],
};

function kindOf(type: string, urn: string): ResourceKind {
  const token = type || (urn.split("::")[2] ?? "").split("$").pop() || "";
  const kind = kindOfToken(token);
  if (kind === undefined || !isResourceKind(kind))
    throw new Error(`pulumi-dpod: unknown resource type "${token}"`);
  return kind;
}

/**
 * Check failures as the engine receives them. The engine prints `inputs[property]` beside a named
 * property, so the name is dropped (the reason still starts with it) when that value is a secret or absent.
 */
function checkFailures(
  failures: readonly CheckFailure[],
  inputs: PlainObject,
  secretKeys: ReadonlySet<string>,
): providerPb.CheckFailure[] {
  const { provider } = grpcModules();
  return failures.map((failure) => {
    const checkFailure = new provider.CheckFailure();
    checkFailure.setProperty(nameableProperty(failure.property, inputs, secretKeys) ? failure.property : "");
    checkFailure.setReason(failure.reason);
    return checkFailure;
  });
}

/**
 * The handlers accept a per-resource `connection` (the TypeScript SDK's); the native schema has none, so
 * one sent anyway is refused rather than silently ignored: settings come from the provider's config.
 */
type CheckResult = ReturnType<ResourceHandler["check"]>;

function withoutConnection(result: CheckResult, news: PlainObject): CheckResult {
  if (!("connection" in news)) return result;
  const failure: CheckFailure = {
    property: "connection",
    reason:
      "connection: not an input of the native plugin; set the connection on the dpod provider " +
      "(one provider per tenant or credential) instead",
  };
  return { ...result, failures: [...result.failures, failure] };
}

/** A handler's partial state with the names of its properties to send as secrets. */
class PartialStateFailure extends Error {
  constructor(
    readonly partial: ResourcePartialStateError,
    readonly secretKeys: readonly string[],
  ) {
    super(partial.message);
  }
}

/** A gRPC error the engine shows as the operation's failure; partial state travels as structured detail. */
function grpcError(error: unknown): Partial<grpcJs.StatusObject> {
  const { grpc, provider, Any, Status } = grpcModules();
  const message = error instanceof Error ? error.message : String(error);
  const metadata = new grpc.Metadata();
  if (error instanceof PartialStateFailure) {
    // The object exists, but a later step failed: the engine records it with these outputs.
    const detail = new provider.ErrorResourceInitFailed();
    detail.setId(error.partial.id);
    detail.setProperties(toStruct(error.partial.properties, error.secretKeys));
    detail.setReasonsList(error.partial.reasons);
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, metadata };
}

export interface NativeProviderOptions {
  version: string;
  log: EngineLog;
  env?: NodeJS.ProcessEnv;
  /** Builds the API client; tests inject one. */
  clientFactory?: (settings: ConnectionSettings, options: ClientOptions) => DpodClient;
}

type FunctionEntry = { args: ZodType; run: (client: LookupClient, args: never) => Promise<object> };

const FUNCTIONS: Record<string, FunctionEntry> = {
  getUser: { args: userLookupSchema, run: lookupUser },
  getUsers: { args: usersFilterSchema, run: listUsers },
  getCurrentUser: { args: currentUserArgsSchema, run: (client) => currentUser(client) },
  getSubscriberGroup: { args: subscriberGroupLookupSchema, run: lookupSubscriberGroup },
  getSubscriberGroups: { args: subscriberGroupsFilterSchema, run: listSubscriberGroups },
  getClientCredential: { args: clientCredentialLookupSchema, run: lookupClientCredential },
  getClientCredentials: { args: clientCredentialsFilterSchema, run: listClientCredentials },
};

export class NativeProvider {
  private readonly env: NodeJS.ProcessEnv;
  private readonly schema: PackageSpec;
  private readonly clients: ClientCache<DpodClient>;
  /** The provider inputs from Configure, secrets unwrapped. */
  private config: PlainObject = {};
  private resolved: ResolvedProviderConfig | undefined;
  private clock: (() => Date) | undefined;
  private readonly journals: JournalAccess;

  constructor(private readonly options: NativeProviderOptions) {
    this.env = options.env ?? process.env;
    this.journals = JournalAccess.fromEnvironment(this.env);
    this.schema = buildPackageSchema(options.version);
    const factory =
      options.clientFactory ?? ((settings, clientOptions) => new DpodClient(settings, clientOptions));
    this.clients = new ClientCache((settings) => factory(settings, this.resolvedConfig().clientOptions));
  }

  /** Runs a handler step; a partial state carries the properties to send as secrets with it. */
  private async step<T>(kind: ResourceKind, received: Iterable<string>[], run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ResourcePartialStateError) {
        throw new PartialStateFailure(error, [...secretKeysFor(this.schema, kind, ...received)]);
      }
      throw error;
    }
  }

  /** Resource properties on their way out, through the one secret rule (secrets.ts). */
  private wrap(kind: ResourceKind, props: PlainObject, ...received: Iterable<string>[]) {
    return wrapSecrets(this.schema, kind, props, ...received);
  }

  // ---- plugin and schema

  getPluginInfo(): pluginPb.PluginInfo {
    const info = new (grpcModules().plugin.PluginInfo)();
    info.setVersion(this.options.version);
    return info;
  }

  getSchema(request: providerPb.GetSchemaRequest): providerPb.GetSchemaResponse {
    if (request.getVersion() !== 0)
      throw new Error(`schema version ${request.getVersion()} is not supported`);
    const response = new (grpcModules().provider.GetSchemaResponse)();
    response.setSchema(JSON.stringify(this.schema));
    return response;
  }

  // ---- provider configuration

  checkConfig(request: providerPb.CheckRequest): providerPb.CheckResponse {
    const { provider } = grpcModules();
    const news = fromStruct(request.getNews());
    const config = withoutInternalKeys(news.value);
    const response = new provider.CheckResponse();
    // The credentials are secrets however they were given (a plain value in a program or in Pulumi.yaml).
    const secretKeys = new Set<string>([...news.secretKeys, ...SECRET_CONFIG_KEYS]);
    response.setInputs(toStruct(news.value, secretKeys));
    response.setFailuresList(checkFailures(this.configFailures(config), config, secretKeys));
    return response;
  }

  private configFailures(config: PlainObject): { property: string; reason: string }[] {
    const parsed = providerConfigSchema.safeParse(config);
    if (!parsed.success) return issuesToFailures(parsed.error.issues, config);
    if (containsUnknown(config)) return []; // known only during the update: checked then
    try {
      resolveProviderConfig(config, this.env);
      return [];
    } catch (error) {
      if (!(error instanceof DpodConfigError)) throw error;
      return error.problems.map((problem) => ({
        property: problem.key,
        reason: `${problem.configKey} (environment variable ${problem.envVar}): ${problem.problem}`,
      }));
    }
  }

  diffConfig(request: providerPb.DiffRequest): providerPb.DiffResponse {
    const { provider } = grpcModules();
    const olds = withoutInternalKeys(fromStruct(request.getOldInputs() ?? request.getOlds()).value);
    const news = withoutInternalKeys(fromStruct(request.getNews()).value);
    const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
      (key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
    );
    const response = new provider.DiffResponse();
    response.setChanges(
      changed.length > 0
        ? provider.DiffResponse.DiffChanges.DIFF_SOME
        : provider.DiffResponse.DiffChanges.DIFF_NONE,
    );
    response.setDiffsList(changed); // a new connection never replaces the objects
    return response;
  }

  configure(request: providerPb.ConfigureRequest): providerPb.ConfigureResponse {
    const args = request.getArgs();
    if (args !== undefined) {
      this.config = withoutInternalKeys(fromStruct(args).value);
    } else {
      // Older engines send only the flattened "dpod:config:<key>" variables.
      const prefix = `${PACKAGE_NAME}:config:`;
      this.config = {};
      request.getVariablesMap().forEach((value, key) => {
        if (key.startsWith(prefix)) this.config[key.slice(prefix.length)] = value;
      });
    }
    this.resolved = undefined;
    const response = new (grpcModules().provider.ConfigureResponse)();
    response.setAcceptsecrets(true);
    response.setSupportspreview(true);
    response.setAcceptresources(false);
    response.setAcceptoutputs(false);
    return response;
  }

  private resolvedConfig(): ResolvedProviderConfig {
    this.resolved ??= resolveProviderConfig(this.config, this.env);
    return this.resolved;
  }

  private now(): () => Date {
    this.clock ??= clockFromEnv(this.env, (message) => void this.options.log.log("warning", message));
    return this.clock;
  }

  /** The client for the provider's settings (the native schema has no per-resource `connection`). */
  private client(): DpodClient {
    return this.clients.get(this.resolvedConfig().settings);
  }

  /** The handler context for a call on `urn`; `withJournal` for a create or update (journal-access.ts). */
  private context(urn: string, withJournal = false): HandlerContext {
    const settings = this.resolvedConfig().settings;
    const warn = (message: string) => void this.options.log.log("warning", message, urn);
    return handlerContext({
      client: this.client(),
      now: this.now(),
      warn,
      adoptIdentical: this.resolvedConfig().adoptIdentical,
      urn,
      journal: withJournal ? this.journals.forCall(urn, settings.apiUrl, warn) : undefined,
    });
  }

  /**
   * The engine's graceful shutdown (SIGINT): it has recorded every create and update that returned, so
   * their create-journal entries go (main.ts calls this).
   */
  engineShutdown(): void {
    this.journals.shutdown();
  }

  // ---- resources

  /** The names of a resource's outputs, from the schema. */
  private outputKeys(kind: ResourceKind): string[] {
    return Object.keys(this.schema.resources[`${PACKAGE_NAME}:index:${kind}`]?.properties ?? {});
  }

  check(request: providerPb.CheckRequest): providerPb.CheckResponse {
    const { provider } = grpcModules();
    const kind = kindOf(request.getType(), request.getUrn());
    const olds = fromStruct(request.getOlds());
    const news = fromStruct(request.getNews());
    this.journals.checked(kind, request.getUrn(), olds.value);
    const result = withoutConnection(handlerFor(kind).check(olds.value, news.value), news.value);
    const response = new provider.CheckResponse();
    const inputs = result.failures.length > 0 ? news.value : result.inputs;
    response.setInputs(this.wrap(kind, inputs, news.secretKeys));
    response.setFailuresList(
      checkFailures(result.failures, news.value, secretKeysFor(this.schema, kind, news.secretKeys)),
    );
    return response;
  }

  diff(request: providerPb.DiffRequest): providerPb.DiffResponse {
    const { provider } = grpcModules();
    const kind = kindOf(request.getType(), request.getUrn());
    const olds = fromStruct(request.getOlds()).value;
    const news = fromStruct(request.getNews()).value;
    this.journals.shown(kind, request.getId(), olds, request.getUrn());
    const outcome = handlerFor(kind).diff(request.getId(), olds, news, this.now());
    for (const warning of outcome.warnings ?? [])
      void this.options.log.log("warning", warning, request.getUrn());
    const outputNames = new Set(this.outputKeys(kind));
    const inputNames = new Set(
      Object.keys(this.schema.resources[`${PACKAGE_NAME}:index:${kind}`]?.inputProperties ?? {}),
    );
    const response = new provider.DiffResponse();
    const { DiffChanges } = provider.DiffResponse;
    response.setChanges(outcome.changes ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE);
    response.setReplacesList(outcome.replaces);
    response.setDeletebeforereplace(outcome.deleteBeforeReplace);
    const changedInputs = outcome.changedKeys.filter((key) => inputNames.has(key));
    response.setDiffsList(changedInputs);
    const detailed = response.getDetaileddiffMap();
    for (const key of outcome.changedKeys) {
      const isInput = inputNames.has(key);
      if (!isInput && !outputNames.has(key)) continue;
      const propertyDiff = new provider.PropertyDiff();
      propertyDiff.setKind(
        outcome.replaces.includes(key)
          ? provider.PropertyDiff.Kind.UPDATE_REPLACE
          : provider.PropertyDiff.Kind.UPDATE,
      );
      propertyDiff.setInputdiff(isInput);
      detailed.set(key, propertyDiff);
    }
    response.setHasdetaileddiff(true);
    return response;
  }

  async create(request: providerPb.CreateRequest): Promise<providerPb.CreateResponse> {
    const { provider } = grpcModules();
    const kind = kindOf(request.getType(), request.getUrn());
    const { value: inputs, secretKeys } = fromStruct(request.getProperties());
    const response = new provider.CreateResponse();
    if (request.getPreview()) {
      // Nothing is created in a preview: the outputs known from the inputs, the rest unknown.
      response.setId("");
      response.setProperties(this.wrap(kind, this.knownOutputs(kind, inputs), secretKeys));
      return response;
    }
    const context = this.context(request.getUrn(), true);
    const { id, outs } = await this.step(kind, [secretKeys], () => handlerFor(kind).create(context, inputs));
    this.journals.returned(context.journal);
    response.setId(id);
    response.setProperties(this.wrap(kind, outs, secretKeys));
    return response;
  }

  /** The outputs a preview can know: inputs that are also outputs. */
  private knownOutputs(kind: ResourceKind, inputs: PlainObject): PlainObject {
    const outputs = new Set(this.outputKeys(kind));
    return Object.fromEntries(Object.entries(inputs).filter(([key]) => outputs.has(key)));
  }

  async read(request: providerPb.ReadRequest): Promise<providerPb.ReadResponse> {
    const { provider } = grpcModules();
    const kind = kindOf(request.getType(), request.getUrn());
    const { value: state, secretKeys: stateSecrets } = fromStruct(request.getProperties());
    const inputSecrets = fromStruct(request.getInputs()).secretKeys;
    const importing = Object.keys(state).length === 0;
    const id = request.getId();
    this.journals.shown(kind, id, state);
    const outcome = await handlerFor(kind).read(this.context(request.getUrn()), id, state);
    const response = new provider.ReadResponse();
    if (outcome.id === "") {
      if (importing)
        throw new Error(`${kind} ${id} does not exist in DPoD (or is not visible to this credential).`);
      response.setId("");
      return response;
    }
    response.setId(outcome.id);
    response.setProperties(this.wrap(kind, outcome.props ?? {}, stateSecrets, inputSecrets));
    response.setInputs(this.wrap(kind, outcome.inputs ?? {}, stateSecrets, inputSecrets));
    return response;
  }

  async update(request: providerPb.UpdateRequest): Promise<providerPb.UpdateResponse> {
    const { provider } = grpcModules();
    const kind = kindOf(request.getType(), request.getUrn());
    const { value: olds, secretKeys: oldSecrets } = fromStruct(request.getOlds());
    const { value: news, secretKeys: newSecrets } = fromStruct(request.getNews());
    const oldInputSecrets = fromStruct(request.getOldInputs()).secretKeys;
    const received = [newSecrets, oldSecrets, oldInputSecrets];
    const response = new provider.UpdateResponse();
    const handler = handlerFor(kind);
    if (request.getPreview()) {
      // The old outputs with the new inputs; outputs the update will change are unknown until it runs.
      const changing = handler.diff(request.getId(), olds, news, this.now()).changedKeys;
      const preview: PlainObject = { ...olds, ...this.knownOutputs(kind, news) };
      for (const key of changing)
        if (!(key in news) && this.outputKeys(kind).includes(key)) preview[key] = UNKNOWN;
      if (changing.includes("clientSecret")) for (const key of ROTATED_OUTPUTS[kind]) preview[key] = UNKNOWN;
      response.setProperties(this.wrap(kind, preview, ...received));
      return response;
    }
    this.journals.shown(kind, request.getId(), olds);
    const context = this.context(request.getUrn(), true);
    context.reads?.forget(request.getId()); // a read after this write must see it
    const { outs } = await this.step(kind, received, () =>
      handler.update(context, request.getId(), olds, news),
    );
    this.journals.returned(context.journal);
    response.setProperties(this.wrap(kind, outs, ...received));
    return response;
  }

  async delete(request: providerPb.DeleteRequest): Promise<void> {
    const kind = kindOf(request.getType(), request.getUrn());
    const state = fromStruct(request.getProperties()).value;
    this.journals.shown(kind, request.getId(), state);
    const context = this.context(request.getUrn());
    context.reads?.forget(request.getId());
    await handlerFor(kind).delete(context, request.getId(), state);
  }

  // ---- data functions

  async invoke(request: providerPb.InvokeRequest): Promise<providerPb.InvokeResponse> {
    const { provider } = grpcModules();
    const token = request.getTok();
    const name = token.startsWith(`${PACKAGE_NAME}:index:`)
      ? token.slice(`${PACKAGE_NAME}:index:`.length)
      : "";
    const entry = FUNCTIONS[name];
    if (entry === undefined) throw new Error(`pulumi-dpod: unknown function "${token}"`);
    const { value: args, secretKeys } = fromStruct(request.getArgs());
    const response = new provider.InvokeResponse();
    const parsed = entry.args.safeParse(args);
    if (!parsed.success) {
      response.setFailuresList(checkFailures(issuesToFailures(parsed.error.issues, args), args, secretKeys));
      return response;
    }
    const result = (await entry.run(this.client(), parsed.data as never)) as PlainObject;
    // A lookup by a secret (a secret name, say) answers with what that secret selects: all of it secret.
    response.setReturn(toStruct(result, secretKeys.size > 0 ? Object.keys(result) : []));
    return response;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
    this.options.log.close();
  }
}

/** Keys the engine adds to provider inputs for its own use (e.g. "version", "pluginDownloadURL"). */
function withoutInternalKeys(config: PlainObject): PlainObject {
  const known = new Set(Object.keys(providerConfigSchema.shape));
  return Object.fromEntries(Object.entries(config).filter(([key]) => known.has(key)));
}

type Unary<Req, Res> = (call: grpcJs.ServerUnaryCall<Req, Res>, callback: grpcJs.sendUnaryData<Res>) => void;

function unary<Req, Res>(fn: (request: Req) => Res | Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(grpcError(error) as grpcJs.ServiceError, null),
      );
  };
}

/** The gRPC service implementation for `provider`: every method the plugin serves. */
export function serviceImplementation(provider: NativeProvider): grpcJs.UntypedServiceImplementation {
  const { Empty } = grpcModules();
  return {
    getPluginInfo: unary(() => provider.getPluginInfo()),
    getSchema: unary((request: providerPb.GetSchemaRequest) => provider.getSchema(request)),
    checkConfig: unary((request: providerPb.CheckRequest) => provider.checkConfig(request)),
    diffConfig: unary((request: providerPb.DiffRequest) => provider.diffConfig(request)),
    configure: unary((request: providerPb.ConfigureRequest) => provider.configure(request)),
    check: unary((request: providerPb.CheckRequest) => provider.check(request)),
    diff: unary((request: providerPb.DiffRequest) => provider.diff(request)),
    create: unary((request: providerPb.CreateRequest) => provider.create(request)),
    read: unary((request: providerPb.ReadRequest) => provider.read(request)),
    update: unary((request: providerPb.UpdateRequest) => provider.update(request)),
    delete: unary(async (request: providerPb.DeleteRequest) => {
      await provider.delete(request);
      return new Empty();
    }),
    invoke: unary((request: providerPb.InvokeRequest) => provider.invoke(request)),
    cancel: unary(() => new Empty()),
  } as grpcJs.UntypedServiceImplementation;
}
