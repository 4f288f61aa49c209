import { test as base, expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../../db/seed-info.ts";
import { mailboxAt, type Mailbox } from "./mailbox.ts";

/**
 * Small fixtures for end-to-end tests:
 * - `login(email)`: signs in through the real sign-in action and leaves the page on about:blank, so the
 *   journey's next `goto` is its first page load as that account; see `signIn` below;
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
      await signIn(page, email, password);
      // A journey that changes accounts mid-way leaves the page it was on, as the form did: a
      // `goto` to the same address right after came back as the previous account (redaction.spec.ts).
      if (page.url() !== "about:blank") await page.goto("about:blank");
    });
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; it has none
  mailbox: async ({}, use) => {
    await use(mailboxAt(`http://127.0.0.1:${process.env.E2E_MAILDEV_PORT}`));
  },
});

/**
 * Signs the page's browser context in by posting the sign-in form's fields to its action, as the
 * browser does, and keeping the session cookie it sets. No page is loaded: rendering the sign-in
 * page and then the home page cost a journey about two page loads per account, and the form
 * itself is what auth.spec.ts and auth-mail.spec.ts test, through `signInThroughForm`.
 */
export async function signIn(page: Page, email: string, password: string = DEMO_PASSWORD) {
  // The same-origin rule refuses a POST without the app's Origin, as a browser sends it.
  const origin = `http://localhost:${process.env.E2E_PORT}`;
  const response = await page.request.post(`${origin}/sign-in`, { form: { email, password, redirectTo: "/" }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(response.status(), `sign-in as ${email}`).toBe(302);
}

export async function signInThroughForm(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

export { expect };
