import { and, eq, sql } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { mailOutbox, mailPreferences, notificationKindEnum, notifications, spaceMembers, users } from "#db/schema/index.ts";
import { createMailTransport, runMailerUntilIdle } from "#app/features/mail/mailer.server.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { CADENCES, CATEGORIES, CATEGORY_INFO, KIND_CATEGORY, withDefaults } from "#app/features/mail-prefs/categories.ts";
import { mailNotificationsOnce, notificationMail } from "#app/features/mail-prefs/immediate.server.ts";
import { startMailNotifications } from "#app/features/mail-prefs/worker.server.ts";
import { preferencesOf } from "#app/features/mail-prefs/preferences.server.ts";
import { readUnsubscribeToken } from "#app/features/mail-prefs/unsubscribe.server.ts";
import { routedMail } from "#app/features/routing/mail.server.ts";
import { kudosMail } from "#app/features/recognition/kudos-mail.server.ts";
import SettingsPage, { action as settingsAction, loader as settingsLoader } from "#app/routes/settings/notifications.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createLogger } from "../../server/logger.ts";
import { type ReceivedMail, startTestMailServer, type TestMailServer } from "#tests/mail-server.ts";
import { postAs, redirectTarget, requestAs, routeCaller, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { parseScreen, payloads, renderRoute } from "#tests/xss-render.ts";

/**
 * Mail preferences and the notification mailer: the categories and their defaults, the settings
 * page, and notifications mailed as they happen, through the real mailer to a real SMTP server.
 */

const t = setupTestDb();
const call = routeCaller(t);
let smtp: TestMailServer;
const FROM = "Commons <commons@northwind.example>";

beforeAll(async () => {
  smtp = await startTestMailServer();
});
afterAll(async () => {
  await smtp.stop();
});
beforeEach(async () => {
  // Each test starts with nothing waiting: earlier tests' notifications count as looked at.
  await t.db.execute(sql`update notifications set mail_handled_at = now() where mail_handled_at is null`);
  await t.db.delete(mailOutbox);
  smtp.messages.length = 0;
});

/**
 * The List-* headers as the SMTP server's parser (mailparser) reads them: it gathers them under
 * "list", the unsubscribe address as a URL and the one-click line as a name.
 */
function listHeaders(mail: ReceivedMail): { unsubscribe: string; unsubscribePost: string } {
  const entries = [mail.headers.get("list")].flat() as Array<Record<string, { url?: string; name?: string; id?: string; mail?: string }>>;
  const merged = Object.assign({}, ...entries) as Record<string, { url?: string; name?: string; id?: string }>;
  const post = merged["unsubscribe-post"];
  return { unsubscribe: merged.unsubscribe?.url ?? "", unsubscribePost: post?.name ?? post?.id ?? JSON.stringify(post) };
}

async function send() {
  return runMailerUntilIdle(t.db, createMailTransport(smtp.url), { from: FROM });
}

/** An asker and an answerer, and the answer's notification to the asker. */
async function answered(space?: Awaited<ReturnType<typeof createSpace>>, askerAttrs: Parameters<typeof createUser>[1] = {}) {
  const asker = await createUser(t.db, askerAttrs);
  const answerer = await createUser(t.db, { name: "Ada Answerer" });
  const where = space ?? (await createSpace(t.db, { members: [asker, answerer] }));
  if (space) await t.db.insert(spaceMembers).values([asker, answerer].map((u) => ({ spaceId: space.id, userId: u.id, role: "member" as const })));
  const questionId = await createQuestion(t.db, { author: asker, space: where, title: "How do we rotate the staging database password?" });
  await createAnswer(t.db, { author: answerer, questionId });
  return { asker, answerer, space: where, questionId };
}

describe("categories", () => {
  test("every notification kind has exactly one category, and every category a label, a description and an allowed default", () => {
    // The Record type makes a new kind fail to compile until it is placed; this checks the enum and the map agree.
    expect(Object.keys(KIND_CATEGORY).sort()).toEqual([...notificationKindEnum.enumValues].sort());
    for (const category of Object.values(KIND_CATEGORY)) expect(CATEGORIES).toContain(category);
    for (const c of CATEGORIES) {
      const info = CATEGORY_INFO[c];
      expect(info.label.length).toBeGreaterThan(3);
      expect(info.description.length).toBeGreaterThan(10);
      expect(info.choices).toContain(info.defaultCadence);
    }
    // The defaults the issue asks for: what is about you now, what you merely follow later.
    expect(withDefaults([])).toEqual({
      answers: "immediately",
      mentions: "immediately",
      routed: "immediately",
      followed: "weekly",
      ideas: "daily",
      kudos: "immediately",
      page_reviews: "weekly",
      waiting: "weekly",
    });
    // A stored value a category does not offer (or an unknown category) falls back to the default.
    expect(
      withDefaults([
        { category: "waiting", cadence: "immediately" },
        { category: "nope", cadence: "never" },
      ]).waiting,
    ).toBe("weekly");
  });
});

describe("the settings page", () => {
  test("an employee sees their choices with the defaults; saving stores only what differs from a default", async () => {
    const ann = await createUser(t.db);
    const page = (await call(settingsLoader, await requestAs(t.db, ann, "/settings/notifications"))) as unknown as { preferences: Record<string, string> };
    expect(page.preferences).toEqual(withDefaults([]));

    const fields = { intent: "save-mail", ...withDefaults([]), mentions: "daily", followed: "never", waiting: "daily" };
    const saved = await call(settingsAction, await postAs(t.db, ann, "/settings/notifications", fields));
    expect(saved).toEqual({ ok: true, notice: "Your mail settings are saved." });
    expect(await preferencesOf(t.db, ann.id)).toMatchObject({ mentions: "daily", followed: "never", waiting: "daily", answers: "immediately" });
    const rows = await t.db.select({ category: mailPreferences.category }).from(mailPreferences).where(eq(mailPreferences.userId, ann.id));
    expect(rows.map((r) => r.category).sort()).toEqual(["followed", "mentions", "waiting"]);
  });

  test("the page: one fieldset with a legend per category, a labelled radio per choice, the default marked, the stored choice checked", async () => {
    const kim = await createUser(t.db);
    await t.db.insert(mailPreferences).values({ userId: kim.id, category: "mentions", cadence: "weekly" });
    const data = await call(settingsLoader, await requestAs(t.db, kim, "/settings/notifications"));
    const screen = parseScreen(renderRoute(SettingsPage as never, data, { id: kim.id, name: kim.name, role: "member" }));
    const sets = [...screen.querySelectorAll("fieldset")];
    expect(sets.map((f) => f.querySelector("legend")?.textContent)).toEqual(CATEGORIES.map((c) => CATEGORY_INFO[c].label));
    for (const [i, c] of CATEGORIES.entries()) {
      const radios = [...sets[i]!.querySelectorAll<HTMLInputElement>("input[type=radio]")];
      expect(radios.map((r) => r.value)).toEqual([...CATEGORY_INFO[c].choices]);
      // Each radio sits in its label, which names the choice; the default says so.
      for (const r of radios) expect(r.closest("label")?.textContent).toMatch(/Immediately|Daily digest|Weekly digest|Never/);
      expect(radios.find((r) => r.closest("label")?.textContent?.includes("default"))?.value).toBe(CATEGORY_INFO[c].defaultCadence);
      expect(radios.filter((r) => r.hasAttribute("checked")).map((r) => r.value)).toEqual([c === "mentions" ? "weekly" : CATEGORY_INFO[c].defaultCadence]);
      expect(sets[i]!.getAttribute("aria-describedby")).toBe(`mail-${c}-hint`);
    }
    expect(screen.querySelector("h1")?.textContent).toBe("Mail notifications");
  });

  test("bad values answer 400 with field errors and the choices made, and save nothing", async () => {
    const bob = await createUser(t.db);
    await call(settingsAction, await postAs(t.db, bob, "/settings/notifications", { intent: "save-mail", ...withDefaults([]), kudos: "never" }));
    const before = await preferencesOf(t.db, bob.id);
    for (const bad of [
      { ...withDefaults([]), answers: "hourly" },
      // "What waits for me" exists only in digests: it cannot be mailed one by one.
      { ...withDefaults([]), waiting: "immediately" },
      // A row missing: refused whole, not saved in part.
      { ...withDefaults([]), mentions: undefined },
      { ...withDefaults([]), answers: "x".repeat(5000), kudos: "immediately" },
    ]) {
      const fields = Object.fromEntries(Object.entries({ intent: "save-mail", ...bad }).filter(([, v]) => v !== undefined)) as Record<string, string>;
      const reply = await call(settingsAction, await postAs(t.db, bob, "/settings/notifications", fields));
      expect(reply.init?.status).toBe(400);
      const failure = reply.data as { ok: false; fieldErrors: Record<string, string>; values: Record<string, string>; formError: string };
      expect(failure.ok).toBe(false);
      expect(Object.keys(failure.fieldErrors).length).toBeGreaterThan(0);
      expect(failure.formError).toMatch(/choose one option/i);
      expect(failure.values).toMatchObject(fields);
      expect(await preferencesOf(t.db, bob.id)).toEqual(before);
    }
    expect(await thrown(call(settingsAction, await postAs(t.db, bob, "/settings/notifications", { intent: "other" })))).toMatchObject({ init: { status: 400 } });
  });

  test("visibility: signed out goes to sign-in; customers and deactivated accounts never reach it", async () => {
    expect(redirectTarget(await thrown(call(settingsLoader, await requestAs(t.db, null, "/settings/notifications"))))).toBe("/sign-in?redirectTo=%2Fsettings%2Fnotifications");
    const customer = await createUser(t.db, {}, "customer");
    expect(redirectTarget(await thrown(call(settingsLoader, await requestAs(t.db, customer, "/settings/notifications"))))).toBe("/");
    expect(redirectTarget(await thrown(call(settingsAction, await postAs(t.db, customer, "/settings/notifications", { intent: "save-mail", ...withDefaults([]) }))))).toBe("/");
    const gone = await createUser(t.db);
    const request = await requestAs(t.db, gone, "/settings/notifications");
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, gone.id));
    expect(redirectTarget(await thrown(call(settingsLoader, request)))).toMatch(/^\/sign-in/);
    // A member of a restricted space (or not) sees only their own settings: the page names no space.
    const member = await createUser(t.db);
    await createSpace(t.db, { members: [member] }, "restricted");
    const page = (await call(settingsLoader, await requestAs(t.db, member, "/settings/notifications"))) as unknown as Record<string, unknown>;
    expect(Object.keys(page).sort()).toEqual(["digestHour", "preferences"]);
  });
});

describe("notifications mailed as they happen", () => {
  test("an answer reaches the asker's SMTP inbox once, with a text and an HTML part and the one-click unsubscribe headers", async () => {
    const { asker, questionId } = await answered();
    const round = await mailNotificationsOnce(t.db);
    expect(round.mailed).toBe(1);
    // Every claimed row is marked, and a second round finds nothing.
    expect(await t.db.$count(notifications, sql`${notifications.mailHandledAt} is null`)).toBe(0);
    expect((await mailNotificationsOnce(t.db)).claimed).toBe(0);
    expect((await send()).sent).toBe(1);

    const mail = await smtp.waitFor((m) => m.to.includes(asker.email));
    expect(smtp.messages).toHaveLength(1);
    expect(mail.subject).toBe("Commons: Ada Answerer answered “How do we rotate the staging database password?”");
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain("Ada Answerer answered");
      expect(part).toContain(`/questions/${questionId}/how-do-we-rotate-the-staging-database-password#answer-`);
      expect(part).toContain("Answers to my questions");
      expect(part).toContain("/settings/notifications");
    }
    const list = listHeaders(mail);
    expect(list.unsubscribe).toMatch(/^http:\/\/localhost:\d+\/unsubscribe\/\d+\.answers\.[A-Za-z0-9_-]{43}$/);
    expect(list.unsubscribePost).toBe("List-Unsubscribe=One-Click");
    const token = list.unsubscribe.split("/").at(-1)!;
    expect(await readUnsubscribeToken(t.db, token)).toEqual({ userId: asker.id, scope: "answers" });
  });

  test("the worker every instance starts finds a new notification by itself and writes its mail", async () => {
    const stop = startMailNotifications(t.db, { databaseUrl: t.url, log: createLogger("silent") });
    try {
      const { asker } = await answered();
      const deadline = Date.now() + 20_000;
      while ((await t.db.$count(mailOutbox, eq(mailOutbox.userId, asker.id))) === 0) {
        if (Date.now() > deadline) throw new Error("the worker wrote no mail within 20 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await stop();
    }
  });

  test("a category set to anything but immediately is not mailed now, and the row is still marked", async () => {
    for (const cadence of ["never", "daily", "weekly"] as const) {
      const { asker } = await answered();
      await t.db.insert(mailPreferences).values({ userId: asker.id, category: "answers", cadence });
      expect((await mailNotificationsOnce(t.db)).mailed).toBe(0);
      expect(await t.db.$count(notifications, sql`${notifications.mailHandledAt} is null`)).toBe(0);
    }
    expect(await t.db.$count(mailOutbox)).toBe(0);
  });

  test("a person who lost access to the space, or was deactivated, gets no mail; rows older than a day are marked without mail", async () => {
    const restricted = await createSpace(t.db, {}, "restricted");
    const lost = await answered(restricted);
    await t.db.delete(spaceMembers).where(and(eq(spaceMembers.spaceId, restricted.id), eq(spaceMembers.userId, lost.asker.id)));
    const gone = await answered();
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, gone.asker.id));
    const old = await answered();
    await t.db
      .update(notifications)
      .set({ createdAt: new Date(Date.now() - 26 * 3600 * 1000) })
      .where(eq(notifications.userId, old.asker.id));
    const fine = await answered();

    const round = await mailNotificationsOnce(t.db);
    expect(round.claimed).toBeGreaterThanOrEqual(4);
    expect(round.mailed).toBe(1);
    const rows = await t.db.select({ userId: mailOutbox.userId }).from(mailOutbox);
    expect(rows).toEqual([{ userId: fine.asker.id }]);
  });

  test("two rounds at once share the rows and mail each once (FOR UPDATE SKIP LOCKED)", async () => {
    for (let i = 0; i < 6; i++) await answered();
    const rounds = await Promise.all([mailNotificationsOnce(t.db, { batchSize: 2 }), mailNotificationsOnce(t.db, { batchSize: 2 }), mailNotificationsOnce(t.db, { batchSize: 2 })]);
    while ((await mailNotificationsOnce(t.db, { batchSize: 2 })).claimed > 0);
    expect(rounds.reduce((n, r) => n + r.claimed, 0)).toBeGreaterThan(0);
    const mailed = await t.db.select({ userId: mailOutbox.userId }).from(mailOutbox);
    expect(mailed).toHaveLength(6);
    expect(new Set(mailed.map((m) => m.userId)).size).toBe(6);
  });
});

describe("mails features write themselves (routed questions, kudos)", () => {
  test("are written only while the category is on immediately, with that category's unsubscribe headers", async () => {
    const sofia = await createUser(t.db, { name: "Sofia" });
    const routed = () =>
      routedMail({
        to: { id: sofia.id, email: sofia.email, name: sofia.name },
        question: { id: 1, title: "Why is the build slow?" },
        spaceName: "Engineering",
        reason: "expert",
        askedBy: null,
        why: "3 accepted answers on ci",
        dueAt: null,
      });
    const kudos = () => ({
      ...kudosMail(
        { email: sofia.email, name: sofia.name, private: false, message: "Thanks!", value_name: "Teamwork", value_emoji: "", giver: "Ann", actor: "Ann" },
        { kudosId: 1, pointsEach: 5, added: false, note: "" },
      ),
      userId: sofia.id,
    });
    await t.db.transaction((tx) => enqueueMail(tx, routed(), kudos()));
    const written = await t.db.select().from(mailOutbox).orderBy(mailOutbox.id);
    expect(written.map((m) => m.template)).toEqual(["routed-expert", "kudos"]);
    expect(written[0]!.headers["List-Unsubscribe"]).toMatch(new RegExp(`/unsubscribe/${sofia.id}\\.routed\\.`));
    expect(written[1]!.headers["List-Unsubscribe"]).toMatch(new RegExp(`/unsubscribe/${sofia.id}\\.kudos\\.`));
    expect(written[1]!.text).toContain("/settings/notifications");

    await t.db.delete(mailOutbox);
    await t.db.insert(mailPreferences).values([
      { userId: sofia.id, category: "routed", cadence: "daily" },
      { userId: sofia.id, category: "kudos", cadence: "never" },
    ]);
    await t.db.transaction((tx) => enqueueMail(tx, routed(), kudos()));
    expect(await t.db.$count(mailOutbox)).toBe(0);
  });

  test("their notifications are not mailed a second time by the notification mailer", async () => {
    const person = await createUser(t.db);
    const space = await createSpace(t.db, { members: [person] });
    const questionId = await createQuestion(t.db, { author: await createUser(t.db), space });
    const [q] = await t.db.execute<{ item_id: number }>(sql`select item_id from posts where id = ${questionId}`);
    await t.db.insert(notifications).values(["routed", "kudos"].map((kind) => ({ userId: person.id, kind: kind as "routed", spaceId: space.id, itemId: Number(q!.item_id) })));
    expect(await mailNotificationsOnce(t.db)).toMatchObject({ mailed: 0 });
  });
});

describe("mails are inert whatever the titles and names hold", () => {
  test("every XSS payload as a page title and an actor's name comes out as text in the notification mail", { timeout: 120_000 }, () => {
    const window = new JSDOM("").window;
    const LAYOUT = new Set(["html", "head", "meta", "title", "body", "table", "tbody", "tr", "td", "p", "a"]);
    for (const { payload } of payloads) {
      const mail = notificationMail(
        { id: 1, role: "member", kind: "employee", deactivatedAt: null, email: "x@northwind.example", name: payload },
        { id: 1, kind: "answer", category: "answers", createdAt: new Date(), lead: `${payload} answered`, title: payload, path: "/questions/1/x#answer-2" },
        {},
      );
      const doc = new window.DOMParser().parseFromString(mail.html, "text/html");
      const elements = [...doc.querySelectorAll("*")];
      expect(
        elements.filter((el) => !LAYOUT.has(el.localName)).map((el) => el.localName),
        payload,
      ).toEqual([]);
      expect(elements.flatMap((el) => [...el.attributes].map((a) => a.name)).filter((a) => a.startsWith("on"))).toEqual([]);
      expect([...doc.querySelectorAll("a")].every((a) => /^http:\/\/localhost:\d+\//.test(a.getAttribute("href") ?? ""))).toBe(true);
      expect(mail.text).toContain(payload.replace(/\r\n?/g, "\n").split("\n")[0]!);
    }
    expect(CADENCES).toHaveLength(4);
  });
});
