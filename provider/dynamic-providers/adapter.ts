/**
 * The serializable dynamic-provider objects: thin pulumi.dynamic.ResourceProvider objects that only route
 * to `dynamicRuntime` (../dynamic.ts) inside the dynamic-provider process.
 *
 * Pulumi serializes the provider object of every dynamic resource into the stack as `__provider`, twice
 * (inputs and outputs), and the engine rewrites the whole stack file after each step, so the size of that
 * text is paid N times per step. Each kind's object is therefore the entire `module.exports` of a module of
 * its own (user.ts, subscriber-group.ts, ...): when the package is installed under node_modules, Pulumi's
 * closure serializer recognizes a module export and writes a `require` of it (about 300 characters)
 * instead of the methods' source (about 3,000). The package exports each of these modules under its own
 * file path (`pulumi-dpod/dist/provider/dynamic-providers/user.js`): the serializer writes that path
 * whether or not it manages to map the file back to an export (it fails to when a directory above
 * node_modules has the package name in its own name, e.g. ~/pulumi-dpod-stacks), so the `require` in the
 * state resolves either way. Stacks keep these paths: they are a contract, like `pulumi-dpod/provider`, and
 * must not move. Where the package is not under node_modules (a linked checkout), the serializer copies
 * the methods by value, which is why they stay self-contained.
 *
 * Contract for the methods: each captures nothing but `kind` (a string) and calls
 * `require("pulumi-dpod/provider")` when it runs, never a relative path (a by-value copy runs from the
 * program's directory), so the code that runs is the installed package's and no credential, client or
 * setting can end up in the state. This module imports types only: the program process loads it with the
 * SDK and must not pay for the runtime.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../dynamic";

/** Builds the provider object for one resource kind. */
export function adapter(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      require("pulumi-dpod/provider").dynamicRuntime.configure(req);
    },
    async check(olds, news) {
      return require("pulumi-dpod/provider").dynamicRuntime.check(kind, olds, news);
    },
    async diff(id, olds, news) {
      return require("pulumi-dpod/provider").dynamicRuntime.diff(kind, id, olds, news);
    },
    async create(inputs) {
      return require("pulumi-dpod/provider").dynamicRuntime.create(kind, inputs);
    },
    async read(id, props) {
      return require("pulumi-dpod/provider").dynamicRuntime.read(kind, id, props);
    },
    async update(id, olds, news) {
      return require("pulumi-dpod/provider").dynamicRuntime.update(kind, id, olds, news);
    },
    async delete(id, props) {
      await require("pulumi-dpod/provider").dynamicRuntime.delete(kind, id, props);
    },
  };
}
