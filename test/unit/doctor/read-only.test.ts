/**
 * The doctor only reads: ReadOnlyHttp sends GETs and client-credentials grants to the token URL, and
 * refuses everything else before the request reaches the transport.
 */
import { ReadOnlyHttp, ReadOnlyViolation, type Sender } from "../../../provider/doctor/read-only-http";
import type { HttpRequest } from "../../../provider/client/transport";

const urls = { apiUrl: "https://dpod.example/api", tokenUrl: "https://auth.example/oauth/v1/token" };

function recording(): { sender: Sender; sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  return {
    sent,
    sender: {
      send: (request) => {
        sent.push(request);
        return Promise.resolve({ status: 200, headers: {}, bodyText: "{}" });
      },
      close: () => Promise.resolve(),
    },
  };
}

it("sends GETs below the API URL and the client-credentials grant to the token URL", async () => {
  const { sender, sent } = recording();
  const http = new ReadOnlyHttp(urls, { env: {}, sender });
  await http.get("/v1/users?page=0", "token-value");
  await http.requestToken("client", "secret-value");
  expect(sent.map((r) => `${r.method} ${r.origin}${r.path}`)).toEqual([
    "GET https://dpod.example/api/v1/users?page=0",
    "POST https://auth.example/oauth/v1/token",
  ]);
  expect(new URLSearchParams(sent[1]!.body).get("grant_type")).toBe("client_credentials");
});

it.each([
  ["PATCH", "https://dpod.example", "/api/v1/users/1", "{}"],
  ["DELETE", "https://dpod.example", "/api/v1/subscriber_groups/1", undefined],
  ["POST", "https://dpod.example", "/api/v1/credentials/clients", "{}"],
  ["POST", "https://dpod.example", "/api/v1/credentials/clients/1/resetSecret", undefined],
  ["PUT", "https://dpod.example", "/api/v1/users/1", "{}"],
  // the token path, but another grant or another origin
  ["POST", "https://auth.example", "/oauth/v1/token", "grant_type=password&username=a&password=b"],
  ["POST", "https://dpod.example", "/oauth/v1/token", "grant_type=client_credentials"],
  // a GET with a body is not a plain read
  ["GET", "https://dpod.example", "/api/v1/users", "{}"],
])("refuses %s %s%s before sending", async (method, origin, path, body) => {
  const { sender, sent } = recording();
  const http = new ReadOnlyHttp(urls, { env: {}, sender });
  await expect(http.send({ method, origin, path, headers: {}, body })).rejects.toBeInstanceOf(
    ReadOnlyViolation,
  );
  expect(sent).toEqual([]);
});
