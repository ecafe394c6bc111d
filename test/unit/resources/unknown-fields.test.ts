// What DPoD did not send is unknown, never empty: a refresh never records a value DPoD did not send, list
// items serve reads only when they carry what the read needs and agree with a GET, and a missing
// createdAt or createdBy proves nothing.
import { clientCredentialHandler } from "../../../provider/resources/client-credential/handler";
import { batchedReads } from "../../../provider/resources/common/list-reads";
import { rotatingClientCredentialHandler } from "../../../provider/resources/rotating-client-credential/handler";
import { subscriberGroupHandler } from "../../../provider/resources/subscriber-group/handler";
import { userHandler } from "../../../provider/resources/user/handler";
import { FakeDpod, GROUP_A, GROUP_B, PROVIDER } from "./fake-dpod";

const person = (i: number) => ({
  username: `person-${i}@example.com`,
  givenName: "Person",
  familyName: `Number ${i}`,
  accountRole: "dpod.tenant.appowner",
  subscriberGroups: [GROUP_A, GROUP_B],
  __provider: PROVIDER,
});

const credential = (i: number) => ({
  name: `svc-${i}`,
  role: "dpod.tenant.api_appowner",
  subscriberGroups: [GROUP_A],
  __provider: PROVIDER,
});

/** A context whose reads are served from lists, with the debug lines they write. */
function refreshing(dpod: FakeDpod) {
  const lines: string[] = [];
  const ctx = { ...dpod.context(), reads: batchedReads(dpod.api, (line) => lines.push(line)) };
  return { ctx, lines };
}

const writes = (dpod: FakeDpod) =>
  dpod.calls.filter((c) => /\.(create|update|delete|reset\w*|send\w*)$/.test(c.op)).map((c) => c.op);

describe("a list page that omits a field", () => {
  it("records no [] for users: each read falls back to GET and User list reads are switched off", async () => {
    const dpod = new FakeDpod();
    const created = await Promise.all([1, 2, 3].map((i) => userHandler.create(dpod.context(), person(i))));
    dpod.calls.length = 0;
    dpod.listOmits = ["subscriberGroups"];
    const { ctx, lines } = refreshing(dpod);

    const reads = await Promise.all(created.map(({ id, outs }) => userHandler.read(ctx, id, outs)));
    for (const read of reads) {
      expect(read.props?.subscriberGroups).toEqual([GROUP_A, GROUP_B].sort());
      expect(read.inputs?.subscriberGroups).toEqual([GROUP_A, GROUP_B].sort());
    }
    expect(dpod.count("users.listPage")).toBe(1);
    expect(dpod.count("users.get")).toBe(3);
    expect(lines).toEqual([
      "list reads of User switched off for this process: a listed item differs from a GET of the same " +
        "object in subscriberGroups. Every read of this kind is a GET.",
    ]);

    // A later refresh batch in the same process lists no more.
    await Promise.all(created.map(({ id, outs }) => userHandler.read(ctx, id, outs)));
    expect(dpod.count("users.listPage")).toBe(1);
    expect(dpod.count("users.get")).toBe(6);
    expect(lines).toHaveLength(1);
    expect(writes(dpod)).toEqual([]);
  });

  it("records no [] for credentials either; other kinds keep their list reads", async () => {
    const dpod = new FakeDpod();
    const creds = [];
    for (const i of [1, 2]) creds.push(await clientCredentialHandler.create(dpod.context(), credential(i)));
    const groups = await Promise.all(
      ["ops", "dev"].map((name) => subscriberGroupHandler.create(dpod.context(), { name, description: "d" })),
    );
    dpod.listOmits = ["serviceIds"];
    const { ctx, lines } = refreshing(dpod);

    const credReads = await Promise.all(
      creds.map(({ id, outs }) => clientCredentialHandler.read(ctx, id, outs)),
    );
    expect(credReads.map((r) => r.props?.serviceIds)).toEqual([[], []]);
    expect(credReads.map((r) => r.props?.subscriberGroups)).toEqual([[GROUP_A], [GROUP_A]]);
    expect(dpod.count("credentials.get")).toBe(2);
    const groupReads = await Promise.all(
      groups.map(({ id, outs }) => subscriberGroupHandler.read(ctx, id, outs)),
    );
    expect(groupReads.map((r) => r.props?.name)).toEqual(["ops", "dev"]);
    expect(dpod.count("groups.get")).toBe(1); // the one GET that checks the group list
    expect(lines).toEqual([
      expect.stringMatching(/^list reads of ClientCredential switched off .* in serviceIds\./),
    ]);
  });
});

describe("a GET that lacks a field the state needs", () => {
  it("stops a user's refresh with an error naming the field and the assumption, recording nothing", async () => {
    const dpod = new FakeDpod();
    const { id, outs } = await userHandler.create(dpod.context(), person(1));
    dpod.neverSends = ["subscriberGroups"];
    dpod.calls.length = 0;
    await expect(userHandler.read(dpod.context(), id, outs)).rejects.toThrow(
      new RegExp(
        `DPoD's answer for User ${id} carries no subscriberGroups\\. The provider assumes DPoD always ` +
          `sends a User's subscriberGroups .*never records a value DPoD did not send, so nothing was recorded`,
      ),
    );
    expect(dpod.calls.map((c) => c.op)).toEqual(["users.get"]);
  });

  it.each([
    ["ClientCredential", ["serviceIds", "subscriberGroups"]],
    ["RotatingClientCredential", ["serviceIds"]],
  ])("stops a %s refresh the same way", async (kind, missing) => {
    const dpod = new FakeDpod();
    const handler = kind === "ClientCredential" ? clientCredentialHandler : rotatingClientCredentialHandler;
    const { id, outs } = await handler.create(dpod.context(), credential(1));
    dpod.neverSends = missing;
    await expect(handler.read(dpod.context(), id, outs)).rejects.toThrow(
      `carries no ${missing.join(", ")}. The provider assumes DPoD always sends a ClientCredential's`,
    );
  });

  it("stops a group's refresh without a name, but reads a missing description as none (DPoD's reading)", async () => {
    const dpod = new FakeDpod();
    const { id, outs } = await subscriberGroupHandler.create(dpod.context(), {
      name: "ops",
      description: "d",
    });
    dpod.neverSends = ["description"];
    const read = await subscriberGroupHandler.read(dpod.context(), id, outs);
    expect(read.props).not.toHaveProperty("description");
    dpod.neverSends = ["name"];
    await expect(subscriberGroupHandler.read(dpod.context(), id, outs)).rejects.toThrow(/carries no name/);
  });
});

describe("a missing createdAt proves nothing", () => {
  async function identicalUserWithoutCreatedAt() {
    const dpod = new FakeDpod();
    dpod.neverSends = ["createdAt"];
    // Someone else's user, identical to the program, made an hour before the lost request.
    dpod.dpodNow = "2026-05-31T23:00:00Z";
    const { id } = await userHandler.create(dpod.context(), person(1));
    dpod.calls.length = 0;
    dpod.failNext("users.create", "lost-response");
    return { dpod, id };
  }

  it("does not adopt an identical user without dpod:adoptIdentical, and names the missing fact", async () => {
    const { dpod, id } = await identicalUserWithoutCreatedAt();
    const ctx = dpod.context(new Date("2026-06-01T00:00:00Z"));
    await expect(userHandler.create(ctx, person(1))).rejects.toThrow(
      new RegExp(
        `may or may not have reached DPoD.*A user "person-1@example.com" identical to the program exists ` +
          `\\(id ${id}\\), but DPoD reported no createdAt for it.*only dpod:adoptIdentical takes one over.*` +
          `Nothing was adopted`,
      ),
    );
    expect(writes(dpod)).toEqual(["users.create"]);
    expect(ctx.warnings).toEqual([]);
  });

  it("adopts it under dpod:adoptIdentical, with a warning naming the rule and the assumption", async () => {
    const { dpod, id } = await identicalUserWithoutCreatedAt();
    const ctx = dpod.context(new Date("2026-06-01T00:00:00Z"), { adoptIdentical: true });
    await expect(userHandler.create(ctx, person(1))).resolves.toMatchObject({ id });
    expect(writes(dpod)).toEqual(["users.create"]);
    expect(ctx.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `DPoD reported no createdAt for the User now holding this key \\(id ${id}\\), so nothing proves ` +
            `this create made it\\. It was taken over because it is identical to the program and ` +
            `dpod:adoptIdentical is on \\(that rule assumes an identical object is this stack's\\)`,
        ),
      ),
    ]);
  });

  it("applies to subscriber groups too", async () => {
    const dpod = new FakeDpod();
    dpod.neverSends = ["createdAt"];
    const { id } = await subscriberGroupHandler.create(dpod.context(), { name: "ops", description: "d" });
    dpod.failNext("groups.create", "lost-response");
    await expect(
      subscriberGroupHandler.create(dpod.context(), { name: "ops", description: "d" }),
    ).rejects.toThrow(/DPoD reported no createdAt for it/);
    dpod.failNext("groups.create", "lost-response");
    const ctx = dpod.context(undefined, { adoptIdentical: true });
    await expect(
      subscriberGroupHandler.create(ctx, { name: "ops", description: "d" }),
    ).resolves.toMatchObject({
      id,
    });
    expect(ctx.warnings).toEqual([expect.stringContaining("DPoD reported no createdAt")]);
  });

  it("never lets a field missing from the lookup count as a match", async () => {
    const dpod = new FakeDpod();
    await userHandler.create(dpod.context(), person(1));
    dpod.neverSends = ["subscriberGroups"];
    dpod.failNext("users.create", "lost-response");
    const ctx = dpod.context(undefined, { adoptIdentical: true });
    await expect(userHandler.create(ctx, person(1))).rejects.toThrow(
      /differs from the program in subscriberGroups \(not sent by DPoD\)/,
    );
  });
});

describe("a missing createdBy proves nothing, and is not needed", () => {
  it("recovers a lost credential create by its temporary name alone, with DPoD sending no createdBy", async () => {
    const dpod = new FakeDpod();
    dpod.neverSends = ["createdBy"];
    dpod.failNext("credentials.create", "lost-response", true);
    const created = await clientCredentialHandler.create(dpod.context(), credential(1));
    expect(created.outs.name).toBe(credential(1).name);
    expect(typeof created.outs.clientSecret).toBe("string");
    expect(dpod.count("credentials.resetSecret")).toBe(1);
    expect(created.outs).not.toHaveProperty("createdBy");
  });
});

describe("a 409 whose lookup fails", () => {
  it("keeps the 409 explanation and adds why the lookup failed", async () => {
    const dpod = new FakeDpod();
    await userHandler.create(dpod.context(), person(1));
    dpod.failNext("users.create", "conflict");
    dpod.failNext("users.list", "server-error");
    await expect(
      userHandler.create(dpod.context(undefined, { adoptIdentical: true }), person(1)),
    ).rejects.toThrow(
      /User "person-1@example.com" already exists in DPoD \(409: .*dpod:adoptIdentical is on, but it was not taken over: looking it up to compare it with the program failed \(fake 500 for users\.list\)\. .*someone else/,
    );
  });
});

describe("the list cache forgets what a create path writes", () => {
  it("reads a user adopted with a PATCH by GET, never from the list fetched before", async () => {
    const dpod = new FakeDpod();
    const created = await Promise.all([1, 2].map((i) => userHandler.create(dpod.context(), person(i))));
    const { ctx } = refreshing(dpod);
    await Promise.all(created.map(({ id, outs }) => userHandler.read(ctx, id, outs)));
    const gets = dpod.count("users.get");

    const adopted = await userHandler.create(ctx, { ...person(2), givenName: "Renamed", adopt: true });
    expect(dpod.calls.at(-1)?.op).toBe("users.update");
    const read = await userHandler.read(ctx, adopted.id, adopted.outs);
    expect(read.props?.givenName).toBe("Renamed");
    expect(dpod.count("users.get")).toBe(gets + 2); // the adoption's lookup, then the read
  });

  it("reads a group adopted with a PATCH by GET, never from the list fetched before", async () => {
    const dpod = new FakeDpod();
    const created = await Promise.all(
      ["ops", "dev"].map((name) => subscriberGroupHandler.create(dpod.context(), { name })),
    );
    const { ctx } = refreshing(dpod);
    await Promise.all(created.map(({ id, outs }) => subscriberGroupHandler.read(ctx, id, outs)));
    const adopted = await subscriberGroupHandler.create(ctx, {
      name: "dev",
      description: "new",
      adopt: true,
    });
    const read = await subscriberGroupHandler.read(ctx, adopted.id, adopted.outs);
    expect(read.props?.description).toBe("new");
  });
});

describe("a write answer shorter than a GET", () => {
  it("is completed by a GET of the object, so the state holds what DPoD holds", async () => {
    const dpod = new FakeDpod();
    dpod.writeOmits = ["subscriberGroups", "serviceIds", "givenName"];
    const user = await userHandler.create(dpod.context(), person(1));
    expect(user.outs).toMatchObject({ givenName: "Person", subscriberGroups: [GROUP_A, GROUP_B].sort() });
    const renamed = await userHandler.update(dpod.context(), user.id, user.outs, {
      ...person(1),
      givenName: "P",
    });
    expect(renamed.outs).toMatchObject({ givenName: "P", subscriberGroups: [GROUP_A, GROUP_B].sort() });
    const cred = await clientCredentialHandler.create(dpod.context(), credential(1));
    expect(cred.outs).toMatchObject({ serviceIds: [], subscriberGroups: [GROUP_A] });
    expect(cred.outs.clientSecret).toEqual(expect.stringMatching(/^fake-secret-/));
    expect(dpod.count("users.get")).toBe(2);
    // A credential create is two writes (the POST under its temporary name, then the rename): each short
    // answer is completed by its own GET.
    expect(dpod.count("credentials.get")).toBe(2);
  });

  it("stops with the missing-field error when the GET lacks the field too", async () => {
    const dpod = new FakeDpod();
    dpod.neverSends = ["subscriberGroups"];
    await expect(userHandler.create(dpod.context(), person(1))).rejects.toThrow(
      /carries no subscriberGroups.*after a create, the object exists in DPoD but not in the stack/,
    );
  });
});
