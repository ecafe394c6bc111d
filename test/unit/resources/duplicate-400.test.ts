/**
 * A duplicate username or group name refused with 400 instead of 409 (the `duplicate-400` reading):
 * read as the 409 conflict only when a lookup by the key finds an object, so the explanation and
 * dpod:adoptIdentical still apply; any other 400 stands as DPoD sent it.
 */
import { DpodBadRequestError } from "../../../provider/client";
import type { HandlerContext } from "../../../provider/resources/common/lifecycle";
import { subscriberGroupHandler } from "../../../provider/resources/subscriber-group/handler";
import { userHandler } from "../../../provider/resources/user/handler";
import { FakeDpod, GROUP_A, PROVIDER } from "./fake-dpod";

const alice = {
  username: "alice@example.com",
  givenName: "Alice",
  familyName: "Doe",
  accountRole: "dpod.tenant.appowner",
  subscriberGroups: [GROUP_A],
  __provider: PROVIDER,
};

const badRequest = (message: string) =>
  new DpodBadRequestError(`DPoD rejected POST /v1/users as invalid (400): ${message}`, {
    method: "POST",
    path: "/v1/users",
    operation: "createUser",
    status: 400,
    dpodMessage: message,
  });

/** The fake's context whose creates of users and groups always answer 400 with `message`. */
function refusingCreates(dpod: FakeDpod, message: string, adoptIdentical = false) {
  const ctx = dpod.context(undefined, { adoptIdentical });
  const client: HandlerContext["client"] = {
    ...ctx.client,
    users: { ...ctx.client.users, create: () => Promise.reject(badRequest(message)) },
    subscriberGroups: { ...ctx.client.subscriberGroups, create: () => Promise.reject(badRequest(message)) },
  };
  return { ...ctx, client };
}

const writes = (dpod: FakeDpod) =>
  dpod.calls.filter((c) => /\.(create|update|delete|reset)/.test(c.op)).map((c) => c.op);

describe("a create refused with 400 while the key is taken", () => {
  it("explains a user's 400 as the 409 conflict, naming the status and DPoD's words, and writes nothing", async () => {
    const dpod = new FakeDpod();
    await userHandler.create(dpod.context(), alice);
    dpod.calls.splice(0);
    await expect(userHandler.create(refusingCreates(dpod, "Username already exists"), alice)).rejects.toThrow(
      /User "alice@example.com" already exists in DPoD \(400: Username already exists\).*interrupted.*dpod:adoptIdentical.*someone else/s,
    );
    expect(writes(dpod)).toEqual([]);
  });

  it("under dpod:adoptIdentical takes over an identical user or group, and nothing that differs", async () => {
    const dpod = new FakeDpod();
    const user = await userHandler.create(dpod.context(), alice);
    const group = await subscriberGroupHandler.create(dpod.context(), { name: "ops", description: "d" });
    dpod.calls.splice(0);
    const policy = refusingCreates(dpod, "duplicate", true);
    expect((await userHandler.create(policy, alice)).id).toBe(user.id);
    expect((await subscriberGroupHandler.create(policy, { name: "ops", description: "d" })).id).toBe(
      group.id,
    );
    expect(policy.warnings).toHaveLength(2);
    await expect(userHandler.create(policy, { ...alice, familyName: "Other" })).rejects.toThrow(
      /\(400: duplicate\).*not taken over: it differs from the program in familyName/s,
    );
    expect(writes(dpod)).toEqual([]);
  });

  it("lets a 400 stand when no object holds the key", async () => {
    const dpod = new FakeDpod();
    await expect(
      userHandler.create(refusingCreates(dpod, "phoneNumber: invalid"), { ...alice, phoneNumber: "x" }),
    ).rejects.toBeInstanceOf(DpodBadRequestError);
    await expect(
      subscriberGroupHandler.create(refusingCreates(dpod, "name: too long"), { name: "ops" }),
    ).rejects.toThrow(/\(400\): name: too long/);
  });

  it("lets a 400 stand when the lookup fails", async () => {
    const dpod = new FakeDpod();
    await subscriberGroupHandler.create(dpod.context(), { name: "ops" });
    dpod.failNext("groups.list", "server-error");
    await expect(
      subscriberGroupHandler.create(refusingCreates(dpod, "name taken"), { name: "ops" }),
    ).rejects.toBeInstanceOf(DpodBadRequestError);
  });
});
