// The exact proof of a ClientCredential create: a temporary name unique to the resource (its URN) and the
// attempt, then a rename. What a lost answer, an interrupted run, a foreign credential, a shifting list page
// and concurrent creates can and cannot do.
import type { ClientCredential } from "../../../provider/client";
import { clientCredentialHandler } from "../../../provider/resources/client-credential/handler";
import {
  isTemporaryNameOf,
  newTemporaryName,
  TEMPORARY_NAME_HEAD,
  temporaryNameOwner,
} from "../../../provider/resources/client-credential/temporary-name";
import { ResourcePartialStateError } from "../../../provider/resources/common/errors";
import { rotatingClientCredentialHandler } from "../../../provider/resources/rotating-client-credential/handler";
import { FakeDpod, GROUP_A, PROVIDER } from "./fake-dpod";

const URN = "urn:pulumi:dev::tenant::pulumi-nodejs:dynamic/dpod:ClientCredential::ci";
const OTHER_STACK_URN = "urn:pulumi:prod::tenant::pulumi-nodejs:dynamic/dpod:ClientCredential::ci";
const inputs = { name: "ci", role: "dpod.tenant.api_appowner", __provider: PROVIDER };

function callsOf(dpod: FakeDpod, op: string): unknown[][] {
  return dpod.calls.filter((c) => c.op === op).map((c) => c.args);
}

describe("temporary names", () => {
  it("fit the name limit, use only lower-case letters, digits and hyphens, and name resource and attempt", () => {
    const owner = temporaryNameOwner(URN);
    const first = newTemporaryName(owner);
    const second = newTemporaryName(owner);
    expect(first).toMatch(/^[a-z0-9-]+$/);
    expect(first.length).toBeLessThanOrEqual(64);
    expect(first.startsWith(TEMPORARY_NAME_HEAD)).toBe(true);
    expect(first).not.toBe(second);
    expect(temporaryNameOwner(URN)).toBe(owner); // a later run of the same resource recognises it
    expect(isTemporaryNameOf(second, owner)).toBe(true);
    expect(isTemporaryNameOf(first, temporaryNameOwner(OTHER_STACK_URN))).toBe(false);
    expect(isTemporaryNameOf(`${first}x`, owner)).toBe(false);
    expect(isTemporaryNameOf("ci", owner)).toBe(false);
  });
});

describe("ClientCredential create proof", () => {
  it("creates under a temporary name of its URN, then renames; the real name is never POSTed", async () => {
    const dpod = new FakeDpod();
    const { id, outs } = await clientCredentialHandler.create(dpod.context(undefined, { urn: URN }), inputs);
    const [[body]] = callsOf(dpod, "credentials.create") as [[{ name: string }]];
    expect(isTemporaryNameOf(body.name, temporaryNameOwner(URN))).toBe(true);
    expect(callsOf(dpod, "credentials.update")).toEqual([[id, { name: "ci" }]]);
    expect(outs).toMatchObject({ name: "ci", clientSecret: "fake-secret-1" });
    expect(dpod.credentials.get(id)?.name).toBe("ci");
  });

  it("lost answer and a failed lookup: the next run takes over exactly its temporary-named credential", async () => {
    const dpod = new FakeDpod();
    const foreign = dpod.plantCredential("ci"); // someone else's, same name and role
    const elsewhere = dpod.plantCredential(newTemporaryName(temporaryNameOwner(OTHER_STACK_URN))); // another stack's create
    dpod.failNext("credentials.create", "lost-response", true);
    const list = dpod.api.credentials.list;
    let lists = 0;
    dpod.api.credentials.list = (query) => {
      lists += 1;
      if (lists === 2) throw new Error("network down"); // the recovery lookup fails
      return list(query);
    };
    await expect(
      clientCredentialHandler.create(dpod.context(undefined, { urn: URN }), inputs),
    ).rejects.toThrow(/may or may not have reached DPoD.*Looking it up afterwards failed too/);
    expect(dpod.credentials.size).toBe(3);

    // The next `pulumi up` (a new process, the same URN).
    const ctx = dpod.context(undefined, { urn: URN });
    const { id, outs } = await clientCredentialHandler.create(ctx, inputs);
    expect([foreign.clientId, elsewhere.clientId]).not.toContain(id);
    expect(callsOf(dpod, "credentials.create")).toHaveLength(1); // taken over, not created again
    expect(callsOf(dpod, "credentials.resetSecret")).toEqual([[id]]);
    expect(outs).toMatchObject({ name: "ci", clientSecret: expect.stringMatching(/^fake-secret-/) });
    expect(dpod.credentials.get(id)?.name).toBe("ci");
    expect(ctx.warnings).toEqual([
      expect.stringContaining(
        `took over credential ${id}, which an interrupted create of this resource left`,
      ),
    ]);
    // The foreign credentials are untouched: not reset, renamed nor deleted.
    expect(dpod.credentials.get(foreign.clientId)).toEqual(foreign);
    expect(dpod.credentials.get(elsewhere.clientId)).toEqual(elsewhere);
    expect(dpod.credentials.size).toBe(3);
  });

  it("killed between create and rename, several times: takes over one, deletes the others, no orphan", async () => {
    const dpod = new FakeDpod();
    const owner = temporaryNameOwner(URN);
    const left = [
      dpod.plantCredential(newTemporaryName(owner)),
      dpod.plantCredential(newTemporaryName(owner)),
    ];
    const stale = dpod.plantCredential(newTemporaryName(owner), { subscriberGroups: [GROUP_A] }); // program changed since
    const foreign = dpod.plantCredential("ci");
    const ctx = dpod.context(undefined, { urn: URN });
    const { id } = await clientCredentialHandler.create(ctx, inputs);
    expect(id).toBe(left[0]?.clientId);
    expect(callsOf(dpod, "credentials.create")).toEqual([]);
    expect(callsOf(dpod, "credentials.delete").flat().sort()).toEqual(
      [left[1]?.clientId, stale.clientId].sort(),
    );
    expect([...dpod.credentials.values()].map((c) => [c.clientId, c.name]).sort()).toEqual(
      [
        [id, "ci"],
        [foreign.clientId, "ci"],
      ].sort(),
    );
    expect(callsOf(dpod, "credentials.resetSecret")).toEqual([[id]]);
    expect(ctx.warnings.join("\n")).toContain("deleted 2 credential(s) that interrupted creates");
  });

  it("matches a leftover on its GET, not on a list item that lacks fields", async () => {
    const dpod = new FakeDpod();
    const left = dpod.plantCredential(newTemporaryName(temporaryNameOwner(URN)), {
      subscriberGroups: [GROUP_A],
    });
    const list = dpod.api.credentials.list;
    dpod.api.credentials.list = (query) =>
      (async function* () {
        for await (const { subscriberGroups: _omitted, ...summary } of list(query))
          yield summary as ClientCredential;
      })();
    const ctx = dpod.context(undefined, { urn: URN });
    const { id } = await clientCredentialHandler.create(ctx, { ...inputs, subscriberGroups: [GROUP_A] });
    expect(id).toBe(left.clientId);
    expect(callsOf(dpod, "credentials.get")).toEqual([[left.clientId]]);
    expect(callsOf(dpod, "credentials.delete")).toEqual([]);
  });

  it("creates anew, after deleting it, when its only leftover no longer matches the program", async () => {
    const dpod = new FakeDpod();
    const stale = dpod.plantCredential(newTemporaryName(temporaryNameOwner(URN)), {
      role: "dpod.tenant.api_service",
    });
    const { id } = await clientCredentialHandler.create(dpod.context(undefined, { urn: URN }), inputs);
    expect(id).not.toBe(stale.clientId);
    expect(dpod.credentials.has(stale.clientId)).toBe(false);
    expect(dpod.credentials.size).toBe(1);
  });

  it("never touches a foreign same-name credential, even when its own create was lost before DPoD acted", async () => {
    const dpod = new FakeDpod();
    const foreign = dpod.plantCredential("ci", { createdBy: "tester" }); // identical in every field, same creator
    dpod.failNext("credentials.create", "lost-response"); // lost before DPoD acted
    const ctx = dpod.context(undefined, { urn: URN });
    await expect(clientCredentialHandler.create(ctx, inputs)).rejects.toThrow(
      /No credential carries this attempt's temporary name pulumi-dpod-creating-[0-9a-f]{16}-[0-9a-f]{8}, so DPoD did not create it/,
    );
    expect(ctx.warnings).toEqual([
      expect.stringContaining(
        `other credential(s) with this name and role already exist in DPoD (${foreign.clientId})`,
      ),
    ]);
    expect(dpod.calls.map((c) => c.op)).toEqual([
      "credentials.list",
      "credentials.create",
      "credentials.list",
    ]);
    expect(dpod.credentials.get(foreign.clientId)).toEqual(foreign);
  });

  it("a page that shifts during the lookup cannot hand it another's credential", async () => {
    const dpod = new FakeDpod();
    const neighbour = dpod.plantCredential("ci");
    const neighbourCreate = dpod.plantCredential(newTemporaryName(temporaryNameOwner(OTHER_STACK_URN)));
    dpod.failNext("credentials.create", "lost-response", true);
    const list = dpod.api.credentials.list;
    let lists = 0;
    // The recovery's lookup sees a shifted page: its own credential skipped, the others repeated.
    dpod.api.credentials.list = (query) => {
      lists += 1;
      if (lists !== 2) return list(query);
      return (async function* () {
        for await (const credential of list(query)) {
          if (
            credential.clientId === neighbour.clientId ||
            credential.clientId === neighbourCreate.clientId
          ) {
            yield credential;
            yield credential;
          }
        }
      })();
    };
    const ctx = dpod.context(undefined, { urn: URN });
    await expect(clientCredentialHandler.create(ctx, inputs)).rejects.toThrow(/so DPoD did not create it/);
    expect(callsOf(dpod, "credentials.resetSecret")).toEqual([]);
    expect(callsOf(dpod, "credentials.update")).toEqual([]);
    expect(callsOf(dpod, "credentials.delete")).toEqual([]);

    // The next run sees the whole list and finishes its own create; the neighbours stay as they were.
    const { id } = await clientCredentialHandler.create(dpod.context(undefined, { urn: URN }), inputs);
    expect([neighbour.clientId, neighbourCreate.clientId]).not.toContain(id);
    expect(dpod.credentials.get(neighbour.clientId)).toEqual(neighbour);
    expect(dpod.credentials.get(neighbourCreate.clientId)).toEqual(neighbourCreate);
    expect(dpod.credentials.size).toBe(3);
  });

  it("a page that shifts during the list before the POST cannot hand it another's credential", async () => {
    const dpod = new FakeDpod();
    const neighbour = dpod.plantCredential("ci");
    const neighbourCreate = dpod.plantCredential(newTemporaryName(temporaryNameOwner(OTHER_STACK_URN)));
    const list = dpod.api.credentials.list;
    // The first list (before the POST) repeats one neighbour and skips the other, as a shifting page can.
    let lists = 0;
    dpod.api.credentials.list = (query) => {
      lists += 1;
      if (lists !== 1) return list(query);
      return (async function* () {
        for await (const credential of list(query)) {
          if (credential.clientId === neighbourCreate.clientId) yield* [credential, credential];
        }
      })();
    };
    const ctx = dpod.context(undefined, { urn: URN });
    const { id } = await clientCredentialHandler.create(ctx, inputs);
    expect([neighbour.clientId, neighbourCreate.clientId]).not.toContain(id);
    expect(callsOf(dpod, "credentials.create")).toHaveLength(1);
    expect(callsOf(dpod, "credentials.resetSecret")).toEqual([]);
    expect(callsOf(dpod, "credentials.update")).toEqual([[id, { name: "ci" }]]);
    expect(callsOf(dpod, "credentials.delete")).toEqual([]);
    expect(dpod.credentials.get(neighbour.clientId)).toEqual(neighbour);
    expect(dpod.credentials.get(neighbourCreate.clientId)).toEqual(neighbourCreate);
  });

  it("records a failed rename as partial state under the temporary name, with its secret; update renames", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context(undefined, { urn: URN });
    dpod.failNext("credentials.update", "server-error");
    const error = await clientCredentialHandler.create(ctx, inputs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourcePartialStateError);
    const partial = error as ResourcePartialStateError;
    expect(partial.properties).toMatchObject({
      name: expect.stringMatching(/^pulumi-dpod-creating-/),
      clientSecret: "fake-secret-1",
      __provider: PROVIDER,
    });
    expect(clientCredentialHandler.diff(partial.id, partial.properties, inputs, ctx.now).changedKeys).toEqual(
      ["name"],
    );
    const { outs } = await clientCredentialHandler.update(ctx, partial.id, partial.properties, inputs);
    expect(outs).toMatchObject({ name: "ci", clientSecret: "fake-secret-1" });
    expect(callsOf(dpod, "credentials.resetSecret")).toEqual([]);
  });

  it("serialises two creates of the same name and role in one process, not of different names", async () => {
    const dpod = new FakeDpod();
    const list = dpod.api.credentials.list;
    const events: string[] = [];
    dpod.api.credentials.list = (query) => {
      events.push("list");
      return list(query);
    };
    const update = dpod.api.credentials.update;
    dpod.api.credentials.update = async (id, patch) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`renamed ${patch.name}`);
      return update(id, patch);
    };
    const ctx = dpod.context();
    const other = { ...inputs, name: "other" };
    await Promise.all([
      clientCredentialHandler.create({ ...ctx, urn: `${URN}-1` }, inputs),
      clientCredentialHandler.create({ ...ctx, urn: `${URN}-2` }, inputs),
      clientCredentialHandler.create({ ...ctx, urn: `${URN}-3` }, other),
    ]);
    // The second "ci" lists only once the first is renamed; "other" does not wait.
    expect(events).toEqual(["list", "list", "renamed ci", "list", "renamed other", "renamed ci"]);
    expect([...dpod.credentials.values()].map((c) => c.name).sort()).toEqual(["ci", "ci", "other"]);
  });

  it("a failed create releases the lock for the next one", async () => {
    const dpod = new FakeDpod();
    dpod.failNext("credentials.create", "server-error");
    const ctx = dpod.context();
    const results = await Promise.allSettled([
      clientCredentialHandler.create(ctx, inputs),
      clientCredentialHandler.create(ctx, inputs),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
  });
});

describe("RotatingClientCredential slots", () => {
  const ROTATING_URN =
    "urn:pulumi:dev::tenant::pulumi-nodejs:dynamic/dpod:RotatingClientCredential::deployer";
  const rotating = {
    name: "deployer",
    role: "dpod.tenant.api_appowner",
    subscriberGroups: [GROUP_A],
    rotationTriggers: { round: "1" },
  };

  it("gives its two slots distinct temporary names, and a slot takes over only its own leftover", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context(undefined, { urn: ROTATING_URN });
    const created = await rotatingClientCredentialHandler.create(ctx, rotating);
    await rotatingClientCredentialHandler.update(ctx, created.id, created.outs, {
      ...rotating,
      rotationTriggers: { round: "2" },
    });
    const owners = (callsOf(dpod, "credentials.create") as [{ name: string }][]).map(([body]) =>
      body.name.slice(TEMPORARY_NAME_HEAD.length, TEMPORARY_NAME_HEAD.length + 16),
    );
    expect(owners).toHaveLength(2);
    expect(owners[0]).not.toBe(owners[1]);
    expect(owners[0]).toBe(temporaryNameOwner(`${ROTATING_URN}#slot-a`));
    expect(owners[1]).toBe(temporaryNameOwner(`${ROTATING_URN}#slot-b`));

    // Slot b of a new pair does not take slot a's leftover.
    const fresh = new FakeDpod();
    const leftA = fresh.plantCredential(newTemporaryName(temporaryNameOwner(`${ROTATING_URN}#slot-a`)), {
      subscriberGroups: [GROUP_A],
    });
    const pair = await rotatingClientCredentialHandler.create(
      fresh.context(undefined, { urn: ROTATING_URN }),
      rotating,
    );
    expect(pair.outs.clientId).toBe(leftA.clientId);
    const rotated = await rotatingClientCredentialHandler.update(
      fresh.context(undefined, { urn: ROTATING_URN }),
      pair.id,
      pair.outs,
      { ...rotating, rotationTriggers: { round: "2" } },
    );
    expect(rotated.outs.clientId).not.toBe(leftA.clientId);
    expect([...fresh.credentials.values()].map((c) => c.name).sort()).toEqual(["deployer-a", "deployer-b"]);
  });

  it("a slot whose rename failed is taken over by the next attempt, not left behind", async () => {
    const dpod = new FakeDpod();
    const ctx = dpod.context(undefined, { urn: ROTATING_URN });
    dpod.failNext("credentials.update", "server-error");
    await expect(rotatingClientCredentialHandler.create(ctx, rotating)).rejects.toThrow(
      /It keeps its temporary name and is not used; the next `pulumi up` takes it over/,
    );
    const [left] = [...dpod.credentials.values()];
    const { outs } = await rotatingClientCredentialHandler.create(ctx, rotating);
    expect(outs.clientId).toBe(left?.clientId);
    expect(dpod.credentials.size).toBe(1);
    expect(dpod.credentials.get(String(outs.clientId))?.name).toBe("deployer-a");
  });
});
