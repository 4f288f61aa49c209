import { signInThroughForm, test, expect } from "./fixtures.ts";
import { DEMO_PASSWORD } from "../../db/seed-info.ts";

const AMARA = "amara.okafor@northwind.example";
const TOM = "tom.becker@northwind.example";

test("admin pages answer 404 to everyone but admins", async ({ page, login }) => {
  await login(TOM);
  for (const path of ["/admin", "/admin/users", "/admin/spaces", "/admin/spaces/engineering", "/admin/users/1"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "We can't find that page" })).toBeVisible();
  }
});

test("admins list, search and page through people", async ({ page, login }) => {
  await login(AMARA);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL("/admin/users");
  await expect(page.getByRole("heading", { level: 1, name: "People" })).toBeVisible();
  const pages = page.getByRole("navigation", { name: "People pages" });
  // The demo company has 40 people; other suites may have signed up a few more by now.
  await expect(pages).toContainText(/1–25 of \d+/);
  const total = Number((await pages.innerText()).match(/of (\d+)/)![1]);
  expect(total).toBeGreaterThanOrEqual(40);
  await pages.getByRole("link", { name: "Next" }).click();
  await expect(pages).toContainText(`26–${Math.min(total, 50)} of ${total}`);
  await expect(pages.getByRole("link", { name: "Previous" })).toBeVisible();

  await page.getByLabel("Search people").fill("SUPPORT");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=SUPPORT/);
  const table = page.getByRole("table", { name: /People/ });
  await expect(table.getByRole("row")).toHaveCount(9); // header + the 8 people in Support
  await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("moderator");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(table.getByRole("link", { name: "Marco Rossi" })).toBeVisible();
  await expect(table.getByRole("link", { name: "Nora Lindqvist" })).toBeVisible();
  await expect(table.getByRole("row")).toHaveCount(3);
});

test("an admin changes a role and deactivates someone, whose open session stops working at once", async ({ page, login, browser }) => {
  // Omar signs in first, in a browser of his own.
  const omarContext = await browser.newContext();
  const omar = await omarContext.newPage();
  await signInThroughForm(omar, "omar.farouk@northwind.example", DEMO_PASSWORD);

  await login(AMARA);
  await page.goto("/admin/users?q=omar");
  await page.getByRole("link", { name: "Omar Farouk" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Omar Farouk" })).toBeVisible();
  const omarAdminPage = page.url();

  await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("moderator");
  await page.getByRole("button", { name: "Save role" }).click();
  await expect(page.getByRole("status")).toHaveText("Omar Farouk is now a Moderator.");
  await expect(page.getByRole("combobox", { name: "Role", exact: true })).toHaveValue("moderator");

  await page.getByText("Deactivate account…").click();
  await expect(page.getByText("will be signed out everywhere at once")).toBeVisible();
  await page.getByRole("button", { name: "Deactivate Omar Farouk" }).click();
  await expect(page.getByRole("status")).toHaveText("Omar Farouk is deactivated and signed out everywhere.");
  await expect(page.getByText("Deactivated", { exact: true }).first()).toBeVisible();

  // Omar's next navigation lands on the sign-in page.
  await omar.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Spaces" }).click();
  await expect(omar).toHaveURL(/\/sign-in/);
  await omar.goto("/");
  await expect(omar).toHaveURL(/\/sign-in/);
  await omarContext.close();

  // Everyone sees the badge on his profile.
  await page.getByRole("link", { name: "View profile" }).click();
  await expect(page.getByText("Deactivated", { exact: true })).toBeVisible();

  // Undo, so the demo company is as it was.
  await page.goto(omarAdminPage);
  await page.getByRole("button", { name: "Reactivate Omar" }).click();
  await expect(page.getByRole("status")).toHaveText("Omar Farouk can sign in again.");
  await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Save role" }).click();
  await expect(page.getByRole("status")).toHaveText("Omar Farouk is now a Member.");
});

test("an admin cannot deactivate themselves", async ({ page, login }) => {
  await login(AMARA);
  await page.goto("/admin/users?q=amara");
  await page.getByRole("link", { name: "Amara Okafor" }).click();
  await expect(page.getByText("This is your own account.")).toBeVisible();
  await expect(page.getByText("Deactivate account…")).toHaveCount(0);
});

test("admins create a space and manage its members", async ({ page, login }) => {
  await login(AMARA);
  await page.goto("/admin/spaces");
  await expect(page.getByRole("table", { name: "All spaces" }).getByRole("link", { name: "Platform Security" })).toBeVisible();

  const form = page.getByRole("region", { name: "New space" });
  // A taken address comes back as a field error with the input intact.
  await form.getByLabel("Name").fill("Design Critique");
  await form.getByLabel("Address").fill("engineering");
  await form.getByLabel("Description").fill("Show work in progress, get kind and useful feedback.");
  await form.getByRole("button", { name: "Create space" }).click();
  await expect(form.getByText("Another space already uses this address")).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveValue("Design Critique");
  await expect(form.getByLabel("Description")).toHaveValue("Show work in progress, get kind and useful feedback.");

  await form.getByLabel("Address").fill("");
  await form.getByText("Restricted", { exact: true }).click();
  await form.getByRole("button", { name: "Create space" }).click();
  await expect(page).toHaveURL("/admin/spaces/design-critique?created=1");
  await expect(page.getByRole("heading", { level: 1, name: "Design Critique" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Space created.");

  const members = page.getByRole("region", { name: "Members" });
  await members.getByLabel("Work email").fill("nobody@northwind.example");
  await members.getByRole("button", { name: "Add member" }).click();
  await expect(members.getByText("No active employee has this email address")).toBeVisible();
  await expect(members.getByLabel("Work email")).toHaveValue("nobody@northwind.example");

  await members.getByLabel("Work email").fill("grace.liu@northwind.example");
  await members.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("status")).toHaveText("Grace Liu was added to Design Critique.");
  await expect(members.getByLabel("Work email")).toHaveValue("");
  await members.getByRole("combobox", { name: "Role of Grace Liu" }).selectOption("moderator");
  await members.getByRole("button", { name: "Update role of Grace Liu" }).click();
  await expect(page.getByRole("status")).toHaveText("Role updated.");
  await expect(members.getByRole("combobox", { name: "Role of Grace Liu" })).toHaveValue("moderator");

  await members.getByLabel("Work email").fill("tom.becker@northwind.example");
  await members.getByRole("button", { name: "Add member" }).click();
  await expect(members.getByRole("link", { name: "Tom Becker" })).toBeVisible();
  await members.getByRole("button", { name: "Remove Tom Becker from this space" }).click();
  await expect(page.getByRole("status")).toHaveText("Removed from the space.");
  await expect(members.getByRole("link", { name: "Tom Becker" })).toHaveCount(0);

  // Editing details: a new address moves the space.
  const details = page.getByRole("region", { name: "Details" });
  await details.getByLabel("Name").fill("Design Crit");
  await details.getByLabel("Address").fill("design-crit");
  await details.getByRole("button", { name: "Save space" }).click();
  await expect(page).toHaveURL("/admin/spaces/design-crit?saved=1");
  await expect(page.getByRole("heading", { level: 1, name: "Design Crit" })).toBeVisible();
  await page.getByRole("link", { name: "View space" }).click();
  await expect(page.getByRole("region", { name: "Moderators" }).getByRole("link", { name: "Grace Liu" })).toBeVisible();
});
