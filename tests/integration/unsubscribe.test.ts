import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { eq } from "drizzle-orm";
import express from "express";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appSecrets, mailPreferences } from "#db/schema/index.ts";
import { withDefaults } from "#app/features/mail-prefs/categories.ts";
import { oneClickUnsubscribe } from "#app/features/mail-prefs/one-click.server.ts";
import { preferencesOf } from "#app/features/mail-prefs/preferences.server.ts";
import { unsubscribeKey, unsubscribeToken } from "#app/features/mail-prefs/unsubscribe.server.ts";
import UnsubscribePage, { loader as pageLoader } from "#app/routes/unsubscribe.tsx";
import { setupTestDb } from "#tests/db.ts";
import { requestAs, routeCaller } from "#tests/helpers.ts";
import { createUser } from "#tests/factories/index.ts";
import { executable, payloads, renderRoute } from "#tests/xss-render.ts";
import { limitRequestBody, sameOriginOnly } from "../../server/http.ts";

/**
 * One-click unsubscribe (RFC 8058) through a real HTTP server: an express app mounted as
 * server/main.ts mounts it (the handler before the same-origin check), posted to with fetch and
 * no cookie and no Origin, as a mail client posts it.
 */

const t = setupTestDb();
const call = routeCaller(t);
let server: Server;
let base = "";

beforeAll(async () => {
  const app = express();
  app.use(limitRequestBody(() => 1024 * 1024));
  app.post("/unsubscribe/:token", oneClickUnsubscribe(t.db, { warn: () => {} }));
  app.use(sameOriginOnly("http://localhost:3000"));
  app.post("/{*splat}", (_req, res) => void res.status(200).send("reached the app"));
  server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function tokenFor(userId: number, scope: Parameters<typeof unsubscribeToken>[2]) {
  return unsubscribeToken(await unsubscribeKey(t.db), userId, scope);
}

function oneClick(token: string, body: BodyInit = new URLSearchParams({ "List-Unsubscribe": "One-Click" })) {
  return fetch(`${base}/unsubscribe/${token}`, { method: "POST", body, redirect: "manual" });
}

describe("one-click unsubscribe", () => {
  test("a POST without cookie or Origin turns off exactly that category, answers 200, and again changes nothing", async () => {
    const ann = await createUser(t.db);
    await t.db.insert(mailPreferences).values({ userId: ann.id, category: "mentions", cadence: "daily" });
    const token = await tokenFor(ann.id, "answers");

    const response = await oneClick(token);
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await preferencesOf(t.db, ann.id)).toEqual({ ...withDefaults([]), mentions: "daily", answers: "never" });

    expect((await oneClick(token)).status).toBe(200);
    expect(await preferencesOf(t.db, ann.id)).toEqual({ ...withDefaults([]), mentions: "daily", answers: "never" });
    // Other POSTs without Origin are still refused: the handler is the only exception.
    expect((await fetch(`${base}/settings/notifications`, { method: "POST", body: new URLSearchParams({ a: "b" }) })).status).toBe(403);
  });

  test("multipart bodies work too", async () => {
    const bob = await createUser(t.db);
    const form = new FormData();
    form.set("List-Unsubscribe", "One-Click");
    expect((await oneClick(await tokenFor(bob.id, "kudos"), form)).status).toBe(200);
    expect((await preferencesOf(t.db, bob.id)).kudos).toBe("never");
  });

  test("a digest's link turns off every category that digest carries, and only those", async () => {
    const cara = await createUser(t.db);
    await t.db.insert(mailPreferences).values({ userId: cara.id, category: "answers", cadence: "daily" });
    expect((await oneClick(await tokenFor(cara.id, "daily"))).status).toBe(200);
    // Defaults: ideas is daily; answers was made daily; the weekly ones stay.
    expect(await preferencesOf(t.db, cara.id)).toEqual({ ...withDefaults([]), answers: "never", ideas: "never" });
  });

  test("a forged, altered or malformed token is refused and changes nothing", async () => {
    const dan = await createUser(t.db);
    const eve = await createUser(t.db);
    const good = await tokenFor(dan.id, "answers");
    const [, , signature] = good.split(".");
    const forged = [
      `${eve.id}.answers.${signature}`,
      `${dan.id}.mentions.${signature}`,
      `${dan.id}.answers.${signature!.slice(0, -2)}AA`,
      `${dan.id}.answers.${"A".repeat(43)}`,
      `${dan.id}.answers`,
      `${dan.id}.nope.${signature}`,
      "99999999999.answers." + signature,
      "%00",
      "x".repeat(400),
    ];
    for (const token of forged) {
      const response = await oneClick(encodeURIComponent(token));
      expect(response.status, token).toBe(400);
      expect(await response.text()).not.toMatch(/at .*\.ts/);
    }
    // A link made with another installation's key is as good as forged.
    await t.db.update(appSecrets).set({ value: Buffer.alloc(32, 7).toString("base64url") });
    expect((await oneClick(good)).status).toBe(400);
    expect(await preferencesOf(t.db, dan.id)).toEqual(withDefaults([]));
    expect(await preferencesOf(t.db, eve.id)).toEqual(withDefaults([]));
    // The key is kept: the next call reads the same one and the links made with it work.
    const key = await unsubscribeKey(t.db);
    expect(await unsubscribeKey(t.db)).toEqual(key);
    expect((await oneClick(unsubscribeToken(key, dan.id, "answers"))).status).toBe(200);
  });

  test("a body without List-Unsubscribe=One-Click is refused", async () => {
    const fay = await createUser(t.db);
    const token = await tokenFor(fay.id, "answers");
    expect((await oneClick(token, new URLSearchParams({ "List-Unsubscribe": "Maybe" }))).status).toBe(400);
    expect((await fetch(`${base}/unsubscribe/${token}`, { method: "POST" })).status).toBe(400);
    expect((await fetch(`${base}/unsubscribe/${token}`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x\r\nbroken" })).status).toBe(400);
    expect(await preferencesOf(t.db, fay.id)).toEqual(withDefaults([]));
  });
});

describe("the unsubscribe page", () => {
  test("opening it changes nothing; its button posts from the page and comes back saying what was done", async () => {
    const gil = await createUser(t.db);
    const token = await tokenFor(gil.id, "followed");
    const page = await call(pageLoader, await requestAs(t.db, null, `/unsubscribe/${token}`), { token });
    expect(page.data).toMatchObject({ valid: true, done: false, title: "Followed tags and spaces", digest: false });
    expect(await preferencesOf(t.db, gil.id)).toEqual(withDefaults([]));

    const html = renderRoute(UnsubscribePage as never, page.data, { id: 0, name: "", role: "member" });
    expect(html).toContain("Stop mail about Followed tags and spaces?");
    expect(html).toContain(`action="/unsubscribe/${token}"`);
    expect(html).toContain('href="/settings/notifications"');

    const response = await oneClick(token, new URLSearchParams({ "List-Unsubscribe": "One-Click", from: "page" }));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/unsubscribe/${token}?done=1`);
    expect((await preferencesOf(t.db, gil.id)).followed).toBe("never");
    const done = await call(pageLoader, await requestAs(t.db, null, `/unsubscribe/${token}?done=1`), { token });
    expect(renderRoute(UnsubscribePage as never, done.data, { id: 0, name: "", role: "member" })).toContain("You are unsubscribed");
  });

  test("a digest's page lists what it turns off; a bad token gets a clear 400 page", async () => {
    const hal = await createUser(t.db);
    const token = await tokenFor(hal.id, "weekly");
    const page = await call(pageLoader, await requestAs(t.db, hal, `/unsubscribe/${token}`), { token });
    expect(page.data).toMatchObject({ valid: true, digest: true, categories: ["Followed tags and spaces", "Page reviews due", "What waits for me"] });
    expect(renderRoute(UnsubscribePage as never, page.data, { id: 0, name: "", role: "member" })).toContain("Unsubscribing turns all of them off by mail.");

    const bad = await call(pageLoader, await requestAs(t.db, null, "/unsubscribe/nope"), { token: "nope" });
    expect(bad.init?.status).toBe(400);
    expect(renderRoute(UnsubscribePage as never, bad.data, { id: 0, name: "", role: "member" })).toContain("This unsubscribe link does not work");
  });

  test("whoever opens it (signed out, a customer, a deactivated account) sees only the link's own category, never a name", async () => {
    const ivy = await createUser(t.db, { name: "Ivy Secret-Name" });
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const token = await tokenFor(ivy.id, "mentions");
    for (const who of [null, customer, gone, ivy]) {
      const page = await call(pageLoader, await requestAs(t.db, who, `/unsubscribe/${token}`), { token });
      expect(page.data).toEqual({ valid: true, token, digest: false, done: false, title: "Mentions", categories: ["Mentions"] });
    }
    // The token in the page's form is rendered as an attribute: whatever a link holds stays inert.
    for (const { payload } of payloads.slice(0, 40)) {
      const html = renderRoute(UnsubscribePage as never, { valid: true, token, digest: false, done: false, title: payload, categories: [payload] }, { id: 0, name: "", role: "member" });
      expect(executable(html), payload).toEqual([]);
    }
    expect(await t.db.select().from(mailPreferences).where(eq(mailPreferences.userId, ivy.id))).toEqual([]);
  });
});
