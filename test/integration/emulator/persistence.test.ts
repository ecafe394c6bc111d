import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "dpod-emulator";
import { http, seedTokens, uniqueUsername } from "./harness";

describe("emulator --state persistence", () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "dpod-emulator-state-"));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("keeps tenants, secrets, objects and the signing key across a restart", async () => {
    const statePath = join(directory, "state.json");
    const first = await startEmulator({ statePath });
    const tokens = await seedTokens(first);
    const group = await http(first, "/v1/subscriber_groups", {
      method: "POST",
      token: tokens.appOwner,
      body: { name: "persisted-group" },
    });
    const username = uniqueUsername("persisted");
    const user = await http(first, "/v1/users", {
      method: "POST",
      token: tokens.spAdmin,
      body: { username, givenName: "P", familyName: "S", accountRole: "spadmin" },
    });
    const credential = await http(first, "/v1/credentials/clients", {
      method: "POST",
      token: tokens.appOwner,
      body: { name: "persisted-credential", role: "api_appowner" },
    });
    await first.close();

    const second = await startEmulator({ statePath });
    try {
      expect(second.tenants).toEqual(first.tenants);
      // A token issued before the restart is still valid (the signing key is in the state file).
      const fetchedUser = await http(second, `/v1/users/${user.body["id"]}`, { token: tokens.spAdmin });
      expect(fetchedUser.status).toBe(200);
      expect(fetchedUser.body).toEqual(user.body);
      const fetchedGroup = await http(second, `/v1/subscriber_groups/${group.body["id"]}`, {
        token: tokens.appOwner,
      });
      expect(fetchedGroup.body).toEqual(group.body);
      // The credential's secret digest survived: its secret still gets a token; a wrong one still does not.
      const form = (secret: string) =>
        new URLSearchParams({
          grant_type: "client_credentials",
          client_id: credential.body["clientId"],
          client_secret: secret,
        }).toString();
      const headers = { "content-type": "application/x-www-form-urlencoded" };
      const good = await http(second, "/oauth/v1/token", {
        method: "POST",
        headers,
        rawBody: form(credential.body["clientSecret"]),
      });
      expect(good.status).toBe(200);
      const bad = await http(second, "/oauth/v1/token", { method: "POST", headers, rawBody: form("wrong") });
      expect(bad.status).toBe(401);
      // The state file holds no plain secret of API-created credentials.
      expect(readFileSync(statePath, "utf8")).not.toContain(credential.body["clientSecret"]);
    } finally {
      await second.close();
    }
  });

  it("refuses to start on a file that is not a state file", async () => {
    const statePath = join(directory, "garbage.json");
    require("node:fs").writeFileSync(statePath, "{not json");
    await expect(startEmulator({ statePath })).rejects.toThrow(/Cannot read emulator state file/);
  });

  it("writes atomically: a concurrent reader never sees a torn file, and no temporary file is left", async () => {
    const statePath = join(directory, "state.json");
    const emulator = await startEmulator({ statePath });
    const tokens = await seedTokens(emulator);
    // A separate process reads and parses the file in a tight loop while this one writes it.
    const readerScript = `
      const fs = require("node:fs");
      let reads = 0, torn = 0;
      const until = Date.now() + Number(process.argv[2]);
      while (Date.now() < until) {
        try { JSON.parse(fs.readFileSync(process.argv[1], "utf8")); reads++; } catch (e) { torn++; }
      }
      process.stdout.write(JSON.stringify({ reads, torn }));
    `;
    const reader = spawn(process.execPath, ["-e", readerScript, statePath, "3000"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    reader.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const finished = new Promise<number | null>((resolve) => reader.on("exit", resolve));
    try {
      let writes = 0;
      const deadline = Date.now() + 2000;
      while (Date.now() < deadline) {
        const result = await http(emulator, "/v1/subscriber_groups", {
          method: "POST",
          token: tokens.appOwner,
          body: { name: `group-${writes}`, description: "x".repeat(200) },
        });
        expect(result.status).toBe(201);
        writes += 1;
      }
      expect(await finished).toBe(0);
      const { reads, torn } = JSON.parse(output) as { reads: number; torn: number };
      expect(writes).toBeGreaterThan(20);
      expect(reads).toBeGreaterThan(20);
      expect(torn).toBe(0);
      expect(readdirSync(directory)).toEqual(["state.json"]);
    } finally {
      await emulator.close();
    }
  });
});
