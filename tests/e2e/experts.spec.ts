import { axeBuilder } from "./axe.ts";
import { test, expect } from "./fixtures.ts";

const LENA = "lena.fischer@northwind.example"; // HR
const PRIYA = "priya.nair@northwind.example"; // a member

test("HR finds experts by topic and department, shortlists two and exports them; a member reads a card's evidence", async ({ page, login }) => {
  await login(LENA);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Experts" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Experts" })).toBeVisible();

  await page.getByRole("combobox", { name: "Topic" }).fill("postgres");
  await page.getByRole("button", { name: "Find experts" }).click();
  await expect(page).toHaveURL(/topic=postgres/);
  await expect(page.getByRole("status").filter({ hasText: "with expertise in postgres" })).toBeVisible();

  // The department facet keeps the topic and narrows the list.
  await page
    .getByRole("navigation", { name: "Filter people" })
    .getByRole("link", { name: /^Engineering/ })
    .click();
  await expect(page).toHaveURL(/department=Engineering/);
  await expect(page).toHaveURL(/topic=postgres/);

  const axe = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }))).toEqual([]);

  await page.getByRole("checkbox", { name: "Shortlist Kenji Sato" }).check();
  await page.getByRole("checkbox", { name: "Shortlist Sofia Martins" }).check();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export shortlist (CSV)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^experts-shortlist-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = Buffer.concat(await (await download.createReadStream()).toArray()).toString("utf8");
  const lines = csv
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n");
  expect(lines[0]).toBe("name,email,title,department,location,top topics,evidence");
  expect(
    lines
      .slice(1)
      .map((l) => l.split(",")[0])
      .sort(),
  ).toEqual(["Kenji Sato", "Sofia Martins"]);
  expect(lines.join("\n")).toContain("postgres");

  // A member: no HR controls, and each card says why the person is there.
  await page.context().clearCookies();
  await login(PRIYA);
  await page.goto("/experts");
  await page
    .getByRole("region", { name: "Start from a topic" })
    .getByRole("link", { name: /^postgres/ })
    .click();
  const kenji = page.getByRole("article", { name: "Kenji Sato" });
  await expect(kenji.getByText(/accepted answers? on postgres/)).toBeVisible();
  await expect(kenji.getByRole("link", { name: "Ask a question of Kenji Sato" })).toHaveAttribute("href", /\/questions\/ask\?to=\d+$/);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Export shortlist (CSV)" })).toHaveCount(0);
});
