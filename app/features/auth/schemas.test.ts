import { describe, expect, test } from "vitest";
import { isCommonPassword, safeRedirect, SignUpSchema } from "./schemas.ts";

describe("isCommonPassword", () => {
  test.each(["password", "PASSWORD1234", "123456789012", "qwertyqwerty", "monkey!!!!!!", "aaaaaaaaaaaa", "abc123abc123"])("%s is refused", (p) => {
    expect(isCommonPassword(p)).toBe(true);
  });
  test.each(["correct horse battery staple", "monkeybusiness!", "kettle-orbit-cactus", "839201746512x"])("%s is allowed", (p) => {
    expect(isCommonPassword(p)).toBe(false);
  });
});

describe("safeRedirect", () => {
  test.each([
    ["/spaces/ask?x=1", "/spaces/ask?x=1"],
    ["/", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example/", "/"],
    ["javascript:alert(1)", "/"],
    ["/ok\nSet-Cookie: x", "/"],
    ["", "/"],
    [undefined, "/"],
  ])("%j → %j", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });
});

describe("SignUpSchema", () => {
  const valid = { name: " Ada Lovelace ", email: " Ada@Northwind.Example ", password: "analytical engine notes", redirectTo: "//evil" };

  test("normalises the input", () => {
    expect(SignUpSchema.parse(valid)).toEqual({ name: "Ada Lovelace", email: "ada@northwind.example", password: "analytical engine notes", redirectTo: "/" });
  });

  test("names each problem on its field", () => {
    const result = SignUpSchema.safeParse({ name: "", email: "not-an-email", password: "short" });
    const byField = Object.fromEntries(result.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(byField).toMatchObject({
      name: "Enter your name",
      email: "Enter a valid email address, like name@example.com",
      password: "Use at least 12 characters",
    });
  });

  test("refuses an address under .invalid, which imported profiles use and which receives no mail", () => {
    const result = SignUpSchema.safeParse({ ...valid, email: "beer.stackexchange.com-7@import.invalid" });
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["email", "That address cannot receive email: use your own address"]]);
  });

  test("refuses the email address as the password", () => {
    const result = SignUpSchema.safeParse({ ...valid, email: "longer.name@northwind.example", password: "Longer.Name@northwind.example" });
    expect(result.error?.issues.map((i) => i.message)).toEqual(["Your password cannot be your email address"]);
  });

  test("limits the password to 256 characters", () => {
    expect(SignUpSchema.safeParse({ ...valid, password: "x".repeat(200) + " word ".repeat(10) }).error?.issues[0]?.message).toBe("Use at most 256 characters");
  });
});
