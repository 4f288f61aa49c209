import type { Browser, Page } from "@playwright/test";
import { signIn, test, expect } from "./fixtures.ts";
import { DEMO_PASSWORD } from "../../db/seed-info.ts";

const MARCO = "marco.rossi@northwind.example"; // a site moderator: sponsors the campaign
const GRACE = "grace.liu@northwind.example";
const KENJI = "kenji.sato@northwind.example";
const SOFIA = "sofia.martins@northwind.example";

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, DEMO_PASSWORD);
  return page;
}

async function submitIdea(page: Page, campaignUrl: string, title: string, body: string) {
  await page.goto(campaignUrl);
  await page
    .getByRole("link", { name: /Give (an|the first) idea/ })
    .first()
    .click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill(body);
  await page.getByLabel("Category").selectOption("Tooling");
  await page.getByLabel("Tags", { exact: true }).fill("tooling");
  await page.getByLabel("Tags", { exact: true }).press("Escape");
  await page.getByRole("button", { name: "Submit your idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return page.url();
}

async function shownReputation(page: Page): Promise<number> {
  const text = await page.getByText(/^[\d,-]+ reputation$/).innerText();
  return Number(text.replace(/[^\d-]/g, ""));
}

test("a sponsor runs a campaign: ideas, votes within a budget, a decline with a reason, an implemented idea credited to its owner", async ({ page, login, browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const campaignTitle = `Make on-call simpler ${stamp}`;

  // Marco starts a campaign with a budget of 2 votes.
  await login(MARCO);
  await page.goto("/campaigns");
  await page.getByRole("link", { name: "New campaign" }).click();
  await page.getByLabel("Space").selectOption({ label: "Engineering" });
  await page.getByLabel("Title").fill(campaignTitle);
  await page.getByLabel("Brief").fill("What would make being on call less tiring? Tools, rotas, runbooks: all welcome.");
  await page.getByLabel("Categories (optional)").fill("Tooling, Rota");
  await page.getByLabel("Vote budget (optional)").fill("2");
  await page.getByRole("button", { name: "Start the campaign" }).click();
  await expect(page.getByRole("heading", { level: 1, name: campaignTitle })).toBeVisible();
  await expect(page.getByText("No ideas yet")).toBeVisible();
  const campaignUrl = page.url();

  // Grace and Kenji each submit an idea.
  const grace = await as(browser, GRACE);
  const graceIdea = await submitIdea(grace, campaignUrl, `One page per alert with its runbook ${stamp}`, "Every alert links to a runbook page with the first three things to check.");
  const kenji = await as(browser, KENJI);
  const kenjiIdea = await submitIdea(kenji, campaignUrl, `Page two people at night ${stamp}`, "At night, page the primary and the secondary together so nobody is alone.");

  // Sofia votes for both (the budget shows what is left), then is refused a third vote.
  const sofia = await as(browser, SOFIA);
  await sofia.goto(campaignUrl);
  await expect(sofia.getByText("2 of 2 votes left")).toBeVisible();
  // The button shows the vote at once; the test waits for the server's answer before it moves on.
  const voted = () => sofia.waitForResponse((r) => r.request().method() === "POST" && /\/items\/\d+\/vote/.test(r.url()));
  await sofia.goto(graceIdea);
  await Promise.all([voted(), sofia.getByRole("button", { name: /^0 Vote for this idea/ }).click()]);
  await expect(sofia.getByRole("button", { name: /^1 Voted/ })).toBeVisible();
  await sofia.goto(kenjiIdea);
  await Promise.all([voted(), sofia.getByRole("button", { name: /^0 Vote for this idea/ }).click()]);
  await expect(sofia.getByRole("button", { name: /^1 Voted/ })).toBeVisible();
  await sofia.goto(campaignUrl);
  await expect(sofia.getByText("0 of 2 votes left")).toBeVisible();

  // Marco reviews: declining without a reason is refused and keeps the form; with a reason it works.
  await page.goto(kenjiIdea);
  await page.getByLabel("New status").selectOption("declined");
  await page.getByRole("button", { name: "Save the status" }).click();
  await expect(page.getByText(/Tell the owners and voters why it was declined/)).toBeVisible();
  await page.getByLabel("Reason (shown to everyone)").fill("Two people paged at night doubles the cost of every alert; we are cutting noisy alerts first.");
  await page.getByRole("button", { name: "Save the status" }).click();
  await expect(page.getByText("Declined: the sponsor's answer")).toBeVisible();

  // The decline returned Sofia's vote: her budget shows one vote left again.
  await sofia.goto(campaignUrl);
  await expect(sofia.getByText("1 of 2 votes left")).toBeVisible();

  // Grace's idea is accepted, then implemented.
  await page.goto(graceIdea);
  await page.getByLabel("New status").selectOption("accepted");
  await page.getByRole("button", { name: "Save the status" }).click();
  await expect(page.getByRole("list").getByText("Accepted", { exact: true }).last()).toBeVisible();
  await page.getByLabel("New status").selectOption("implemented");
  await page.getByLabel("Reason (shown to everyone)").fill("Every alert now links to its runbook.");
  await page.getByRole("button", { name: "Save the status" }).click();
  await expect(page.getByText(/Credited to Grace Liu/)).toBeVisible();
  await expect(page.getByRole("list").getByText("Every alert now links to its runbook.")).toBeVisible();

  // Grace sees the news in her inbox, the credit on her profile and the reputation for it.
  await grace.goto("/notifications");
  await expect(grace.getByRole("link", { name: new RegExp(`gave a new status to the idea “One page per alert with its runbook ${stamp}”`) }).first()).toBeVisible();
  await grace.goto("/settings/profile");
  await grace.getByRole("link", { name: "View your profile" }).click();
  await expect(grace.getByText(/1 idea implemented: credited to Grace/)).toBeVisible();
  await expect(grace.getByRole("link", { name: `One page per alert with its runbook ${stamp}` }).first()).toBeVisible();
  expect(await shownReputation(grace)).toBeGreaterThanOrEqual(35);
  await expect(grace.getByText("Idea implemented").first()).toBeVisible();

  // The roadmap places each idea in its column; the campaign lists the decline with its status.
  await page.goto(`${campaignUrl}/roadmap`);
  await expect(page.getByRole("region", { name: /Implemented/ }).getByRole("link", { name: `One page per alert with its runbook ${stamp}` })).toBeVisible();
  await expect(page.getByRole("region", { name: /Declined/ }).getByRole("link", { name: `Page two people at night ${stamp}` })).toBeVisible();
});

test("voting works without JavaScript: a plain form posts and comes back", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, SOFIA, DEMO_PASSWORD);
  await page.goto("/campaigns");
  await page.getByRole("link", { name: "Ideas from support" }).click();
  await page
    .getByRole("button", { name: /Vote for this idea/, disabled: false })
    .first()
    .locator("xpath=ancestor::li[1]")
    .getByRole("heading")
    .getByRole("link")
    .click();
  await expect(page).toHaveURL(/\/ideas\/\d+$/);
  const vote = page.getByRole("button", { name: /Vote for this idea/ });
  const before = Number((await vote.innerText()).split("\n")[0]);
  await vote.click();
  await expect(page).toHaveURL(/\/ideas\/\d+$/);
  const voted = page.getByRole("button", { name: /press to take your vote back/ });
  expect(Number((await voted.innerText()).split("\n")[0])).toBe(before + 1);
  // And back again.
  await voted.click();
  expect(Number((await page.getByRole("button", { name: /Vote for this idea/ }).innerText()).split("\n")[0])).toBe(before);
  await context.close();
});

test("typing an idea's title shows similar ideas of the campaign, so a duplicate can become a vote", async ({ page, login }) => {
  test.slow();
  await login(SOFIA);
  await page.goto("/campaigns");
  await page.getByRole("link", { name: "Ideas from support" }).click();
  await page.getByRole("link", { name: "Give an idea" }).click();
  const title = page.getByLabel("Title");
  // The relay may still be indexing the demo ideas: type again until they are found.
  await expect(async () => {
    await title.fill("");
    await title.pressSequentially("retry failed webhook deliveries");
    await expect(page.getByRole("heading", { name: "Similar ideas already in this campaign" })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  await expect(page.getByRole("link", { name: /A retry button for failed webhook deliveries/ })).toBeVisible();
});
