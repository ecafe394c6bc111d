import { ApiError, OAuthError, errorBody } from "../../../emulator/errors";
import { FaultRegistry } from "../../../emulator/faults";
import { RequestLog, MAX_LOG_ENTRIES } from "../../../emulator/request-log";
import { describeIssue, parseBody, parseUuid } from "../../../emulator/validation";
import { z } from "zod";

describe("emulator fault registry", () => {
  it("matches by route key or *, consumes counts, and removes spent faults", () => {
    const registry = new FaultRegistry(() => 0);
    registry.add({ route: "GET /v1/users/:id", kind: "status", status: 429, count: 2 });
    expect(registry.pick("GET /v1/users")).toBeUndefined();
    expect(registry.pick("GET /v1/users/:id")).toMatchObject({ status: 429, hits: 1, remaining: 1 });
    expect(registry.pick("GET /v1/users/:id")).toMatchObject({ hits: 2, remaining: 0 });
    expect(registry.pick("GET /v1/users/:id")).toBeUndefined();
    expect(registry.isEmpty).toBe(true);

    registry.add({ route: "*", kind: "latency", latencyMs: 5 });
    expect(registry.pick("POST /oauth/v1/token")).toMatchObject({ kind: "latency" });
    registry.clear();
    expect(registry.list()).toEqual([]);
  });

  it("fires at the configured rate using the injected random source", () => {
    const draws = [0.1, 0.9, 0.4, 0.6];
    const registry = new FaultRegistry(() => draws.shift() ?? 0);
    registry.add({ route: "*", kind: "status", status: 500, rate: 0.5 });
    const fired = [1, 2, 3, 4].map(() => registry.pick("GET /v1/users") !== undefined);
    expect(fired).toEqual([true, false, true, false]);
  });

  it("tries faults in registration order; the first that fires wins", () => {
    const registry = new FaultRegistry(() => 0.5);
    registry.add({ route: "*", kind: "status", status: 500, rate: 0.1 });
    registry.add({ route: "*", kind: "status", status: 503 });
    expect(registry.pick("GET /v1/users")?.status).toBe(503);
  });
});

describe("emulator request log", () => {
  it("counts per route and keeps a bounded entry list", () => {
    const log = new RequestLog();
    for (let index = 0; index < MAX_LOG_ENTRIES + 2000; index += 1) {
      log.record({ method: "GET", route: "GET /v1/users/:id", path: "/v1/users/x", status: 200, at: "t" });
    }
    const report = log.report();
    expect(report.total).toBe(MAX_LOG_ENTRIES + 2000);
    expect(report.byRoute).toEqual({ "GET /v1/users/:id": MAX_LOG_ENTRIES + 2000 });
    expect(report.entries.length).toBe(MAX_LOG_ENTRIES);
    log.reset();
    expect(log.report()).toEqual({ total: 0, byRoute: {}, entries: [] });
  });
});

describe("emulator error bodies and validation", () => {
  it("builds the combined Spring + code body, with an incident id on 5xx only", () => {
    expect(errorBody(404, "User x not found", "/v1/users/x", Date.UTC(2026, 0, 1))).toEqual({
      timestamp: "2026-01-01T00:00:00.000Z",
      status: 404,
      error: "Not Found",
      message: "User x not found",
      path: "/v1/users/x",
      code: 404,
    });
    expect(errorBody(503, "down", "/v1", 0).incidentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new OAuthError(401, "invalid_client", "Bad credentials").body).toEqual({
      error: "invalid_client",
      error_description: "Bad credentials",
    });
  });

  it("parses UUIDs case-insensitively and names the parameter otherwise", () => {
    expect(parseUuid("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE", "id")).toBe(
      "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
    );
    expect(() => parseUuid("nope", "id")).toThrow(new ApiError(400, "Parameter 'id' must be a UUID"));
  });

  it("describes zod issues by field: required, wrong type, unknown", () => {
    const schema = z.strictObject({ name: z.string(), tags: z.array(z.string()).optional() });
    const message = (input: unknown) => {
      try {
        parseBody(schema, input);
        return "ok";
      } catch (error) {
        return (error as ApiError).message;
      }
    };
    expect(message({})).toBe("Field 'name' is required");
    expect(message({ name: 1 })).toBe("Field 'name' must be of type string");
    expect(message({ name: "a", tags: [1] })).toBe("Field 'tags[0]' must be of type string");
    expect(message({ name: "a", extra: 1 })).toBe("Unknown field 'extra'");
    expect(message([])).toBe("Request body must be a JSON object");
    expect(message(undefined)).toBe("Field 'name' is required");
    expect(typeof describeIssue).toBe("function");
  });
});
