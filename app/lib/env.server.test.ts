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
    [{ SMTP_URL: "mail.example.com:587" }, /^Configuration error: SMTP_URL must be a URL starting with smtp:\/\/ or smtps:\/\//],
    [{ SMTP_URL: "http://mail.example.com" }, /^Configuration error: SMTP_URL must be a URL starting with smtp:\/\//],
    [{ MAIL_FROM: "Commons" }, /^Configuration error: MAIL_FROM must be an address/],
    [{ MAIL_FROM: "Commons <commons>" }, /^Configuration error: MAIL_FROM must be an address/],
  ])("%o is refused with one line naming the variable", (input, message) => {
    expect(() => parseEnv(input)).toThrow(ConfigError);
    expect(() => parseEnv(input)).toThrow(message);
    try {
      parseEnv(input);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });

  test("mail: no SMTP_URL means the embedded MailDev; a relay URL may carry its user and password; MAIL_FROM takes a display name", () => {
    expect(parseEnv({}).SMTP_URL).toBeUndefined();
    expect(parseEnv({}).MAIL_FROM).toBe("Commons <commons@localhost>");
    expect(parseEnv({ SMTP_URL: "smtps://user:secret@mail.example.com:465" }).SMTP_URL).toBe("smtps://user:secret@mail.example.com:465");
    expect(parseEnv({ MAIL_FROM: "Northwind Commons <commons@northwind.example>" }).MAIL_FROM).toBe("Northwind Commons <commons@northwind.example>");
    expect(parseEnv({ MAIL_FROM: "commons@northwind.example" }).MAIL_FROM).toBe("commons@northwind.example");
  });

  test("domains are trimmed and lower-cased", () => {
    expect(parseEnv({ ALLOWED_EMAIL_DOMAINS: " Northwind.example, acme.COM " }).ALLOWED_EMAIL_DOMAINS).toEqual(["northwind.example", "acme.com"]);
  });
});
