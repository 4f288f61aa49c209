import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

const PRIYA = "priya.nair@northwind.example";
const LUKAS = "lukas.novak@northwind.example";

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

test("kudos for an answer: given from the answer, seen on it and on the receiver's profile, and in the receiver's inbox", async ({ page, login }) => {
  test.slow();
  const message = `Your compose override got me running in five minutes (${Date.now()}).`;
  await login(PRIYA);
  await page.goto("/tags/docker");
  await page.getByRole("link", { name: "docker compose up fails with 'port 5432 is already allocated'" }).first().click();
  const answer = page.getByRole("article", { name: "Answer by Lukas Novak" });
  await answer.getByRole("link", { name: "Give kudos for this answer" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Give kudos" })).toBeVisible();
  await expect(page.getByText("For the answer")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "To" })).toHaveValue(/@lukas\.novak/);
  await page.getByRole("radio", { name: "Craft" }).check();
  await page.getByLabel("Points each").fill("10");
  await page.getByLabel("Message").fill(message);
  await page.getByRole("button", { name: "Give kudos" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Kudos from Priya Nair" })).toBeVisible();
  const card = page.getByRole("article", { name: "Kudos from Priya Nair to Lukas Novak" });
  await expect(card).toContainText(message);
  await expect(card).toContainText("+10 points");

  // On the answer it thanks.
  await card.getByRole("link", { name: /port 5432/ }).click();
  const kudosOnAnswer = page.getByRole("article", { name: "Answer by Lukas Novak" }).getByRole("region", { name: "Kudos for this answer" });
  await expect(kudosOnAnswer).toContainText("Priya Nair thanked Lukas Novak for Craft (+10)");

  // On the receiver's profile.
  await page.goto("/kudos");
  await page.getByRole("article", { name: "Kudos from Priya Nair to Lukas Novak" }).first().getByRole("link", { name: "Lukas Novak" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Lukas Novak" })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Kudos \(\d+\)$/ })).toContainText("From Priya Nair");

  // The receiver hears about it in their inbox.
  await page.context().clearCookies();
  await login(LUKAS);
  await page.goto("/notifications");
  await expect(page.getByRole("main")).toContainText("Priya Nair gave you “Kudos from Priya Nair to Lukas Novak”");
});

test("the kudos feed and the give form have no WCAG A/AA violations", async ({ page, login }) => {
  test.slow();
  await login(PRIYA);
  for (const path of ["/kudos", "/kudos/new"]) {
    await page.goto(path);
    expect(await violations(page), path).toEqual([]);
  }
});
