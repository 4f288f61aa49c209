import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

const PRIYA = "priya.nair@northwind.example";
const LENA = "lena.fischer@northwind.example"; // HR, the moderator of Ask HR

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

// A member asks HR anonymously; Lena (HR) sees "Anonymous", answers and writes to the asker; the member hears of the answer and finds it all on their page of anonymous questions.
test("an anonymous question to HR: asked, answered, and the asker's name shown to no one", async ({ page, login }) => {
  test.slow();
  const run = Date.now().toString(36);
  const title = `Does the learning budget carry over into next year ${run}?`;

  await login(PRIYA);
  await page.goto("/questions/ask?space=ask-hr");
  const box = page.getByRole("checkbox", { name: "Ask anonymously" });
  await expect(box).toBeVisible();
  // Offered only where the space allows it, once the page is interactive (the tags field becomes a combobox then).
  await expect(page.getByRole("combobox", { name: "Tags" })).toBeVisible();
  await page.getByLabel("Space").selectOption({ label: "Engineering" });
  await expect(box).toHaveCount(0);
  await page.getByLabel("Space").selectOption({ label: "Ask HR" });
  await box.check();
  expect(await violations(page), "/questions/ask with the box").toEqual([]);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Details").fill(`I have budget left this year and a course I'd like to take in January (${run}).`);
  await page.getByRole("combobox", { name: "Tags" }).fill("benefits");
  await page.getByRole("combobox", { name: "Tags" }).press("Escape");
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const question = page.getByRole("article", { name: "Question" });
  await expect(question.getByRole("link", { name: "Anonymous" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "You asked this anonymously" })).toBeVisible();
  const url = page.url();

  // Lena sees "Anonymous", nothing of Priya, answers, and writes to the asker.
  await page.context().clearCookies();
  await login(LENA);
  await page.goto(url);
  await expect(page.getByRole("heading", { name: "Asked anonymously" })).toBeVisible();
  await expect(question.getByRole("link", { name: "Anonymous" })).toBeVisible();
  await expect(question).not.toContainText("Priya");
  await expect(page.getByRole("region", { name: "Asked anonymously" })).not.toContainText("Priya");
  expect(await violations(page), "the question page, as the space's moderator").toEqual([]);
  await page.getByLabel("Answer", { exact: true }).fill("Yes: up to half of this year's budget carries over, if your manager agrees before December.");
  await page.getByRole("button", { name: "Post your answer" }).click();
  await expect(page).toHaveURL(/#answer-\d+$/);
  await page.getByRole("link", { name: "Message the asker" }).click();
  await page.getByLabel("Message").fill(`Which course is it? Some are paid from the team budget instead (${run}).`);
  await page.getByRole("button", { name: "Send to the asker" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Message sent to the asker." })).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("Priya");
  expect(await violations(page), "the relay page").toEqual([]);

  // Priya hears of the answer, and finds the question and Lena's message on her own page.
  await page.context().clearCookies();
  await login(PRIYA);
  await page.goto("/notifications");
  await expect(page.getByRole("link", { name: `Lena Fischer answered “${title}”` })).toBeVisible();
  await expect(page.getByRole("link", { name: `Lena Fischer sent you a message about your anonymous question “${title}”` })).toBeVisible();
  await page.goto("/questions/anonymous");
  const mine = page.getByRole("article", { name: title });
  await expect(mine).toBeVisible();
  await expect(mine.getByText("1 answer")).toBeVisible();
  await expect(mine.getByRole("list", { name: "Messages from moderators" })).toContainText(`Which course is it? Some are paid from the team budget instead (${run}).`);
  expect(await violations(page), "/questions/anonymous").toEqual([]);
});
