import { test, expect } from "./fixtures.ts";

// Bad requests get a clear 4xx, never a 500 or a stack trace, and change nothing.
test.describe("bad requests", () => {
  test.beforeEach(async ({ login }) => {
    await login("amara.okafor@northwind.example");
  });

  test("a body that is not a form answers 400 with a plain message", async ({ page, baseURL }) => {
    const response = await page.request.post("/settings/profile", {
      headers: { Origin: baseURL!, "Content-Type": "multipart/form-data; boundary=xx" },
      data: "this is not multipart",
    });
    expect(response.status()).toBe(400);
    const body = await response.text();
    expect(body).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  test("a NUL byte in the address answers 400", async ({ page }) => {
    const response = await page.request.get("/admin/users?q=%00");
    expect(response.status()).toBe(400);
    expect(await response.text()).toContain("NUL");
  });

  test("pages that exist only for GET answer 405 to a POST", async ({ page, baseURL }) => {
    const response = await page.request.post("/spaces", { headers: { Origin: baseURL! }, form: { x: "1" } });
    expect(response.status()).toBe(405);
  });
});
