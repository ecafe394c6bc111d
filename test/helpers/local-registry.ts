/**
 * A private npm registry for tests: verdaccio in this process, on 127.0.0.1 and a free port, its storage in
 * a scratch directory, no uplinks (it serves only what is published to it, and never reaches another
 * registry), anonymous reads and publishing by one user created at start.
 */
import { writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { runServer } from "verdaccio";

export interface LocalRegistry {
  /** The registry URL, with a trailing slash, as npm's --registry takes it. */
  url: string;
  /** An npmrc file that authenticates to the registry (for `npm publish --userconfig`). */
  userconfig: string;
  close(): Promise<void>;
}

const USER = "release-test";

export async function startLocalRegistry(dir: string): Promise<LocalRegistry> {
  const configPath = path.join(dir, "config.yaml");
  writeFileSync(
    configPath,
    [
      `storage: ${JSON.stringify(path.join(dir, "storage"))}`,
      "auth:",
      "  htpasswd:",
      `    file: ${JSON.stringify(path.join(dir, "htpasswd"))}`,
      "    max_users: 1",
      "uplinks: {}",
      "packages:",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "web:",
      "  enable: false",
      "log: { type: stdout, format: pretty, level: error }",
      "",
    ].join("\n"),
  );
  const server = (await runServer(configPath)) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  try {
    // The CouchDB-style user creation npm's `adduser` uses; it answers with the user's token.
    const response = await fetch(`${url}-/user/org.couchdb.user:${USER}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: USER, password: "release-test-password", type: "user", roles: [] }),
    });
    const body = (await response.json()) as { token?: string };
    if (!response.ok || !body.token)
      throw new Error(`creating the registry user answered ${response.status}`);
    const userconfig = path.join(dir, "npmrc");
    writeFileSync(userconfig, `//127.0.0.1:${port}/:_authToken=${body.token}\n`);
    return { url, userconfig, close };
  } catch (error) {
    await close();
    throw error;
  }
}
