import { axeBuilder } from "./axe.ts";
import { test, expect } from "./fixtures.ts";

const LENA = "lena.fischer@northwind.example"; // HR
const PRIYA = "priya.nair@northwind.example"; // a member

test("HR reads recognition insights: charts beside their tables, a CSV per table, no one named; a member gets a 404", async ({ page, login }) => {
  // Charts drawn only in the browser must not upset hydration: no errors in the console while HR reads.
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await login(LENA);
  await page.goto("/kudos");
  await page.getByRole("navigation", { name: "Recognition" }).getByRole("link", { name: "Insights" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Recognition insights" })).toBeVisible();

  // The demo's month of kudos: every section is there, with its table for screen readers.
  for (const name of ["Kudos over time", "By value", "Between departments", "Teams that receive little", "Pairs who mostly thank each other"])
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  await expect(page.getByRole("table", { name: "Kudos and points per company value" }).getByRole("rowheader", { name: "Teamwork" })).toBeVisible();
  await expect(page.getByRole("table", { name: /People thanked, by the giver's department/ }).getByRole("rowheader", { name: "From Engineering" })).toBeVisible();
  // The charts are drawn once the page has hydrated, hidden from screen readers.
  await expect(page.locator("figure .recharts-surface").first()).toBeVisible();
  // Teams are named by department and size, never after their manager.
  const teams = page.getByRole("table", { name: /Kudos received per person in each team/ });
  await expect(teams.getByRole("rowheader", { name: /^Engineering team( \d)? \(\d+ people\)$/ }).first()).toBeVisible();
  await expect(teams).not.toContainText(/Jonas Weber|Daniel Kim|Marco Rossi/);

  const axe = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }))).toEqual([]);

  // A shorter window is a link; each table downloads as CSV.
  await page.getByRole("link", { name: "Last 3 months" }).click();
  await expect(page).toHaveURL(/months=3/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV of kudos by value" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^recognition-values-\d{4}-\d{2}-to-\d{4}-\d{2}\.csv$/);
  const csv = await (await download.createReadStream()).toArray();
  expect(Buffer.concat(csv).toString("utf8")).toMatch(/^\uFEFFvalue,kudos,points\r\n/);

  expect(errors).toEqual([]);

  // A member: the page and its exports are not there at all.
  await page.context().clearCookies();
  await login(PRIYA);
  expect((await page.goto("/hr/recognition"))?.status()).toBe(404);
  expect((await page.request.get("/hr/recognition/flow.csv")).status()).toBe(404);
  await page.goto("/kudos");
  await expect(page.getByRole("navigation", { name: "Recognition" }).getByRole("link", { name: "Insights" })).toHaveCount(0);
});
