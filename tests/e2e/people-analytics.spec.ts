import { axeBuilder } from "./axe.ts";
import { test, expect } from "./fixtures.ts";

const LENA = "lena.fischer@northwind.example"; // HR
const TOM = "tom.becker@northwind.example"; // a member of Sales, a connector in the demo's run

test("HR reads the people dashboard and a connector's roles; the connector reads why, and sees that HR looked", async ({ page, login }) => {
  // Charts drawn only in the browser must not upset hydration: no errors in the console while HR reads.
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await login(LENA);
  await page.goto("/hr/recognition");
  await page.getByRole("link", { name: "People analytics" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "People analytics" })).toBeVisible();

  // The demo seed ran the job once: its date shows, and every section is there with its table.
  await expect(page.getByRole("region", { name: "Social network analysis" })).toContainText(/The roles below describe the 90 days up to/);
  for (const name of ["Participation by department", "Questions by topic", "Rising topics", "Unanswered hot spots", "Roles by department", "Idea funnel", "Recognition"])
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  await expect(page.getByRole("table", { name: /per week and department/ }).getByRole("columnheader", { name: "Engineering" })).toBeVisible();
  await expect(page.getByRole("table", { name: /roles and participation profiles per department/ }).getByRole("rowheader", { name: "Sales" })).toBeVisible();
  await expect(page.locator("figure .recharts-surface").first()).toBeVisible();

  const axe = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }))).toEqual([]);

  // "Recompute now" starts a run in the production server's worker thread; the page fills in when it is done.
  await page.getByRole("button", { name: "Recompute now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The run has started" })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(/is in progress/)).toHaveCount(0);
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText(/failed:/)).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Social network analysis" })).toContainText(/computed in \d+\.\d s/);

  // Each table downloads as CSV (its own route, never read as a person's id).
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV of roles by department" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^people-roles-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = Buffer.concat(await (await download.createReadStream()).toArray()).toString("utf8");
  expect(csv).toMatch(/^\uFEFFdepartment,people,mavens,connectors,salesmen,/);

  // The connectors' list leads to Tom's roles, explained in the same words he will read.
  await page.getByRole("region", { name: "Connectors", exact: true }).getByRole("link", { name: "Tom Becker" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tom Becker" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Why a connector/ })).toBeVisible();
  await expect(page.getByText(/Their ties reach \d+ other departments/)).toBeVisible();
  expect(errors).toEqual([]);

  // Tom signs in: his profile says why he is a connector, and that Lena looked.
  await page.context().clearCookies();
  await login(TOM);
  await page.goto("/");
  await page.locator("summary").filter({ hasText: "Account menu for" }).click();
  await page.getByRole("link", { name: "Your profile" }).click();
  const roles = page.getByRole("region", { name: "Your roles" });
  await expect(roles.getByRole("heading", { name: /Why you are a connector/ })).toBeVisible();
  await expect(roles.getByText(/Your ties reach \d+ other departments: \d+ of the \d+ colleagues you interacted with work outside your department/)).toBeVisible();
  const log = page.getByRole("region", { name: "Who from HR looked" });
  await expect(log.getByRole("listitem").filter({ hasText: "Lena Fischer (HR) opened your people analytics" }).first()).toBeVisible();
  const profileAxe = await axeBuilder(page).include("section[aria-labelledby=your-roles]").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(profileAxe.violations.map((v) => v.id)).toEqual([]);

  // A member: HR's pages are not there at all.
  expect((await page.goto("/hr/people"))?.status()).toBe(404);
  expect((await page.request.get("/hr/people/shortlist.csv")).status()).toBe(404);
});
