import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

const PRIYA = "priya.nair@northwind.example"; // a member with earned points
const LENA = "lena.fischer@northwind.example"; // HR
const DONATION = "Donation to a charity of your choice";

async function expectAxeClean(page: Page) {
  const axe = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }))).toEqual([]);
}

/** The reader's earned balance as the rewards pages show it. */
async function balance(page: Page): Promise<number> {
  const text = await page.getByText(/Your earned balance:/).innerText();
  return Number(/([\d,]+) points?/.exec(text)![1]!.replaceAll(",", ""));
}

test("a member redeems a reward, HR approves and fulfils it, and the member sees it and is told", async ({ page, login }) => {
  // Three sign-ins and three accessibility scans.
  test.slow();
  await login(PRIYA);
  await page.goto("/kudos");
  await page.getByRole("navigation", { name: "Recognition" }).getByRole("link", { name: "Rewards" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Rewards" })).toBeVisible();
  const before = await balance(page);
  expect(before).toBeGreaterThanOrEqual(100);

  // The catalogue card leads to the confirm step, which shows the balance after.
  const card = page.getByRole("region", { name: DONATION });
  await expect(card).toContainText("100 points");
  await expect(card).toContainText("Unlimited");
  await card.getByRole("link", { name: `Redeem ${DONATION}` }).click();
  const confirm = page.getByRole("region", { name: `Redeem “${DONATION}”?` });
  await expect(confirm).toContainText(`Balance after${(before - 100).toLocaleString("en")} points`);
  await expectAxeClean(page);
  await confirm.getByRole("button", { name: "Confirm: redeem for 100 points" }).click();

  // Her redemptions: requested, and the balance lower by the cost.
  await expect(page).toHaveURL(/\/rewards\/mine\?redeemed=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Your request is with HR" })).toBeVisible();
  expect(await balance(page)).toBe(before - 100);
  const mine = page.getByRole("region", { name: new RegExp(DONATION) }).first();
  await expect(mine).toContainText("Requested");
  await expect(mine.getByRole("button", { name: `Cancel request for ${DONATION}` })).toBeVisible();
  await expectAxeClean(page);

  // HR approves, then fulfils, from the queue.
  await page.context().clearCookies();
  await login(LENA);
  await page.goto("/rewards/manage");
  await expect(page.getByRole("heading", { level: 1, name: "Manage rewards" })).toBeVisible();
  await expectAxeClean(page);
  const what = `Priya Nair's ${DONATION}`;
  await page
    .getByRole("button", { name: `Approve ${what}` })
    .first()
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Approved. They have been told." })).toBeVisible();
  await page.getByLabel("How it was fulfilled, for Priya Nair (optional)").first().fill("Given to the Red Cross in your name.");
  await page
    .getByRole("button", { name: `Mark fulfilled (${what})` })
    .first()
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Marked fulfilled." })).toBeVisible();
  const closed = page
    .getByRole("table", { name: /Closed redemptions/ })
    .getByRole("row", { name: /Priya Nair/ })
    .first();
  await expect(closed).toContainText("Fulfilled");
  await expect(closed).toContainText(DONATION);

  // Priya sees it fulfilled, with HR's note, and her inbox says so.
  await page.context().clearCookies();
  await login(PRIYA);
  await page.goto("/rewards/mine");
  const done = page.getByRole("region", { name: new RegExp(DONATION) }).first();
  await expect(done).toContainText("Fulfilled");
  await expect(done).toContainText("Given to the Red Cross in your name.");
  expect(await balance(page)).toBe(before - 100);
  await page.goto("/notifications");
  const told = page.getByRole("link", { name: `Lena Fischer updated your redemption of “${DONATION}”` }).first();
  await expect(told).toBeVisible();
  await told.click();
  await expect(page).toHaveURL(/\/rewards\/mine$/);
});
