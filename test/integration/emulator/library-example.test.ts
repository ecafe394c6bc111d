// The library example of docs/emulator.md is an excerpt of this file (test/unit/docs-excerpts.test.ts
// checks it), so the documented usage is run, not just shown.
import { startEmulator } from "dpod-emulator";

async function countSubscriberGroupsOfTheChildTenant(): Promise<number> {
  const emulator = await startEmulator(); // port 0 on 127.0.0.1, fresh seed, state in memory
  try {
    const [, child] = emulator.tenants; // [service-provider tenant, its child tenant]
    const appOwner = child!.credentials.find((credential) => credential.role === "dpod.tenant.api_appowner")!;
    const tokenResponse = await fetch(emulator.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: appOwner.clientId,
        client_secret: appOwner.clientSecret,
      }),
    });
    const { access_token } = (await tokenResponse.json()) as { access_token: string };
    const groups = await fetch(`${emulator.url}/v1/subscriber_groups`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    return ((await groups.json()) as { totalElements: number }).totalElements;
  } finally {
    await emulator.close();
  }
}

describe("the documented library usage of the emulator", () => {
  it("starts, serves a client-credentials call and closes", async () => {
    await expect(countSubscriberGroupsOfTheChildTenant()).resolves.toBe(0);
  });
});
