// Three test projects (docs/architecture.md, "Tests"):
//   unit        - no sockets, no child processes; fake clocks and undici MockAgent
//   integration - in-process servers (the emulator) on 127.0.0.1, port 0
//   e2e         - the real Pulumi engine (built on demand by scripts/pulumi-engine/build.sh) against the emulator
// The summary reporter prints one plain "jest: N passed, N failed" line that CI reads.
// ts-jest only transpiles (isolatedModules); `npm run typecheck` type-checks the whole tree once.
const tsJest = ["ts-jest", { tsconfig: "tsconfig.jest.json" }];
// Tests use the emulator as the workspace package `dpod-emulator`, from its TypeScript source, so no build
// of emulator/dist is needed first (the packed package itself is exercised by the e2e install test).
const moduleNameMapper = { "^dpod-emulator$": "<rootDir>/emulator/index.ts" };

/** @type {import('jest').Config} */
module.exports = {
  reporters: ["default", "<rootDir>/test/helpers/summary-reporter.js"],
  projects: [
    {
      displayName: "unit",
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
      transform: { "^.+\\.ts$": tsJest },
      moduleNameMapper,
      testEnvironment: "node",
    },
    {
      displayName: "integration",
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
      transform: { "^.+\\.ts$": tsJest },
      moduleNameMapper,
      testEnvironment: "node",
      setupFilesAfterEnv: ["<rootDir>/test/helpers/integration-timeout.ts"],
    },
    {
      displayName: "e2e",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      transform: { "^.+\\.ts$": tsJest },
      moduleNameMapper,
      testEnvironment: "node",
      globalSetup: "<rootDir>/test/helpers/e2e-global-setup.ts",
      globalTeardown: "<rootDir>/test/helpers/e2e-global-teardown.ts",
      setupFilesAfterEnv: ["<rootDir>/test/helpers/e2e-timeout.ts"],
    },
    {
      // The dialect lane (scripts/lib/lanes.ts): the core scenario in every DPoD dialect.
      displayName: "dialects",
      testMatch: ["<rootDir>/test/dialects/**/*.test.ts"],
      transform: { "^.+\\.ts$": tsJest },
      moduleNameMapper,
      testEnvironment: "node",
      globalSetup: "<rootDir>/test/helpers/e2e-global-setup.ts",
      globalTeardown: "<rootDir>/test/helpers/e2e-global-teardown.ts",
      setupFilesAfterEnv: ["<rootDir>/test/helpers/e2e-timeout.ts"],
    },
  ],
};
