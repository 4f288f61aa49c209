import { test, expect } from "./fixtures.ts";

// Flag → moderator acts: an employee flags an answer as spam, a moderator deletes it from the
// queue, and the answer is gone for the employee. Each person signs in on the same page in turn.
test("a spam answer is flagged, deleted from the moderation queue, and gone for the reporter", async ({ page, login }) => {
  const run = Date.now().toString(36);
  const title = `Does the Lyon office ship replacement barcode scanners ${run}?`;
  const spam = `Cheap scanners at best-prices-${run}.example: lowest prices today, click now for the deal!`;
  const signInAs = async (email: string) => {
    await page.context().clearCookies();
    await login(email);
  };

  // Chloe asks in Ask Support; Samuel answers with spam.
  await signInAs("chloe.dubois@northwind.example");
  await page.goto("/questions/ask?space=ask-support");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Details").fill("A customer in Lyon has two broken scanners. Can the office ship replacements, or do they order new ones?");
  await page.getByRole("combobox", { name: "Tags" }).fill("known-issue");
  // The suggestions list covers the button below it until closed, as a person would close it.
  await page.getByRole("combobox", { name: "Tags" }).press("Escape");
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const questionPath = new URL(page.url()).pathname;

  await signInAs("samuel.osei@northwind.example");
  await page.goto(questionPath);
  await page.getByLabel("Answer", { exact: true }).fill(spam);
  await page.getByRole("button", { name: "Post your answer" }).click();
  const answer = page.getByRole("article", { name: "Answer by Samuel Osei" });
  await expect(answer.getByText(spam)).toBeVisible();
  // No flag link on one's own answer.
  await expect(answer.getByRole("link", { name: /^Flag/ })).toHaveCount(0);

  // Tom flags it as spam through the flag page, and comes back to the question with a notice.
  await signInAs("tom.becker@northwind.example");
  await page.goto(questionPath);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Moderation/ })).toHaveCount(0);
  await answer.getByRole("link", { name: "Flag answer by Samuel Osei" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Flag this answer" })).toBeVisible();
  await expect(page.getByText(spam)).toBeVisible();
  await page.getByRole("radio", { name: "Spam" }).check();
  await page.getByRole("button", { name: "Flag answer" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your flag" })).toHaveText("Thanks. Your flag is with the moderators of this space.");
  await expect(page).toHaveURL(new RegExp(`${questionPath}\\?notice=flagged`));
  await expect(answer).toBeVisible();

  // A second flag by the same person is refused with a plain message.
  await page.goto(`${questionPath}`);
  await answer.getByRole("link", { name: "Flag answer by Samuel Osei" }).click();
  await page.getByRole("radio", { name: "Rude or abusive" }).check();
  await page.getByRole("button", { name: "Flag answer" }).click();
  await expect(page.getByRole("alert")).toHaveText("You already flagged this. A moderator will look at it soon.");

  // Marco moderates Ask Support: the queue shows the answer with its reason and reporter; he deletes it.
  await signInAs("marco.rossi@northwind.example");
  await page.goto("/");
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: /Moderation/ })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Moderation" })).toBeVisible();
  const item = page.getByRole("listitem").filter({ has: page.getByText(spam) });
  await expect(item.getByText("Spam × 1")).toBeVisible();
  await expect(item.getByRole("link", { name: "Tom Becker" })).toBeVisible();
  await expect(item.getByRole("link", { name: title })).toBeVisible();
  await item.getByLabel("Note (optional)").fill("Advertising, not an answer.");
  await item.getByRole("button", { name: "Delete answer" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Deleted" })).toHaveText("Deleted; the flags are marked as acted on.");
  await expect(page.getByRole("listitem").filter({ has: page.getByText(spam) })).toHaveCount(0);
  await page.getByRole("link", { name: "Handled" }).click();
  const handled = page.getByRole("listitem").filter({ has: page.getByText(spam) });
  await expect(handled.getByText("Acted on")).toBeVisible();
  await expect(handled.getByText("“Advertising, not an answer.”")).toBeVisible();

  // Tom no longer sees the answer.
  await signInAs("tom.becker@northwind.example");
  await page.goto(questionPath);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("article", { name: "Answer by Samuel Osei" })).toHaveCount(0);
  await expect(page.getByText(spam)).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 2, name: "0 answers" })).toBeVisible();
});
