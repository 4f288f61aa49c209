import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { axeBuilder } from "./axe.ts";
import type { Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { test, expect } from "./fixtures.ts";

async function violations(page: Page) {
  const results = await axeBuilder(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}

test("a member makes an API token, reads questions with it and revokes it; their mail settings keep a choice", async ({ page, login, request }) => {
  const run = Date.now().toString(36);
  await login("priya.nair@northwind.example");

  // The user menu leads to the token page; a token is shown once.
  await page.goto("/settings/tokens");
  await page.getByLabel("Name").fill(`CLI ${run}`);
  await page.getByLabel("Scope").selectOption("read");
  await page.getByRole("button", { name: "Make token" }).click();
  await expect(page.getByRole("heading", { name: "Copy your new token now" })).toBeVisible();
  const token = await page.locator("#new-token").inputValue();
  expect(token).toMatch(/^cmn_/);
  expect(await violations(page)).toEqual([]);

  // The token reads what Priya may see, as JSON, and may not write.
  const authorization = `Bearer ${token}`;
  const list = await request.get("/api/v1/questions?limit=5", { headers: { authorization } });
  expect(list.status()).toBe(200);
  const body = (await list.json()) as { data: Array<{ id: number; title: string }>; nextCursor: string | null };
  expect(body.data.length).toBeGreaterThan(0);
  const write = await request.post("/api/v1/questions", {
    headers: { authorization },
    data: { title: "Not allowed with a read token", body: "x".repeat(40), tags: "x", space: "engineering" },
  });
  expect(write.status()).toBe(403);

  // A reload never shows it again; revoking stops it at once.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Copy your new token now" })).toHaveCount(0);
  await page.getByRole("link", { name: `Revoke CLI ${run}` }).click();
  await page.getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByRole("row", { name: new RegExp(`CLI ${run}`) })).toContainText("Revoked");
  expect((await request.get("/api/v1/questions", { headers: { authorization } })).status()).toBe(401);

  // The reference page is generated from the same document the API serves.
  await page.goto("/developers/api");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("/questions/{id}", { exact: false }).first()).toBeVisible();

  // Mail settings: one choice per kind of mail, kept after saving.
  await page.goto("/settings/notifications");
  const answers = page.getByRole("group", { name: "Answers to my questions" });
  await answers.getByRole("radio", { name: "Never" }).check();
  await page.getByRole("button", { name: "Save" }).click();
  // Reload only once the save has answered, or the reload can cancel it.
  await expect(page.getByText("Your mail settings are saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("group", { name: "Answers to my questions" }).getByRole("radio", { name: "Never" })).toBeChecked();
  expect(await violations(page)).toEqual([]);
  // Put it back, so other journeys' mails to Priya are unchanged.
  await page
    .getByRole("group", { name: "Answers to my questions" })
    .getByRole("radio", { name: /Immediately/ })
    .check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Your mail settings are saved.")).toBeVisible();
});

test("an admin allowlists an internal receiver, registers a webhook and sends a test event the receiver can verify", async ({ page, login }) => {
  test.slow();
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as AddressInfo).port;
  try {
    await login("amara.okafor@northwind.example");
    await page.goto("/admin/integrations");
    await page.getByRole("link", { name: "Outgoing webhooks" }).click();
    await expect(page).toHaveURL(/\/admin\/integrations\/webhooks$/);

    // A private address is refused until an admin allows it.
    await page.goto("/admin/integrations/webhooks/new");
    await page.getByLabel("Endpoint URL").fill(`http://127.0.0.1:${port}/hooks`);
    await page.getByRole("checkbox", { name: /question\.created/ }).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText(/private|internal|not allowed/i).first()).toBeVisible();
    await expect(page.getByLabel("Endpoint URL")).toHaveValue(`http://127.0.0.1:${port}/hooks`);

    await page.goto("/admin/integrations/outbound");
    await page.getByLabel("Host name, address or range").fill("127.0.0.1");
    await page.getByLabel("Note (optional)").fill("The end-to-end test's receiver");
    await page.getByRole("button", { name: "Allow" }).click();
    await expect(page.getByRole("cell", { name: "127.0.0.1", exact: true })).toBeVisible();

    await page.goto("/admin/integrations/webhooks/new");
    await page.getByLabel("Endpoint URL").fill(`http://127.0.0.1:${port}/hooks`);
    await page.getByLabel("Description (optional)").fill("Journey receiver");
    await page.getByRole("checkbox", { name: /question\.created/ }).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page).toHaveURL(/\/admin\/integrations\/webhooks\/\d+/);
    const secret = await page.locator("#endpoint-secret-value").inputValue();
    expect(await violations(page)).toEqual([]);

    await page.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const delivery = received[0]!;
    // The receiver verifies the Standard Webhooks signature with the secret the page showed.
    const payload = new Webhook(secret).verify(delivery.body, {
      "webhook-id": String(delivery.headers["webhook-id"]),
      "webhook-timestamp": String(delivery.headers["webhook-timestamp"]),
      "webhook-signature": String(delivery.headers["webhook-signature"]),
    }) as { type: string };
    expect(payload.type).toBe("webhook.test");

    // The delivery log shows the receiver's answer.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByRole("main").textContent();
        },
        { timeout: 30_000 },
      )
      .toContain("200");
    // Turned off, so the other journeys' questions queue for it instead of failing against a closed receiver.
    await page.getByRole("button", { name: "Turn off" }).click();
    await expect(page.getByRole("button", { name: "Turn on" })).toBeVisible();
  } finally {
    receiver.close();
  }
});
