import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

// axe-core checks each page against WCAG 2.1 A and AA rules; any violation fails with its rule,
// impact and the offending elements, so a regression names what to fix.
async function violations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

test("signed-out pages have no WCAG A/AA violations", async ({ page }) => {
  for (const path of ["/sign-in", "/sign-up", "/no-such-page"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
});

test("signed-in pages have no WCAG A/AA violations", async ({ page, login }) => {
  await login("amara.okafor@northwind.example");
  for (const path of ["/", "/spaces", "/spaces/engineering", "/people/1", "/settings/profile", "/settings/password", "/admin/users", "/admin/spaces", "/admin/spaces/engineering"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
});

test("a form with errors stays accessible", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Pat Example");
  await page.getByLabel("Email").fill("pat@elsewhere.example");
  await page.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  expect(await violations(page)).toEqual([]);
});
