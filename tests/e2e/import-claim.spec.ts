import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";
import { IMPORT_E2E } from "./seed-imports.ts";

/**
 * Imported content as people meet it: the credit line under imported posts, the imported
 * profile's page, and an admin claiming the profile for the person's account (seeded by serve.ts
 * through seed-imports.ts, as an importer would leave it).
 */
const AMARA = "amara.okafor@northwind.example";

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

test("imported posts credit their source, author and licence; an admin claims the profile and the posts move to the account", async ({ page, login }) => {
  test.setTimeout(90_000);
  await login(AMARA);

  // The thread credits each post.
  await page.goto(`/spaces/${IMPORT_E2E.space}`);
  await page.getByRole("link", { name: IMPORT_E2E.questionTitle }).click();
  const question = page.getByRole("article", { name: "Question" });
  await expect(question.getByText("Imported from beer.stackexchange.com — written by hopsfan, licensed CC BY-SA 3.0")).toBeVisible();
  await expect(question.getByRole("link", { name: "beer.stackexchange.com" })).toHaveAttribute("href", `https://beer.stackexchange.com/questions/${IMPORT_E2E.sourceQuestionId}`);
  await expect(question.getByRole("link", { name: "CC BY-SA 3.0" })).toHaveAttribute("href", "https://creativecommons.org/licenses/by-sa/3.0/");
  const answer = page.getByRole("article", { name: "Answer by hopsfan" });
  await expect(answer.getByText("written by hopsfan, licensed CC BY-SA 4.0")).toBeVisible();
  await expect(answer.getByRole("link", { name: "CC BY-SA 4.0" })).toHaveAttribute("href", "https://creativecommons.org/licenses/by-sa/4.0/");
  const questionUrl = page.url();

  // The placeholder's profile says it is imported.
  await question.getByRole("link", { name: "hopsfan" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "hopsfan" })).toBeVisible();
  await expect(page.getByText("Imported from beer.stackexchange.com, not yet claimed.")).toBeVisible();
  const placeholderProfile = new URL(page.url()).pathname;

  // Admin → People: filter to imported profiles and open it.
  await page.goto("/admin/users");
  await page.getByRole("combobox", { name: "Status" }).selectOption("imported");
  await page.getByRole("button", { name: "Search" }).click();
  const table = page.getByRole("table", { name: /People/ });
  const row = table.getByRole("row").filter({ hasText: "hopsfan" });
  await expect(row.getByText("Imported, not claimed")).toBeVisible();
  await row.getByRole("link", { name: "hopsfan" }).click();

  const card = page.getByRole("region", { name: "Imported profile" });
  await expect(card).toContainText("Imported from beer.stackexchange.com (hopsfan on beer.stackexchange.com), not claimed.");
  await expect(card.getByRole("link", { name: "hopsfan on beer.stackexchange.com" })).toHaveAttribute("href", "https://beer.stackexchange.com/users/1234");
  await expect(card).toContainText("Claiming moves 1 question, 1 answer, 0 comments and 1,234 reputation");
  expect(await violations(page), "admin page with the claim form").toEqual([]);

  // A wrong address comes back with the field error and the typed text.
  const field = card.getByRole("textbox", { name: "Claim for an account" });
  await field.fill("nobody@northwind.example");
  await card.getByRole("button", { name: "Review claim" }).click();
  await expect(card.getByText("No active employee account matches. Type their email address.")).toBeVisible();
  await expect(field).toHaveValue("nobody@northwind.example");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  expect(await violations(page), "claim form with an error").toEqual([]);

  // Review, then confirm.
  await field.fill(IMPORT_E2E.accountEmail);
  await card.getByRole("button", { name: "Review claim" }).click();
  await expect(card.getByRole("heading", { name: `Claim for ${IMPORT_E2E.accountName} (${IMPORT_E2E.accountEmail})?` })).toBeVisible();
  expect(await violations(page), "claim confirmation").toEqual([]);
  await card.getByRole("button", { name: `Claim for ${IMPORT_E2E.accountName}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: IMPORT_E2E.accountName })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(`The imported profile now belongs to ${IMPORT_E2E.accountName}`);

  // The posts and the reputation show under the account.
  await page.getByRole("link", { name: "View profile" }).click();
  await expect(page.getByRole("heading", { level: 1, name: IMPORT_E2E.accountName })).toBeVisible();
  await expect(page.getByText("1,234 reputation", { exact: true })).toBeVisible();
  const questions = page.getByRole("region", { name: "Questions (1)" });
  await expect(questions.getByRole("link", { name: IMPORT_E2E.questionTitle })).toBeVisible();
  await expect(page.getByRole("region", { name: "Answers (1)" }).getByRole("link", { name: IMPORT_E2E.questionTitle })).toBeVisible();

  // The thread now names the account, and still credits the original author.
  await page.goto(questionUrl);
  await expect(page.getByRole("article", { name: `Answer by ${IMPORT_E2E.accountName}` })).toBeVisible();
  await expect(page.getByRole("article", { name: "Question" }).getByText("written by hopsfan, licensed CC BY-SA 3.0")).toBeVisible();

  // The placeholder is gone.
  const response = await page.goto(placeholderProfile);
  expect(response?.status()).toBe(404);
});
