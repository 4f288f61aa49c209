import { test as base, expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../../db/seed-info.ts";
import { mailboxAt, type Mailbox } from "./mailbox.ts";

/**
 * Small fixtures for end-to-end tests:
 * - `login(email)`: signs in through the real sign-in form action (fast; the form itself has its own tests);
 * - `mailbox.waitFor({ to, subject })`: the newest mail the app sent to that address, read from the
 *   embedded MailDev (subject, text, HTML and the HTML part's links);
 * - a trap that fails the test on any dialog, page error or Content-Security-Policy violation
 *   (an XSS payload that ran or was blocked, a crash, one of our scripts without its nonce).
 */
type Fixtures = {
  login: (email: string, password?: string) => Promise<void>;
  mailbox: Mailbox;
};

export const test = base.extend<Fixtures>({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("dialog", (dialog) => {
      problems.push(`unexpected dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    // A script our Content-Security-Policy blocked: either an attack that was stopped (still worth
    // failing on) or one of our own scripts without its nonce.
    page.on("console", (message) => {
      if (message.type() === "error" && message.text().includes("Content Security Policy")) problems.push(`CSP violation: ${message.text()}`);
    });
    await use(page);
    expect(problems, "the page raised dialogs or errors").toEqual([]);
  },
  login: async ({ page }, use) => {
    await use(async (email: string, password: string = DEMO_PASSWORD) => {
      await signInThroughForm(page, email, password);
    });
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; it has none
  mailbox: async ({}, use) => {
    await use(mailboxAt(`http://127.0.0.1:${process.env.E2E_MAILDEV_PORT}`));
  },
});

export async function signInThroughForm(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

export { expect };
