/**
 * The native plugin's gRPC server in-process, spoken to with Pulumi's own client stubs over 127.0.0.1,
 * against the in-process emulator: configuration with secret envelopes, check, a detailed diff,
 * previews without API calls, import reads without properties, secrets marked on the wire, invokes.
 */
import type * as grpcJs from "@grpc/grpc-js";
import type * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { startEmulator, type EmulatorTenant } from "dpod-emulator";
import { DpodClient } from "../../../provider/client";
import { callbackLog, type Severity } from "../../../provider/native/engine-log";
import { grpcModules } from "../../../provider/native/grpc";
import { NativeProvider, serviceImplementation } from "../../../provider/native/server";
import { SECRET_SIG, SIG_KEY, secret, toStruct } from "../../../provider/native/wire";
import {
  newTemporaryName,
  temporaryNameOwner,
} from "../../../provider/resources/client-credential/temporary-name";
import { UNKNOWN, type PlainObject } from "../../../provider/resources/common/values";
import { scratchJournalEnv } from "../../helpers/scratch-journal";
import { apiCallCounts, resetRequestLog } from "../../helpers/emulator-admin";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const { grpc, provider: pb, providerGrpc: rpc, Empty } = grpcModules();
let emulator: Emulator;
let tenant: EmulatorTenant;
let server: grpcJs.Server;
let client: providerGrpc.ResourceProviderClient;
let nativeProvider: NativeProvider;
const logged: { severity: Severity; message: string; urn?: string }[] = [];

const URN = (type: string, name: string) => `urn:pulumi:test::proj::dpod:index:${type}::${name}`;

/** Calls one unary method and resolves with its answer (rejects with the gRPC error). */
function call<Req, Res>(method: string, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    (
      client as unknown as Record<
        string,
        (r: Req, cb: (e: grpcJs.ServiceError | null, v: Res) => void) => void
      >
    )[method]!.call(client, request, (error, value) => (error ? reject(error) : resolve(value)));
  });
}

function appOwner() {
  const found = tenant.credentials.find((c) => c.role === "dpod.tenant.api_appowner");
  if (!found) throw new Error("no app owner credential in the seed");
  return found;
}

async function configure(config: PlainObject): Promise<void> {
  const request = new pb.ConfigureRequest();
  request.setArgs(toStruct(config));
  request.setAcceptsecrets(true);
  await call("configure", request);
}

function check(type: string, news: PlainObject): Promise<providerPb.CheckResponse> {
  const request = new pb.CheckRequest();
  request.setUrn(URN(type, "r"));
  request.setType(`dpod:index:${type}`);
  request.setOlds(toStruct({}));
  request.setNews(toStruct(news));
  return call("check", request);
}

function create(
  type: string,
  properties: PlainObject,
  preview = false,
  resource = "r",
): Promise<providerPb.CreateResponse> {
  const request = new pb.CreateRequest();
  request.setUrn(URN(type, resource));
  request.setType(`dpod:index:${type}`);
  request.setProperties(toStruct(properties));
  request.setPreview(preview);
  return call("create", request);
}

beforeAll(async () => {
  emulator = await startEmulator();
  tenant = emulator.tenants.find((t) => t.kind === "tenant")!;
  nativeProvider = new NativeProvider({
    version: "9.9.9",
    log: callbackLog((severity, message, urn) => logged.push({ severity, message, urn })),
    env: scratchJournalEnv(),
  });
  server = new grpc.Server();
  server.addService(rpc.ResourceProviderService, serviceImplementation(nativeProvider));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  client = new rpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const { clientId, clientSecret } = appOwner();
  await configure({
    apiUrl: emulator.url,
    tokenUrl: emulator.tokenUrl,
    clientId,
    clientSecret: secret(clientSecret),
    version: "9.9.9", // engine-added keys are ignored
  });
});

afterAll(async () => {
  client?.close();
  await new Promise<void>((resolve) => server?.tryShutdown(() => resolve()));
  await nativeProvider?.close();
  await emulator?.close();
});

describe("the native plugin server", () => {
  it("serves its version and the package schema", async () => {
    const info = await call<unknown, { getVersion(): string }>("getPluginInfo", new Empty());
    expect(info.getVersion()).toBe("9.9.9");
    const schemaRequest = new pb.GetSchemaRequest();
    const schema = JSON.parse(
      (await call<unknown, providerPb.GetSchemaResponse>("getSchema", schemaRequest)).getSchema(),
    );
    expect(Object.keys(schema.resources).sort()).toEqual([
      "dpod:index:ClientCredential",
      "dpod:index:RotatingClientCredential",
      "dpod:index:SubscriberGroup",
      "dpod:index:User",
    ]);
    expect(schema.resources["dpod:index:ClientCredential"].properties.clientSecret.secret).toBe(true);
  });

  it("checks the provider configuration, naming each problem and never a value", async () => {
    const request = new pb.CheckRequest();
    request.setNews(toStruct({ tokenUrl: "not a url", clientId: "id-only", maxConcurrency: "lots" }));
    const response = await call<unknown, providerPb.CheckResponse>("checkConfig", request);
    const failures = response.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`);
    // Settings that are absent are named in the reason only: the engine would print their value as {<nil>}.
    expect(failures).toEqual([
      expect.stringMatching(/^: dpod:apiUrl \(environment variable DPOD_API_URL\): is not set/),
      expect.stringMatching(/^tokenUrl: .*is not an absolute URL/),
      expect.stringMatching(/^: dpod:clientSecret .*is not set, but dpod:clientId is/),
      expect.stringMatching(/^maxConcurrency: .*must be a whole number from 1 to 64/),
    ]);
    expect(JSON.stringify(failures)).not.toContain("id-only");
  });

  it("validates resource inputs in check, naming the field, with no API call", async () => {
    await resetRequestLog(emulator);
    const response = await check("User", {
      username: "not-an-email",
      givenName: "A",
      familyName: "B",
      accountRole: "admin",
    });
    expect(response.getFailuresList().map((f) => f.getReason())).toEqual([
      "username: must be an email address",
    ]);
    expect(await apiCallCounts(emulator)).toEqual({});
  });

  it("refuses a per-resource connection, which the native schema does not have, with no API call", async () => {
    await resetRequestLog(emulator);
    const response = await check("SubscriberGroup", {
      name: "native-ops",
      connection: { apiUrl: "https://elsewhere.example" },
    });
    // the property is not named to the engine (a connection may hold a credential), the reason names it
    expect(response.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([
      [
        "",
        expect.stringMatching(
          /^connection: not an input of the native plugin; set the connection on the dpod provider/,
        ),
      ],
    ]);
    expect(await apiCallCounts(emulator)).toEqual({});
  });

  it("creates, reads (also as an import), diffs in detail, previews without calls, updates and deletes", async () => {
    const checked = await check("SubscriberGroup", { name: "native-ops", description: "Ops" });
    await resetRequestLog(emulator);
    const preview = await create("SubscriberGroup", checked.getInputs()!.toJavaScript() as PlainObject, true);
    expect(preview.getId()).toBe("");
    expect(await apiCallCounts(emulator)).toEqual({});

    const created = await create("SubscriberGroup", { name: "native-ops", description: "Ops" });
    const id = created.getId();
    expect(created.getProperties()!.toJavaScript()).toMatchObject({ name: "native-ops", description: "Ops" });
    expect(await apiCallCounts(emulator)).toEqual({ "POST /v1/subscriber_groups": 1 });

    // An import read carries no properties: the id alone must do, and inputs come back.
    const importRead = new pb.ReadRequest();
    importRead.setId(id);
    importRead.setUrn(URN("SubscriberGroup", "r"));
    importRead.setType("dpod:index:SubscriberGroup");
    const read = await call<unknown, providerPb.ReadResponse>("read", importRead);
    expect(read.getId()).toBe(id);
    expect(read.getInputs()!.toJavaScript()).toEqual({ name: "native-ops", description: "Ops" });

    const diffRequest = new pb.DiffRequest();
    diffRequest.setId(id);
    diffRequest.setUrn(URN("SubscriberGroup", "r"));
    diffRequest.setType("dpod:index:SubscriberGroup");
    diffRequest.setOlds(created.getProperties()!);
    diffRequest.setNews(toStruct({ name: "native-ops", description: "Operations" }));
    const diff = await call<unknown, providerPb.DiffResponse>("diff", diffRequest);
    expect(diff.getChanges()).toBe(pb.DiffResponse.DiffChanges.DIFF_SOME);
    expect(diff.getHasdetaileddiff()).toBe(true);
    expect(diff.getDiffsList()).toEqual(["description"]);
    expect(diff.getDetaileddiffMap().get("description")?.getKind()).toBe(pb.PropertyDiff.Kind.UPDATE);
    expect(diff.getReplacesList()).toEqual([]);

    const update = (preview: boolean) => {
      const request = new pb.UpdateRequest();
      request.setId(id);
      request.setUrn(URN("SubscriberGroup", "r"));
      request.setType("dpod:index:SubscriberGroup");
      request.setOlds(created.getProperties()!);
      request.setNews(toStruct({ name: "native-ops", description: "Operations" }));
      request.setPreview(preview);
      return call<unknown, providerPb.UpdateResponse>("update", request);
    };
    await resetRequestLog(emulator);
    expect((await update(true)).getProperties()!.toJavaScript()).toMatchObject({ description: "Operations" });
    expect(await apiCallCounts(emulator)).toEqual({});
    await update(false);
    expect(await apiCallCounts(emulator)).toEqual({ "PATCH /v1/subscriber_groups/:id": 1 });

    const remove = new pb.DeleteRequest();
    remove.setId(id);
    remove.setUrn(URN("SubscriberGroup", "r"));
    remove.setType("dpod:index:SubscriberGroup");
    remove.setProperties(created.getProperties()!);
    await call("delete", remove);
    await expect(call("read", importRead)).rejects.toThrow(/SubscriberGroup .* does not exist in DPoD/);
  });

  it("marks the client secret secret on the wire and previews a rotation as a change of clientSecret", async () => {
    const created = await create("ClientCredential", {
      name: "native-ci",
      role: "api_appowner",
      rotationTriggers: { round: "1" },
    });
    const outs = created.getProperties()!.toJavaScript() as PlainObject;
    expect(outs.clientSecret).toEqual({ [SIG_KEY]: SECRET_SIG, value: expect.any(String) });

    const diffRequest = new pb.DiffRequest();
    diffRequest.setId(created.getId());
    diffRequest.setUrn(URN("ClientCredential", "ci"));
    diffRequest.setType("dpod:index:ClientCredential");
    diffRequest.setOlds(created.getProperties()!);
    const news = { name: "native-ci", role: "dpod.tenant.api_appowner", rotationTriggers: { round: "2" } };
    diffRequest.setNews(toStruct(news));
    const diff = await call<unknown, providerPb.DiffResponse>("diff", diffRequest);
    const detailed = diff.getDetaileddiffMap();
    expect(detailed.get("clientSecret")?.getInputdiff()).toBe(false);
    expect(detailed.get("rotationTriggers")?.getInputdiff()).toBe(true);
    expect(diff.getDiffsList()).toEqual(["rotationTriggers"]);

    await resetRequestLog(emulator);
    const request = new pb.UpdateRequest();
    request.setId(created.getId());
    request.setUrn(URN("ClientCredential", "ci"));
    request.setType("dpod:index:ClientCredential");
    request.setOlds(created.getProperties()!);
    request.setNews(toStruct(news));
    request.setPreview(true);
    const preview = (await call<unknown, providerPb.UpdateResponse>("update", request))
      .getProperties()!
      .toJavaScript() as PlainObject;
    expect(preview.clientSecret).toEqual({ [SIG_KEY]: SECRET_SIG, value: UNKNOWN });
    expect(preview.secretCreatedAt).toBe(UNKNOWN);
    expect(await apiCallCounts(emulator)).toEqual({});

    request.setPreview(false);
    const updated = (await call<unknown, providerPb.UpdateResponse>("update", request))
      .getProperties()!
      .toJavaScript() as PlainObject;
    expect(updated.clientSecret).toEqual({ [SIG_KEY]: SECRET_SIG, value: expect.any(String) });
    expect((updated.clientSecret as PlainObject).value).not.toBe((outs.clientSecret as PlainObject).value);
    expect(await apiCallCounts(emulator)).toEqual({ "POST /v1/credentials/clients/:id/resetSecret": 1 });
  });

  it("rotates a RotatingClientCredential: both secrets wrapped, a preview of the switch, the grace floor in diff", async () => {
    const type = "dpod:index:RotatingClientCredential";
    const created = await create("RotatingClientCredential", {
      name: "native-pair",
      role: "api_appowner",
      rotationTriggers: { round: "1" },
    });
    const outs = created.getProperties()!.toJavaScript() as PlainObject;
    expect(outs).toMatchObject({ currentSlot: "a", name: "native-pair" });
    expect(outs.clientSecret).toEqual({ [SIG_KEY]: SECRET_SIG, value: expect.any(String) });

    const rotate = async (olds: ReturnType<typeof toStruct>, round: string, preview: boolean) => {
      const request = new pb.UpdateRequest();
      request.setId(created.getId());
      request.setUrn(URN("RotatingClientCredential", "pair"));
      request.setType(type);
      request.setOlds(olds);
      request.setNews(toStruct({ name: "native-pair", role: "api_appowner", rotationTriggers: { round } }));
      request.setPreview(preview);
      return (await call<unknown, providerPb.UpdateResponse>("update", request)).getProperties()!;
    };
    await resetRequestLog(emulator);
    const preview = (await rotate(created.getProperties()!, "2", true)).toJavaScript() as PlainObject;
    expect(preview.clientId).toBe(UNKNOWN);
    expect(preview.previousClientSecret).toEqual({ [SIG_KEY]: SECRET_SIG, value: UNKNOWN });
    expect(await apiCallCounts(emulator)).toEqual({});
    const once = await rotate(created.getProperties()!, "2", false);
    const r1 = once.toJavaScript() as PlainObject;
    expect(r1).toMatchObject({ currentSlot: "b", previousClientId: outs.clientId });
    expect(r1.previousClientSecret).toEqual(outs.clientSecret);

    // A second rotation minutes later would reset the pair just handed out: the diff refuses it.
    const diffRequest = new pb.DiffRequest();
    diffRequest.setId(created.getId());
    diffRequest.setUrn(URN("RotatingClientCredential", "pair"));
    diffRequest.setType(type);
    diffRequest.setOlds(once);
    diffRequest.setNews(
      toStruct({ name: "native-pair", role: "api_appowner", rotationTriggers: { round: "3" } }),
    );
    await expect(call("diff", diffRequest)).rejects.toThrow(/less than minRotationIntervalHours \(24\)/);
  });

  it("logs the diff's expiry warning to the engine with the resource's URN (preview)", async () => {
    const olds = {
      clientId: "c1",
      name: "expiring",
      role: "dpod.tenant.api_appowner",
      serviceIds: [],
      subscriberGroups: [],
      clientSecret: "s",
      secretCreatedAt: new Date(Date.now() - 27 * 24 * 3600 * 1000).toISOString(),
      rotateAfterDays: 30,
    };
    const request = new pb.DiffRequest();
    request.setId("c1");
    request.setUrn(URN("ClientCredential", "expiring"));
    request.setType("dpod:index:ClientCredential");
    request.setOlds(toStruct(olds));
    request.setNews(toStruct({ name: "expiring", role: "api_appowner", rotateAfterDays: 30 }));
    logged.splice(0);
    const diff = await call<unknown, providerPb.DiffResponse>("diff", request);
    expect(diff.getDiffsList()).toEqual([]);
    expect(logged).toContainEqual({
      severity: "warning",
      message: expect.stringMatching(
        /^ClientCredential "expiring" \(client id c1\): its secret is due for rotation at .* in 3\.0 days/,
      ),
      urn: URN("ClientCredential", "expiring"),
    });
  });

  it("sends handler warnings to the engine log with the resource's URN", async () => {
    logged.splice(0);
    await create("ClientCredential", { name: "native-ci", role: "api_appowner" }, false, "warned");
    expect(logged).toContainEqual({
      severity: "warning",
      message: expect.stringContaining("other credential(s) with this name and role already exist"),
      urn: URN("ClientCredential", "warned"),
    });
  });

  it("hands the engine's URN to the credential create, which takes over that resource's leftover", async () => {
    // A credential a killed run of resource "r" left under its temporary name.
    const { clientId, clientSecret } = appOwner();
    const direct = new DpodClient({
      apiUrl: emulator.url,
      tokenUrl: emulator.tokenUrl,
      clientId,
      clientSecret,
    });
    try {
      const leftover = await direct.credentials.create({
        name: newTemporaryName(temporaryNameOwner(URN("ClientCredential", "r"))),
        role: "dpod.tenant.api_appowner",
      });
      const created = await create("ClientCredential", { name: "native-left", role: "api_appowner" });
      expect(created.getId()).toBe(leftover.clientId);
      expect((await direct.credentials.get(leftover.clientId)).name).toBe("native-left");
      await direct.credentials.delete(leftover.clientId);
    } finally {
      await direct.close();
    }
  });

  it("keeps the create journal: the next create of a URN takes over its renamed, unrecorded credential", async () => {
    const urn = URN("ClientCredential", "journaled");
    const checkWith = async (olds: PlainObject) => {
      const request = new pb.CheckRequest();
      request.setUrn(urn);
      request.setType("dpod:index:ClientCredential");
      request.setOlds(toStruct(olds));
      request.setNews(toStruct({ name: "native-journaled", role: "api_appowner" }));
      await call("check", request);
    };
    const props = { name: "native-journaled", role: "dpod.tenant.api_appowner" };
    await checkWith({});
    const first = (await create("ClientCredential", props, false, "journaled")).getId();
    // A run killed before the engine recorded it: the next run checks the resource without recorded inputs.
    logged.splice(0);
    await checkWith({});
    expect((await create("ClientCredential", props, false, "journaled")).getId()).toBe(first);
    expect(logged).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining("the create journal names it"), urn }),
    );
    // A replacement without a diff (`--replace`): recorded inputs, no state shown, so it is not taken over.
    logged.splice(0);
    await checkWith(props);
    const second = (await create("ClientCredential", props, false, "journaled")).getId();
    expect(second).not.toBe(first);
    expect(logged).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining(`the create journal names credential ${first}`),
      }),
    );
    for (const id of [first, second]) {
      const request = new pb.DeleteRequest();
      request.setId(id);
      request.setUrn(urn);
      request.setType("dpod:index:ClientCredential");
      request.setProperties(toStruct({ ...props, clientId: id }));
      await call("delete", request);
    }
  });

  it("serves the data functions as invokes, refusing bad arguments by name", async () => {
    const request = new pb.InvokeRequest();
    request.setTok("dpod:index:getClientCredentials");
    request.setArgs(toStruct({ name: "native-ci" }));
    const response = await call<unknown, providerPb.InvokeResponse>("invoke", request);
    const result = response.getReturn()!.toJavaScript() as { credentials: PlainObject[] };
    expect(result.credentials.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(result)).not.toMatch(/clientSecret/);

    request.setArgs(toStruct({ name: 42 }));
    const refused = await call<unknown, providerPb.InvokeResponse>("invoke", request);
    expect(refused.getFailuresList().map((f) => f.getReason())).toEqual([
      "name: must be a string; got a number",
    ]);
  });
});

/** A value as the engine receives it when the plugin sends it as a secret. */
const wrapped = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

function propsOf(struct: { toJavaScript(): unknown } | undefined): PlainObject {
  return (struct?.toJavaScript() ?? {}) as PlainObject;
}

/**
 * One resource kind with an input the program sends as a secret: `inputs` (holding the secret envelope),
 * the key that must stay secret, its plain value, and an update that sends the key in plain (the recorded
 * state's secretness must carry it).
 */
interface SecretInputCase {
  kind: string;
  inputs: () => PlainObject;
  key: string;
  value: unknown;
  update: () => PlainObject;
  /** Provider configuration for this kind (users are managed with the service provider's credential). */
  config?: () => PlainObject;
}

const SECRET_INPUT_CASES: SecretInputCase[] = [
  {
    kind: "SubscriberGroup",
    inputs: () => ({ name: "secret-desc", description: secret("the ops room code is 4711") }),
    key: "description",
    value: "the ops room code is 4711",
    update: () => ({ name: "secret-desc", description: "the ops room code is 4712" }),
  },
  {
    kind: "ClientCredential",
    // A secret inside a map: the whole map stays secret.
    inputs: () => ({
      name: "secret-trigger",
      role: "dpod.tenant.api_appowner",
      rotationTriggers: { ticket: secret("CHG-0042"), round: "1" },
    }),
    key: "rotationTriggers",
    value: { ticket: "CHG-0042", round: "1" },
    update: () => ({
      name: "secret-trigger",
      role: "dpod.tenant.api_appowner",
      rotationTriggers: { ticket: "CHG-0043", round: "1" },
    }),
  },
  {
    kind: "User",
    inputs: () => ({
      username: "secret-phone@example.com",
      givenName: "Sec",
      familyName: "Ret",
      accountRole: "dpod.tenant.admin",
      phoneNumber: secret("+15550100"),
      tenantId: tenant.id,
    }),
    key: "phoneNumber",
    value: "+15550100",
    update: () => ({
      username: "secret-phone@example.com",
      givenName: "Sec",
      familyName: "Ret",
      accountRole: "dpod.tenant.admin",
      phoneNumber: "+15550101",
      tenantId: tenant.id,
    }),
    config: () => {
      const sp = emulator.tenants.find((t) => t.kind === "service-provider")!;
      const found = sp.credentials.find((c) => c.role === "dpod.tenant.api_spadmin")!;
      return { clientId: found.clientId, clientSecret: secret(found.clientSecret) };
    },
  },
];

describe("secrets the program sends stay secrets, by the plugin's own rule", () => {
  const base = () => ({ apiUrl: emulator.url, tokenUrl: emulator.tokenUrl });
  const appOwnerConfig = () => ({
    clientId: appOwner().clientId,
    clientSecret: secret(appOwner().clientSecret),
  });

  afterEach(async () => {
    await configure({ ...base(), ...appOwnerConfig() });
  });

  it.each(SECRET_INPUT_CASES.map((c) => [c.kind, c] as const))(
    "%s: check, create (and its preview), read (refresh), update (and its preview) keep the secret input wrapped",
    async (_kind, c) => {
      await configure({ ...base(), ...(c.config?.() ?? appOwnerConfig()) });
      const urn = URN(c.kind, "s");
      const type = `dpod:index:${c.kind}`;

      const checkRequest = new pb.CheckRequest();
      checkRequest.setUrn(urn);
      checkRequest.setType(type);
      checkRequest.setOlds(toStruct({}));
      checkRequest.setNews(toStruct(c.inputs()));
      const checked = await call<unknown, providerPb.CheckResponse>("check", checkRequest);
      expect(checked.getFailuresList()).toEqual([]);
      expect(propsOf(checked.getInputs())[c.key]).toEqual(wrapped(c.value));

      const preview = await create(c.kind, propsOf(checked.getInputs()), true);
      expect(propsOf(preview.getProperties())[c.key]).toEqual(wrapped(c.value));

      const createRequest = new pb.CreateRequest();
      createRequest.setUrn(urn);
      createRequest.setType(type);
      createRequest.setProperties(checked.getInputs());
      const created = await call<unknown, providerPb.CreateResponse>("create", createRequest);
      expect(propsOf(created.getProperties())[c.key]).toEqual(wrapped(c.value));

      // A refresh: the recorded outputs and inputs come back, and so must their secretness.
      const readRequest = new pb.ReadRequest();
      readRequest.setId(created.getId());
      readRequest.setUrn(urn);
      readRequest.setType(type);
      readRequest.setProperties(created.getProperties());
      readRequest.setInputs(checked.getInputs());
      const read = await call<unknown, providerPb.ReadResponse>("read", readRequest);
      expect(propsOf(read.getProperties())[c.key]).toEqual(wrapped(c.value));
      expect(propsOf(read.getInputs())[c.key]).toEqual(wrapped(c.value));

      // The program now sends the key in plain: the recorded state's secretness still holds.
      const updateRequest = (previewOnly: boolean) => {
        const request = new pb.UpdateRequest();
        request.setId(created.getId());
        request.setUrn(urn);
        request.setType(type);
        request.setOlds(read.getProperties());
        request.setOldInputs(read.getInputs());
        request.setNews(toStruct(c.update()));
        request.setPreview(previewOnly);
        return call<unknown, providerPb.UpdateResponse>("update", request);
      };
      const newValue = c.update()[c.key];
      expect(propsOf((await updateRequest(true)).getProperties())[c.key]).toEqual(wrapped(newValue));
      const updated = await updateRequest(false);
      expect(propsOf(updated.getProperties())[c.key]).toEqual(wrapped(newValue));

      const remove = new pb.DeleteRequest();
      remove.setId(created.getId());
      remove.setUrn(urn);
      remove.setType(type);
      remove.setProperties(updated.getProperties());
      await call("delete", remove);
    },
  );

  it("a plain input stays plain (the rule wraps what was secret, not everything)", async () => {
    const created = await create("SubscriberGroup", { name: "plain-desc", description: "Ops" });
    expect(propsOf(created.getProperties()).description).toBe("Ops");
    const remove = new pb.DeleteRequest();
    remove.setId(created.getId());
    remove.setUrn(URN("SubscriberGroup", "r"));
    remove.setType("dpod:index:SubscriberGroup");
    remove.setProperties(created.getProperties());
    await call("delete", remove);
  });

  it("never names a secret input to the engine in a check failure (the engine prints a named property's value)", async () => {
    const response = await check("SubscriberGroup", { name: "x", description: secret("d".repeat(300)) });
    expect(
      response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    ).toEqual([{ property: "", reason: "description: must be at most 255 characters" }]);
    const plain = await check("SubscriberGroup", { name: "x", description: "d".repeat(300) });
    expect(plain.getFailuresList()[0]!.getProperty()).toBe("description");
  });

  it("CheckConfig wraps clientSecret and accessToken given in plain, and never names them in a failure", async () => {
    const request = new pb.CheckRequest();
    request.setNews(toStruct({ ...base(), clientId: "id", clientSecret: "plain-secret-value" }));
    const response = await call<unknown, providerPb.CheckResponse>("checkConfig", request);
    expect(response.getFailuresList()).toEqual([]);
    expect(propsOf(response.getInputs())).toMatchObject({
      clientId: "id",
      clientSecret: wrapped("plain-secret-value"),
    });

    request.setNews(toStruct({ ...base(), accessToken: 12345 }));
    const refused = await call<unknown, providerPb.CheckResponse>("checkConfig", request);
    expect(propsOf(refused.getInputs()).accessToken).toEqual(wrapped(12345));
    expect(
      refused.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    ).toEqual([{ property: "", reason: "accessToken: must be a string; got a number" }]);
  });

  it("answers an invoke with secret arguments with a secret result", async () => {
    const request = new pb.InvokeRequest();
    request.setTok("dpod:index:getClientCredentials");
    request.setArgs(toStruct({ name: secret("native-ci") }));
    const result = propsOf((await call<unknown, providerPb.InvokeResponse>("invoke", request)).getReturn());
    expect(result.credentials).toEqual(wrapped(expect.any(Array)));

    request.setArgs(toStruct({ name: "native-ci" }));
    const plain = propsOf((await call<unknown, providerPb.InvokeResponse>("invoke", request)).getReturn());
    expect(Array.isArray(plain.credentials)).toBe(true);
  });
});
