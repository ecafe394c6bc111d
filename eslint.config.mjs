// Lint rules: typescript-eslint's recommended set with type information off (fast), formatting left to
// Prettier. Kept deliberately small; add a rule when a real bug slipped through without it.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "**/dist/",
      ".pulumi-engine/",
      "coverage/",
      "examples/*/node_modules/",
      // Recorded as written by past releases: never edited, so never linted.
      "test/fixtures/recorded-state/",
      "**/*.js",
      "!eslint.config.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
