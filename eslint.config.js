import js from "@eslint/js";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", ".react-router/", "node_modules/", ".data/", "test-results/", "playwright-report/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    files: ["db/migrate.ts", "db/seed.ts", "server.ts", "bench/**", "scripts/**", "tests/**"],
    rules: { "no-console": "off" },
  },
  {
    // Modules that import each other: move what both need into a third module. Imports name files
    // with their extension or an "#app/*"-style subpath (package.json "imports"): the node resolver
    // follows both. Production modules only: nothing imports tests (the rule below), so tests close
    // no cycle, and leaving them out keeps the rule's cost down.
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts", "search/**/*.ts", "server/**/*.ts", "import/**/*.ts", "server.ts"],
    ignores: ["**/*.test.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".tsx", ".js", ".mjs"] })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Production code never reaches into tests/: what the demo seed shares with the tests lives in db/factories.
    ignores: ["tests/**", "**/*.test.ts", "vitest.config.ts", "playwright.config.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(#tests/|(\\.\\.?/)+tests/)", message: "Production code must not import tests/ (shared factories live in db/factories)." }] },
      ],
    },
  },
);
