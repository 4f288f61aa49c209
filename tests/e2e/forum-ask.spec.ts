import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD } from "#db/seed-info.ts";
import { test, expect } from "./fixtures.ts";

/** The public forum the app started beside itself (playwright.config.ts gives it its port). */
const FORUM = `http://localhost:${process.env.E2E_FORUM_PORT}`;

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

test("a customer asks on the forum; the postgres SME gets it in the forum queue and answers in public under the transparency badge; the customer accepts", async ({
  page,
  browser,
  login,
}) => {
  test.slow();
  const title = `Our CSV import into PostgreSQL skips rows with accented names (${Date.now()})`;

  // Dana Whitfield, the demo's customer, signs in to the forum and asks. The app answers /readyz
  // before the forum it starts beside itself listens: wait for the forum too.
  const customer = await browser.newContext();
  const forum = await customer.newPage();
  await expect(async () => expect((await forum.request.get(`${FORUM}/healthz`)).ok()).toBe(true)).toPass({ timeout: 60_000 });
  await forum.goto(`${FORUM}/signin`);
  await forum.getByLabel("Email").fill(DEMO_CUSTOMER_EMAIL);
  await forum.getByLabel("Password").fill(DEMO_PASSWORD);
  await forum.getByRole("button", { name: "Sign in" }).click();
  // The relay indexes the demo's published threads in its first minute: wait for them.
  await expect(async () => expect(await (await forum.request.get(`${FORUM}/ask/similar?q=CSV%20import`)).text()).toContain("CSV import silently skips")).toPass({
    timeout: 90_000,
  });
  await forum.goto(`${FORUM}/ask`);
  // While the title is typed, published threads that may answer it appear (forum/public/ask.js).
  await forum.getByLabel("Title").pressSequentially("CSV import skips rows with accented", { delay: 20 });
  const similar = forum.locator("#similar-list");
  await expect(similar.getByRole("link", { name: "CSV import silently skips rows with accented characters" })).toBeVisible();
  expect(await violations(forum), "the ask page with its similar threads").toEqual([]);
  // Not quite her problem: she asks anyway, on the postgres topic.
  await forum.getByLabel("Title").fill(title);
  await forum
    .getByLabel("Your question")
    .fill("We import a nightly CSV into our reporting database. Since the last upgrade, rows whose names contain accents (José, Zoë) are missing after the import. Where should we look?");
  await forum.getByLabel("Topics (optional)").fill("postgres");
  await forum.getByRole("button", { name: "Post your question" }).click();
  await expect(forum.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const threadUrl = forum.url();

  // Sofia Martins, the postgres SME, finds it routed to her in the forum desk.
  await login("sofia.martins@northwind.example");
  await page.goto("/forum/queue?tab=mine");
  const row = page.getByRole("link", { name: title });
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  expect(await violations(page), "the forum queue").toEqual([]);
  await row.click();
  await expect(page.getByRole("main")).toContainText("Your answer will show: Sofia Martins, Backend Engineer");
  await page
    .getByLabel("Your public answer")
    .fill(
      "Check the file's encoding first: the importer reads UTF-8, and a file saved as Latin-1 loses those rows. Re-save it as UTF-8, or set the import's encoding option to match the file.",
    );
  await page.getByRole("button", { name: "Post the answer" }).click();
  await expect(page.getByRole("main")).toContainText("Check the file's encoding first");
  expect(await violations(page), "the question in the forum desk").toEqual([]);

  // On the forum, the answer carries her name, title and who she works for; Dana accepts it.
  await forum.goto(threadUrl);
  const answer = forum.getByRole("article").filter({ hasText: "Check the file's encoding first" });
  await expect(answer).toContainText("Sofia Martins");
  await expect(answer).toContainText("Backend Engineer");
  await expect(answer).toContainText("works at Northwind");
  await answer.getByRole("button", { name: /^Accept this answer/ }).click();
  await expect(forum.getByRole("main")).toContainText("Solution: accepted by the customer who asked");
  expect(await violations(forum), "the solved thread").toEqual([]);

  // Her own questions list says so.
  await forum.goto(`${FORUM}/my/questions`);
  await expect(forum.getByRole("main")).toContainText(title);
  await expect(forum.getByRole("listitem").filter({ hasText: title })).toContainText("Solved");

  // And the desk moves it to Solved.
  await page.goto("/forum/queue?tab=solved");
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: title })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await customer.close();
});
