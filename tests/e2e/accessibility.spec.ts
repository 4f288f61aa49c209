import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

// axe-core checks each page against WCAG 2.1 A and AA rules; any violation fails with its rule,
// impact and the offending elements, so a regression names what to fix.
async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

test("signed-out pages have no WCAG A/AA violations", async ({ page }) => {
  for (const path of ["/sign-in", "/sign-up", "/no-such-page"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
});

// One page of each template. A profile is checked in qa-reputation.spec.ts (with its monthly
// table open) and Admin → Search in search-admin.spec.ts (after an index check).
test("signed-in pages have no WCAG A/AA violations", async ({ page, login }) => {
  // Nine pages, several with question lists: axe needs more than the default 30 s on a busy machine.
  test.slow();
  await login("amara.okafor@northwind.example");
  for (const path of ["/", "/spaces", "/spaces/engineering", "/settings/profile", "/settings/password", "/notifications", "/admin/users", "/admin/spaces", "/admin/spaces/engineering"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
});

// Question lists and tag pages are long; they get their own test so the page list above stays within the timeout.
// Another sort of the list is the same template with other rows, so one list is checked.
test("question lists and tag pages have no WCAG A/AA violations", async ({ page, login }) => {
  await login("priya.nair@northwind.example");
  for (const path of ["/questions", "/tags", "/tags/postgres"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
});

// Search: the prompt, results with facets and people (once the relay has indexed the demo), and "no results".
test("the search page has no WCAG A/AA violations", async ({ page, login }) => {
  // The first search may wait for the relay to index the demo content.
  test.slow();
  await login("priya.nair@northwind.example");
  await page.goto("/search");
  expect(await violations(page), "/search").toEqual([]);
  await expect(async () => {
    await page.goto("/search?q=postgres");
    await expect(page.getByRole("navigation", { name: "Filter results" })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 45_000 });
  expect(await violations(page), "/search?q=postgres").toEqual([]);
  await page.goto("/search?q=qwxzvj&tag=postgres");
  expect(await violations(page), "/search with no results").toEqual([]);
});

// The question page is reached by asking one, so the test does not depend on the seed's ids.
test("the ask page and a question page have no WCAG A/AA violations, also with form errors", async ({ page, login }) => {
  await login("amara.okafor@northwind.example");
  await page.goto("/questions/ask?space=engineering");
  expect(await violations(page), "/questions/ask").toEqual([]);
  await page.getByLabel("Title").fill("Is there a checklist for accessibility reviews?");
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page.getByLabel("Details")).toHaveAttribute("aria-invalid", "true");
  expect(await violations(page), "/questions/ask with errors").toEqual([]);
  await page.getByLabel("Details").fill("We ship forms every sprint and want one list to check them against.");
  await page.getByRole("combobox", { name: "Tags" }).fill("accessibility");
  // The suggestions list covers the button below it until closed, as a person would close it.
  await page.getByRole("combobox", { name: "Tags" }).press("Escape");
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page.getByRole("article", { name: "Question" })).toBeVisible();
  expect(await violations(page), "question page").toEqual([]);
  await page.getByRole("button", { name: "Post your answer" }).click();
  await expect(page.getByLabel("Answer", { exact: true })).toHaveAttribute("aria-invalid", "true");
  expect(await violations(page), "question page with errors").toEqual([]);
});

// Moderation pages: the queue (both tabs), a question's close page (also with an error) and a flag page.
test("the moderation queue, the close page and a flag page have no WCAG A/AA violations", async ({ page, login }) => {
  await login("amara.okafor@northwind.example");
  for (const path of ["/moderation", "/moderation?tab=handled"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
  await page.goto("/questions");
  const link = await page.locator('main a[href^="/questions/"]').filter({ hasNotText: /ask/i }).first().getAttribute("href");
  const id = /\/questions\/(\d+)/.exec(link ?? "")?.[1];
  expect(id, "a question in the list").toBeTruthy();
  await page.goto(`/questions/${id}/close`);
  expect(await violations(page), "close page").toEqual([]);
  if (await page.getByRole("button", { name: "Close question" }).isVisible()) {
    await page.getByRole("button", { name: "Close question" }).click();
    await expect(page.getByText("Choose why the question is closed.")).toBeVisible();
    expect(await violations(page), "close page with errors").toEqual([]);
  }
  // Flag pages name the item (any kind): the question page's follow form carries its id.
  await page.goto(`/questions/${id}`);
  const item = /^\/items\/(\d+)\/follow$/.exec((await page.locator('form[action^="/items/"]').first().getAttribute("action")) ?? "")?.[1];
  expect(item, "the question's item").toBeTruthy();
  await page.goto(`/items/${item}/flag`);
  expect(await violations(page), "flag page").toEqual([]);
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

// Idea campaigns, as their sponsor sees them (the decision and score panels show): the list, a
// campaign with its filters, an idea, the roadmap, the results, and the forms with errors.
test("idea campaign pages have no WCAG A/AA violations", async ({ page, login }) => {
  test.slow();
  await login("marco.rossi@northwind.example");
  await page.goto("/campaigns");
  expect(await violations(page), "/campaigns").toEqual([]);
  await page.getByRole("link", { name: "Ideas from support" }).click();
  await expect(page).toHaveURL(/\/campaigns\/\d+$/);
  const campaign = page.url();
  expect(await violations(page), "a campaign").toEqual([]);
  // (A campaign sorted otherwise is the same template with its ideas in another order.)
  for (const path of [`${campaign}/roadmap`, `${campaign}/results`, `${campaign}/submit`, "/campaigns/new"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    expect(await violations(page), path).toEqual([]);
  }
  await page.getByRole("button", { name: "Start the campaign" }).click();
  await expect(page.getByText("Choose a space.")).toBeVisible();
  expect(await violations(page), "/campaigns/new with errors").toEqual([]);
  await page.goto(campaign);
  const first = await page.getByRole("heading", { level: 3 }).getByRole("link").first().getAttribute("href");
  await page.goto(first!);
  await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
  expect(await violations(page), "an idea").toEqual([]);
});
