import { describe, expect, test } from "vitest";
import { contentDisposition, detectContentType, safeFilename } from "./content.server.ts";

describe("safeFilename", () => {
  test.each([
    ["report.pdf", "application/pdf", "report.pdf"],
    ["diagram.png", "application/pdf", "diagram.pdf"],
    ["photo.JPEG", "image/jpeg", "photo.jpg"],
    ["C:\\Users\\ada\\Desktop\\plan.png", "image/png", "plan.png"],
    ["../../etc/passwd", "text/plain", "passwd.txt"],
    ['say "hi" <b>.txt', "text/plain", "say _hi_ _b_.txt"],
    ["invoice\u202Efdp.exe", "application/pdf", "invoice_fdp.pdf"],
    ["page.html", "text/plain", "page_html.txt"],
    ["data.csv", "text/csv", "data.csv"],
    ["notes.markdown", "text/markdown", "notes.md"],
    ["", "image/png", "file.png"],
    ["....png", "image/png", "file.png"],
    ["a\nb\tc.png", "image/png", "a_b_c.png"],
  ] as const)("%j as %s → %j", (original, type, expected) => {
    expect(safeFilename(original, type)).toBe(expected);
  });

  test("long names are cut, keeping the extension", () => {
    const name = safeFilename(`${"x".repeat(300)}.png`, "image/png");
    expect(name).toBe(`${"x".repeat(90)}.png`);
  });
});

describe("detectContentType", () => {
  test("text is UTF-8 without NUL bytes; anything else unknown is refused", async () => {
    expect(await detectContentType(new TextEncoder().encode("héllo, wörld\n"), "x.txt")).toBe("text/plain");
    expect(await detectContentType(new Uint8Array([0x68, 0x00, 0x69]), "x.txt")).toBeNull();
    expect(await detectContentType(new Uint8Array([0xc3, 0x28]), "x.txt")).toBeNull();
  });
});

describe("contentDisposition", () => {
  test("an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987)", () => {
    expect(contentDisposition("attachment", "Übersicht (final).pdf")).toBe(`attachment; filename="_bersicht (final).pdf"; filename*=UTF-8''%C3%9Cbersicht%20%28final%29.pdf`);
    expect(contentDisposition("inline", "plain.png")).toBe(`inline; filename="plain.png"; filename*=UTF-8''plain.png`);
  });
});
