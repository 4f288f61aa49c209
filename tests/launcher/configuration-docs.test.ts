import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { EnvSchema, parseEnv } from "#app/lib/env.server.ts";
import { ROOT } from "./commons-process.ts";

/**
 * Every setting the app reads is documented, with its real default, in .env.example and in the
 * README's configuration table: adding a variable without documenting it fails here.
 */

const variables = Object.keys(EnvSchema.shape);
const envExample = readFileSync(path.join(ROOT, ".env.example"), "utf8");
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The commented-out `# NAME=value` lines of .env.example. */
const documented = new Map([...envExample.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1]!, match[2]!.trim()] as const));

describe("configuration documentation", () => {
  test.each(variables)(".env.example documents %s with its default", (name) => {
    expect(documented.has(name), `# ${name}=... is missing from .env.example`).toBe(true);
    const defaults = parseEnv({}) as Record<string, unknown>;
    // The documented value, given explicitly, must mean the same as leaving the variable unset.
    expect((parseEnv({ [name]: documented.get(name) }) as Record<string, unknown>)[name]).toEqual(defaults[name]);
  });

  test.each(variables)("the README's configuration table has a row for %s", (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, "m"));
  });
});
