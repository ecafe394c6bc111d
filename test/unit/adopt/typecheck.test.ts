// The generated program compiles against the SDK as it is now: a renamed or retyped input would break
// every generated program, and this fails first. The program is type-checked in memory, as if it sat in
// the repository (where `pulumi-dpod` resolves to sdk/), with the repository's compiler options.
import * as path from "node:path";
import * as ts from "typescript";
import { generateAdoption } from "../../../provider/adopt/generate";
import { ADOPT_KINDS } from "../../../provider/adopt/selection";
import { CHILD_TENANT, FakeDpod, SERVICE } from "../resources/fake-dpod";

const root = path.resolve(__dirname, "..", "..", "..");

function diagnostics(fileName: string, text: string): string[] {
  const configFile = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    path.resolve(name) === fileName
      ? ts.createSourceFile(name, text, language)
      : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);
  const program = ts.createProgram([fileName], { ...parsed.options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(fileName))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

it("type-checks against the SDK, with users in a child tenant and every kind of input", async () => {
  const dpod = new FakeDpod();
  const ops = await dpod.api.subscriberGroups.create({ name: "ops", description: "Operations" });
  await dpod.api.users.create({
    username: "amy@example.com",
    givenName: "Amy",
    familyName: "Pond",
    phoneNumber: "+44 1",
    accountRole: "appowner",
    subscriberGroups: [ops.id],
  });
  await dpod.api.credentials.create({
    name: "svc",
    role: "api_service",
    serviceIds: [SERVICE],
    subscriberGroups: [ops.id],
  });
  for (const retainOnDelete of [false, true]) {
    const { program } = await generateAdoption(
      { tenant: dpod.api, users: { client: dpod.api } },
      {
        selection: { kinds: new Set(ADOPT_KINDS), include: [], exclude: [], excludedClientIds: new Set() },
        usersConnection: true,
        usersTenantId: CHILD_TENANT,
        retainOnDelete,
      },
    );
    const fileName = path.join(root, "examples", "adopt-tenant", "generated-in-memory.ts");
    expect(diagnostics(fileName, program)).toEqual([]);
  }
}, 60_000);
