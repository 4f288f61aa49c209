import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD } from "#db/seed-info.ts";
import { expect, signIn, test } from "./fixtures.ts";

/** The public forum the app started beside itself (playwright.config.ts gives it its port). */
const FORUM = `http://localhost:${process.env.E2E_FORUM_PORT}`;

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

test("an urgent customer question escalates: a moderator takes it and resolves it, and the customer sees the status, then the outcome", async ({ page, browser, login }) => {
  test.slow();
  const title = `Checkout outage: every payment fails since this morning (${Date.now()})`;
  const outcome = "A faulty payment gateway certificate was replaced at 11:20 UTC. Payments work again; failed ones were not charged.";

  // Dana Whitfield, the demo's customer (trusted, so no first-post moderation), asks.
  const customer = await browser.newContext();
  const forum = await customer.newPage();
  // The app answers /readyz before its forum child process is up: wait for the forum too.
  await expect(async () => expect((await forum.request.get(`${FORUM}/healthz`)).ok()).toBe(true)).toPass({ timeout: 60_000 });
  await forum.goto(`${FORUM}/signin`);
  await forum.getByLabel("Email").fill(DEMO_CUSTOMER_EMAIL);
  await forum.getByLabel("Password").fill(DEMO_PASSWORD);
  await forum.getByRole("button", { name: "Sign in" }).click();
  await forum.goto(`${FORUM}/ask`);
  await forum.getByLabel("Title").fill(title);
  await forum.getByLabel("Your question").fill("Our shop's checkout shows an error for every card payment since 9:00. Is there an outage on your side?");
  await forum.getByRole("button", { name: "Post your question" }).click();
  await expect(forum.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const threadUrl = forum.url();

  // The app's intake runs the rules ("outage" is an urgent term): the thread says so.
  await expect(async () => {
    await forum.reload();
    await expect(forum.getByRole("main")).toContainText("Escalated to our team", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  // Marco Rossi, a moderator, finds it in the escalation queue.
  await login("marco.rossi@northwind.example");
  await page.goto("/forum/escalations");
  const row = page.getByRole("row").filter({ hasText: title });
  await expect(row).toContainText("High");
  await expect(row).toContainText("Urgent terms");
  await expect(row).toContainText("Nobody yet");
  await expect(row).toContainText(/Due in/);
  expect(await violations(page), "the escalation queue").toEqual([]);
  await row.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Urgent term: outage");

  // He takes it, then resolves it with what customers should read.
  await page.getByLabel("Assignee").fill("@marco.rossi");
  await page.getByRole("button", { name: "Save assignee" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Assigned to Marco Rossi." })).toBeVisible();
  // Resolving without an outcome is refused, with the reason beside the field.
  await page.getByRole("button", { name: "Resolve", exact: true }).click();
  await expect(page.getByText("Say what was done: customers read it on the thread.")).toBeVisible();
  await page.getByLabel("Outcome").fill(outcome);
  await page.getByRole("button", { name: "Resolve", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Resolved. Customers see the outcome on the thread now." })).toBeVisible();
  expect(await violations(page), "the resolved escalation").toEqual([]);

  // The dashboard counts it among the week's questions; the admin's rules page is accessible too.
  await page.goto("/forum/dashboard");
  await expect(page.getByRole("table", { name: /Open escalations by severity/ })).toBeVisible();
  expect(await violations(page), "the forum dashboard").toEqual([]);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "amara.okafor@northwind.example", DEMO_PASSWORD);
  await admin.goto("/admin/forum");
  await expect(admin.getByLabel("Terms", { exact: true })).toHaveValue(/outage/);
  expect(await violations(admin), "Admin → Forum").toEqual([]);
  await adminContext.close();

  // The customer's thread shows the outcome.
  await forum.goto(threadUrl);
  await expect(forum.getByRole("main")).toContainText(`Resolved by our team: ${outcome}`);
  await expect(forum.getByRole("main")).not.toContainText("Escalated to our team");
  await customer.close();
});
