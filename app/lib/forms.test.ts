import { describe, expect, test } from "vitest";
import { readForm } from "./forms.ts";

describe("readForm", () => {
  test("drops NUL characters, which PostgreSQL cannot store in text", async () => {
    const request = new Request("http://localhost/x", { method: "POST", body: new URLSearchParams({ "na\u0000me": "Ada\u0000 Lovelace" }) });
    const form = await readForm(request);
    expect(form.get("name")).toBe("Ada Lovelace");
  });

  test("a body that is not a form is a 400, not an exception", async () => {
    const request = new Request("http://localhost/x", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=xx" },
      body: "garbage",
    });
    await expect(readForm(request)).rejects.toMatchObject({ init: { status: 400 } });
  });
});
