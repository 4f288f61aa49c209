import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

/**
 * A person's expertise, explained to them and corrected by them (docs/profile-expertise.md): Priya
 * reads why "sso" scores, hides it, declares a skill and sets herself away; Tom, looking at her
 * profile, no longer sees the hidden topic. The journey puts her back as she was at the end, so
 * the demo's other journeys find the seed's Priya.
 */
const PRIYA = "priya.nair@northwind.example";
const TOM = "tom.becker@northwind.example";

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

async function signOut(page: Page) {
  await page.context().clearCookies();
}

test("a member reads why a topic scores, hides it, declares a skill and goes away; others stop seeing the topic", async ({ page, login }) => {
  test.slow();
  await login(PRIYA);
  await page.goto("/");
  await page.locator("summary").filter({ hasText: "Account menu for" }).click();
  await page.getByRole("link", { name: "Your profile" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Priya Nair" })).toBeVisible();
  const profileUrl = new URL(page.url()).pathname;
  const expertise = page.getByRole("region", { name: "Expertise" });
  await expect(expertise.getByRole("link", { name: "sso", exact: true })).toBeVisible();
  await expertise.getByRole("link", { name: "Your scores explained" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Your expertise" })).toBeVisible();
  const sso = page.getByRole("region", { name: "sso", exact: true });
  await expect(sso.getByText(/pieces? of evidence → \d+% confidence/)).toBeVisible();
  const evidence = sso.getByRole("table", { name: "Evidence for sso, newest first" });
  await expect(evidence.getByRole("row", { name: /Can a customer use SSO and password login at the same time\?.*Accepted answer/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "How your scores are made" })).toContainText(/Evidence loses half its weight every \d+ days/);
  expect(await violations(page)).toEqual([]);

  await sso.getByRole("button", { name: "Hide from others: sso" }).click();
  await expect(page.getByRole("status").filter({ hasText: "sso is hidden from everyone else." })).toBeVisible();
  await expect(sso.getByText("Hidden from others")).toBeVisible();

  const declare = page.getByRole("region", { name: "Declare a skill" });
  await declare.getByRole("combobox", { name: "Skills" }).fill("kubernetes");
  await declare.getByRole("combobox", { name: "Skills" }).press("Escape");
  await declare.getByRole("button", { name: "Declare" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Declared: kubernetes." })).toBeVisible();
  await expect(page.getByRole("region", { name: "kubernetes", exact: true }).getByText("Self-declared")).toBeVisible();

  await page.getByRole("region", { name: "Availability" }).getByRole("link", { name: "Change" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Availability and analytics" })).toBeVisible();
  // A day already past is refused, and the form keeps what was typed.
  await page.getByLabel("Away until").fill("2020-01-01");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Pick a day after today: the day you are back.")).toBeVisible();
  await expect(page.getByLabel("Away until")).toHaveValue("2020-01-01");
  const back = new Date(Date.now() + 14 * 86_400_000);
  await page.getByLabel("Away until").fill(back.toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your availability is saved." })).toBeVisible();
  const awayLabel = `Away until ${new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }).format(back)}`;
  await expect(page.getByText(awayLabel)).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await signOut(page);

  await login(TOM);
  await page.goto(profileUrl);
  const seen = page.getByRole("region", { name: "Expertise" });
  await expect(seen.getByText(awayLabel)).toBeVisible();
  await expect(seen.getByRole("listitem").filter({ has: page.getByRole("link", { name: "kubernetes", exact: true }) })).toContainText("Self-declared");
  await expect(seen.getByRole("link", { name: "account-access", exact: true })).toBeVisible();
  await expect(seen.getByRole("link", { name: "sso", exact: true })).toHaveCount(0);
  await signOut(page);

  // Priya as the seed made her.
  await login(PRIYA);
  await page.goto(`${profileUrl}/expertise`);
  await page.getByRole("button", { name: "Show to others: sso" }).click();
  await expect(page.getByRole("status").filter({ hasText: "sso is shown to others again." })).toBeVisible();
  await page.getByRole("button", { name: "Remove skill: kubernetes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "kubernetes is no longer one of your declared skills." })).toBeVisible();
  await page.goto("/settings/expertise");
  await page.getByLabel("Away until").fill("");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Colleagues see: Open to questions")).toBeVisible();
});
