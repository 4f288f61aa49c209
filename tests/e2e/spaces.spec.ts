import { signIn, test, expect, signInThroughForm } from "./fixtures.ts";
import { DEMO_PASSWORD } from "../../db/seed-info.ts";

const PRIYA = "priya.nair@northwind.example";
const TOM = "tom.becker@northwind.example";

test("a member of a restricted space sees it in lists and can open it", async ({ page, login }) => {
  await login(PRIYA);
  await page.goto("/spaces");
  const link = page.getByRole("link", { name: "Platform Security" });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL("/spaces/platform-security");
  await expect(page.getByRole("heading", { level: 1, name: "Platform Security" })).toBeVisible();
  await expect(page.getByText("Restricted", { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Members" }).getByRole("link", { name: "Priya Nair" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Moderators" }).getByRole("link", { name: "Jonas Weber" })).toBeVisible();
});

test("a non-member gets the same 404 for a restricted space as for a missing one, and never sees it listed", async ({ page, login }) => {
  await login(TOM);
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Platform Security" })).toHaveCount(0);
  await page.goto("/spaces");
  await expect(page.getByRole("link", { name: "Deal Desk" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Platform Security" })).toHaveCount(0);

  const restricted = await page.goto("/spaces/platform-security");
  expect(restricted?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "We can't find that page" })).toBeVisible();
  const restrictedText = await page.getByRole("main").innerText();

  const missing = await page.goto("/spaces/no-such-space");
  expect(missing?.status()).toBe(404);
  expect(await page.getByRole("main").innerText()).toBe(restrictedText);

  // Priya's profile does not reveal the restricted space to Tom either.
  await page.goto("/spaces/engineering");
  await page.getByRole("region", { name: "Moderators" }).getByRole("link", { name: "Jonas Weber" }).click();
  await page.getByRole("region", { name: "Direct reports" }).getByRole("link", { name: "Priya Nair" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Priya Nair" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Spaces" })).toContainText("Not a member of any space you can see.");
});

test("an open space shows what it is about and who moderates it, with no dead links", async ({ page, login }) => {
  await login(TOM);
  await page.goto("/");
  await page.getByRole("link", { name: "Engineering" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Engineering" })).toBeVisible();
  await expect(page.getByRole("region", { name: "About" })).toContainText("Architecture, tooling");
  await expect(page.getByRole("region", { name: "Moderators" }).getByRole("link", { name: "Daniel Kim" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Manage space" })).toHaveCount(0);
  await page.getByRole("region", { name: "Moderators" }).getByRole("link", { name: "Daniel Kim" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Daniel Kim" })).toBeVisible();
});

test("a space's moderator manages its members without being an admin", async ({ page, login, browser }) => {
  await login("jonas.weber@northwind.example");
  await page.goto("/spaces/platform-security");
  await page.getByRole("link", { name: "Manage members" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  await page.getByLabel("Work email").fill(TOM);
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("status")).toHaveText("Tom Becker was added to Platform Security.");

  // Tom can see the space now.
  const tomContext = await browser.newContext();
  const tom = await tomContext.newPage();
  await signInThroughForm(tom, TOM, DEMO_PASSWORD);
  await expect(tom.getByRole("region", { name: "Your spaces" }).getByRole("link", { name: "Platform Security" })).toBeVisible();

  await page.getByRole("button", { name: "Remove Tom Becker from this space" }).click();
  await expect(page.getByRole("status")).toHaveText("Removed from the space.");
  const response = await tom.goto("/spaces/platform-security");
  expect(response?.status()).toBe(404);
  await tomContext.close();

  // A plain member of the space gets the 404 for the members page, and no link to it.
  const priyaContext = await browser.newContext();
  const priya = await priyaContext.newPage();
  await signIn(priya, PRIYA, DEMO_PASSWORD);
  await priya.goto("/spaces/platform-security");
  await expect(priya.getByRole("heading", { level: 1, name: "Platform Security" })).toBeVisible();
  await expect(priya.getByRole("link", { name: "Manage members" })).toHaveCount(0);
  const members = await priya.goto("/spaces/platform-security/members");
  expect(members?.status()).toBe(404);
  await priyaContext.close();
});

test("anyone joins an open space, finds it among their own on the home page, and can leave it", async ({ page, login }) => {
  await login("emily.johnson@northwind.example");
  await page.goto("/spaces/people-and-culture");
  await page.getByRole("button", { name: "Join space" }).click();
  await expect(page.getByText("You're a member")).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Your spaces" }).getByRole("link", { name: "People & Culture" })).toBeVisible();
  await page.goto("/spaces/people-and-culture");
  await page.getByRole("button", { name: "Leave space" }).click();
  await expect(page.getByRole("button", { name: "Join space" })).toBeVisible();
});

test("a restricted space offers no join button: its moderators add members", async ({ page, login }) => {
  await login("priya.nair@northwind.example");
  await page.goto("/spaces/platform-security");
  await expect(page.getByRole("button", { name: "Join space" })).toHaveCount(0);
});
