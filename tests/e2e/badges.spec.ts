import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

const PRIYA = "priya.nair@northwind.example"; // a member
const LENA = "lena.fischer@northwind.example"; // HR
const BADGE = "Onboarding buddy";

async function expectAxeClean(page: Page) {
  const axe = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }))).toEqual([]);
}

test("HR creates a custom badge and awards it; the colleague is told and sees it on their profile", async ({ page, login }) => {
  // Two sign-ins and four accessibility scans.
  test.slow();
  await login(LENA);
  await page.goto("/kudos");
  await page.getByRole("navigation", { name: "Recognition" }).getByRole("link", { name: "Badges" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Badges" })).toBeVisible();
  await expectAxeClean(page);

  await page.getByRole("link", { name: "New badge" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New badge" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(BADGE);
  await page.getByLabel("What it is for").fill("Welcomed three newcomers and saw them through their first month.");
  await page.getByRole("radio", { name: "Silver" }).check();
  await expectAxeClean(page);
  await page.getByRole("button", { name: "Create the badge" }).click();

  // The badge's page: HR awards it with a reason, by handle.
  await expect(page.getByRole("heading", { level: 1, name: BADGE })).toBeVisible();
  await expect(page.getByText("Silver badge")).toBeVisible();
  const award = page.getByRole("region", { name: "Award this badge" });
  await award.getByLabel("Colleague").fill("@priya.nair");
  await award.getByLabel("Why they earned it").fill("Three newcomers, all thriving.");
  await award.getByRole("button", { name: "Award the badge" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Awarded." })).toBeVisible();
  const holders = page.getByRole("region", { name: /Holders \(1\)/ });
  await expect(holders.getByRole("link", { name: "Priya Nair" })).toBeVisible();
  await expect(holders).toContainText("Three newcomers, all thriving.");
  await expectAxeClean(page);

  // Priya is told in her inbox, and her profile shows the badge and its tier.
  await page.context().clearCookies();
  await login(PRIYA);
  await page.goto("/notifications");
  await expect(page.getByRole("link", { name: `Lena Fischer awarded you the badge “${BADGE}”` })).toBeVisible();
  await page.getByRole("link", { name: `Lena Fischer awarded you the badge “${BADGE}”` }).click();
  await expect(page.getByRole("heading", { level: 1, name: BADGE })).toBeVisible();
  await expect(page.getByText("You hold it")).toBeVisible();
  await page
    .getByRole("region", { name: /Holders/ })
    .getByRole("link", { name: "Priya Nair" })
    .click();
  const badges = page.getByRole("region", { name: "Badges" });
  await expect(badges.getByRole("link", { name: `Silver badge: ${BADGE}` })).toBeVisible();
  await expect(badges.getByText(/\d+ silver badges?/)).toBeAttached();
  await expectAxeClean(page);
});
