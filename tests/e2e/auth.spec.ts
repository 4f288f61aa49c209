import type { BrowserContext, Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_SIGN_INS } from "../../db/seed-info.ts";
import { expect, signInThroughForm, test } from "./fixtures.ts";
import type { Mailbox } from "./mailbox.ts";

const SESSION_COOKIE = "commons_session";
const NEW_PASSWORD = "lantern meadow quietly";
const run = Date.now().toString(36);

async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
}

/** Opens the confirmation link mailed to `email` and confirms: the account is then signed in. */
async function confirmThroughMail(page: Page, mailbox: Mailbox, email: string) {
  const mail = await mailbox.waitFor({ to: email, subject: "confirm your address" });
  await page.goto(mail.links[0]!);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

/** Signs up through the form and confirms the address from the mail. */
async function signUpAndConfirm(page: Page, mailbox: Mailbox, name: string, email: string, password: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await confirmThroughMail(page, mailbox, email);
}

/** At the provider's development pages: any login name becomes the subject, any password works. */
async function signInAtProvider(page: Page, login: string) {
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test.describe("email and password", () => {
  test("sign up (a bad input keeps the typed name and email), confirm the address from the mail, then sign out", async ({ page, context, mailbox }) => {
    const email = `new.colleague.${run}@northwind.example`;
    await page.goto("/sign-up");
    await expect(page).toHaveTitle("Create your account · Commons");
    await page.getByLabel("Name").fill("New Colleague");
    await page.getByLabel("Email").fill(`new.colleague.${run}@gmail.example`);
    await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page.getByText("Sign-ups are limited to addresses at northwind.example")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Name")).toHaveValue("New Colleague");
    await expect(page.getByLabel("Email")).toHaveValue(`new.colleague.${run}@gmail.example`);
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("password1234");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("This password is too common.")).toBeVisible();

    await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    // Not signed in yet: the address must be proven first.
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    await expect(page.getByText(`We sent a mail to ${email}.`)).toBeVisible();
    expect(await sessionCookie(context)).toBeUndefined();
    await confirmThroughMail(page, mailbox, email);
    expect(await sessionCookie(context)).toBeTruthy();

    // The same address again, in any case, gets the same answer; the owner is told by mail.
    const other = await context.browser()!.newContext();
    const second = await other.newPage();
    await second.goto(new URL("/sign-up", page.url()).href);
    await second.getByLabel("Name").fill("Someone Else");
    await second.getByLabel("Email").fill(email.toUpperCase());
    await second.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await second.getByRole("button", { name: "Create account" }).click();
    await expect(second.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    await other.close();
    const warning = await mailbox.waitFor({ to: email, subject: "someone tried to sign up" });
    expect(warning.text).toContain("Someone tried to create a Commons account with this address.");

    // A link to /sign-out only asks; the button signs out.
    await page.goto("/sign-out");
    await expect(page.getByRole("heading", { name: "Sign out of Commons?" })).toBeVisible();
    expect(await sessionCookie(context)).toBeTruthy();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL("/sign-in");
    expect(await sessionCookie(context)).toBeUndefined();
    await page.goto("/settings/password");
    await expect(page).toHaveURL("/sign-in?redirectTo=%2Fsettings%2Fpassword");
  });

  test("sign in with a demo account: a wrong password first, then back where the user was going", async ({ page, context }) => {
    const { email } = DEMO_SIGN_INS[4];
    await page.goto("/settings/password");
    await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Fsettings%2Fpassword$/);
    await expect(page).toHaveTitle("Sign in · Commons");

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("not my password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText("Email or password is wrong");
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");

    await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL("/settings/password");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Password and sign-in", level: 1 })).toBeVisible();

    // The session cookie: HttpOnly, SameSite=Lax, not Secure on plain-HTTP localhost.
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false, path: "/" });
    expect(cookie!.expires * 1000).toBeGreaterThan(Date.now() + 13 * 86_400_000);

    // Signed in, the sign-in and sign-up pages send you home.
    await page.goto("/sign-in");
    await expect(page).toHaveURL("/");
    await page.goto("/sign-up");
    await expect(page).toHaveURL("/");
  });

  test("too many failed attempts answer 429 with a clear message, even for the right password", async ({ page, request, playwright, baseURL }) => {
    const email = `locked.out.${run}@northwind.example`;
    const headers = { Origin: baseURL! };
    // Signed up elsewhere: a signed-in client posting to /sign-in would just be sent home.
    const elsewhere = await playwright.request.newContext({ baseURL: baseURL! });
    const signUp = await elsewhere.post("/sign-up", { headers, form: { name: "Locked Out", email, password: NEW_PASSWORD, redirectTo: "/" }, maxRedirects: 0 });
    expect(signUp.status()).toBe(200);
    await elsewhere.dispose();

    // SIGNIN_LIMIT_PER_ACCOUNT is 5 in playwright.config.ts.
    for (let i = 0; i < 5; i++) {
      const wrong = await request.post("/sign-in", { headers, form: { email, password: `wrong guess ${i}`, redirectTo: "/" }, maxRedirects: 0 });
      expect(wrong.status()).toBe(400);
    }
    const refused = await request.post("/sign-in", { headers, form: { email, password: NEW_PASSWORD, redirectTo: "/" }, maxRedirects: 0 });
    expect(refused.status()).toBe(429);
    expect(refused.headers()["set-cookie"]).toBeUndefined();
    expect(await refused.text()).toContain("Too many sign-in attempts. Try again in 15 minutes.");

    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText(/^Too many sign-in attempts\. Try again in 1[45] minutes\.$/);
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expect(page).toHaveURL("/sign-in");
  });

  test("a changed password signs out every other browser", async ({ page, context, browser, baseURL, mailbox }) => {
    const email = `changes.password.${run}@northwind.example`;
    await signUpAndConfirm(page, mailbox, "Changes Password", email, NEW_PASSWORD);

    const laptop = await browser.newContext({ baseURL: baseURL! });
    const laptopPage = await laptop.newPage();
    await signInThroughForm(laptopPage, email, NEW_PASSWORD);

    const before = (await sessionCookie(context))!.value;
    await page.goto("/settings/password");
    await page.getByLabel("Current password").fill("not the current one");
    await page.getByLabel("New password").fill("a brand new passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("That is not your current password")).toBeVisible();

    await page.getByLabel("Current password").fill(NEW_PASSWORD);
    await page.getByLabel("New password").fill("a brand new passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toHaveText("Password changed. You were signed out everywhere else.");
    // This browser got a new session (rotation); the laptop's is gone.
    expect((await sessionCookie(context))!.value).not.toBe(before);
    await laptopPage.goto("/settings/password");
    await expect(laptopPage).toHaveURL(/\/sign-in\?redirectTo=/);
    await laptop.close();
  });
});

test.describe("same-origin rule", () => {
  test("a cross-origin or Origin-less POST is refused with 403 and changes nothing", async ({ page, context, request, baseURL }) => {
    const { email } = DEMO_SIGN_INS[3];
    const attempts: Array<Record<string, string>> = [{ Origin: "http://evil.example" }, {}];
    for (const headers of attempts) {
      const response = await page.request.post("/sign-in", { headers, form: { email, password: DEMO_PASSWORD, redirectTo: "/" }, maxRedirects: 0 });
      expect(response.status()).toBe(403);
      expect(response.headers()["set-cookie"]).toBeUndefined();
    }
    expect(await sessionCookie(context)).toBeUndefined();

    // A forged sign-up creates no account: the address is still free afterwards.
    const forged = `forged.${run}@northwind.example`;
    const refused = await request.post("/sign-up", {
      headers: { Origin: "http://evil.example" },
      form: { name: "Forged", email: forged, password: NEW_PASSWORD, redirectTo: "/" },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    const real = await request.post("/sign-up", { headers: { Origin: baseURL! }, form: { name: "Real", email: forged, password: NEW_PASSWORD, redirectTo: "/" }, maxRedirects: 0 });
    expect(real.status()).toBe(200);

    // A forged sign-out leaves the session alone.
    await signInThroughForm(page, email, DEMO_PASSWORD);
    const signOut = await page.request.post("/sign-out", { headers: { Origin: "http://evil.example" }, maxRedirects: 0 });
    expect(signOut.status()).toBe(403);
    await page.goto("/settings/password");
    await expect(page).toHaveURL("/settings/password");
  });
});

test.describe("company SSO", () => {
  test("the first login creates the account; the next login finds the same one", async ({ page, browser, baseURL }) => {
    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Sign in with Northwind SSO" }).click();
    await signInAtProvider(page, "sso.user1");
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.goto("/settings/password");
    await expect(page.getByText("Signed in as Sso User1 (sso.user1@northwind.example)")).toBeVisible();
    // No password yet, and just signed in through SSO: the page offers to set a first one.
    await expect(page.getByRole("heading", { name: "Set a password" })).toBeVisible();
    await expect(page.getByLabel("New password")).toBeVisible();
    await expect(page.getByText("Your account is linked")).toBeVisible();
    expect(await sessionCookie(page.context())).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
    // The one-time SSO state is gone.
    expect((await page.context().cookies()).some((c) => c.name === "commons_sso")).toBe(false);

    // Another browser, same subject: the same account (a second account for this email would be refused).
    const again = await browser.newContext({ baseURL: baseURL! });
    const second = await again.newPage();
    await second.goto("/sign-in?redirectTo=%2Fsettings%2Fpassword");
    await second.getByRole("link", { name: "Sign in with Northwind SSO" }).click();
    await signInAtProvider(second, "sso.user1");
    await expect(second).toHaveURL("/settings/password");
    await expect(second.getByText("Signed in as Sso User1 (sso.user1@northwind.example)")).toBeVisible();
    await again.close();
  });

  test("an email that already has a password account is not linked by SSO; its owner links it from settings", async ({ page, browser, baseURL }) => {
    const { email } = DEMO_SIGN_INS[2];
    const subject = email.slice(0, email.indexOf("@"));
    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Sign in with Northwind SSO" }).click();
    await signInAtProvider(page, subject);
    await expect(page).toHaveURL("/sign-in?error=sso-email-taken");
    await expect(page.getByRole("alert")).toHaveText("An account with this email already exists. Sign in with your password and link SSO from settings.");
    expect(await sessionCookie(page.context())).toBeUndefined();

    // Signed in with the password, the owner links the provider account.
    const owner = await browser.newContext({ baseURL: baseURL! });
    const ownerPage = await owner.newPage();
    await signInThroughForm(ownerPage, email, DEMO_PASSWORD);
    await ownerPage.goto("/settings/password");
    await ownerPage.getByRole("button", { name: "Link Northwind SSO" }).click();
    await signInAtProvider(ownerPage, subject);
    await expect(ownerPage).toHaveURL("/settings/password?linked=1");
    await expect(ownerPage.getByRole("status")).toHaveText("Your account is now linked with Northwind SSO. You can sign in with it from now on.");
    await owner.close();

    // From now on the provider signs them in to their own account.
    const later = await browser.newContext({ baseURL: baseURL! });
    const laterPage = await later.newPage();
    await laterPage.goto("/sign-in?redirectTo=%2Fsettings%2Fpassword");
    await laterPage.getByRole("link", { name: "Sign in with Northwind SSO" }).click();
    await signInAtProvider(laterPage, subject);
    await expect(laterPage).toHaveURL("/settings/password");
    await expect(laterPage.getByText(`(${email})`)).toBeVisible();
    await later.close();
  });

  test("a callback without the flow's state cookie is refused with a readable message", async ({ page }) => {
    await page.goto("/auth/sso/callback?code=forged&state=forged");
    await expect(page).toHaveURL("/sign-in?error=sso-failed");
    await expect(page.getByRole("alert")).toHaveText("Signing in with Northwind SSO did not complete. Please try again.");
    expect(await sessionCookie(page.context())).toBeUndefined();
  });
});
