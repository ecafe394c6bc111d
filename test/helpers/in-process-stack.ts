/**
 * A stack driven through the real dynamic-provider runtime (provider/dynamic.ts) in this process, with the
 * real client over HTTP, doing for each resource what the engine does with a dynamic provider: `up` checks
 * then creates, or diffs the old outputs with the checked inputs and updates; `refresh` reads every
 * resource at once (as the engine does, so reads are batched into list calls) and reports those whose
 * outputs changed or that are gone; `destroy` deletes in reverse order. It costs milliseconds per step
 * where the engine costs seconds, which is what lets a scenario run once per DPoD dialect.
 *
 * What it does not model: previews, program execution, state files, parallel creates. A diff asking for
 * a replacement is never carried out: it is reported as a RecreatePrompt, which a scenario treats as a
 * failure (the provider must never make a user choose between recreating accounts and stopping).
 */
import { isDeepStrictEqual } from "node:util";
import { DpodClient } from "../../provider/client";
import { DynamicRuntime, type ResourceKind } from "../../provider/dynamic";
import { ResourcePartialStateError } from "../../provider/resources/common/errors";
import { URN_KEY } from "../../provider/dynamic-providers/urn";
import type { PlainObject } from "../../provider/resources/common/values";
import { scratchJournalEnv } from "./scratch-journal";

/** What a program declares: a resource, its kind and its inputs (given the ids of those declared before). */
export interface Declaration {
  name: string;
  kind: ResourceKind;
  inputs: (ids: Record<string, string>) => PlainObject;
}

interface Recorded {
  kind: ResourceKind;
  id: string;
  inputs: PlainObject;
  outputs: PlainObject;
}

/** A diff that would replace a resource: the provider asked to recreate it. */
export class RecreatePrompt extends Error {}

const PROVIDER = "exports.handler = function () { /* serialized provider */ };";

/** The stack and project the URNs name (the SDK passes a credential's URN as an input, as the engine gives none). */
const URN_PREFIX = "urn:pulumi:in-process::dpod-dialects::pulumi-nodejs:dynamic/dpod:";

/** The inputs the SDK sends for a declaration: the program's, `__provider`, and a credential's URN. */
function sdkInputs(declaration: Declaration, ids: Record<string, string>): PlainObject {
  const urn =
    declaration.kind === "ClientCredential" || declaration.kind === "RotatingClientCredential"
      ? { [URN_KEY]: `${URN_PREFIX}${declaration.kind}::${declaration.name}` }
      : {};
  return { ...declaration.inputs(ids), __provider: PROVIDER, ...urn };
}

export class InProcessStack {
  private runtime: DynamicRuntime;
  private readonly clients: DpodClient[] = [];
  readonly state = new Map<string, Recorded>();
  readonly warnings: string[] = [];

  constructor(private env: Record<string, string>) {
    this.env = { ...scratchJournalEnv(), ...env };
    this.runtime = this.newRuntime();
  }

  /** A runtime as a fresh provider process has it: its own clients and list caches (one per command). */
  private newRuntime(): DynamicRuntime {
    return new DynamicRuntime(
      this.env,
      (settings, options) => {
        const client = new DpodClient(settings, options);
        this.clients.push(client);
        return client;
      },
      (message) => this.warnings.push(message),
    );
  }

  /** Changes the provider's environment (e.g. DPOD_ADOPT_IDENTICAL) for the commands that follow. */
  setEnv(name: string, value: string | undefined): void {
    const env = { ...this.env };
    if (value === undefined) delete env[name];
    else env[name] = value;
    this.env = env;
  }

  private async command<T>(run: (runtime: DynamicRuntime) => Promise<T>): Promise<T> {
    this.runtime = this.newRuntime();
    return run(this.runtime);
  }

  /** Brings the stack to `program`: creates, updates, and deletes what the program no longer declares. */
  up(program: readonly Declaration[]): Promise<void> {
    return this.command(async (runtime) => {
      const ids: Record<string, string> = {};
      for (const declaration of program) {
        const news = sdkInputs(declaration, ids);
        const old = this.state.get(declaration.name);
        const checked = await runtime.check(declaration.kind, old?.inputs ?? {}, news);
        if (checked.failures.length > 0) {
          throw new Error(
            `${declaration.name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
          );
        }
        if (old === undefined) {
          try {
            const created = await runtime.create(declaration.kind, checked.inputs);
            this.state.set(declaration.name, {
              kind: declaration.kind,
              id: created.id,
              inputs: checked.inputs,
              outputs: created.outs as PlainObject,
            });
          } catch (error) {
            // The engine records a partial state, then fails the step.
            if (error instanceof ResourcePartialStateError) {
              this.state.set(declaration.name, {
                kind: declaration.kind,
                id: error.id,
                inputs: checked.inputs,
                outputs: error.properties,
              });
            }
            throw error;
          }
        } else {
          const diff = await runtime.diff(declaration.kind, old.id, old.outputs, checked.inputs);
          if ((diff.replaces ?? []).length > 0) {
            throw new RecreatePrompt(`${declaration.name}: the provider asks to replace ${diff.replaces}`);
          }
          if (diff.changes) {
            const updated = await runtime.update(declaration.kind, old.id, old.outputs, checked.inputs);
            old.outputs = updated.outs as PlainObject;
          }
          old.inputs = checked.inputs;
        }
        ids[declaration.name] = this.state.get(declaration.name)!.id;
      }
      const declared = new Set(program.map((d) => d.name));
      for (const name of [...this.state.keys()].reverse()) {
        if (!declared.has(name)) await this.deleteOne(runtime, name);
      }
    });
  }

  /**
   * Reads every resource at once and records what DPoD answered; returns the names whose outputs changed
   * or that are gone, each with the output keys that changed.
   */
  refresh(): Promise<Record<string, string[]>> {
    return this.command(async (runtime) => {
      const entries = [...this.state.entries()];
      const reads = await Promise.all(
        entries.map(([, recorded]) => runtime.read(recorded.kind, recorded.id, recorded.outputs)),
      );
      const drifted: Record<string, string[]> = {};
      entries.forEach(([name, recorded], i) => {
        const read = reads[i]!;
        if (!read.id) {
          drifted[name] = ["(gone)"];
          this.state.delete(name);
          return;
        }
        const props = (read.props ?? {}) as PlainObject;
        const keys = new Set([...Object.keys(props), ...Object.keys(recorded.outputs)]);
        const changed = [...keys].filter((key) => !isDeepStrictEqual(props[key], recorded.outputs[key]));
        if (changed.length > 0) drifted[name] = changed.sort();
        recorded.outputs = props;
        if (read.inputs !== undefined) recorded.inputs = read.inputs as PlainObject;
      });
      return drifted;
    });
  }

  /** What `preview --refresh` reports: the refresh's drift, and the resources whose diff has changes. */
  async previewRefresh(program: readonly Declaration[]): Promise<string[]> {
    const drifted = new Set(Object.keys(await this.refresh()));
    await this.command(async (runtime) => {
      const ids: Record<string, string> = {};
      for (const declaration of program) {
        const old = this.state.get(declaration.name);
        if (old === undefined) {
          drifted.add(declaration.name);
          continue;
        }
        ids[declaration.name] = old.id;
        const news = sdkInputs(declaration, ids);
        const checked = await runtime.check(declaration.kind, old.inputs, news);
        const diff = await runtime.diff(declaration.kind, old.id, old.outputs, checked.inputs);
        if ((diff.replaces ?? []).length > 0) {
          throw new RecreatePrompt(`${declaration.name}: the provider asks to replace ${diff.replaces}`);
        }
        if (diff.changes) drifted.add(declaration.name);
      }
    });
    return [...drifted].sort();
  }

  destroy(): Promise<void> {
    return this.command(async (runtime) => {
      for (const name of [...this.state.keys()].reverse()) await this.deleteOne(runtime, name);
    });
  }

  private async deleteOne(runtime: DynamicRuntime, name: string): Promise<void> {
    const recorded = this.state.get(name)!;
    await runtime.delete(recorded.kind, recorded.id, recorded.outputs);
    this.state.delete(name);
  }

  /** The ids the stack holds, by resource name. */
  ids(): Record<string, string> {
    return Object.fromEntries([...this.state].map(([name, recorded]) => [name, recorded.id]));
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
  }
}
