import { describe, expect, test } from "vitest";
import { csvField, toCsv } from "./csv.ts";

describe("CSV", () => {
  test("fields are quoted per RFC 4180 and formulas are defused", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField(42)).toBe("42");
    expect(csvField("a, b")).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    for (const lead of ["=", "+", "-", "@", "\t"]) expect(csvField(`${lead}1+1`)).toBe(`'${lead}1+1`);
    expect(csvField("\r1+1")).toBe(`"'\r1+1"`);
    expect(csvField('=HYPERLINK("http://evil.example","Click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
    // Only a leading sign is a formula.
    expect(csvField("Cut costs by -10%")).toBe("Cut costs by -10%");
  });

  test("a file starts with a byte order mark and ends every record with CRLF", () => {
    expect(
      toCsv([
        ["id", "title"],
        [1, "=SUM(A1)"],
      ]),
    ).toBe("\uFEFFid,title\r\n1,'=SUM(A1)\r\n");
  });
});
