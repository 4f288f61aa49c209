import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { sql } from "drizzle-orm";
import { e2eBackend } from "./backend.ts";
import { test, expect } from "./fixtures.ts";

/** The public forum the app started beside itself (playwright.config.ts gives it its port). */
const FORUM = `http://localhost:${process.env.E2E_FORUM_PORT}`;
const TITLE = "Terraform plan shows drift on the RDS parameter group on every run";

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

async function signOut(page: Page) {
  await page.context().clearCookies();
}

test("a question goes to the public forum: proposed, its flag redacted, consented, approved by a moderator and an SME, read signed out, then unpublished", async ({ page, login }) => {
  test.slow();
  // The demo's Terraform question (Lukas Novak), answered by Sofia Martins (the postgres SME) and Mateo García.
  const backend = await e2eBackend();
  let questionId: number;
  try {
    const [row] = await backend.db.execute<{ id: number }>(sql`select id from posts where type = 'question' and title = ${TITLE}`);
    questionId = Number(row!.id);
  } finally {
    await backend.close();
  }

  // Priya proposes it. The draft is a copy; she leaves Mateo's answer out and adds a line that names an internal host.
  await login("priya.nair@northwind.example");
  await page.goto(`/questions/${questionId}`);
  await page.getByRole("button", { name: "Propose for the public forum" }).click();
  await expect(page).toHaveURL(/\/publications\/\d+$/);
  const draftPath = new URL(page.url()).pathname;
  await page
    .getByRole("group", { name: /^Answer by Mateo García/ })
    .getByLabel("Include this answer")
    .uncheck();
  const question = page.getByLabel("Text of the question (markdown)");
  await question.fill(`${await question.inputValue()}\n\nThe drift shows on the dashboards at grafana.northwind.internal too.`);
  await page.getByRole("button", { name: "Save and scan again" }).click();

  // The scan flags the host with its place in the text; every open flag is redacted in the editor.
  const findings = page.getByRole("list", { name: "Findings" });
  await expect(findings).toContainText("grafana.northwind.internal");
  expect(await violations(page), "the draft with its flags").toEqual([]);
  const redact = findings.getByRole("button", { name: "Redact" });
  for (let open = await redact.count(); open > 0; open--) {
    await redact.first().click();
    await expect(redact).toHaveCount(open - 1);
  }
  await expect(page.getByLabel("Text of the question (markdown)")).toHaveValue(/\[redacted\]/);
  await expect(page.getByLabel("Text of the question (markdown)")).not.toHaveValue(/grafana\.northwind\.internal/);
  await expect(page.getByRole("main")).toContainText("Waiting for Lukas Novak to answer");

  // The authors whose text is in it say how they appear: Lukas by name, Sofia without her name.
  await signOut(page);
  await login("lukas.novak@northwind.example");
  await page.goto(draftPath);
  await page.getByLabel(/^By name and title/).check();
  await page.getByRole("button", { name: "Save my answer" }).click();
  await expect(page.getByRole("list", { name: "Authors" })).toContainText("By name and title");

  // Sofia consents and approves as the topic's SME; the proposer could not have.
  await signOut(page);
  await login("sofia.martins@northwind.example");
  await page.goto(draftPath);
  await page.getByLabel("Without my name").check();
  await page.getByRole("textbox", { name: /Describe me as/ }).fill("database engineer");
  await page.getByRole("button", { name: "Save my answer" }).click();
  await expect(page.getByRole("list", { name: "Authors" })).toContainText("Without their name");
  await page.getByRole("button", { name: /^Approve as/ }).click();
  await expect(page.getByRole("list", { name: "Approvals given" })).toContainText("Sofia Martins");

  // A moderator of Engineering gives the second approval, and it is published.
  await signOut(page);
  await login("jonas.weber@northwind.example");
  await page.goto(draftPath);
  await page.getByRole("button", { name: /^Approve as/ }).click();
  const forumLink = page.getByRole("link", { name: /View it on the forum|on the public forum/i }).first();
  await expect(forumLink).toBeVisible();
  const threadUrl = (await forumLink.getAttribute("href"))!;
  expect(threadUrl.startsWith(`${FORUM}/t/`)).toBe(true);

  // Signed out, on the forum: the thread is on the home page, redacted, with each author as they chose.
  await signOut(page);
  await page.goto(`${FORUM}/`);
  await page.getByRole("link", { name: TITLE }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  const main = page.getByRole("main");
  await expect(main).toContainText("[redacted]");
  await expect(main).not.toContainText("grafana.northwind.internal");
  await expect(main).toContainText("Lukas Novak");
  await expect(main).toContainText("works at Northwind");
  await expect(main).toContainText("A Northwind database engineer");
  await expect(main).not.toContainText("Sofia Martins");
  await expect(main).not.toContainText("Mateo García");
  expect(await violations(page), "the forum thread").toEqual([]);
  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').first().textContent())!) as { "@type": string };
  expect(jsonLd["@type"]).toBe("QAPage");

  // The moderator unpublishes it: the thread's address says it is gone, and the home page no longer lists it.
  await login("jonas.weber@northwind.example");
  await page.goto(draftPath);
  await page.getByLabel("Why does it come off the forum?").fill("Published by mistake in the test journey.");
  await page.getByRole("button", { name: "Unpublish" }).click();
  await expect(page.getByRole("main")).toContainText("Unpublished: Published by mistake in the test journey.");
  await signOut(page);
  const gone = await page.goto(threadUrl);
  expect(gone!.status()).toBe(410);
  await page.goto(`${FORUM}/`);
  await expect(page.getByRole("link", { name: TITLE })).toHaveCount(0);
});
