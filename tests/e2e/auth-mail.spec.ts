import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { expect, signInThroughForm, test } from "./fixtures.ts";

/**
 * The mail flows end to end: the app writes the mail to its outbox, the mailer sends it to the
 * embedded MailDev, and the test reads the real message there and follows its link.
 */

const run = Date.now().toString(36);
const PASSWORD = "copper kettle morning walk";
const SESSION_COOKIE = "commons_session";

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

test("sign up, open the mailed link, confirm: signed in on the home page; the link then no longer works", async ({ page, context, mailbox, baseURL }) => {
  const email = `mail.newcomer.${run}@northwind.example`;
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Mail Newcomer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const first = await mailbox.waitFor({ to: email, subject: "confirm your address" });

  // Pending: the right password is told to confirm first, with a button for a new link.
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText(`Confirm your address first: we sent a link to ${email}.`);
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page.getByRole("status")).toContainText(`we sent a new link to it`);

  // The new link replaces the first one.
  await expect.poll(async () => (await mailbox.waitFor({ to: email, subject: "confirm your address" })).links[0]).not.toBe(first.links[0]);
  await page.goto(first.links[0]!);
  await expect(page.getByRole("heading", { name: "This link no longer works" })).toBeVisible();

  const mail = await mailbox.waitFor({ to: email, subject: "confirm your address" });
  expect(mail.subject).toBe("Commons: confirm your address");
  expect(mail.text).toContain("You are receiving this because someone signed up to Commons with this address.");
  expect(mail.links).toHaveLength(1);
  const link = mail.links[0]!;
  expect(link.startsWith(`${baseURL}/verify-email/`)).toBe(true);
  expect(mail.text).toContain(link);

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Confirm your address" })).toBeVisible();
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  expect((await context.cookies()).some((c) => c.name === SESSION_COOKIE)).toBe(true);

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Get a new link" })).toHaveAttribute("href", "/verify-email");
});

test("forgot password: the mailed link sets a new password, signs out everywhere, and the new one signs in", async ({ page, browser, mailbox, baseURL }) => {
  const email = `mail.forgetful.${run}@northwind.example`;
  // A proven account, signed in on a laptop.
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Mail Forgetful");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.goto((await mailbox.waitFor({ to: email, subject: "confirm your address" })).links[0]!);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  const laptop = await browser.newContext({ baseURL: baseURL! });
  const laptopPage = await laptop.newPage();
  await signInThroughForm(laptopPage, email, PASSWORD);

  const fresh = await browser.newContext({ baseURL: baseURL! });
  const forgetful = await fresh.newPage();
  await forgetful.goto("/sign-in");
  await forgetful.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(forgetful).toHaveURL("/forgot-password");
  await forgetful.getByLabel("Email").fill(email);
  await forgetful.getByRole("button", { name: "Send me a link" }).click();
  await expect(forgetful.getByRole("status")).toContainText(`If an account uses ${email}, we sent a link to it.`);

  const mail = await mailbox.waitFor({ to: email, subject: "reset your password" });
  expect(mail.text).toContain("You are receiving this because someone asked to reset the password");
  const link = mail.links[0]!;
  expect(link.startsWith(`${baseURL}/reset-password/`)).toBe(true);
  await forgetful.goto(link);
  await expect(forgetful.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  // A too-short password is refused in place; the link keeps working.
  await forgetful.getByLabel("New password").fill("short");
  await forgetful.getByRole("button", { name: "Set my new password" }).click();
  await expect(forgetful.getByText("Use at least 12 characters")).toBeVisible();
  await forgetful.getByLabel("New password").fill("a fresh and different passphrase");
  await forgetful.getByRole("button", { name: "Set my new password" }).click();
  await expect(forgetful).toHaveURL("/");
  await expect(forgetful.getByRole("navigation", { name: "Main" })).toBeVisible();

  // Everyone else was signed out; the old password no longer works, the new one does.
  await laptopPage.goto("/settings/password");
  await expect(laptopPage).toHaveURL(/\/sign-in\?redirectTo=/);
  await laptopPage.getByLabel("Email").fill(email);
  await laptopPage.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await laptopPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(laptopPage.getByRole("alert")).toHaveText("Email or password is wrong");
  await signInThroughForm(laptopPage, email, "a fresh and different passphrase");

  // The link is used up.
  await forgetful.goto(link);
  await expect(forgetful.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await expect(forgetful.getByRole("link", { name: "Ask for a new link" })).toHaveAttribute("href", "/forgot-password");
  await laptop.close();
  await fresh.close();
});

test("the mail forms work without JavaScript", async ({ browser, mailbox }) => {
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const page = await noJs.newPage();
  const email = `mail.nojs.${run}@northwind.example`;
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("No Script");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await page.goto((await mailbox.waitFor({ to: email, subject: "confirm your address" })).links[0]!);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await noJs.close();
});

test("the mail pages have no WCAG A/AA violations", async ({ page, mailbox }) => {
  const email = `mail.axe.${run}@northwind.example`;
  for (const path of ["/forgot-password", "/verify-email", "/verify-email/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "/reset-password/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Axe Check");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  expect(await violations(page), "check your inbox").toEqual([]);
  await page.goto((await mailbox.waitFor({ to: email, subject: "confirm your address" })).links[0]!);
  expect(await violations(page), "confirm").toEqual([]);
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await page.goto((await mailbox.waitFor({ to: email, subject: "reset your password" })).links[0]!);
  await page.getByRole("button", { name: "Set my new password" }).click();
  expect(await violations(page), "reset with an error").toEqual([]);
});
