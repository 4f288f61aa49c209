import { test, expect } from "./fixtures.ts";

const PRIYA = "priya.nair@northwind.example";
const TOM = "tom.becker@northwind.example";
const AMARA = "amara.okafor@northwind.example";

test("home greets the user and shows their spaces and the other open spaces", async ({ page, login }) => {
  await login(PRIYA);
  await page.goto("/");
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { level: 1, name: "Welcome back, Priya" })).toBeVisible();
  const mine = page.getByRole("region", { name: "Your spaces" });
  await expect(mine.getByRole("link", { name: "Platform Security" })).toBeVisible();
  await expect(mine.getByText("Restricted")).toBeVisible();
  const open = page.getByRole("region", { name: "Other open spaces" });
  await expect(open.getByRole("link", { name: "Engineering" })).toBeVisible();
  await expect(open.getByRole("link", { name: "Platform Security" })).toHaveCount(0);
  // Her team: manager and peers, linked to their profiles.
  await expect(page.getByRole("region", { name: "Your team" }).getByRole("link", { name: "Jonas Weber" })).toBeVisible();
});

test("the main navigation shows only what works for this user", async ({ page, login }) => {
  await login(TOM);
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Spaces" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);
  // The header's search box is there for every employee (a combobox once the page is interactive).
  await expect(page.getByRole("combobox", { name: "Search" })).toBeVisible();
  await nav.getByRole("link", { name: "Spaces" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Spaces" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Spaces" })).toHaveAttribute("aria-current", "page");
});

test("admins see the Admin link", async ({ page, login }) => {
  await login(AMARA);
  await page.goto("/");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toBeVisible();
});

test("an unknown URL shows the 404 page with status 404, signed in or not", async ({ page, login }) => {
  const signedOut = await page.goto("/no/such/page");
  expect(signedOut?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "We can't find that page" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();

  await login(TOM);
  const signedIn = await page.goto("/no/such/page");
  expect(signedIn?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "We can't find that page" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.getByRole("link", { name: "Go to your home page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Welcome back, Tom" })).toBeVisible();
});

test("keyboard: Tab reaches the skip link first, and it moves focus to the content", async ({ page, login }) => {
  await login(TOM);
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

test("keyboard: the account menu opens, offers the account links, and signs out", async ({ page, login }) => {
  await login(TOM);
  await page.goto("/");
  // A native <details> disclosure: browsers expose <summary> as an expandable button, Playwright's role engine does not.
  const menu = page.locator("summary", { hasText: "Account menu for Tom Becker" });
  await menu.focus();
  await page.keyboard.press("Enter");
  const header = page.getByRole("banner");
  await expect(header.getByRole("link", { name: "Your profile" })).toBeVisible();
  await expect(header.getByRole("link", { name: "Edit profile" })).toBeVisible();
  await expect(header.getByRole("link", { name: "Change password" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(header.getByRole("link", { name: "Your profile" })).toBeHidden();
  await expect(menu).toBeFocused();

  await page.keyboard.press("Enter");
  await header.getByRole("link", { name: "Change password" }).click();
  await expect(page).toHaveURL("/settings/password");
  // The menu closes on navigation.
  await expect(header.getByRole("link", { name: "Your profile" })).toBeHidden();

  await menu.click();
  await header.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/spaces");
  await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Fspaces/);
});

test("editing your profile: errors keep what you typed; saved text shows as plain text", async ({ page, login }) => {
  await login(TOM);
  await page.goto("/settings/profile");
  // The manager is a colleague's handle, not a pick from everyone in the company.
  await expect(page.getByLabel("Manager")).toHaveValue("@rachel.adams");
  await page.getByLabel("Manager").fill("@tom.becker");
  await page.getByLabel("Location").fill("Berlin, 2nd floor");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("You can't be your own manager")).toBeVisible();
  await expect(page.getByLabel("Manager")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Manager")).toHaveValue("@tom.becker");
  await expect(page.getByLabel("Location")).toHaveValue("Berlin, 2nd floor");
  await page.getByLabel("Manager").fill("@nobody.at.northwind");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("No one active goes by @nobody.at.northwind", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Manager")).toHaveValue("@nobody.at.northwind");

  await page.getByLabel("Manager").fill(" @Rachel.Adams ");
  await page.getByLabel("Bio").fill("x".repeat(501));
  await page.getByLabel("Location").fill("Berlin, 3rd floor");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Keep your bio to 500 characters")).toBeVisible();
  await expect(page.getByLabel("Location")).toHaveValue("Berlin, 3rd floor");
  await expect(page.getByLabel("Bio")).toHaveAttribute("aria-invalid", "true");

  const bio = "Enterprise deals in DACH. <img src=x onerror=alert(1)> is just text here.";
  await page.getByLabel("Bio").fill(bio);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status")).toHaveText("Your profile is saved.");
  await page.getByRole("link", { name: "View your profile" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tom Becker" })).toBeVisible();
  await expect(page.getByText(bio)).toBeVisible();
  await expect(page.getByText("Berlin, 3rd floor")).toBeVisible();
  await expect(page.getByRole("region", { name: "Reports to" }).getByRole("link", { name: "Rachel Adams" })).toBeVisible();
});

test("pages carry a Content-Security-Policy whose nonce lets only our own inline scripts run", async ({ page, login }) => {
  const response = await page.goto("/sign-in");
  const csp = response!.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("object-src 'none'");
  const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, "script-src names a nonce").toBeTruthy();
  // A fresh nonce per response.
  const again = (await page.request.get("/sign-in")).headers()["content-security-policy"];
  expect(again).not.toBe(csp);
  // The app still hydrates and navigates client-side under the policy (the fixture fails on violations).
  await login(PRIYA);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Spaces" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Spaces" })).toBeVisible();
  // React Router's client really ran: its route modules were loaded by the nonce'd inline script.
  await expect.poll(() => page.evaluate(() => typeof (window as { __reactRouterRouteModules?: unknown }).__reactRouterRouteModules)).toBe("object");
});
