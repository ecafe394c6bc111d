import { driftedResources, driftSummary } from "../../scripts/lib/preview-output";

describe("driftedResources", () => {
  it("names the resources of the default table format, without the summary or refresh lines", () => {
    const text = [
      "Previewing update (test):",
      "     Type                                          Name              Plan       Info",
      "     pulumi:pulumi:Stack                           dpod-resources-test",
      " ~   ├─ pulumi-nodejs:dynamic/dpod:SubscriberGroup  ops               update     [diff: ~name]",
      " ~   ├─ pulumi-nodejs:dynamic/dpod:User             alice             update     [diff: ~phoneNumber]",
      " +   └─ pulumi-nodejs:dynamic/dpod:ClientCredential ci                create",
      "Resources:",
      "    + 1 to create",
      "    ~ 2 to update",
    ].join("\n");
    expect(driftedResources(text)).toEqual(["alice", "ci", "ops"]);
    expect(driftSummary(text)).toEqual(["alice (phoneNumber)", "ci", "ops (name)"]);
  });

  it("names the resources of the --diff format and ignores refresh entries", () => {
    const text = [
      "~ pulumi:pulumi:Stack: (refresh)",
      "    [urn=urn:pulumi:test::p::pulumi:pulumi:Stack::p-test]",
      "    ~ pulumi-nodejs:dynamic/dpod:SubscriberGroup: (refresh)",
      "        [id=90424558]",
      "        [urn=urn:pulumi:test::p::pulumi-nodejs:dynamic/dpod:SubscriberGroup::payments]",
      "  pulumi:pulumi:Stack: (same)",
      "    ~ pulumi-nodejs:dynamic/dpod:SubscriberGroup: (update)",
      "        [id=90424558]",
      "        [urn=urn:pulumi:test::p::pulumi-nodejs:dynamic/dpod:SubscriberGroup::payments]",
      '      ~ description: "edited" => "Payments"',
      "Resources:",
      "    ~ 1 to update",
    ].join("\n");
    expect(driftedResources(text)).toEqual(["payments"]);
  });

  it("finds nothing in a clean preview", () => {
    expect(driftedResources("Resources:\n    3 unchanged\n")).toEqual([]);
  });
});
