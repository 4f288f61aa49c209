import { test, expect } from "./fixtures.ts";

// Ask → edit → history diff → roll back, through the pages as a demo user would.
test("a question is asked, edited, compared in its history and rolled back", async ({ page, login }) => {
  const run = Date.now().toString(36);
  const title = `How do we rotate the staging database password ${run}?`;
  const original = `The staging password expired this morning and the deploy job fails. Which vault path holds it (${run})?`;
  const edited = `The staging password expired and deploys fail with "authentication failed". Which vault path holds it (${run})?`;

  await login("amara.okafor@northwind.example");
  await page.goto("/questions/ask?space=engineering");
  await expect(page.getByRole("heading", { level: 1, name: "Ask a question" })).toBeVisible();
  await expect(page.getByLabel("Space")).toHaveValue("engineering");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Details").fill(original);
  await page.getByRole("combobox", { name: "Tags" }).fill(`staging, e2e-${run}`);
  // The suggestions list covers the button below it until closed, as a person would close it.
  await page.getByRole("combobox", { name: "Tags" }).press("Escape");
  await page.getByRole("button", { name: "Post your question" }).click();

  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page).toHaveURL(/\/questions\/\d+\/how-do-we-rotate-the-staging-database-password/);
  const question = page.getByRole("article", { name: "Question" });
  await expect(question.getByText(original)).toBeVisible();
  await expect(question.getByRole("list", { name: "Tags" }).getByRole("link", { name: "staging" })).toBeVisible();

  // Edit: the form starts from the current text; an edit summary says why.
  await question.getByRole("link", { name: "Edit this question" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit question" })).toBeVisible();
  await expect(page.getByLabel("Details")).toHaveValue(original);
  await page.getByLabel("Details").fill(edited);
  await page.getByLabel("Edit summary").fill("added the error message");
  await page.getByRole("button", { name: "Save edits" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(question.getByText(edited)).toBeVisible();
  await expect(question.getByText(original)).toHaveCount(0);

  // History: newest first, the edit's words marked as added and removed.
  await question.getByRole("link", { name: "History of this question" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Question history" })).toBeVisible();
  const latest = page.getByRole("region", { name: /Revision 2/ });
  await expect(latest.getByText("“added the error message”")).toBeVisible();
  await expect(latest.locator("ins").filter({ hasText: "authentication" })).toBeVisible();
  await expect(latest.locator("del").filter({ hasText: "morning" })).toBeVisible();

  // Roll back to the original: the question page shows it again, and the history gains a revision.
  await page
    .getByRole("region", { name: /Revision 1/ })
    .getByRole("button", { name: /Roll back to this revision/ })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(question.getByText(original)).toBeVisible();
  await expect(question.getByText(edited)).toHaveCount(0);
  await question.getByRole("link", { name: "History of this question" }).click();
  const rollback = page.getByRole("region", { name: /Revision 3/ });
  await expect(rollback.getByText("Rolled back", { exact: true })).toBeVisible();
  await expect(rollback.getByText("Current", { exact: true })).toBeVisible();
});

test("a refused edit comes back with the message and the text kept", async ({ page, login }) => {
  const run = Date.now().toString(36);
  await login("amara.okafor@northwind.example");
  await page.goto("/questions/ask?space=engineering");
  await page.getByLabel("Title").fill(`Where are the on-call runbooks kept ${run}?`);
  await page.getByLabel("Details").fill("short");
  await page.getByRole("combobox", { name: "Tags" }).fill("oncall");
  // The suggestions list covers the button below it until closed, as a person would close it.
  await page.getByRole("combobox", { name: "Tags" }).press("Escape");
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page.getByLabel("Details")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Details")).toHaveValue("short");
  await expect(page.getByLabel("Title")).toHaveValue(`Where are the on-call runbooks kept ${run}?`);

  await page.getByLabel("Details").fill("We had an incident last night and nobody could find the database runbook.");
  await page.getByRole("button", { name: "Post your question" }).click();
  const question = page.getByRole("article", { name: "Question" });
  await question.getByRole("link", { name: "Edit this question" }).click();
  await page.getByRole("button", { name: "Save edits" }).click();
  await expect(page.getByRole("alert")).toContainText("Nothing changed");
  await expect(page.getByLabel("Title")).toHaveValue(`Where are the on-call runbooks kept ${run}?`);
});

test("an answer and a comment posted from the question page appear there, and their forms empty", async ({ page, login }) => {
  const run = Date.now().toString(36);
  await login("amara.okafor@northwind.example");
  await page.goto("/questions/ask?space=engineering");
  await page.getByLabel("Title").fill(`Which laptop image has the new VPN client ${run}?`);
  await page.getByLabel("Details").fill("IT mentioned a new image last week; I cannot find which one it is.");
  await page.getByRole("combobox", { name: "Tags" }).fill("vpn");
  // The suggestions list covers the button below it until closed, as a person would close it.
  await page.getByRole("combobox", { name: "Tags" }).press("Escape");
  await page.getByRole("button", { name: "Post your question" }).click();

  const answerText = `Image 2024.3 ships it; reimage through the self-service portal (${run}).`;
  await page.getByLabel("Answer", { exact: true }).fill(answerText);
  await page.getByRole("button", { name: "Post your answer" }).click();
  const answer = page.getByRole("article", { name: /Answer by Amara Okafor/ });
  await expect(answer.getByText(answerText)).toBeVisible();
  await expect(page).toHaveURL(/#answer-\d+$/);
  await expect(page.getByLabel("Answer", { exact: true })).toHaveValue("");

  await answer.getByText("Add a comment").click();
  await answer.getByLabel("Comment", { exact: true }).fill("Does it need a reboot afterwards?");
  await answer.getByRole("button", { name: "Add comment" }).click();
  await expect(answer.getByRole("list", { name: "Comments" })).toContainText("Does it need a reboot afterwards?");
  await expect(answer.getByLabel("Comment", { exact: true })).toBeHidden();
  await expect(page.getByRole("heading", { name: "1 answer" })).toBeVisible();
});
