import { describe, expect, test } from "vitest";
import { pageParam, readForm } from "./forms.ts";

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

describe("pageParam", () => {
  test("a whole page number from 1 to 100,000; anything else is the first page", () => {
    const page = (query: string) => pageParam(new URL(`http://localhost/list${query}`));
    expect(page("")).toBe(1);
    expect(page("?page=3")).toBe(3);
    for (const bad of ["?page=0", "?page=-2", "?page=1.5", "?page=2abc", "?page=100001", "?page="]) expect(page(bad), bad).toBe(1);
  });
});
