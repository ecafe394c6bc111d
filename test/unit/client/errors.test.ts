import {
  AmbiguousCreateError,
  DpodApiError,
  DpodAuthenticationError,
  DpodBadRequestError,
  DpodConflictError,
  DpodConnectionError,
  DpodNotFoundError,
  DpodPermissionError,
  DpodRateLimitError,
  DpodResponseShapeError,
  DpodServerError,
  OPERATIONS,
} from "../../../provider/client";
import { createHarness, json, sampleGroup, transportError, UUID } from "./helpers";

const PATH = `/v1/subscriber_groups/${UUID}`;

async function failGet(status: number, body: unknown, headers: Record<string, string> = {}) {
  const h = createHarness({ options: { maxAttempts: 1 } });
  h.pool
    .intercept({ path: PATH, method: "GET" })
    .reply(() => json(status, body, headers))
    .persist();
  return (await h.client.subscriberGroups.get(UUID).catch((e: unknown) => e)) as DpodApiError;
}

describe("one error family built by one factory", () => {
  it.each([
    [400, DpodBadRequestError, /Correct the value/],
    [401, DpodAuthenticationError, /DPOD_CLIENT_ID/],
    [403, DpodPermissionError, /needs one of the scopes/],
    [404, DpodNotFoundError, /pulumi refresh/],
    [409, DpodConflictError, /different name/],
    [429, DpodRateLimitError, /maxConcurrency/],
    [500, DpodServerError, /try again later/],
    [503, DpodServerError, /try again later/],
    [418, DpodApiError, /unexpected status 418/],
  ])("%i -> %p with a message that says what to do", async (status, type, advice) => {
    const error = await failGet(status, { status, error: "Err", message: `server says ${status}` });
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(DpodApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(type.name);
    expect(error).toMatchObject({
      status,
      dpodMessage: `server says ${status}`,
      method: "GET",
      path: PATH,
      operation: "getSubscriberGroup",
    });
    expect(error.message).toMatch(advice);
    expect(error.message).toContain(`GET ${PATH}`);
  });

  it("subclasses are distinct", async () => {
    const error = await failGet(404, {});
    expect(error).not.toBeInstanceOf(DpodConflictError);
    expect(error).not.toBeInstanceOf(DpodPermissionError);
  });

  it("reads the DPoD message from message, then error_description, then error, then raw text", async () => {
    expect((await failGet(400, { message: "m", error: "e" })).dpodMessage).toBe("m");
    expect((await failGet(400, { error_description: "d", error: "e" })).dpodMessage).toBe("d");
    expect((await failGet(400, { error: "e" })).dpodMessage).toBe("e");
    expect((await failGet(400, "plain words")).dpodMessage).toBe("plain words");
    expect((await failGet(400, "")).dpodMessage).toBeUndefined();
  });

  it("reads a nested error object's message, and a text body as the message itself", async () => {
    const nested = await failGet(409, { error: { code: 409, message: "Username already exists" } });
    expect(nested.dpodMessage).toBe("Username already exists");
    expect(nested.message).toContain("(409): Username already exists.");
    expect((await failGet(400, { error: { code: 400, error_description: "bad size" } })).dpodMessage).toBe(
      "bad size",
    );
    // a nested object without text is not an explanation: the raw body is kept, as for any other shape
    expect((await failGet(400, { error: { code: 400 } })).dpodMessage).toBe('{"error":{"code":400}}');
    expect((await failGet(404, "Subscriber group not found")).dpodMessage).toBe("Subscriber group not found");
  });

  it("takes the request id from x-request-id or x-b3-traceid", async () => {
    expect((await failGet(500, {}, { "x-request-id": "req-1" })).requestId).toBe("req-1");
    expect((await failGet(500, {}, { "x-b3-traceid": "trace-2" })).requestId).toBe("trace-2");
    const withId = await failGet(500, {}, { "x-request-id": "req-3" });
    expect(withId.message).toContain("req-3");
    expect((await failGet(500, {})).requestId).toBeUndefined();
  });

  it("a 403 names the scopes the operation needs and the scopes the credential has", async () => {
    const error = (await failGet(403, { message: "Access is denied" })) as DpodPermissionError;
    expect(error.requiredScopes).toEqual([...OPERATIONS.getSubscriberGroup.acceptedScopes]);
    expect(error.grantedScopes).toEqual(["dpod.tenant.api_appowner", "dpod.tuid.t-1"]);
    expect(error.message).toContain("dpod.tenant.admin, dpod.tenant.appowner, dpod.tenant.api_appowner");
    expect(error.message).toContain("the token carries dpod.tenant.api_appowner, dpod.tuid.t-1");
  });

  it("connection errors carry no status and the transport code", async () => {
    const h = createHarness({ options: { maxAttempts: 1 } });
    h.pool.intercept({ path: PATH, method: "GET" }).replyWithError(transportError("ENOTFOUND"));
    const error = (await h.client.subscriberGroups.get(UUID).catch((e: unknown) => e)) as DpodConnectionError;
    expect(error).toBeInstanceOf(DpodConnectionError);
    expect(error.status).toBeUndefined();
    expect(error.code).toBe("ENOTFOUND");
    expect((error.cause as Error).message).toBe("simulated ENOTFOUND");
  });

  it("a 2xx body the client cannot use is DpodResponseShapeError with the raw body", async () => {
    const h = createHarness();
    h.pool.intercept({ path: PATH, method: "GET" }).reply(() => json(200, { name: "no id here" }));
    const error = (await h.client.subscriberGroups
      .get(UUID)
      .catch((e: unknown) => e)) as DpodResponseShapeError;
    expect(error).toBeInstanceOf(DpodResponseShapeError);
    expect(error.status).toBe(200);
    expect(error.rawBody).toBe(JSON.stringify({ name: "no id here" }));
    expect(error.issues[0]).toMatch(/^id: /);
    expect(error.message).toContain("please report");
  });

  it("AmbiguousCreateError is a DpodApiError carrying method, path and body", async () => {
    const h = createHarness();
    h.pool
      .intercept({ path: "/v1/subscriber_groups", method: "POST" })
      .replyWithError(transportError("EPIPE"));
    const error = (await h.client.subscriberGroups
      .create({ name: "g" })
      .catch((e: unknown) => e)) as AmbiguousCreateError;
    expect(error).toBeInstanceOf(AmbiguousCreateError);
    expect(error).toBeInstanceOf(DpodApiError);
    expect(error).toMatchObject({
      method: "POST",
      path: "/v1/subscriber_groups",
      requestBody: { name: "g" },
    });
    expect(error.message).toMatch(/Look the object up by its name/);
  });

  it("instanceof works across separately loaded copies of the module", () => {
    let OtherNotFound: typeof DpodNotFoundError | undefined;
    let OtherBase: typeof DpodApiError | undefined;
    jest.isolateModules(() => {
      const copy =
        require("../../../provider/client/errors") as typeof import("../../../provider/client/errors");
      OtherNotFound = copy.DpodNotFoundError;
      OtherBase = copy.DpodApiError;
    });
    expect(OtherNotFound).toBeDefined();
    expect(OtherNotFound).not.toBe(DpodNotFoundError);
    const foreign = new OtherNotFound!("gone", { method: "GET", path: "/x" });
    expect(foreign).toBeInstanceOf(DpodNotFoundError);
    expect(foreign).toBeInstanceOf(DpodApiError);
    expect(foreign).not.toBeInstanceOf(DpodConflictError);
    const local = new DpodConflictError("c", { method: "GET", path: "/x" });
    expect(local).toBeInstanceOf(OtherBase!);
    expect({}).not.toBeInstanceOf(DpodApiError);
    expect(new Error("x")).not.toBeInstanceOf(DpodApiError);
  });

  it("a sample group still parses after all this (sanity)", async () => {
    const h = createHarness();
    h.pool.intercept({ path: PATH, method: "GET" }).reply(() => json(200, sampleGroup));
    await expect(h.client.subscriberGroups.get(UUID)).resolves.toEqual(sampleGroup);
  });
});
