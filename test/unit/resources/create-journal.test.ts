// The create journal: the local record that proves which credential a create made after DPoD applied its
// rename but before the engine recorded it, and the rules that keep it from ever naming a credential the
// engine holds.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ClientCredential } from "../../../provider/client";
import { clientCredentialHandler } from "../../../provider/resources/client-credential/handler";
import { temporaryNameOwner } from "../../../provider/resources/client-credential/temporary-name";
import { CreateJournal, journalDirectory } from "../../../provider/resources/common/create-journal";
import type { CallJournal } from "../../../provider/resources/common/lifecycle";
import { JournalAccess } from "../../../provider/resources/journal-access";
import { rotatingClientCredentialHandler } from "../../../provider/resources/rotating-client-credential/handler";
import { FakeDpod, GROUP_A, PROVIDER } from "./fake-dpod";

const TENANT_URL = "https://tenant.example";
const URN = "urn:pulumi:dev::tenant::pulumi-nodejs:dynamic/dpod:ClientCredential::ci";
const OWNER = temporaryNameOwner(URN);
const inputs = { name: "ci", role: "dpod.tenant.api_appowner", __provider: PROVIDER };

function scratch(): string {
  return mkdtempSync(path.join(os.tmpdir(), "journal-test-"));
}

function callsOf(dpod: FakeDpod, op: string): unknown[][] {
  return dpod.calls.filter((c) => c.op === op).map((c) => c.args);
}

/** A credential an earlier, killed run created and renamed: it carries its real name. */
function renamedEarlier(dpod: FakeDpod, fields: Partial<ClientCredential> = {}): ClientCredential {
  return dpod.plantCredential("ci", fields);
}

describe("CreateJournal (the files)", () => {
  it("keeps one entry per owner and tenant, replaces it on a new note, and holds no secret", () => {
    const journal = new CreateJournal(scratch());
    journal.note("owner1", TENANT_URL, "id-1");
    expect(journal.find("owner1", TENANT_URL)).toMatchObject({ tenant: TENANT_URL, clientId: "id-1" });
    expect(journal.find("owner1", "https://other.example")).toBeUndefined();
    expect(journal.find("owner2", TENANT_URL)).toBeUndefined();
    journal.note("owner1", TENANT_URL, "id-2");
    expect(journal.find("owner1", TENANT_URL)?.clientId).toBe("id-2");
    const files = readdirSync(journal.directory);
    expect(files).toHaveLength(1); // the earlier entry went, and no temporary file is left
    expect(Object.keys(JSON.parse(readFileSync(path.join(journal.directory, files[0]!), "utf8")))).toEqual([
      "tenant",
      "clientId",
      "writtenAt",
    ]);
  });

  it("forgets by client id across owners, and an unreadable entry counts as none", () => {
    const journal = new CreateJournal(scratch());
    journal.note("owner1", TENANT_URL, "id-1");
    journal.note("owner2", TENANT_URL, "id-2");
    journal.forgetClientIds(["id-1", "id-9"]);
    expect(journal.find("owner1", TENANT_URL)).toBeUndefined();
    expect(journal.find("owner2", TENANT_URL)?.clientId).toBe("id-2");
    const [file] = readdirSync(journal.directory);
    writeFileSync(path.join(journal.directory, file!), "{not json");
    expect(journal.find("owner2", TENANT_URL)).toBeUndefined();
  });

  it("on a graceful shutdown removes only the entries of calls that returned", () => {
    const journal = new CreateJournal(scratch());
    const returned = journal.note("owner1", TENANT_URL, "id-1");
    journal.note("owner2", TENANT_URL, "id-2"); // its call is still in flight
    journal.markReturned([returned]);
    expect(journal.hasReturned).toBe(true);
    journal.forgetReturned();
    expect(journal.find("owner1", TENANT_URL)).toBeUndefined();
    expect(journal.find("owner2", TENANT_URL)?.clientId).toBe("id-2");
    expect(journal.hasReturned).toBe(false);
  });

  it("lives under ~/.pulumi-dpod unless DPOD_CREATE_JOURNAL_DIR moves it", () => {
    expect(journalDirectory({})).toBe(path.join(os.homedir(), ".pulumi-dpod", "create-journal"));
    expect(journalDirectory({ DPOD_CREATE_JOURNAL_DIR: "/srv/journal" })).toBe("/srv/journal");
  });
});

describe("JournalAccess (what the engine has shown this process)", () => {
  it("a first create (checked without recorded inputs) may take over what the journal names", () => {
    const access = new JournalAccess(new CreateJournal(scratch()));
    access.forCall(URN, TENANT_URL, () => undefined)!.note(OWNER, "id-1");
    access.checked("ClientCredential", URN, {});
    expect(access.forCall(URN, TENANT_URL, () => undefined)!.earlierCreate(OWNER)).toEqual({
      clientId: "id-1",
      engineMayHoldIt: false,
    });
  });

  it("a replacement without a diff (--replace): the engine may hold it", () => {
    const access = new JournalAccess(new CreateJournal(scratch()));
    access.forCall(URN, TENANT_URL, () => undefined)!.note(OWNER, "id-1");
    access.checked("ClientCredential", URN, { name: "ci", role: "dpod.tenant.api_appowner" });
    expect(access.forCall(URN, TENANT_URL, () => undefined)!.earlierCreate(OWNER)).toEqual({
      clientId: "id-1",
      engineMayHoldIt: true,
    });
  });

  it("a diff shows the recorded ids: their entries go, and another unrecorded one may be taken over", () => {
    const journal = new CreateJournal(scratch());
    const access = new JournalAccess(journal);
    journal.note(OWNER, TENANT_URL, "recorded-id");
    journal.note(temporaryNameOwner(`${URN}#slot-b`), TENANT_URL, "unrecorded-id");
    access.checked("RotatingClientCredential", URN, { name: "ci" });
    access.shown("RotatingClientCredential", "pair", { clientId: "recorded-id", name: "ci" }, URN);
    expect(journal.find(OWNER, TENANT_URL)).toBeUndefined();
    const view = access.forCall(URN, TENANT_URL, () => undefined)!;
    expect(view.earlierCreate(temporaryNameOwner(`${URN}#slot-b`))).toEqual({
      clientId: "unrecorded-id",
      engineMayHoldIt: false,
    });
  });

  it("users and groups never touch the journal", () => {
    const journal = new CreateJournal(scratch());
    const access = new JournalAccess(journal);
    journal.note(OWNER, TENANT_URL, "same-id");
    access.shown("User", "same-id", {}, URN);
    expect(journal.find(OWNER, TENANT_URL)?.clientId).toBe("same-id");
  });

  it("an unusable journal warns once per process (read, write) and the creates go on", async () => {
    // A file where the directory should be: not writable, even for root.
    const blocker = path.join(scratch(), "blocker");
    writeFileSync(blocker, "");
    const access = new JournalAccess(new CreateJournal(path.join(blocker, "journal")));
    const dpod = new FakeDpod();
    const warnings: string[] = [];
    for (const urn of [URN, `${URN}-2`]) {
      const journal = access.forCall(urn, TENANT_URL, (message) => warnings.push(message));
      const { outs } = await clientCredentialHandler.create(
        dpod.context(undefined, { urn, journal }),
        inputs,
      );
      expect(outs).toMatchObject({ name: "ci" });
    }
    // The engine showing a recorded credential does not fail on it either: nothing there can be read.
    expect(() => access.shown("ClientCredential", "some-id", {}, URN)).not.toThrow();
    expect(warnings.filter((w) => w.includes("create journal")).sort()).toEqual([
      expect.stringMatching(/create journal at .* cannot be read/),
      expect.stringMatching(/create journal at .* cannot be written/),
    ]);
  });
});

describe("ClientCredential create with the journal", () => {
  /** A journal view as a first create of URN sees it, over a fresh directory. */
  function firstCreateView(journal = new CreateJournal(scratch())): {
    journal: CreateJournal;
    view: CallJournal;
  } {
    const access = new JournalAccess(journal);
    access.checked("ClientCredential", URN, {});
    return { journal, view: access.forCall(URN, TENANT_URL, () => undefined)! };
  }

  it("notes the credential before its rename", async () => {
    const dpod = new FakeDpod();
    const { journal, view } = firstCreateView();
    const update = dpod.api.credentials.update;
    let notedAtRename: string | undefined;
    dpod.api.credentials.update = (id, body) => {
      notedAtRename = journal.find(OWNER, TENANT_URL)?.clientId;
      return update(id, body);
    };
    const { id } = await clientCredentialHandler.create(
      dpod.context(undefined, { urn: URN, journal: view }),
      inputs,
    );
    expect(notedAtRename).toBe(id);
  });

  it("killed after the rename: the next run takes the renamed credential over, resets it, no orphan", async () => {
    const dpod = new FakeDpod();
    const earlier = renamedEarlier(dpod);
    const foreign = renamedEarlier(dpod); // same name and role, someone else's
    const { journal, view } = firstCreateView();
    journal.note(OWNER, TENANT_URL, earlier.clientId);
    const ctx = dpod.context(undefined, { urn: URN, journal: view });
    const { id, outs } = await clientCredentialHandler.create(ctx, inputs);
    expect(id).toBe(earlier.clientId);
    expect(callsOf(dpod, "credentials.create")).toEqual([]);
    expect(callsOf(dpod, "credentials.resetSecret")).toEqual([[earlier.clientId]]);
    expect(outs).toMatchObject({ name: "ci", clientSecret: expect.stringMatching(/^fake-secret-/) });
    expect(ctx.warnings).toEqual([
      expect.stringContaining(
        `took over credential ${earlier.clientId}, which an interrupted create of this resource renamed`,
      ),
    ]);
    expect(dpod.credentials.get(foreign.clientId)).toEqual(foreign); // untouched, and not warned about
    expect(dpod.credentials.size).toBe(2);
  });

  it("the engine may hold it (--replace): not taken over, a new one is created, and the warning names it", async () => {
    const dpod = new FakeDpod();
    const recorded = renamedEarlier(dpod);
    const journal = new CreateJournal(scratch());
    journal.note(OWNER, TENANT_URL, recorded.clientId);
    const access = new JournalAccess(journal);
    access.checked("ClientCredential", URN, { name: "ci" });
    const ctx = dpod.context(undefined, {
      urn: URN,
      journal: access.forCall(URN, TENANT_URL, () => undefined),
    });
    const { id } = await clientCredentialHandler.create(ctx, inputs);
    expect(id).not.toBe(recorded.clientId);
    expect(dpod.credentials.get(recorded.clientId)).toEqual(recorded);
    expect(callsOf(dpod, "credentials.resetSecret")).toEqual([]);
    expect(ctx.warnings).toContainEqual(
      expect.stringContaining(`the create journal names credential ${recorded.clientId}`),
    );
  });

  it("a journaled credential deleted since is forgotten; one that differs from the program is deleted", async () => {
    const gone = new FakeDpod();
    const { journal, view } = firstCreateView();
    journal.note(OWNER, TENANT_URL, "dddddddd-0000-4000-8000-000000000001");
    const created = await clientCredentialHandler.create(
      gone.context(undefined, { urn: URN, journal: view }),
      inputs,
    );
    expect(journal.find(OWNER, TENANT_URL)?.clientId).toBe(created.id);

    const dpod = new FakeDpod();
    const changed = renamedEarlier(dpod, { subscriberGroups: [GROUP_A] }); // the program changed since
    const second = firstCreateView();
    second.journal.note(OWNER, TENANT_URL, changed.clientId);
    const { id } = await clientCredentialHandler.create(
      dpod.context(undefined, { urn: URN, journal: second.view }),
      inputs,
    );
    expect(callsOf(dpod, "credentials.delete")).toEqual([[changed.clientId]]);
    expect([...dpod.credentials.keys()]).toEqual([id]);
  });

  it("a rotation killed after its new slot's rename: the next rotation takes that credential over", async () => {
    const dpod = new FakeDpod();
    const pairUrn = "urn:pulumi:dev::tenant::pulumi-nodejs:dynamic/dpod:RotatingClientCredential::pair";
    const journal = new CreateJournal(scratch());
    const access = new JournalAccess(journal);
    const pairInputs = { name: "pair", role: "dpod.tenant.api_appowner", __provider: PROVIDER };
    access.checked("RotatingClientCredential", pairUrn, {});
    const created = await rotatingClientCredentialHandler.create(
      dpod.context(undefined, {
        urn: pairUrn,
        journal: access.forCall(pairUrn, TENANT_URL, () => undefined),
      }),
      pairInputs,
    );
    // The killed rotation: slot b created and renamed, noted, never recorded.
    const slotB = renamedEarlier(dpod, { name: "pair-b" });
    journal.note(temporaryNameOwner(`${pairUrn}#slot-b`), TENANT_URL, slotB.clientId);
    // The next run: checked with the recorded inputs, diffed with the recorded state, then the update.
    const news = { ...pairInputs, rotationTriggers: { at: "1" } };
    access.checked("RotatingClientCredential", pairUrn, pairInputs);
    access.shown("RotatingClientCredential", created.id, created.outs, pairUrn);
    const ctx = dpod.context(undefined, {
      urn: pairUrn,
      journal: access.forCall(pairUrn, TENANT_URL, () => undefined),
    });
    const { outs } = await rotatingClientCredentialHandler.update(ctx, created.id, created.outs, news);
    expect(outs).toMatchObject({ clientId: slotB.clientId, previousClientId: created.outs.clientId });
    expect(callsOf(dpod, "credentials.create")).toHaveLength(1); // slot a only: slot b was taken over
    expect([...dpod.credentials.values()].map((c) => c.name).sort()).toEqual(["pair-a", "pair-b"]);
  });
});
