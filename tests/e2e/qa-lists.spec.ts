import type { Locator, Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

const PRIYA = "priya.nair@northwind.example";
const TOM = "tom.becker@northwind.example";

const sortNav = (page: Page) => page.getByRole("navigation", { name: "Sort questions" });
const rows = (page: Page) => page.getByRole("article");

/** "12 votes" → 12, read from each row's statistics as a reader sees them. */
async function scores(list: Locator): Promise<number[]> {
  const texts = await list
    .getByRole("list", { name: "Statistics" })
    .locator("li")
    .filter({ hasText: /votes?$/ })
    .allInnerTexts();
  return texts.map((t) => Number(t.replace(/[^0-9-]/g, "")));
}

test("the questions list: sorts as tabs, top by period, rows with their facts, pages", async ({ page, login }) => {
  await login(PRIYA);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Questions" }).click();
  await expect(page).toHaveURL("/questions");
  await expect(page.getByRole("heading", { level: 1, name: "Questions" })).toBeVisible();
  await expect(sortNav(page).getByRole("link", { name: "Newest" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Questions" })).toHaveAttribute("aria-current", "page");

  // The demo community has questions; each row shows votes, answers, views, tags, author and time.
  const first = rows(page).first();
  await expect(first).toBeVisible();
  await expect(first.getByRole("list", { name: "Statistics" })).toContainText(/votes?/);
  await expect(first.getByRole("list", { name: "Statistics" })).toContainText(/answers?/);
  await expect(first.getByRole("list", { name: "Tags" }).getByRole("link").first()).toBeVisible();
  await expect(first.locator("time")).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);

  // Unanswered: defined in words, and every row says "0 answers".
  await sortNav(page).getByRole("link", { name: "Unanswered" }).click();
  await expect(page).toHaveURL("/questions?sort=unanswered");
  await expect(sortNav(page).getByRole("link", { name: "Unanswered" })).toHaveAttribute("aria-current", "page");
  await expect(sortNav(page).getByRole("link", { name: "Newest" })).not.toHaveAttribute("aria-current", "page");
  await expect(page.getByText("Questions that have no answers yet, newest first.")).toBeVisible();
  const unanswered = await rows(page).count();
  if (unanswered === 0) await expect(page.getByText("No unanswered questions: nice work")).toBeVisible();
  for (const text of await rows(page).getByRole("list", { name: "Statistics" }).allInnerTexts()) expect(text).toContain("0 answers");

  // Top: a period choice appears; all time lists scores from high to low.
  await sortNav(page).getByRole("link", { name: "Top" }).click();
  await expect(page).toHaveURL("/questions?sort=top");
  const period = page.getByRole("navigation", { name: "Period" });
  await expect(period.getByRole("link", { name: "Week" })).toHaveAttribute("aria-current", "page");
  await period.getByRole("link", { name: "All time" }).click();
  await expect(page).toHaveURL("/questions?sort=top&period=all");
  await expect(period.getByRole("link", { name: "All time" })).toHaveAttribute("aria-current", "page");
  const top = await scores(page.getByRole("main"));
  expect(top.length).toBeGreaterThan(0);
  expect(top).toEqual([...top].sort((a, b) => b - a));

  // Pages: when there is a next page, it leads on and Previous leads back to the same rows.
  await sortNav(page).getByRole("link", { name: "Newest" }).click();
  await expect(page).toHaveURL("/questions");
  const pager = page.getByRole("navigation", { name: "Pages" });
  if ((await pager.count()) > 0) {
    const firstTitles = await rows(page).getByRole("heading").allInnerTexts();
    await pager.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/cursor=/);
    // The address changes before the new rows render: wait for the list itself to move on.
    await expect(rows(page).first().getByRole("heading")).not.toHaveText(firstTitles[0]!);
    const secondTitles = await rows(page).getByRole("heading").allInnerTexts();
    expect(secondTitles.filter((t) => firstTitles.includes(t))).toEqual([]);
    await pager.getByRole("link", { name: "Previous" }).click();
    await expect(rows(page).first().getByRole("heading")).toHaveText(firstTitles[0]!);
    expect(await rows(page).getByRole("heading").allInnerTexts()).toEqual(firstTitles);
  }

  // A bad cursor is simply the first page.
  const response = await page.goto("/questions?cursor=not-a-cursor");
  expect(response?.status()).toBe(200);
  await expect(rows(page).first()).toBeVisible();
});

test("keyboard: the sort tabs are reachable with Tab and followed with Enter", async ({ page, login }) => {
  await login(PRIYA);
  await page.goto("/questions");
  const newest = sortNav(page).getByRole("link", { name: "Newest" });
  await newest.focus();
  await page.keyboard.press("Tab");
  await expect(sortNav(page).getByRole("link", { name: "Active" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/questions?sort=active");
  await expect(sortNav(page).getByRole("link", { name: "Active" })).toHaveAttribute("aria-current", "page");
  await page.keyboard.press("Tab");
  await expect(sortNav(page).getByRole("link", { name: "Unanswered" })).toBeFocused();
});

test("a tag page: description, count, its questions, top people and related tags; the tag index filters", async ({ page, login }) => {
  await login(PRIYA);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tags" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tags" })).toBeVisible();
  await page.getByLabel("Filter tags").fill("postgr");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL("/tags?q=postgr");
  const tagList = page.getByRole("list", { name: "Tags" });
  await expect(tagList.getByRole("link", { name: "postgres", exact: true })).toBeVisible();
  await tagList.getByRole("link", { name: "postgres", exact: true }).click();

  await expect(page).toHaveURL("/tags/postgres");
  await expect(page.getByRole("heading", { level: 1, name: "Tag: postgres" })).toBeVisible();
  await expect(page.getByText(/^\d+ questions? you can see$/)).toBeVisible();
  await expect(page.getByRole("main")).toContainText("PostgreSQL");
  // Every question listed carries the tag.
  const listed = rows(page);
  await expect(listed.first()).toBeVisible();
  for (const tags of await listed.getByRole("list", { name: "Tags" }).allInnerTexts()) expect(tags.split("\n")).toContain("postgres");
  await expect(page.getByRole("region", { name: "Top askers" }).getByRole("link").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Top answerers" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Related tags" }).getByRole("link").first()).toBeVisible();

  // The same sort tabs work here.
  await sortNav(page).getByRole("link", { name: "Top" }).click();
  await expect(page).toHaveURL("/tags/postgres?sort=top");
});

test("the space page lists its questions beside the space's details, with an Ask button", async ({ page, login }) => {
  await login(PRIYA);
  await page.goto("/spaces/engineering");
  const questions = page.getByRole("region", { name: "Questions" });
  await expect(questions.getByRole("article").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Ask a question" }).first()).toHaveAttribute("href", "/questions/ask?space=engineering");
  await expect(page.getByRole("complementary", { name: "About this space" }).getByRole("region", { name: "Moderators" })).toBeVisible();
});

test("someone outside a restricted space sees none of its questions or its tags' use", async ({ page, login }) => {
  await login(TOM);
  await page.goto("/questions?sort=top&period=all");
  await expect(rows(page).first()).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("Platform Security");
  const response = await page.goto("/spaces/platform-security");
  expect(response?.status()).toBe(404);
});
