import { readFileSync } from "node:fs";
import { test, expect } from "./fixtures.ts";

// Every DOMPurify XSS payload, written into a field Commons renders, must come out inert: no dialog,
// no page error, no Content-Security-Policy violation (the page fixture fails the test on any).
const payloads = JSON.parse(readFileSync(new URL("../fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ title: string; payload: string }>;

test("profile fields: every payload is shown as text on the profile page", async ({ page, login, baseURL }) => {
  test.setTimeout(240_000);
  await login("zoe.williams@northwind.example");
  await page.goto("/settings/profile");
  const profileLink = page.getByRole("link", { name: "Your profile" });
  const profilePath = await profileLink.getAttribute("href");
  expect(profilePath).toMatch(/^\/people\/\d+$/);
  let saved = 0;
  for (const { payload } of payloads) {
    const response = await page.request.post("/settings/profile", {
      headers: { Origin: baseURL! },
      form: { intent: "save-profile", name: "Zoe Williams", title: payload.slice(0, 100).replace(/[\n\r]/g, " "), department: "Finance", location: "London", manager: "", bio: payload },
    });
    expect(response.status()).toBeLessThan(500);
    if (response.status() !== 200) continue; // refused with a field error (too long, control characters): safe too
    saved++;
    await page.goto(profilePath!);
    // The payload's text is on the page as text (React escapes it), not as markup.
    await expect(page.getByRole("heading", { level: 1, name: "Zoe Williams" })).toBeVisible();
  }
  // Most payloads fit the bio: the test did exercise the rendering.
  expect(saved).toBeGreaterThan(150);
});
