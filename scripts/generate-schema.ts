/**
 * Writes provider/native/pulumi-schema.json, the native plugin's package schema, from the zod schemas it is
 * built from (provider/native/schema.ts). The SDK generators read this file; a unit test fails when it is
 * stale. Run `npm run generate:schema` after changing a resource's fields or descriptions.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { buildPackageSchema } from "../provider/native/schema";
import { repositoryRoot } from "./lib/engine";

export const SCHEMA_FILE = path.join(repositoryRoot, "provider", "native", "pulumi-schema.json");

/** The schema file's exact text for the package's current version. */
export function schemaText(): string {
  const { version } = JSON.parse(readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as {
    version: string;
  };
  return `${JSON.stringify(buildPackageSchema(version), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${path.relative(repositoryRoot, SCHEMA_FILE)}`);
}
