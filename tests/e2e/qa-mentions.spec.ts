import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

/** The number in the bell's accessible name ("Inbox, 3 unread"), 0 when it says just "Inbox". */
async function unreadInBell(page: Page): Promise<number> {
  const bell = page.getByRole("link", { name: /^Inbox(, \d+ unread)?$/ });
  const name = (await bell.getAttribute("aria-label")) ?? "";
  return Number(/(\d+) unread/.exec(name)?.[1] ?? 0);
}

// A mention picked from the autocomplete with the keyboard reaches the person's inbox and leads to the answer.
test("an @mention in an answer arrives in the mentioned person's inbox", async ({ page, login }) => {
  const run = Date.now().toString(36);
  const title = `Who owns the quarterly pricing export job ${run}?`;

  await login("amara.okafor@northwind.example");
  await page.goto("/questions/ask?space=engineering");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Details").fill(`The export job failed twice this week and nobody seems to own it (${run}).`);
  await page.getByRole("combobox", { name: "Tags" }).fill("reporting");
  // The suggestions list covers the button below it until closed, as a person would close it.
  await page.getByRole("combobox", { name: "Tags" }).press("Escape");
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  // Type "@tom", pick Tom Becker from the suggestions with the keyboard.
  const answer = page.getByLabel("Answer", { exact: true });
  await answer.click();
  await answer.pressSequentially("Sales uses it most, so @tom");
  const suggestions = page.getByRole("listbox", { name: "People to mention" });
  const tom = suggestions.getByRole("option", { name: /Tom Becker/ });
  await expect(tom).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /found/ })).toHaveText(/\d+ (person|people) found/);
  const count = await suggestions.getByRole("option").count();
  for (let i = 0; i < count; i++) {
    if ((await tom.getAttribute("aria-selected")) === "true") break;
    await answer.press("ArrowDown");
  }
  await expect(tom).toHaveAttribute("aria-selected", "true");
  await expect(answer).toHaveAttribute("aria-activedescendant", (await tom.getAttribute("id"))!);
  await answer.press("Enter");
  await expect(suggestions).toHaveCount(0);
  await expect(answer).toHaveValue("Sales uses it most, so @tom.becker ");
  await answer.pressSequentially("could you confirm who runs it now?");
  await page.getByRole("button", { name: "Post your answer" }).click();
  await expect(page).toHaveURL(/#answer-\d+$/);
  const answerUrl = page.url();

  // Tom signs in: the bell counts the mention, the inbox names who did what where.
  await page.context().clearCookies();
  await login("tom.becker@northwind.example");
  await page.goto("/");
  const before = await unreadInBell(page);
  expect(before).toBeGreaterThan(0);
  await page.getByRole("link", { name: /^Inbox, \d+ unread$/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Inbox" })).toBeVisible();
  const notification = page.getByRole("link", { name: `Amara Okafor mentioned you in “${title}”` });
  const item = page.getByRole("listitem").filter({ has: notification });
  await expect(item.getByText("Unread")).toBeVisible();

  // Opening it marks it read and lands on the answer.
  await notification.click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  expect(page.url()).toBe(answerUrl);
  await expect(page.locator(new URL(answerUrl).hash)).toContainText("@tom.becker could you confirm who runs it now?");
  expect(await unreadInBell(page)).toBe(before - 1);

  // Mentioned is not following: Tom follows the question in place, and it sticks.
  const follow = page.getByRole("button", { name: "Follow", exact: true });
  await expect(follow).toHaveAttribute("aria-pressed", "false");
  await follow.click();
  await expect(follow).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("status").filter({ hasText: "Following." })).toBeAttached();
  await page.reload();
  await expect(follow).toHaveAttribute("aria-pressed", "true");

  await page.getByRole("link", { name: /^Inbox/ }).click();
  await expect(item.getByText("Unread")).toHaveCount(0);
});
