// A forward proxy for tests (the `proxy` package, an ESM module, hence a child process of its own).
// Listens on 127.0.0.1, port 0, and prints {"port": N} on stdout once listening, then one JSON line per
// request it receives: {"method", "target", "authorized"}. Arguments:
//   --map NAME=ADDRESS   connect to ADDRESS when asked for host NAME (a name only this proxy resolves)
//   --credentials U:P    demand Basic proxy credentials U:P (407 otherwise)
import { Buffer } from "node:buffer";
import { createServer } from "node:http";
import process from "node:process";
import { parseArgs } from "node:util";
import { createProxy } from "proxy";

const { values } = parseArgs({
  options: { map: { type: "string", multiple: true, default: [] }, credentials: { type: "string" } },
});
const names = new Map(values.map.map((entry) => entry.split("=", 2)));
const expected =
  values.credentials === undefined
    ? undefined
    : `Basic ${Buffer.from(values.credentials).toString("base64")}`;

const server = createProxy(createServer());
// Called for every request and tunnel before the proxy connects anywhere: record it, check the
// credentials, and point mapped names at their address.
server.authenticate = (request) => {
  const authorized = expected === undefined || request.headers["proxy-authorization"] === expected;
  process.stdout.write(`${JSON.stringify({ method: request.method, target: request.url, authorized })}\n`);
  for (const [name, address] of names) {
    request.url = request.url.replace(
      new RegExp(`^(https?://)?${name.replace(/\./g, "\\.")}(?=[:/]|$)`),
      `$1${address}`,
    );
  }
  return authorized;
};
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
