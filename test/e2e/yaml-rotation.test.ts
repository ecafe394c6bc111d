// A RotatingClientCredential in YAML through the native plugin (examples/yaml-rotation), on the real
// engine: three rotations, each hand deletion (the previous credential, the current one, with and without
// a refresh), and after each `pulumi up --refresh` and `pulumi up` converge with the pair working (token
// request with each recorded secret: 200), no stray credential, no secret in the state; and the preview
// warning before the previous pair stops working.
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { repositoryRoot } from "../../scripts/lib/engine";
import { PulumiStack } from "../../scripts/lib/pulumi-cli";
import { tokenRequestStatus } from "../helpers/emulator-admin";
import { credentialOf, seedOf, setDefaultConnection } from "../helpers/emulator-seed";
import { copyProgram, usePluginFromWorkspace } from "../helpers/e2e-workspace";
import { recordedPairsOf, type Pair, type RecordedPairs } from "../helpers/rotating-pair";

describe("RotatingClientCredential in YAML, through the native plugin", () => {
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  let appOwner: DpodClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    const credential = credentialOf(seedOf(emulator).tenant, "dpod.tenant.api_appowner");
    appOwner = new DpodClient({ apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, ...credential });
    const projectDir = copyProgram("yaml-rotation", path.join(repositoryRoot, "examples", "yaml-rotation"));
    usePluginFromWorkspace(projectDir);
    stack = await PulumiStack.create({ projectDir });
    await setDefaultConnection(stack, emulator, credential);
  });

  afterAll(async () => {
    stack?.dispose();
    await appOwner?.close();
    await emulator?.close();
  });

  /** The pair(s) the stack records, from the deployer's state (outputs show only the current pair). */
  async function recordedPairs(): Promise<RecordedPairs> {
    return recordedPairsOf(await stack.exportState({ showSecrets: true }));
  }

  async function deployerCredentials(): Promise<string[]> {
    const names: string[] = [];
    for await (const c of appOwner.credentials.list())
      if (c.name.includes("yaml-deployer")) names.push(c.name);
    return names.sort();
  }

  const works = (pair: Pair) => tokenRequestStatus(emulator, pair.id, pair.secret);

  /** `pulumi up --refresh`, then `pulumi up` and a preview with nothing to change; the pair works. */
  async function converges(): Promise<Awaited<ReturnType<typeof recordedPairs>>> {
    expect((await stack.up(["--refresh"])).code).toBe(0);
    expect((await stack.up()).code).toBe(0);
    expect((await stack.preview(["--expect-no-changes"])).code).toBe(0);
    const pairs = await recordedPairs();
    expect(await works(pairs.current)).toBe(200);
    if (pairs.previous !== undefined) expect(await works(pairs.previous)).toBe(200);
    return pairs;
  }

  it("rotates three times through hand deletions and converges each time with a working pair", async () => {
    expect((await stack.up()).code).toBe(0);
    // The plugin's create journal is empty once a run ends normally (the engine's graceful shutdown).
    expect(stack.createJournalEntries()).toEqual([]);
    const created = await recordedPairs();
    expect(created).toMatchObject({ slot: "a", previous: undefined });
    expect(await works(created.current)).toBe(200);

    // Rotation 1 creates slot b. A second one minutes later is refused by the default grace floor.
    await stack.setConfig("rotation", "r1");
    expect((await stack.up()).code).toBe(0);
    expect(stack.createJournalEntries()).toEqual([]);
    const r1 = await recordedPairs();
    expect(r1).toMatchObject({ slot: "b", previous: created.current });
    await stack.setConfig("rotation", "r2");
    const early = await stack.preview();
    expect(early.code).not.toBe(0);
    expect(early.stdout + early.stderr).toMatch(/less than minRotationIntervalHours \(24\)/);
    await stack.setConfig("minRotationIntervalHours", "0");

    // The previous credential deleted by hand; rotation 2 without refresh creates a fresh one in its slot.
    await appOwner.credentials.delete(r1.previous!.id);
    const r2up = await stack.up();
    expect(r2up.code).toBe(0);
    expect(r2up.stdout + r2up.stderr).toMatch(/no longer exists in DPoD \(404\)/);
    const r2 = await converges();
    expect(r2).toMatchObject({ slot: "a", previous: r1.current });
    expect(await deployerCredentials()).toEqual(["yaml-deployer-a", "yaml-deployer-b"]);

    // The current credential deleted by hand: refresh promotes the previous pair (still working).
    await appOwner.credentials.delete(r2.current.id);
    const promoted = await converges();
    expect(promoted).toEqual({ slot: "b", current: r1.current, previous: undefined });

    // Rotation 3 fills the freed slot without resetting the promoted pair.
    await stack.setConfig("rotation", "r3");
    expect((await stack.up()).code).toBe(0);
    const r3 = await converges();
    expect(r3).toMatchObject({ slot: "a", previous: r1.current });

    // The current credential deleted again, and a rotation without refresh: it promotes, then rotates.
    await appOwner.credentials.delete(r3.current.id);
    await stack.setConfig("rotation", "r4");
    expect((await stack.up()).code).toBe(0);
    const r4 = await converges();
    expect(r4).toMatchObject({ slot: "a", previous: r1.current });
    expect(r4.current.id).not.toBe(r3.current.id);
    expect(await deployerCredentials()).toEqual(["yaml-deployer-a", "yaml-deployer-b"]);

    // Expiry you can see coming: 85 of rotateAfterDays' 90 days on, preview warns that the previous pair
    // stops working at the next rotation by age, naming the resource and the previous client id.
    const state = await stack.exportState();
    const deployer = state.deployment.resources?.find(
      (r) => r.type === "dpod:index:RotatingClientCredential",
    );
    const issued = Date.parse(String(deployer?.outputs?.secretCreatedAt));
    expect(deployer?.outputs?.previousSecretExpiresAt).toBe(new Date(issued + 90 * 86_400_000).toISOString());
    stack.setEnv("DPOD_PROVIDER_NOW", new Date(issued + 85 * 86_400_000).toISOString());
    stack.setEnv("DPOD_ENABLE_TEST_CLOCK", "true");
    try {
      const warned = await stack.preview();
      expect(warned.code).toBe(0);
      expect(warned.stdout + warned.stderr).toMatch(
        new RegExp(
          `RotatingClientCredential "yaml-deployer"[\\s\\S]*previous pair \\(client id ${r4.previous!.id}\\) stops working`,
        ),
      );
    } finally {
      stack.setEnv("DPOD_PROVIDER_NOW", undefined);
      stack.setEnv("DPOD_ENABLE_TEST_CLOCK", undefined);
    }

    const text = await stack.exportText();
    for (const pair of [r4.current, r4.previous!]) expect(text).not.toContain(pair.secret);

    expect((await stack.destroy()).code).toBe(0);
    expect(await deployerCredentials()).toEqual([]);
  });
});
