/**
 * The dynamic-provider runtime: what the serialized provider objects (dynamic-providers/, one module per
 * kind; docs/architecture.md, "The lifecycle of a resource") call inside the dynamic-provider process, and
 * which only routes to the resource handlers (docs/architecture.md, "Layering").
 *
 * `dynamicRuntime` reads connection settings at call time, in this order (URLs one by one, the credential as
 * a unit; see resolveConnectionSettings): the resource's own `connection` input, then the stack config
 * (dpod:apiUrl, dpod:tokenUrl, dpod:clientId, dpod:clientSecret, dpod:accessToken, dpod:allowInsecureHttp)
 * received by `configure`, then the environment (DPOD_*). It keeps one DpodClient per distinct settings for
 * the life of the process.
 *
 * Provider-wide policy: dpod:adoptIdentical (DPOD_ADOPT_IDENTICAL), read with the connection settings; see
 * resources/common/recovery.ts.
 *
 * The engine gives dynamic providers no URN, so the TypeScript SDK sends it as the input `__urn`
 * (dynamic-providers/urn.ts, URN_KEY): it is taken out before any handler sees the inputs, kept in the
 * checked inputs, and handed to create and update as the context's urn, as the native plugin does.
 *
 * Credential creates and updates keep the create journal (resources/journal-access.ts) under
 * DPOD_CREATE_JOURNAL_DIR; the engine's graceful shutdown (SIGINT to the provider) clears the entries of
 * every create that returned.
 *
 * Testing aid: DPOD_PROVIDER_NOW with DPOD_ENABLE_TEST_CLOCK=true fixes the clock the handlers use, e.g. to
 * make a rotateAfterDays rotation due in an end-to-end test (resources/common/clock.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { DpodClient, type ClientOptions, type ConnectionSettings } from "./client";
import {
  DpodConfigError,
  resolveAdoptIdentical,
  resolveConnectionSettings,
  resolveMaxConcurrency,
} from "./config";
import { explainMissingSettings } from "./engine-compatibility";
import { ClientCache } from "./resources/common/client-cache";
import { connectionSchema } from "./resources/common/connection";
import type { HandlerContext } from "./resources/common/lifecycle";
import { clockFromEnv } from "./resources/common/clock";
import { takeUrn, URN_KEY } from "./dynamic-providers/urn";
import { isPlainObject, stripUndefined } from "./resources/common/values";
import { handlerContext } from "./resources/context";
import { JournalAccess } from "./resources/journal-access";
import { handlerFor, type ResourceKind } from "./resources/registry";

export type { ResourceKind };

type StackConfigKey =
  "apiUrl" | "tokenUrl" | "clientId" | "clientSecret" | "accessToken" | "allowInsecureHttp";

/** What `configure` receives: the whole stack config, namespaced keys ("dpod:apiUrl"). */
interface ConfigSource {
  get(key: string): string | undefined;
}

/** The journals the engine's graceful shutdown settles: one SIGINT listener for the whole process. */
const journalsToSettle = new Set<JournalAccess>();

/**
 * Settles `journals` when the engine ends this process gracefully (SIGINT, sent once it has recorded
 * every call that returned), then lets the signal end the process as Node does by default.
 */
function settleAtShutdown(journals: JournalAccess): void {
  if (journalsToSettle.size === 0) {
    process.once("SIGINT", () => {
      for (const each of journalsToSettle) each.shutdown();
      journalsToSettle.clear();
      process.kill(process.pid, "SIGINT");
    });
  }
  journalsToSettle.add(journals);
}

/**
 * The part of the provider that runs inside the dynamic-provider process. Exported for the adapters'
 * `require("pulumi-dpod/provider")` and for tests; not meant for programs.
 */
export class DynamicRuntime {
  private stackConfig: ConfigSource | undefined;
  private readonly clients: ClientCache<DpodClient>;
  /** Built on first use, so that an ignored test clock is reported once per process, not per call. */
  private clock: (() => Date) | undefined;
  private readonly journals: JournalAccess;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    clientFactory: (settings: ConnectionSettings, options: ClientOptions) => DpodClient = (
      settings,
      options,
    ) => new DpodClient(settings, options),
    private readonly warn: (message: string) => void = (message) => console.warn(message),
  ) {
    this.clients = new ClientCache((settings) => clientFactory(settings, this.clientOptions()));
    this.journals = JournalAccess.fromEnvironment(env);
  }

  /** Reads `dpod:<key>` from the stack config received by configure; undefined before configure ran. */
  private stackConfigValue(key: string): string | undefined {
    try {
      return this.stackConfig?.get(`dpod:${key}`);
    } catch {
      return undefined; // configure never ran with a config map: fall through to the environment
    }
  }

  /** Client tuning from stack config, then environment: today the request concurrency (dpod:maxConcurrency). */
  clientOptions(): ClientOptions {
    const maxConcurrency = resolveMaxConcurrency({
      stackConfig: (key) => this.stackConfigValue(key),
      env: this.env,
    });
    return maxConcurrency === undefined ? {} : { maxConcurrency };
  }

  private now(): () => Date {
    this.clock ??= clockFromEnv(this.env, this.warn);
    return this.clock;
  }

  configure(req: { config: ConfigSource }): void {
    this.stackConfig = req.config;
  }

  /** The settings for one resource: its `connection` input, then stack config, then environment. */
  settingsFor(props: unknown): ConnectionSettings {
    const raw = isPlainObject(props) ? props.connection : undefined;
    const parsed = raw === undefined ? undefined : connectionSchema.safeParse(raw);
    if (parsed !== undefined && !parsed.success) {
      throw new Error(
        "pulumi-dpod: the resource's `connection` input is invalid; run `pulumi preview` to see why.",
      );
    }
    try {
      return resolveConnectionSettings({
        explicit: parsed === undefined ? undefined : stripUndefined(parsed.data),
        stackConfig: (key: StackConfigKey) => this.stackConfigValue(key),
        env: this.env,
      });
    } catch (error) {
      throw error instanceof DpodConfigError ? explainMissingSettings(error, this.env) : error;
    }
  }

  /** The handler context; with `journalOf`, a create or update of that URN, with its journal view. */
  private context(props: unknown, journalOf?: { urn: string | undefined }): HandlerContext {
    const settings = this.settingsFor(props);
    const urn = journalOf?.urn;
    return handlerContext({
      client: this.clients.get(settings),
      now: this.now(),
      warn: this.warn,
      adoptIdentical: resolveAdoptIdentical({
        stackConfig: (key) => this.stackConfigValue(key),
        env: this.env,
      }),
      urn,
      journal: journalOf === undefined ? undefined : this.journals.forCall(urn, settings.apiUrl, this.warn),
    });
  }

  /**
   * A create or update returned: its journal entries go when the engine shuts this process down
   * gracefully (SIGINT, after recording every call that returned). Node's default SIGINT exit is kept.
   */
  private returned(context: HandlerContext): void {
    this.journals.returned(context.journal);
    if (this.journals.hasReturned) settleAtShutdown(this.journals);
  }

  /** Checks the inputs without the SDK's URN (URN_KEY), which it keeps in the checked inputs for create. */
  async check(kind: string, olds: unknown, news: unknown) {
    const { urn, props } = takeUrn(news);
    this.journals.checked(kind, urn, olds);
    const result = handlerFor(kind).check(olds, props);
    return urn === undefined ? result : { ...result, inputs: { ...result.inputs, [URN_KEY]: urn } };
  }

  async diff(kind: string, id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
    const { urn, props } = takeUrn(news);
    this.journals.shown(kind, id, olds, urn);
    const outcome = handlerFor(kind).diff(id, olds, props, this.now());
    for (const warning of outcome.warnings ?? []) this.warn(warning);
    return {
      changes: outcome.changes,
      replaces: outcome.replaces,
      deleteBeforeReplace: outcome.deleteBeforeReplace,
    };
  }

  async create(kind: string, news: unknown): Promise<pulumi.dynamic.CreateResult> {
    const { urn, props } = takeUrn(news);
    const context = this.context(props, { urn });
    const created = await handlerFor(kind).create(context, props);
    this.returned(context);
    return created;
  }

  async read(kind: string, id: string, props: unknown): Promise<pulumi.dynamic.ReadResult> {
    this.journals.shown(kind, id, props);
    return handlerFor(kind).read(this.context(props), id, props);
  }

  async update(kind: string, id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult> {
    const { urn, props } = takeUrn(news);
    this.journals.shown(kind, id, olds);
    const context = this.context(props, { urn });
    context.reads?.forget(id); // a read after this write must see it
    const updated = await handlerFor(kind).update(context, id, olds, props);
    this.returned(context);
    return updated;
  }

  async delete(kind: string, id: string, props: unknown): Promise<void> {
    this.journals.shown(kind, id, props);
    const context = this.context(props);
    context.reads?.forget(id);
    await handlerFor(kind).delete(context, id, props);
  }
}

/** The process-wide runtime the serialized providers call. */
export const dynamicRuntime = new DynamicRuntime();
