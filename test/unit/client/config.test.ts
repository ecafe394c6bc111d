import {
  CONNECTION_ENV_VARS,
  DEFAULT_TOKEN_URL,
  DpodConfigError,
  resolveConnectionSettings,
  type ConnectionSettingKey,
} from "../../../provider/config";

const SECRET = "cfg-secret-DO-NOT-PRINT-123";

function stack(values: Partial<Record<ConnectionSettingKey, string>>) {
  return (key: ConnectionSettingKey) => values[key];
}

function configError(run: () => unknown): DpodConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DpodConfigError);
    return error as DpodConfigError;
  }
  throw new Error("expected a DpodConfigError");
}

describe("resolveConnectionSettings", () => {
  it("takes each URL from explicit, then stack config, then environment", () => {
    const settings = resolveConnectionSettings({
      explicit: { apiUrl: "https://explicit.example.com" },
      stackConfig: stack({ apiUrl: "https://stack.example.com", clientId: "stack-id", clientSecret: SECRET }),
      env: {
        DPOD_API_URL: "https://env.example.com",
        DPOD_CLIENT_ID: "env-id",
        DPOD_CLIENT_SECRET: "env-secret",
        DPOD_TOKEN_URL: "https://token.example.com/oauth/token",
      },
    });
    expect(settings).toEqual({
      apiUrl: "https://explicit.example.com",
      tokenUrl: "https://token.example.com/oauth/token",
      clientId: "stack-id",
      clientSecret: SECRET,
      allowInsecureHttp: false,
    });
  });

  it("takes the credential as a unit from the first source that has one, never mixing two", () => {
    const tokenOnly = resolveConnectionSettings({
      explicit: { accessToken: "user-token" },
      stackConfig: stack({ apiUrl: "https://stack.example.com", clientId: "stack-id", clientSecret: SECRET }),
    });
    expect(tokenOnly).toEqual({
      apiUrl: "https://stack.example.com",
      tokenUrl: DEFAULT_TOKEN_URL,
      accessToken: "user-token",
      allowInsecureHttp: false,
    });

    // A client id in stack config and a secret in the environment belong to different sources: refused.
    expect(() =>
      resolveConnectionSettings({
        stackConfig: stack({ apiUrl: "https://stack.example.com", clientId: "stack-id" }),
        env: { DPOD_CLIENT_ID: "env-id", DPOD_CLIENT_SECRET: SECRET },
      }),
    ).toThrow(/dpod:clientSecret \(environment variable DPOD_CLIENT_SECRET\): is not set/);
  });

  it("treats empty and blank values as unset, and trims values", () => {
    const settings = resolveConnectionSettings({
      explicit: { apiUrl: "", clientId: "  " },
      stackConfig: stack({ apiUrl: " https://stack.example.com/ " }),
      env: { DPOD_CLIENT_ID: "env-id", DPOD_CLIENT_SECRET: SECRET },
    });
    expect(settings.apiUrl).toBe("https://stack.example.com");
    expect(settings.clientId).toBe("env-id");
  });

  it("defaults tokenUrl to the OneWelcome token endpoint", () => {
    const settings = resolveConnectionSettings({
      env: { DPOD_API_URL: "https://thales.eu.market.dpondemand.io", DPOD_ACCESS_TOKEN: "tok" },
    });
    expect(DEFAULT_TOKEN_URL).toBe("https://access.dpondemand.io/oauth/v1/token");
    expect(settings).toEqual({
      apiUrl: "https://thales.eu.market.dpondemand.io",
      tokenUrl: DEFAULT_TOKEN_URL,
      accessToken: "tok",
      allowInsecureHttp: false,
    });
  });

  it("reads process.env when no env is given", () => {
    const saved = { ...process.env };
    try {
      process.env.DPOD_API_URL = "https://from-process.example.com";
      process.env.DPOD_ACCESS_TOKEN = "tok";
      expect(resolveConnectionSettings({}).apiUrl).toBe("https://from-process.example.com");
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it("a missing apiUrl names the key, the variable, and where to find the value", () => {
    const error = configError(() => resolveConnectionSettings({ env: { DPOD_ACCESS_TOKEN: "t" } }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({
      key: "apiUrl",
      configKey: "dpod:apiUrl",
      envVar: "DPOD_API_URL",
    });
    expect(error.message).toContain("dpod:apiUrl (environment variable DPOD_API_URL)");
    expect(error.message).toContain("https://thales.na.market.dpondemand.io");
    expect(error.message).toContain("https://thales.eu.market.dpondemand.io");
  });

  it("reports every problem in one error, each with its key and variable", () => {
    const error = configError(() =>
      resolveConnectionSettings({
        stackConfig: stack({ tokenUrl: "ftp://x", allowInsecureHttp: "maybe" }),
        env: { DPOD_CLIENT_SECRET: SECRET },
      }),
    );
    const keys = error.problems.map((p) => p.key).sort();
    expect(keys).toEqual(["allowInsecureHttp", "apiUrl", "clientId", "tokenUrl"]);
    for (const problem of error.problems) {
      expect(error.message).toContain(
        `dpod:${problem.key} (environment variable ${CONNECTION_ENV_VARS[problem.key as keyof typeof CONNECTION_ENV_VARS]})`,
      );
    }
    expect(error.message).toContain("value from stack config");
    expect(error.message).not.toContain(SECRET);
  });

  it("requires a credential: clientId + clientSecret, or accessToken", () => {
    const none = configError(() =>
      resolveConnectionSettings({ env: { DPOD_API_URL: "https://a.example.com" } }),
    );
    expect(none.message).toMatch(/dpod:clientId and dpod:clientSecret/);
    expect(none.message).toMatch(/DPOD_ACCESS_TOKEN/);

    const idOnly = configError(() =>
      resolveConnectionSettings({ env: { DPOD_API_URL: "https://a.example.com", DPOD_CLIENT_ID: "id" } }),
    );
    expect(idOnly.problems).toEqual([
      expect.objectContaining({ key: "clientSecret", envVar: "DPOD_CLIENT_SECRET" }),
    ]);

    const secretOnly = configError(() =>
      resolveConnectionSettings({
        env: { DPOD_API_URL: "https://a.example.com", DPOD_CLIENT_SECRET: SECRET },
      }),
    );
    expect(secretOnly.problems).toEqual([expect.objectContaining({ key: "clientId" })]);
    expect(secretOnly.message).not.toContain(SECRET);
  });

  it("allows plain http only for loopback hosts unless allowInsecureHttp", () => {
    const base = { DPOD_ACCESS_TOKEN: "t" };
    for (const apiUrl of [
      "http://127.0.0.1:8080",
      "http://127.3.4.5",
      "http://localhost:3000",
      "http://[::1]:9",
    ]) {
      expect(resolveConnectionSettings({ env: { ...base, DPOD_API_URL: apiUrl } }).apiUrl).toBe(apiUrl);
    }
    const error = configError(() =>
      resolveConnectionSettings({
        env: { ...base, DPOD_API_URL: "http://dpod.internal", DPOD_TOKEN_URL: "http://10.0.0.1/t" },
      }),
    );
    expect(error.problems.map((p) => p.key)).toEqual(["apiUrl", "tokenUrl"]);
    expect(error.message).toContain("dpod:allowInsecureHttp (DPOD_ALLOW_INSECURE_HTTP)");

    const allowed = resolveConnectionSettings({
      env: { ...base, DPOD_API_URL: "http://dpod.internal", DPOD_ALLOW_INSECURE_HTTP: "TRUE" },
    });
    expect(allowed.allowInsecureHttp).toBe(true);
    const explicit = resolveConnectionSettings({
      explicit: { allowInsecureHttp: true },
      env: { ...base, DPOD_API_URL: "http://dpod.internal" },
    });
    expect(explicit.allowInsecureHttp).toBe(true);
    const explicitFalse = configError(() =>
      resolveConnectionSettings({
        explicit: { allowInsecureHttp: false },
        env: { ...base, DPOD_API_URL: "http://dpod.internal", DPOD_ALLOW_INSECURE_HTTP: "true" },
      }),
    );
    expect(explicitFalse.problems[0]?.key).toBe("apiUrl");
  });

  it("rejects malformed URLs without echoing them (they may embed credentials)", () => {
    const error = configError(() =>
      resolveConnectionSettings({
        env: {
          DPOD_API_URL: `https://user:${SECRET}@dpod.example.com`,
          DPOD_TOKEN_URL: `not a url ${SECRET}`,
          DPOD_ACCESS_TOKEN: "t",
        },
      }),
    );
    expect(error.problems.map((p) => p.key)).toEqual(["apiUrl", "tokenUrl"]);
    expect(error.message).toMatch(/must not contain a user name or password/);
    expect(error.message).toMatch(/not an absolute URL/);
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it("rejects a query or fragment in a URL", () => {
    const error = configError(() =>
      resolveConnectionSettings({
        env: { DPOD_API_URL: "https://a.example.com/?x=1", DPOD_ACCESS_TOKEN: "t" },
      }),
    );
    expect(error.problems[0]).toMatchObject({ key: "apiUrl" });
  });

  it("keeps both credentials when given, and drops a lone half when an access token is set", () => {
    const both = resolveConnectionSettings({
      env: {
        DPOD_API_URL: "https://a.example.com",
        DPOD_CLIENT_ID: "id",
        DPOD_CLIENT_SECRET: SECRET,
        DPOD_ACCESS_TOKEN: "t",
      },
    });
    expect(both).toMatchObject({ clientId: "id", clientSecret: SECRET, accessToken: "t" });
  });
});
