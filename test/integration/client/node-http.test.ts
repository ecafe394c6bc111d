/**
 * node-http.ts against misbehaving servers on 127.0.0.1: each failure carries the code retry.ts decides on,
 * keep-alive reuses sockets within the bound, and a closed sender sends nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import {
  BODY_TIMEOUT,
  CONNECT_TIMEOUT,
  HEADERS_TIMEOUT,
  MAX_RESPONSE_BYTES,
  NodeHttpSender,
  RESPONSE_TOO_LARGE,
} from "../../../provider/client/node-http";

let server: Server;
let origin: string;
let handler: (request: IncomingMessage, response: ServerResponse) => void;
const received: Array<{ method: string; body: string; contentLength: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ method: request.method!, body, contentLength: request.headers["content-length"] });
      handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => received.splice(0));

const sender = (requestTimeoutMs = 300, maxConnectionsPerOrigin = 2) =>
  new NodeHttpSender({ requestTimeoutMs, maxConnectionsPerOrigin });

it("sends the method, headers and body, and returns status, headers and the whole body", async () => {
  handler = (_request, response) => {
    response.setHeader("x-answer", "42");
    response.end(JSON.stringify({ ok: true }));
  };
  const http = sender();
  const answer = await http.send({
    origin,
    path: "/v1/users?page=0",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"name":"é"}',
  });
  expect(answer).toMatchObject({ status: 200, bodyText: '{"ok":true}' });
  expect(answer.headers["x-answer"]).toBe("42");
  expect(received).toEqual([{ method: "POST", body: '{"name":"é"}', contentLength: "13" }]);
  http.close();
});

it("reuses keep-alive sockets and never opens more than the bound per origin", async () => {
  handler = (_request, response) => setTimeout(() => response.end("{}"), 5);
  const http = sender(1_000, 2);
  await Promise.all(
    Array.from({ length: 20 }, () => http.send({ origin, path: "/", method: "GET", headers: {} })),
  );
  for (let i = 0; i < 5; i++) await http.send({ origin, path: "/", method: "GET", headers: {} });
  expect(received).toHaveLength(25);
  expect(http.connectionsOpened).toBeGreaterThan(0);
  expect(http.connectionsOpened).toBeLessThanOrEqual(2);
  http.close();
});

it("fails with DPOD_CONNECT_TIMEOUT while the TLS handshake stalls, before any request byte is sent", async () => {
  // A TCP listener that accepts and never answers: the client's TLS handshake cannot complete. Loopback
  // cannot stall a TCP connect itself, but until the handshake is done nothing of the request is written
  // either, and that is the contract of the code: a create that failed with it may be sent again.
  const bytes: Buffer[] = [];
  const sockets: Socket[] = [];
  const silent = createTcpServer((socket) => {
    sockets.push(socket);
    socket.on("data", (chunk: Buffer) => bytes.push(chunk));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const http = sender(200);
  try {
    const port = (silent.address() as AddressInfo).port;
    await expect(
      http.send({
        origin: `https://127.0.0.1:${port}`,
        path: "/v1/users",
        method: "POST",
        headers: {},
        body: "{}",
      }),
    ).rejects.toMatchObject({ code: CONNECT_TIMEOUT });
    const seen = Buffer.concat(bytes);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toBe(0x16); // a TLS handshake record (the ClientHello), and nothing of the HTTP request
    expect(seen.includes(Buffer.from("POST"))).toBe(false);
  } finally {
    http.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

it("fails with DPOD_HEADERS_TIMEOUT when the server never answers (after the request was sent)", async () => {
  handler = () => undefined; // never answers
  const http = sender(200);
  await expect(http.send({ origin, path: "/", method: "GET", headers: {} })).rejects.toMatchObject({
    code: HEADERS_TIMEOUT,
  });
  expect(received).toHaveLength(1);
  http.close();
});

it("fails with DPOD_BODY_TIMEOUT when the body stalls", async () => {
  handler = (_request, response) => {
    response.writeHead(200, { "content-length": "100" });
    response.write("{");
  };
  const http = sender(200);
  await expect(http.send({ origin, path: "/", method: "GET", headers: {} })).rejects.toMatchObject({
    code: BODY_TIMEOUT,
  });
  http.close();
});

it("fails with ECONNRESET when the server drops the connection mid-body", async () => {
  handler = (request, response) => {
    response.writeHead(200, { "content-length": "100" });
    response.write("{", () => request.socket.destroy());
  };
  const http = sender(2_000);
  await expect(http.send({ origin, path: "/", method: "GET", headers: {} })).rejects.toMatchObject({
    code: "ECONNRESET",
  });
  http.close();
});

it("refuses a body larger than any DPoD answer", async () => {
  handler = (_request, response) => {
    const chunk = Buffer.alloc(1024 * 1024, 97);
    let sent = 0;
    const pump = () => {
      while (sent <= MAX_RESPONSE_BYTES && response.write(chunk)) sent += chunk.length;
      if (sent <= MAX_RESPONSE_BYTES) response.once("drain", pump);
      else response.end();
    };
    pump();
  };
  const http = sender(5_000);
  await expect(http.send({ origin, path: "/", method: "GET", headers: {} })).rejects.toMatchObject({
    code: RESPONSE_TOO_LARGE,
  });
  http.close();
});

it("a closed sender sends nothing", async () => {
  handler = (_request, response) => response.end("{}");
  const http = sender();
  http.close();
  expect(() => http.send({ origin, path: "/", method: "GET", headers: {} })).toThrow(/closed/);
  expect(received).toHaveLength(0);
});
