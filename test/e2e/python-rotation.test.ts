// The Python counterpart of yaml-rotation.test.ts: a RotatingClientCredential declared with the generated
// Python SDK (examples/python/rotation_program.py), run by examples/python/main.py through the Automation
// API in inline mode on the real engine. Three rotations and each hand deletion (the previous credential,
// the current one, with and without a refresh); after each, `up --refresh` and `up` converge with the pair
// working (token request with each recorded secret: 200), no stray credential, no secret in the state.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "dpod-emulator";
import { DpodClient } from "../../provider";
import { repositoryRoot } from "../../scripts/lib/engine";
import { offlinePulumiEnvironment } from "../../scripts/lib/pulumi-cli";
import { tokenRequestStatus } from "../helpers/emulator-admin";
import { credentialOf, seedOf } from "../helpers/emulator-seed";
import { policyPackArgs, policyPackOutcome } from "../helpers/policy-pack";
import {
  exportStackText,
  runInline,
  type InlineRunContext,
  type RunnerResult,
} from "../helpers/inline-example";
import { recordedPairsOf, type Pair, type RecordedPairs } from "../helpers/rotating-pair";

describe("RotatingClientCredential in Python, inline through the Automation API and the native plugin", () => {
  let emulator: RunningEmulator;
  let appOwner: DpodClient;
  let scratch: string;
  let context: InlineRunContext;

  beforeAll(async () => {
    emulator = await startEmulator();
    const credential = credentialOf(seedOf(emulator).tenant, "dpod.tenant.api_appowner");
    appOwner = new DpodClient({ apiUrl: emulator.url, tokenUrl: emulator.tokenUrl, ...credential });
    const python = execFileSync("bash", [path.join(repositoryRoot, "scripts", "sdkgen", "python-venv.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    scratch = mkdtempSync(path.join(os.tmpdir(), "pulumi-dpod-python-rotation-"));
    const workDir = path.join(scratch, "work");
    mkdirSync(workDir);
    context = {
      // -B: no __pycache__ written into the example's directory.
      runner: {
        executable: python,
        args: ["-B", path.join(repositoryRoot, "examples", "python", "main.py")],
      },
      workDir,
      env: {
        ...process.env,
        ...offlinePulumiEnvironment(scratch),
        DPOD_API_URL: emulator.url,
        DPOD_TOKEN_URL: emulator.tokenUrl,
        DPOD_CLIENT_ID: credential.clientId,
        DPOD_CLIENT_SECRET: credential.clientSecret,
      },
      hidden: [credential.clientSecret],
    };
  });

  afterAll(async () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    await appOwner?.close();
    await emulator?.close();
  });

  const run = (command: string, ...flags: string[]): Promise<RunnerResult> =>
    runInline(context, command, "--program", "rotation", ...flags);

  async function runOk(command: string, ...flags: string[]): Promise<RunnerResult> {
    const result = await run(command, ...flags);
    if (result.code !== 0)
      throw new Error(`runner ${command} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  /** The pair(s) the stack records, from the deployer's state (outputs show only the current pair). */
  async function recordedPairs(): Promise<RecordedPairs> {
    return recordedPairsOf(
      JSON.parse(await exportStackText(context.workDir, context.env, { showSecrets: true })) as Parameters<
        typeof recordedPairsOf
      >[0],
    );
  }

  async function deployerCredentials(): Promise<string[]> {
    const names: string[] = [];
    for await (const c of appOwner.credentials.list()) if (c.name.includes("py-deployer")) names.push(c.name);
    return names.sort();
  }

  const works = (pair: Pair) => tokenRequestStatus(emulator, pair.id, pair.secret);

  /** `up --refresh`, then `up` and a refreshing preview with nothing to change; the pair works. */
  async function converges(): Promise<Awaited<ReturnType<typeof recordedPairs>>> {
    await runOk("up", "--refresh");
    await runOk("up");
    await runOk("preview");
    const pairs = await recordedPairs();
    expect(await works(pairs.current)).toBe(200);
    if (pairs.previous !== undefined) expect(await works(pairs.previous)).toBe(200);
    return pairs;
  }

  it("rotates three times through hand deletions and converges each time with a working pair", async () => {
    // With the policy pack and its default configuration: it runs and finds nothing.
    const first = await run("up", ...policyPackArgs());
    expect({ code: first.code, pack: policyPackOutcome({ command: "up", ...first }) }).toEqual({
      code: 0,
      pack: { ran: true, findings: [] },
    });
    const created = await recordedPairs();
    expect(created).toMatchObject({ slot: "a", previous: undefined });
    expect(await works(created.current)).toBe(200);

    // Rotation 1 creates slot b. A second one minutes later is refused by the default grace floor.
    context.env.DPOD_ROTATION = "r1";
    await runOk("up");
    const r1 = await recordedPairs();
    expect(r1).toMatchObject({ slot: "b", previous: created.current });
    context.env.DPOD_ROTATION = "r2";
    const early = await run("up");
    expect(early.code).not.toBe(0);
    expect(early.stdout + early.stderr).toMatch(/less than minRotationIntervalHours \(24\)/);
    context.env.DPOD_MIN_ROTATION_INTERVAL_HOURS = "0";

    // The previous credential deleted by hand; rotation 2 without refresh creates a fresh one in its slot.
    await appOwner.credentials.delete(r1.previous!.id);
    const r2up = await runOk("up");
    expect(r2up.stdout + r2up.stderr).toMatch(/no longer exists in DPoD \(404\)/);
    const r2 = await converges();
    expect(r2).toMatchObject({ slot: "a", previous: r1.current });
    expect(await deployerCredentials()).toEqual(["py-deployer-a", "py-deployer-b"]);

    // The current credential deleted by hand: refresh promotes the previous pair (still working).
    await appOwner.credentials.delete(r2.current.id);
    const promoted = await converges();
    expect(promoted).toEqual({ slot: "b", current: r1.current, previous: undefined });

    // Rotation 3 fills the freed slot without resetting the promoted pair.
    context.env.DPOD_ROTATION = "r3";
    await runOk("up");
    const r3 = await converges();
    expect(r3).toMatchObject({ slot: "a", previous: r1.current });

    // The current credential deleted again, and a rotation without refresh: it promotes, then rotates.
    await appOwner.credentials.delete(r3.current.id);
    context.env.DPOD_ROTATION = "r4";
    await runOk("up");
    const r4 = await converges();
    expect(r4).toMatchObject({ slot: "a", previous: r1.current });
    expect(r4.current.id).not.toBe(r3.current.id);
    expect(await deployerCredentials()).toEqual(["py-deployer-a", "py-deployer-b"]);

    // The program's outputs keep the secret secret, and the stored state holds neither pair's secret.
    expect(JSON.parse((await runOk("outputs")).stdout)).toMatchObject({
      clientId: r4.current.id,
      clientSecret: "[secret]",
      currentSlot: "a",
    });
    const text = await exportStackText(context.workDir, context.env);
    for (const pair of [r4.current, r4.previous!]) expect(text).not.toContain(pair.secret);

    await runOk("destroy");
    expect(await deployerCredentials()).toEqual([]);
  });
});
