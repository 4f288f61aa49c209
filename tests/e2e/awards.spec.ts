import { axeBuilder } from "./axe.ts";
import type { Browser, Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../../db/seed-info.ts";
import { signIn, test, expect } from "./fixtures.ts";

const LENA = "lena.fischer@northwind.example"; // HR
const PRIYA = "priya.nair@northwind.example";
const TOM = "tom.becker@northwind.example";
const MARCO = "marco.rossi@northwind.example";

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, DEMO_PASSWORD);
  return page;
}

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

async function nominateOn(page: Page, roundUrl: string, handle: string, name: string, statement: string) {
  await page.goto(roundUrl);
  await page.getByLabel("Who do you nominate?").fill(`@${handle}`);
  await page.getByLabel("Why they deserve it").fill(statement);
  await page.getByRole("button", { name: "Nominate", exact: true }).click();
  await expect(page.getByRole("heading", { level: 3, name })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Nominations/ }).getByText(statement)).toBeVisible();
}

test("HR runs an award round: nominations, a secret vote, no self-vote, results published to the page and the nominees", async ({ page, login, browser }) => {
  test.slow();
  const title = `Helping hand ${Date.now().toString(36)}`;

  // Lena (HR) creates a round with the defaults: nominations open now, one vote each, one winner.
  await login(LENA);
  await page.goto("/awards");
  await page.getByRole("link", { name: "New award round" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill("For the colleague who helped the most people this month.");
  await page.getByLabel("Reward (optional)").fill("Lunch with the team of their choice");
  await page.getByRole("button", { name: "Create the round" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("Nominations open", { exact: true })).toBeVisible();
  const roundUrl = page.url();
  expect(await violations(page), "the round page, nominating").toEqual([]);

  // Priya nominates Tom, and Tom nominates Priya.
  const priya = await as(browser, PRIYA);
  await nominateOn(priya, roundUrl, "tom.becker", "Tom Becker", "Tom paired with three new hires on their first deploys this month.");
  const tom = await as(browser, TOM);
  await nominateOn(tom, roundUrl, "priya.nair", "Priya Nair", "Priya answered every onboarding question in the support channel within the hour.");

  // Lena opens voting now.
  await page.goto(roundUrl);
  await page.getByRole("button", { name: "Open voting now" }).click();
  await expect(page.getByText("Voting open", { exact: true })).toBeVisible();

  // Marco votes for Tom; the page says he voted, and no more.
  const marco = await as(browser, MARCO);
  await marco.goto(roundUrl);
  await marco.getByRole("radio", { name: /Tom Becker/ }).check();
  await marco.getByRole("button", { name: "Cast your vote" }).click();
  await expect(marco.getByText("You voted. Thank you.")).toBeVisible();
  await expect(marco.getByRole("button", { name: "Cast your vote" })).toHaveCount(0);
  expect(await violations(marco), "the round page, voted").toEqual([]);

  // Priya is on the ballot: she is not offered herself, only Tom.
  await priya.goto(roundUrl);
  await expect(priya.getByText("You are on the ballot, and can't vote for yourself.", { exact: false })).toBeVisible();
  await expect(priya.getByRole("radio", { name: /Priya Nair/ })).toHaveCount(0);
  await expect(priya.getByRole("radio", { name: /Tom Becker/ })).toBeVisible();
  // Participation shows how many voted, never for whom.
  await expect(priya.getByText(/1 person has voted/)).toBeVisible();

  // Lena closes voting and publishes the results: Tom wins.
  await page.goto(roundUrl);
  await page.getByRole("button", { name: "Close voting and publish results now" }).click();
  await expect(page.getByText("Results out", { exact: true })).toBeVisible();
  const winners = page.getByRole("list", { name: "Winner" });
  await expect(winners).toContainText("Tom Becker");
  await expect(winners).toContainText("1 vote");
  expect(await violations(page), "the round page, results").toEqual([]);

  // The nominees hear it in their inbox: Tom was nominated by Priya, and the results are out.
  await tom.goto("/notifications");
  await expect(tom.getByRole("link", { name: `The results are out for “${title}”` })).toBeVisible();
  await expect(tom.getByRole("link", { name: `Priya Nair nominated you in “${title}”` })).toBeVisible();
  await tom.getByRole("link", { name: `The results are out for “${title}”` }).click();
  await expect(tom.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(tom.getByRole("list", { name: "Winner" })).toContainText("Tom Becker");
  await priya.goto("/notifications");
  await expect(priya.getByRole("link", { name: `The results are out for “${title}”` })).toBeVisible();

  // The round is listed among the finished ones.
  await page.goto("/awards");
  await expect(page.getByRole("region", { name: "Finished" }).getByRole("link", { name: title })).toBeVisible();
});
