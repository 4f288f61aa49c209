import { describe, expect, test } from "vitest";
import { ConfigError, parseEnv } from "./env.server.ts";

describe("parseEnv", () => {
  test("defaults give an embedded setup on port 3000", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ALLOWED_EMAIL_DOMAINS).toEqual(["northwind.example"]);
  });

  test.each([
    [{ PORT: "abc" }, /^Configuration error: PORT /],
    [{ DATABASE_URL: "mysql://x" }, /^Configuration error: DATABASE_URL must be a URL starting with postgres:\/\//],
    [{ MEILI_URL: "http://localhost:7700" }, /^Configuration error: MEILI_MASTER_KEY must be set together with MEILI_URL/],
    [{ ALLOWED_EMAIL_DOMAINS: ";;" }, /^Configuration error: ALLOWED_EMAIL_DOMAINS/],
    [{ DEMO_SEED: "sometimes" }, /^Configuration error: DEMO_SEED must be one of auto, never/],
    [{ OIDC_ISSUER: "https://id.example.com" }, /^Configuration error: OIDC_CLIENT_ID is required/],
  ])("%o is refused with one line naming the variable", (input, message) => {
    expect(() => parseEnv(input)).toThrow(ConfigError);
    expect(() => parseEnv(input)).toThrow(message);
    try {
      parseEnv(input);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });

  test("domains are trimmed and lower-cased", () => {
    expect(parseEnv({ ALLOWED_EMAIL_DOMAINS: " Northwind.example, acme.COM " }).ALLOWED_EMAIL_DOMAINS).toEqual(["northwind.example", "acme.com"]);
  });
});
