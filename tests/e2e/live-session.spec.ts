import { sql } from "drizzle-orm";
import { e2eBackend } from "./backend.ts";
import { test, expect } from "./fixtures.ts";

/** The public forum the app started beside itself (playwright.config.ts gives it its port). */
const FORUM = `http://localhost:${process.env.E2E_FORUM_PORT}`;

test("a moderator schedules and starts a forum session; a signed-out reader on the forum sees the expert's answer arrive without reloading", async ({ page, browser, login }) => {
  test.slow();
  const title = `Ask the PostgreSQL team ${Date.now().toString(36)}`;

  // Marco (a moderator) schedules the session with Sofia Martins and starts it.
  await login("marco.rossi@northwind.example");
  await page.goto("/sessions");
  await page.getByRole("link", { name: "Schedule a session" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill("Indexes, vacuum, replication: **ask away**.");
  await page.getByLabel("Topic").fill("postgres");
  await page.getByLabel("Audience").selectOption("forum");
  await page.getByLabel("Experts").fill("@sofia.martins");
  await page.getByRole("button", { name: "Schedule the session" }).click();
  await expect(page).toHaveURL(/\/sessions\/\d+$/);
  const sessionId = Number(new URL(page.url()).pathname.split("/").pop());
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await page.getByRole("button", { name: "Start" }).click();
  await expect(page.getByText("Live now")).toBeVisible();

  // A customer's question, as the forum writes it.
  const backend = await e2eBackend();
  try {
    await backend.db.execute(sql`
      insert into live_session_questions (session_id, author_name, body, body_html)
      values (${sessionId}, 'Dana Whitfield', 'How often should we reindex?', '<p>How often should we reindex?</p>')`);
  } finally {
    await backend.close();
  }

  // A second browser, signed out, reads the session on the forum.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`${FORUM}/sessions/${sessionId}`);
  await expect(reader.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(reader.getByText("How often should we reindex?")).toBeVisible();
  await expect(reader.getByText("Rarely: watch for bloat first")).toHaveCount(0);

  // Sofia answers inside the app.
  await page.context().clearCookies();
  await login("sofia.martins@northwind.example");
  await page.goto(`/sessions/${sessionId}`);
  await page.getByText("Answer this question").click();
  await page.getByLabel("Your answer to Dana Whitfield").fill("Rarely: watch for bloat first, then `REINDEX CONCURRENTLY`.");
  await page.getByRole("button", { name: "Post the answer" }).click();
  await expect(page.getByText("Rarely: watch for bloat first")).toBeVisible();

  // The forum page got it over its event stream: no reload, and the live region said so.
  await expect(reader.getByText("Rarely: watch for bloat first")).toBeVisible();
  await expect(reader.getByRole("status").filter({ hasText: "New answer from Sofia Martins" })).toHaveText("New answer from Sofia Martins");
  await expect(reader.getByText("Sofia Martins", { exact: true }).first()).toBeVisible();
  await reader.context().close();
});
