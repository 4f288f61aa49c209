import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

const AMARA = "amara.okafor@northwind.example"; // admin
const GRACE = "grace.liu@northwind.example"; // member
const TOM = "tom.becker@northwind.example"; // member

const DOCKER_QUESTION = "docker compose up fails with 'port 5432 is already allocated'";

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

const titleField = (page: Page) => page.getByRole("textbox", { name: "Title" });
const similarPanel = (page: Page) => page.getByRole("region", { name: "Similar questions" });

/** Types `title` into the ask form and waits for the similar-questions answer to it. */
async function typeTitle(page: Page, title: string) {
  const answered = page.waitForResponse((r) => r.url().includes("/api/similar-questions") && new URL(r.url()).searchParams.get("title") === title);
  await titleField(page).fill(title);
  await answered;
}

test("typing a demo question's title on the ask page lists it under Similar questions, in a new tab", async ({ page, login, context }) => {
  await login(GRACE);
  await page.goto("/questions/ask");
  await expect(page.getByRole("heading", { level: 1, name: "Ask a question" })).toBeVisible();
  // The relay indexes the demo content a few seconds after the server starts.
  await expect(async () => {
    await titleField(page).fill("");
    await typeTitle(page, "docker compose port 5432 already allocated");
    await expect(similarPanel(page)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 45_000, intervals: [500, 1000, 2000] });

  const link = similarPanel(page).getByRole("link", { name: new RegExp(`^${DOCKER_QUESTION.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener");
  await expect(similarPanel(page)).toContainText("Engineering");
  await expect(similarPanel(page)).toContainText(/\d+ answers?/);
  await expect(page.getByRole("status").filter({ hasText: /^\d+ similar questions?$/ })).toBeAttached();
  expect(await violations(page), "/questions/ask with similar questions").toEqual([]);

  // The question opens beside the draft, which stays as typed.
  const [opened] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await expect(opened.getByRole("heading", { level: 1, name: DOCKER_QUESTION })).toBeVisible();
  await opened.close();
  await expect(titleField(page)).toHaveValue("docker compose port 5432 already allocated");

  // Too short, or unrelated: no panel.
  await titleField(page).fill("do");
  await expect(similarPanel(page)).toBeHidden();
  await typeTitle(page, "What is the best pizza in town");
  await expect(similarPanel(page)).toBeHidden();
  await expect(page.getByText("Similar questions are unavailable right now.")).toBeHidden();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the ask form's title is a plain field and nothing is fetched", async ({ page, login }) => {
    await login(GRACE);
    let fetched = false;
    page.on("request", (r) => {
      if (r.url().includes("/api/similar-questions")) fetched = true;
    });
    await page.goto("/questions/ask");
    await titleField(page).fill(DOCKER_QUESTION);
    await expect(titleField(page)).toHaveValue(DOCKER_QUESTION);
    await expect(similarPanel(page)).toHaveCount(0);
    expect(fetched).toBe(false);
  });
});

test("admins open Admin → Search: outbox and Meilisearch health, the dead letters, and an index check", async ({ page, login }) => {
  await login(AMARA);
  await page.goto("/admin/users");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Search" }).click();
  await expect(page).toHaveURL("/admin/search");
  await expect(page.getByRole("heading", { level: 1, name: "Search" })).toBeVisible();

  const outbox = page.getByRole("region", { name: "Outbox" });
  await expect(outbox).toContainText(/The index is up to date\.|changes? waiting, the oldest/);
  const meili = page.getByRole("region", { name: "Meilisearch" });
  await expect(meili).toContainText(/Meilisearch \d+\.\d+\.\d+ is reachable\./);
  await expect(meili.getByRole("cell", { name: "questions", exact: true })).toBeVisible();
  await expect(meili.getByRole("cell", { name: "people", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Dead letters" })).toBeVisible();
  await expect(page.getByText("npm run search:reindex")).toBeVisible();

  const check = page.getByRole("region", { name: "Index check" });
  await check.getByRole("button", { name: "Check index now" }).click();
  await expect(check.getByRole("status")).toHaveText(
    /^Checked \d+ questions, \d+ people, \d+ ideas, \d+ wiki pages, \d+ articles, \d+ (kudos or badge|kudos and badges) and \d+ forum threads?: \d+ missing, \d+ stale, \d+ extra(\. The indexes match the database\.|; \d+ queued for the relay\.)$/,
  );
  expect(await violations(page), "/admin/search after a check").toEqual([]);
});

test("the search health page answers 404 to members", async ({ page, login }) => {
  await login(TOM);
  const response = await page.goto("/admin/search");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "We can't find that page" })).toBeVisible();
});
