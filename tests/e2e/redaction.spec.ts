import { test, expect } from "./fixtures.ts";

// A secret posted and edited out stays in the history until a moderator redacts that revision;
// afterwards only an admin can open the original. The moderator's form works without JavaScript.
test.use({ javaScriptEnabled: false });

test("a moderator redacts a revision that held a password; only the admin still sees the original", async ({ page, login, context }) => {
  const run = Date.now().toString(36);
  const secret = `Pr0d-Passw0rd-${run}`;
  const title = `Why does the nightly export fail to connect ${run}?`;

  await login("priya.nair@northwind.example");
  await page.goto("/questions/ask?space=engineering");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Details").fill(`The export job logs in with password ${secret} and gets refused since Monday.`);
  await page.getByLabel("Tags").fill("postgres");
  await page.getByRole("button", { name: "Post your question" }).click();
  const question = page.getByRole("article", { name: "Question" });
  await question.getByRole("link", { name: "Edit this question" }).click();
  await page.getByLabel("Details").fill("The export job logs in with the vault password and gets refused since Monday.");
  await page.getByLabel("Edit summary").fill("took the password out");
  await page.getByRole("button", { name: "Save edits" }).click();
  await expect(question).toBeVisible();
  const questionUrl = page.url();

  // The moderator: the original is still in revision 1 until redacted.
  await context.clearCookies();
  await login("marco.rossi@northwind.example");
  await page.goto(questionUrl);
  await question.getByRole("link", { name: "History of this question" }).click();
  const first = page.getByRole("region", { name: /Revision 1/ });
  await expect(first.getByText(secret)).toBeVisible();
  await expect(page.getByRole("region", { name: /Revision 2/ }).getByText("Redact this revision")).toHaveCount(0);
  await first.getByText("Redact this revision").click();
  await first.getByLabel("Reason (shown in its place)").fill("a production password");
  await first.getByRole("button", { name: "Redact revision 1" }).click();

  await expect(first.getByText("Redacted", { exact: true })).toBeVisible();
  await expect(first.getByText("Redacted by a moderator: a production password").first()).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByText("Show the original (admins only)")).toHaveCount(0);
  const historyUrl = page.url();

  // The admin can audit it.
  await context.clearCookies();
  await login("amara.okafor@northwind.example");
  await page.goto(historyUrl);
  const audited = page.getByRole("region", { name: /Revision 1/ });
  await audited.getByText("Show the original (admins only)").click();
  await expect(audited.getByText(secret)).toBeVisible();
  await expect(audited.getByText(/Redacted by Marco Rossi/)).toBeVisible();
});
