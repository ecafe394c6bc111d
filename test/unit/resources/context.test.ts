import { DpodClient } from "../../../provider/client";
import { handlerContext } from "../../../provider/resources/context";

const client = (apiUrl: string) =>
  new DpodClient({ apiUrl, tokenUrl: "https://auth.example/oauth/token", accessToken: "t" });

describe("handlerContext, the one way both adapters build a handler's context", () => {
  const now = () => new Date("2026-03-01T00:00:00Z");
  const warn = () => undefined;

  it("attaches the list-served reads of the call's own client", async () => {
    const a = client("https://a.example");
    const b = client("https://b.example");
    try {
      const first = handlerContext({ client: a, now, warn, adoptIdentical: false });
      const again = handlerContext({ client: a, now, warn, adoptIdentical: true });
      const other = handlerContext({ client: b, now, warn, adoptIdentical: false });
      expect(first.client).toBe(a);
      expect(first.reads).toBeDefined();
      expect(again.reads).toBe(first.reads);
      expect(other.reads).not.toBe(first.reads);
      expect([first.adoptIdentical, again.adoptIdentical]).toEqual([false, true]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("carries the URN only when the adapter knows it", async () => {
    const a = client("https://a.example");
    try {
      expect("urn" in handlerContext({ client: a, now, warn, adoptIdentical: false })).toBe(false);
      const urn = "urn:pulumi:dev::p::dpod:index:User::u";
      expect(handlerContext({ client: a, now, warn, adoptIdentical: false, urn }).urn).toBe(urn);
    } finally {
      await a.close();
    }
  });
});
