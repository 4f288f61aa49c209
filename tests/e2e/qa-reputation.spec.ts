import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { signIn, test, expect } from "./fixtures.ts";
import { DEMO_PASSWORD } from "../../db/seed-info.ts";

const PRIYA = "priya.nair@northwind.example";
const TOM = "tom.becker@northwind.example";

/** The signed-in person's profile URL and the reputation it shows. */
async function ownReputation(page: Page): Promise<{ url: string; reputation: number }> {
  await page.goto("/settings/profile");
  await page.getByRole("link", { name: "View your profile" }).click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  return { url: page.url(), reputation: await shownReputation(page) };
}

async function shownReputation(page: Page): Promise<number> {
  const text = await page.getByText(/^[\d,-]+ reputation$/).innerText();
  return Number(text.replace(/[^\d-]/g, ""));
}

test("ask, answer by someone else, vote up and accept: both profiles show the reputation", async ({ page, login, browser }) => {
  const title = `How do we rotate the staging database password ${Date.now()}?`;

  // Priya (the asker) notes her reputation, then asks through the form.
  await login(PRIYA);
  const asker = await ownReputation(page);
  await page.goto("/questions/ask");
  await page.getByLabel("Space").selectOption({ label: "Engineering" });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Details").fill("The staging password is shared by three services. What is the safe order to rotate it?");
  await page.getByLabel("Tags", { exact: true }).fill("postgres");
  // The suggestions list covers the button below it until closed, as a person would close it.
  await page.getByLabel("Tags", { exact: true }).press("Escape");
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const questionUrl = page.url().split("#")[0]!;

  // Tom answers in his own browser session.
  const tomContext = await browser.newContext();
  const tom = await tomContext.newPage();
  await signIn(tom, TOM, DEMO_PASSWORD);
  const answerer = await ownReputation(tom);
  await tom.goto(questionUrl);
  await tom.getByLabel("Answer", { exact: true }).fill("Rotate the consumers first with dual credentials, then change the password, then drop the old one.");
  await tom.getByRole("button", { name: "Post your answer" }).click();
  const answer = tom.getByRole("article", { name: "Answer by Tom Becker" });
  await expect(answer).toBeVisible();
  // Nobody votes on their own answer: the buttons are disabled for Tom.
  await expect(answer.getByRole("button", { name: "Vote up (this answer is useful)" })).toBeDisabled();
  await tomContext.close();
  // Others see the part of Tom's total earned in spaces they can see (he is in a restricted one).
  await page.goto(answerer.url);
  const answererSeen = await shownReputation(page);
  expect(answererSeen).toBeLessThanOrEqual(answerer.reputation);

  // Priya votes the answer up (the score moves in place) and accepts it.
  await page.goto(questionUrl);
  const theirAnswer = page.getByRole("article", { name: "Answer by Tom Becker" });
  const up = theirAnswer.getByRole("button", { name: "Vote up (this answer is useful)" });
  await expect(up).toHaveAttribute("aria-pressed", "false");
  await up.click();
  await expect(up).toHaveAttribute("aria-pressed", "true");
  // The score beside the vote buttons (the author card beside it shows badge counts too).
  await expect(theirAnswer.locator("p[aria-live=polite]").getByText("1", { exact: true })).toBeVisible();
  await theirAnswer.getByRole("button", { name: "Accept this answer" }).click();
  await expect(theirAnswer.getByText("Accepted answer")).toBeVisible();
  // After a reload the vote and the accept are still there.
  await page.reload();
  await expect(page.getByRole("article", { name: "Answer by Tom Becker" }).getByRole("button", { name: "Vote up (this answer is useful)" })).toHaveAttribute("aria-pressed", "true");

  // Tom gained 10 for the upvote and 15 for the accept; Priya 2 for accepting.
  await page.goto(answerer.url);
  await expect.poll(() => shownReputation(page)).toBe(answererSeen + 25);
  await expect(page.getByRole("region", { name: "Recent reputation" }).getByText("Answer accepted").first()).toBeVisible();
  await page.goto(asker.url);
  await expect.poll(() => shownReputation(page)).toBe(asker.reputation + 2);
  await expect(page.getByRole("region", { name: "Questions" }).getByRole("link", { name: title })).toBeVisible();
});

test("a newcomer's downvote is refused in place and rolls back; without JavaScript a vote is a plain form post", async ({ page, browser, mailbox }) => {
  const run = Date.now();
  const email = `vote.newcomer.${run}@northwind.example`;
  const password = "a long and unusual passphrase 42";
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Vote Newcomer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  // A new account is pending until the mailed link is opened.
  const mail = await mailbox.waitFor({ to: email, subject: "confirm your address" });
  await page.goto(mail.links[0]!);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();

  await page.goto("/questions");
  await page.getByRole("main").getByRole("article").first().getByRole("heading").getByRole("link").click();
  const question = page.getByRole("article", { name: "Question" });
  const scoreBefore = await question
    .getByText(/^-?\d+$/)
    .first()
    .innerText();
  const down = question.getByRole("button", { name: "Vote down (this question is not useful)" });
  await down.click();
  await expect(question.getByRole("alert")).toContainText("Voting down takes 50 reputation; you have 0");
  await expect(down).toHaveAttribute("aria-pressed", "false");
  await expect(question.getByText(/^-?\d+$/).first()).toHaveText(scoreBefore);
  const questionUrl = page.url().split("#")[0]!;

  // The same page without JavaScript: the vote buttons are a plain form that comes back to the post.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await signIn(plain, email, password);
  await plain.goto(questionUrl);
  await plain.getByRole("article", { name: "Question" }).getByRole("button", { name: "Vote up (this question is useful)" }).click();
  await expect(plain).toHaveURL(questionUrl);
  await expect(plain.getByRole("article", { name: "Question" }).getByRole("button", { name: "Vote up (this question is useful)" })).toHaveAttribute("aria-pressed", "true");
  await expect(
    plain
      .getByRole("article", { name: "Question" })
      .getByText(/^-?\d+$/)
      .first(),
  ).toHaveText(String(Number(scoreBefore) + 1));
  // A refused vote without JavaScript explains itself on a page of its own, with the way back.
  await plain.getByRole("article", { name: "Question" }).getByRole("button", { name: "Vote down (this question is not useful)" }).click();
  await expect(plain.getByRole("alert")).toContainText("Voting down takes 50 reputation");
  await plain.getByRole("link", { name: "Back to the post" }).click();
  await expect(plain).toHaveURL(questionUrl);
  await noJs.close();
});

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

test("admins tune reputation rules (errors keep the input) and check the ledger; the page and a profile pass axe", async ({ page, login }) => {
  test.slow();
  await login("amara.okafor@northwind.example");
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Reputation" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Reputation" })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await page.getByLabel("Daily cap").fill("");
  await page.getByLabel("Answer voted up").fill("12");
  await page.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByText("The daily cap is required.")).toBeVisible();
  await expect(page.getByLabel("Answer voted up")).toHaveValue("12");
  await expect(page.getByLabel("Daily cap")).toHaveAttribute("aria-invalid", "true");
  expect(await violations(page)).toEqual([]);

  await page.getByRole("button", { name: "Check reputation against the ledger" }).click();
  await expect(page.getByText("Every stored total and per-tag score matches the ledger.")).toBeVisible();

  await page.goto("/people/1");
  await page.getByText("Month by month").click();
  await expect(page.getByRole("table", { name: "Reputation by month" })).toBeVisible();
  expect(await violations(page)).toEqual([]);
});
