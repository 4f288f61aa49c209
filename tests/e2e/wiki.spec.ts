import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import sharp from "sharp";
import { DEMO_PASSWORD } from "../../db/seed-info.ts";
import { signIn, test, expect } from "./fixtures.ts";

// axe-core against WCAG 2.1 A and AA, as in accessibility.spec.ts.
async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

/** The editor's scripts have loaded when its preview stops saying it needs JavaScript. */
async function editorReady(page: Page) {
  await expect(page.getByRole("region", { name: "Preview" })).not.toContainText("needs JavaScript");
}

// A page written from a template with a [[link]], seen with its contents and the link's "linked
// from", edited, compared in its history (inline and side by side) and restored.
test("a wiki page is written from a template, linked, edited, compared and restored", async ({ page, login }) => {
  test.slow();
  const run = Date.now().toString(36);
  const target = `VPN setup ${run}`;
  const title = `On-call runbook ${run}`;

  await login("amara.okafor@northwind.example");
  await page.goto("/spaces/engineering");
  await page.getByRole("main").getByRole("link", { name: "Wiki", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Engineering wiki" })).toBeVisible();

  // The page the runbook will link to.
  await page.getByRole("link", { name: "New page" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "New page" })).toBeVisible();
  await editorReady(page);
  await page.getByLabel("Title").fill(target);
  await page.getByLabel("Page text").fill("Install the client, then sign in with your laptop account.");
  await page.getByRole("button", { name: "Create page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: target })).toBeVisible();

  // The runbook, from the template, with a live preview that resolves the link.
  await page.goto("/spaces/engineering/wiki/new");
  await editorReady(page);
  await page.getByLabel("Start from a template").selectOption({ label: "Runbook: What to do when an alert fires or a system misbehaves." });
  const text = page.getByLabel("Page text");
  await expect(text).toHaveValue(/## When to use this runbook/);
  await text.fill(`${await text.inputValue()}\n\nConnect first: see [[${target}]].`);
  await page.getByLabel("Title").fill(title);
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("heading", { name: "Diagnose" })).toBeVisible();
  await expect(preview.getByRole("link", { name: target })).toBeVisible();
  await page.getByRole("button", { name: "Create page" }).click();

  // The page: its contents from the headings, and the link.
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const contents = page.getByRole("navigation", { name: "On this page" });
  await expect(contents.getByRole("link", { name: "Diagnose" })).toHaveAttribute("href", "#h-diagnose");
  await expect(page.getByRole("navigation", { name: "Pages in the Engineering wiki" }).getByRole("link", { name: title })).toHaveAttribute("aria-current", "page");
  expect(await violations(page), "the page view").toEqual([]);
  // Following the space's wiki (a fetcher; the reload shows what the server kept).
  await page.getByRole("button", { name: "Follow wiki" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Following." })).toBeAttached();
  await page.reload();
  await expect(page.getByRole("button", { name: "Follow wiki" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("article", { name: "Page text" }).getByRole("link", { name: target }).click();
  await expect(page.getByRole("heading", { level: 1, name: target })).toBeVisible();
  await page.getByRole("region", { name: "Linked from" }).getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  // An edit, with a summary.
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit page" })).toBeVisible();
  await editorReady(page);
  const body = page.getByLabel("Page text");
  await body.fill((await body.inputValue()).replace("The alert or symptom that brings you here.", "The page or alert that brings you here."));
  await page.getByLabel("Edit summary (optional)").fill("pages come first");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("article", { name: "Page text" }).getByText("The page or alert that brings you here.")).toBeVisible();

  // The history: the edit's words marked, inline and side by side.
  await page.getByRole("link", { name: "History", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Page history" })).toBeVisible();
  const edit = page.getByRole("region", { name: /Version 2/ });
  await expect(edit.getByText("“pages come first”")).toBeVisible();
  await expect(edit.locator("ins").filter({ hasText: "page" }).first()).toBeVisible();
  await expect(edit.locator("del").filter({ hasText: "symptom" })).toBeVisible();
  await page.getByRole("link", { name: "Side by side" }).click();
  await expect(page).toHaveURL(/view=split/);
  await expect(edit.getByRole("heading", { name: "Version 1", exact: true })).toBeVisible();
  await expect(edit.getByRole("heading", { name: "Version 2", exact: true })).toBeVisible();
  expect(await violations(page), "the history, side by side").toEqual([]);

  // Restore the original: the page shows it again, and the history says so.
  await page
    .getByRole("region", { name: /Version 1/ })
    .getByRole("button", { name: /Restore this version/ })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("article", { name: "Page text" }).getByText("The alert or symptom that brings you here.")).toBeVisible();
  await page.getByRole("link", { name: "History", exact: true }).click();
  const restored = page.getByRole("region", { name: /Version 3/ });
  await expect(restored.getByText("Restored version 1", { exact: true })).toBeVisible();
  await expect(restored.getByText("Current", { exact: true })).toBeVisible();
});

// The journey: a page with a link and an image, an edit suggested by another person on the
// protected page and approved by its owner, an accepted answer promoted to a page, and all three
// found in search.
test("a page with an image, a suggested edit approved by its owner, a promoted answer, all found in search", async ({ page, login, browser }) => {
  test.slow();
  const run = Date.now().toString(36);
  const title = `Release checklist ${run}`;
  const png = await sharp({ create: { width: 48, height: 32, channels: 3, background: "#0f766e" } })
    .png()
    .toBuffer();

  // Jonas (a moderator of Engineering) writes the page with a link and an image, and protects it.
  await login("jonas.weber@northwind.example");
  await page.goto("/spaces/engineering/wiki/new");
  await editorReady(page);
  await page.getByLabel("Title").fill(title);
  const text = page.getByLabel("Page text");
  await text.fill("Tag the release, then follow [[How we ship code]].\n\n");
  await page.getByLabel("Attach a file").setInputFiles({ name: "pipeline.png", mimeType: "image/png", buffer: png });
  await expect(text).toHaveValue(/!\[pipeline\]\(\/uploads\/[A-Za-z0-9_-]{22}\/pipeline\.png\)/);
  await page.getByRole("button", { name: "Create page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const body = page.getByRole("article", { name: "Page text" });
  await expect(body.getByRole("link", { name: "How we ship code" })).toBeVisible();
  const image = body.getByRole("img", { name: "pipeline" });
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth])).toEqual([true, 48]);
  const pageUrl = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "Protect this page" }).click();
  await expect(page.getByText("This page is protected")).toBeVisible();

  // Grace can't edit it directly: she suggests an edit, with a word nobody else uses.
  const grace = await browser.newPage();
  await signIn(grace, "grace.liu@northwind.example", DEMO_PASSWORD);
  await grace.goto(pageUrl);
  await expect(grace.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
  await grace.getByRole("link", { name: "Suggest an edit" }).click();
  await expect(grace.getByRole("heading", { level: 1, name: "Suggest an edit" })).toBeVisible();
  const suggested = grace.getByLabel("Page text");
  await suggested.fill(`${await suggested.inputValue()}\n\nRun the zephyr${run} smoke test before tagging.`);
  await grace.getByLabel("Why this change").fill("The smoke test caught two bad releases last month.");
  await grace.getByRole("button", { name: "Suggest this edit" }).click();
  await expect(grace.getByText("The smoke test caught two bad releases last month.")).toBeVisible();
  await grace.close();

  // Jonas approves it from the page's suggestions: the page has the text, the history names Grace.
  await page.goto(pageUrl);
  await page.getByRole("link", { name: "1 waiting for review" }).click();
  await page.getByRole("link", { name: "Suggestion by Grace Liu" }).click();
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByText(/Approved by Jonas Weber/)).toBeVisible();
  await page.goto(pageUrl);
  await expect(page.getByRole("article", { name: "Page text" }).getByText(`Run the zephyr${run} smoke test before tagging.`)).toBeVisible();
  await page.getByRole("link", { name: "History", exact: true }).click();
  await expect(page.getByRole("region", { name: /Version 2/ }).getByText(/Suggested by Grace Liu, approved by Jonas Weber/)).toBeVisible();

  // An accepted answer becomes a page, with its credit.
  await page.goto(`/search?q=${encodeURIComponent("port 5432 is already allocated")}`);
  await page.getByRole("link", { name: "docker compose up fails with 'port 5432 is already allocated'" }).first().click();
  await page
    .getByRole("link", { name: /Promote to wiki/ })
    .first()
    .click();
  await page.getByLabel("Page title").fill(`Port 5432 already in use ${run}`);
  await page.getByRole("button", { name: "Promote to wiki" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Port 5432 already in use ${run}` })).toBeVisible();
  await expect(page.getByRole("article", { name: "Page text" }).getByText(/Adapted from/)).toBeVisible();

  // Search finds the new page, the approved edit's words and the promoted answer (once the relay has indexed them).
  await expect(async () => {
    await page.goto(`/search?q=${run}`);
    const results = page.getByRole("main");
    await expect(results.getByRole("link", { name: title })).toBeVisible({ timeout: 1_000 });
    await expect(results.getByRole("link", { name: `Port 5432 already in use ${run}` })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(async () => {
    await page.goto(`/search?q=zephyr${run}`);
    await expect(page.getByRole("main").getByRole("link", { name: title })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
});
