// Expiry you can see coming: with rotateAfterDays, secretExpiresAt (and, for a rotating pair, when the
// previous pair stops working) in the outputs, and a preview warning naming the resource once that moment
// is within expiryWarningDays.
import { clientCredentialHandler } from "../../../provider/resources/client-credential/handler";
import { rotatingClientCredentialHandler } from "../../../provider/resources/rotating-client-credential/handler";
import { FakeDpod, PROVIDER } from "./fake-dpod";

const DAY = 24 * 60 * 60 * 1000;
const at = (dpod: FakeDpod, days: number) => dpod.context(new Date(Date.parse(dpod.dpodNow) + days * DAY));

describe("ClientCredential secretExpiresAt and its preview warning", () => {
  const inputs = { name: "ci", role: "dpod.tenant.api_appowner", rotateAfterDays: 30, __provider: PROVIDER };

  it("outputs when the secret is due, at create and after a rotation", async () => {
    const dpod = new FakeDpod();
    const { id, outs } = await clientCredentialHandler.create(dpod.context(), inputs);
    expect(outs.secretExpiresAt).toBe("2026-07-01T00:00:00.000Z");
    const later = at(dpod, 31);
    const { outs: rotated } = await clientCredentialHandler.update(later, id, outs, inputs);
    expect(rotated.secretExpiresAt).toBe("2026-08-01T00:00:00.000Z");
    const { outs: noAge } = await clientCredentialHandler.update(later, id, rotated, {
      ...inputs,
      rotateAfterDays: undefined,
    });
    expect(noAge).not.toHaveProperty("secretExpiresAt");
  });

  it("warns at preview within expiryWarningDays (default 7), naming the resource; not before, not once due", async () => {
    const dpod = new FakeDpod();
    const { id, outs } = await clientCredentialHandler.create(dpod.context(), inputs);
    expect(clientCredentialHandler.diff(id, outs, inputs, at(dpod, 22).now).warnings ?? []).toEqual([]);
    const soon = clientCredentialHandler.diff(id, outs, inputs, at(dpod, 25).now);
    expect(soon.changes).toBe(false);
    expect(soon.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^ClientCredential "ci" \\(client id ${id}\\): its secret is due for rotation at ` +
            `2026-07-01T00:00:00.000Z \\(rotateAfterDays 30\\), in 5.0 days`,
        ),
      ),
    ]);
    const wider = { ...inputs, expiryWarningDays: 10 };
    expect(clientCredentialHandler.diff(id, outs, wider, at(dpod, 22).now).warnings).toHaveLength(1);
    const off = { ...inputs, expiryWarningDays: 0 };
    expect(clientCredentialHandler.diff(id, outs, off, at(dpod, 29).now).warnings ?? []).toEqual([]);
    // Once due, the diff shows the rotation itself instead.
    const due = clientCredentialHandler.diff(id, outs, inputs, at(dpod, 31).now);
    expect(due.changedKeys).toContain("clientSecret");
    expect(due.warnings ?? []).toEqual([]);
  });

  it("refuses a negative expiryWarningDays in check, naming the field", () => {
    const result = clientCredentialHandler.check({}, { ...inputs, expiryWarningDays: -1 });
    expect(result.failures).toEqual([
      {
        property: "expiryWarningDays",
        reason: expect.stringMatching(/^expiryWarningDays: must be 0 or more/),
      },
    ]);
  });
});

describe("RotatingClientCredential expiry", () => {
  const inputs = {
    name: "deployer",
    role: "dpod.tenant.api_appowner",
    rotateAfterDays: 30,
    __provider: PROVIDER,
  };
  const handler = rotatingClientCredentialHandler;

  it("outputs when the current pair and the previous pair stop working, and warns before the previous one does", async () => {
    const dpod = new FakeDpod();
    const created = await handler.create(dpod.context(), inputs);
    expect(created.outs.secretExpiresAt).toBe("2026-07-31T00:00:00.000Z"); // two due rotations on
    expect(created.outs).not.toHaveProperty("previousSecretExpiresAt");
    // No previous pair: nothing stops working at the next rotation, so no warning.
    expect(handler.diff(created.id, created.outs, inputs, at(dpod, 25).now).warnings ?? []).toEqual([]);

    const { outs } = await handler.update(at(dpod, 31), created.id, created.outs, inputs); // by age
    expect(outs).toMatchObject({
      currentSlot: "b",
      previousSecretExpiresAt: "2026-08-01T00:00:00.000Z",
      secretExpiresAt: "2026-08-31T00:00:00.000Z",
    });
    const warned = handler.diff(created.id, outs, inputs, at(dpod, 56).now);
    expect(warned.changes).toBe(false);
    expect(warned.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^RotatingClientCredential "deployer" \\(id ${created.id}\\): the previous pair \\(client id ` +
            `${String(outs.previousClientId)}\\) stops working at 2026-08-01T00:00:00.000Z.*in 5.0 days.*` +
            `current pair \\(client id ${String(outs.clientId)}\\)`,
        ),
      ),
    ]);
    expect(handler.diff(created.id, outs, inputs, at(dpod, 50).now).warnings ?? []).toEqual([]);
  });
});
