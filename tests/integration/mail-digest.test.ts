import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { and, eq, inArray, like, sql } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { digestRuns, mailOutbox, mailPreferences, notifications, posts, spaceMembers, users, wikiPages } from "#db/schema/index.ts";
import { createMailTransport, runMailerUntilIdle } from "#app/features/mail/mailer.server.ts";
import { buildDigest, digestOne, duePeriod, type Period, runDigests } from "#app/features/mail-prefs/digest.server.ts";
import { digestMail } from "#app/features/mail-prefs/digest-mail.server.tsx";
import { flagItem } from "#app/features/moderation/flags.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { type ReceivedMail, startTestMailServer, type TestMailServer } from "#tests/mail-server.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";
import { payloads } from "#tests/xss-render.ts";
import { seedMail } from "../../db/seed-mail.ts";

/**
 * Daily and weekly digests: what each reader is told (by their role, and only what they may see),
 * that an empty digest sends nothing, that a digest is never written twice for one period, and
 * the kill test: a run killed with SIGKILL halfway, then run again, leaves exactly one digest per
 * person.
 */

const t = setupTestDb();
let smtp: TestMailServer;

beforeAll(async () => {
  smtp = await startTestMailServer();
});
afterAll(async () => {
  await smtp.stop();
});
beforeEach(async () => {
  await t.db.delete(mailOutbox);
  smtp.messages.length = 0;
});

const DAY = 24 * 3600 * 1000;

/** A weekly period ending on a Monday a few years ahead, so nothing else in the database falls in it by accident. */
function week(mondayIso: string): { period: Period; now: Date; inside: Date } {
  const now = new Date(`${mondayIso}T08:00:00Z`);
  const period = duePeriod("weekly", now);
  return { period, now, inside: new Date(period.start.getTime() + 2 * DAY) };
}

function listUnsubscribe(mail: ReceivedMail): string {
  const entries = [mail.headers.get("list")].flat() as Array<Record<string, { url?: string }>>;
  return (Object.assign({}, ...entries) as Record<string, { url?: string }>).unsubscribe?.url ?? "";
}

async function digestsOf(userId: number, template: string) {
  return t.db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.userId, userId), eq(mailOutbox.template, template)));
}

describe("periods", () => {
  test("a daily digest covers the previous UTC day, a weekly one the previous ISO week, both from 07:00 UTC", () => {
    const tuesday = new Date("2031-03-04T09:30:00Z");
    expect(duePeriod("daily", tuesday)).toMatchObject({ key: "2031-03-03", start: new Date("2031-03-03T00:00:00Z"), end: new Date("2031-03-04T00:00:00Z") });
    // Before the hour it is still the day before's, so a run cut short is finished, not skipped.
    expect(duePeriod("daily", new Date("2031-03-04T06:59:00Z")).key).toBe("2031-03-02");
    expect(duePeriod("weekly", tuesday)).toMatchObject({ key: "2031-02-24", end: new Date("2031-03-03T00:00:00Z") });
    expect(duePeriod("weekly", new Date("2031-03-03T07:00:00Z")).key).toBe("2031-02-24");
    expect(duePeriod("weekly", new Date("2031-03-03T06:00:00Z")).key).toBe("2031-02-17");
    expect(duePeriod("weekly", new Date("2031-03-09T23:00:00Z")).key).toBe("2031-02-24");
  });
});

describe("what a digest tells its reader", () => {
  test("by role: questions they could answer (expertise, else followed tags), a sponsor's ideas, a moderator's queue, an owner's pages; nothing from a restricted space they are not in", async () => {
    const { period, now, inside } = week("2031-06-02");
    const expert = await createUser(t.db, { name: "Erin Expert" });
    const follower = await createUser(t.db, { name: "Finn Follower" });
    const sponsor = await createUser(t.db, { name: "Sana Sponsor" });
    const moderator = await createUser(t.db, { name: "Mo Moderator" });
    const owner = await createUser(t.db, { name: "Olga Owner" });
    const asker = await createUser(t.db, { name: "Asa Asker" });
    const insider = await createUser(t.db);
    const open = await createSpace(t.db, { moderators: [sponsor, moderator] });
    const secret = await createSpace(t.db, { members: [asker, insider] }, "restricted");

    const openQuestion = await createQuestion(t.db, { author: asker, space: open, title: "How do we vacuum the orders table safely?", tags: ["postgres"] });
    const secretQuestion = await createQuestion(t.db, { author: asker, space: secret, title: "Secret project postgres migration plan?", tags: ["postgres"] });
    const answeredQuestion = await createQuestion(t.db, { author: asker, space: open, title: "Which postgres version runs in staging?", tags: ["postgres"] });
    await createAnswer(t.db, { author: insider, questionId: answeredQuestion });
    const ownQuestion = await createQuestion(t.db, { author: expert, space: open, title: "My own postgres question about replicas?", tags: ["postgres"] });
    const oldQuestion = await createQuestion(t.db, { author: asker, space: open, title: "An old postgres question from before the week?", tags: ["postgres"] });
    await t.db
      .update(posts)
      .set({ createdAt: inside })
      .where(inArray(posts.id, [openQuestion, secretQuestion, answeredQuestion, ownQuestion]));
    await t.db
      .update(posts)
      .set({ createdAt: new Date(period.start.getTime() - DAY) })
      .where(eq(posts.id, oldQuestion));

    // The expert: the model credits them with postgres (in the restricted space too: it must not leak through).
    await t.db.execute(sql`
      insert into expertise_scores (user_id, tag_id, space_id, decayed, evidence_count, last_evidence_at)
      select ${expert.id}, id, ${open.id}, 50, 5, now() from tags where name = 'postgres'`);
    // The follower: no expertise, follows the tag.
    await t.db.execute(sql`insert into follows (user_id, tag_id) select ${follower.id}, id from tags where name = 'postgres'`);

    const campaignId = await createCampaign(t.db, { sponsor, space: open });
    await createIdea(t.db, { author: asker, campaignId, title: "Self-service staging databases" });
    const openItem = (await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, openQuestion)))[0]!.itemId;
    await flagItem(t.db, insider, openItem, { reason: "needs_moderator", details: "Please look" });
    const pageId = await createWikiPage(t.db, { author: owner, space: open, title: "Database runbook" });
    await t.db
      .update(wikiPages)
      .set({ reviewDueAt: new Date(now.getTime() - 3 * DAY) })
      .where(eq(wikiPages.id, pageId));

    const waiting = ["waiting"] as const;
    const erin = await buildDigest(t.db, expert, waiting, period, now);
    expect(erin.questionsBy).toBe("expertise");
    expect(erin.questions.map((q) => q.title)).toEqual(["How do we vacuum the orders table safely?"]);
    const finn = await buildDigest(t.db, follower, waiting, period, now);
    expect(finn.questionsBy).toBe("tags");
    // Someone else's question in their tag counts (the expert's own, too); the answered, old and restricted ones do not.
    expect(finn.questions.map((q) => q.title).sort()).toEqual(["How do we vacuum the orders table safely?", "My own postgres question about replicas?"]);
    // A member of the restricted space sees its question too; never their own.
    const inside_ = await buildDigest(t.db, insider, waiting, period, now);
    expect(inside_.questions).toEqual([]);
    await t.db.execute(sql`insert into follows (user_id, tag_id) select ${insider.id}, id from tags where name = 'postgres'`);
    expect((await buildDigest(t.db, insider, waiting, period, now)).questions.map((q) => q.title).sort()).toEqual([
      "How do we vacuum the orders table safely?",
      "My own postgres question about replicas?",
      "Secret project postgres migration plan?",
    ]);

    const sana = await buildDigest(t.db, sponsor, waiting, period, now);
    expect(sana.ideas.map((i) => [i.title, i.status])).toEqual([["Self-service staging databases", "new"]]);
    expect(sana.moderation).toBe(1);
    const mo = await buildDigest(t.db, moderator, waiting, period, now);
    expect(mo.moderation).toBe(1);
    expect(mo.ideas).toEqual([]);
    const olga = await buildDigest(t.db, owner, waiting, period, now);
    expect(olga.pages.map((p) => [p.title, p.daysOverdue, p.owned])).toEqual([["Database runbook", 3, true]]);
    expect(olga.moderation).toBe(0);

    // Written out: one mail each, with the sections that concern them and nothing else.
    for (const [person, expected, absent] of [
      [expert, ["Questions you could answer", "How do we vacuum the orders table safely?", "in topics you know"], ["Secret project", "Ideas waiting", "moderation queue"]],
      // A moderator of the space also sees its overdue pages (as on their "Pages to review").
      [sponsor, ["Ideas waiting for your review", "Self-service staging databases", "Your moderation queue", "1 flagged item waits", "Database runbook"], ["Secret project"]],
      [owner, ["Pages due for review", "Database runbook", "3 days overdue"], ["Secret project", "Ideas waiting"]],
    ] as const) {
      expect(await digestOne(t.db, person.id, period, now)).toBe("mailed");
      const [mail] = await digestsOf(person.id, "digest-weekly");
      for (const part of [mail!.text, mail!.html]) {
        // The text part writes headings in capitals.
        for (const words of expected) expect(part.toLowerCase(), words).toContain(words.toLowerCase());
        for (const words of absent) expect(part.toLowerCase(), words).not.toContain(words.toLowerCase());
      }
      expect(mail!.subject).toBe("Commons: Your weekly digest for 26 May to 1 June");
    }
    await runMailerUntilIdle(t.db, createMailTransport(smtp.url), { from: "commons@northwind.example" });
    const received = await smtp.waitFor((m) => m.to.includes(owner.email));
    expect(received.html).toContain("Database runbook");
    expect(received.text).toContain("PAGES DUE FOR REVIEW");
    expect(listUnsubscribe(received)).toMatch(new RegExp(`/unsubscribe/${owner.id}\\.weekly\\.`));
  });

  test("notifications of the categories set to that cadence, grouped and linked; others and other periods left out", async () => {
    const { period, now, inside } = week("2031-07-07");
    const asker = await createUser(t.db, { name: "Quinn Asker" });
    const space = await createSpace(t.db, { members: [asker] });
    await t.db.insert(mailPreferences).values([
      { userId: asker.id, category: "answers", cadence: "weekly" },
      { userId: asker.id, category: "mentions", cadence: "daily" },
      { userId: asker.id, category: "waiting", cadence: "never" },
    ]);
    const q = await createQuestion(t.db, { author: asker, space, title: "Where do build caches live?" });
    await createAnswer(t.db, { author: await createUser(t.db, { name: "Rui Replier" }), questionId: q });
    await createAnswer(t.db, { author: await createUser(t.db, { name: "Ines Replier" }), questionId: q });
    await t.db.update(notifications).set({ createdAt: inside }).where(eq(notifications.userId, asker.id));
    const d = await buildDigest(t.db, asker, ["answers", "followed", "page_reviews"], period, now);
    expect(d.groups.map((g) => [g.label, g.entries.map((e) => e.lead)])).toEqual([["Answers to my questions", ["Rui Replier answered", "Ines Replier answered"]]]);
    expect(d.entries).toBe(2);
    expect(await digestOne(t.db, asker.id, period, now)).toBe("mailed");
    const [mail] = await digestsOf(asker.id, "digest-weekly");
    expect(mail!.text).toContain(`/questions/${q}/where-do-build-caches-live#answer-`);
    expect(mail!.text).toContain("You get this because you chose a weekly digest for: Answers to my questions, Followed tags and spaces, Page reviews due.");
    // The next week has nothing: a run row with no entries, and no mail.
    const next = week("2031-07-14");
    expect(await digestOne(t.db, asker.id, next.period, next.now)).toBe("empty");
    expect(
      await t.db
        .select({ entries: digestRuns.entries })
        .from(digestRuns)
        .where(and(eq(digestRuns.userId, asker.id), eq(digestRuns.periodStart, next.period.key))),
    ).toEqual([{ entries: 0 }]);
    expect(await digestsOf(asker.id, "digest-weekly")).toHaveLength(1);
  });

  test("a reader who lost access to the space, or was deactivated, is told nothing from it", async () => {
    const { period, now, inside } = week("2031-08-04");
    const asker = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [asker] }, "restricted");
    await t.db.insert(mailPreferences).values({ userId: asker.id, category: "answers", cadence: "weekly" });
    const helper = await createUser(t.db);
    await t.db.insert(spaceMembers).values({ spaceId: secret.id, userId: helper.id, role: "member" });
    const q = await createQuestion(t.db, { author: asker, space: secret, title: "Budget for the secret project?" });
    await createAnswer(t.db, { author: helper, questionId: q });
    await t.db.update(notifications).set({ createdAt: inside }).where(eq(notifications.userId, asker.id));
    expect((await buildDigest(t.db, asker, ["answers"], period, now)).entries).toBe(1);
    await t.db.delete(spaceMembers).where(and(eq(spaceMembers.spaceId, secret.id), eq(spaceMembers.userId, asker.id)));
    expect(await digestOne(t.db, asker.id, period, now)).toBe("empty");
    expect(await digestsOf(asker.id, "digest-weekly")).toEqual([]);

    const gone = await createUser(t.db, {}, "deactivated");
    await runDigests(t.db, "weekly", { now, period });
    expect(await t.db.$count(digestRuns, eq(digestRuns.userId, gone.id))).toBe(0);
  });

  test("run twice (or twice at once), each person gets one digest per period", async () => {
    const { period, now, inside } = week("2031-09-01");
    const people = await Promise.all([1, 2, 3].map(() => createUser(t.db)));
    const space = await createSpace(t.db, { members: people });
    for (const person of people) {
      await t.db.insert(mailPreferences).values({ userId: person.id, category: "answers", cadence: "weekly" });
      const q = await createQuestion(t.db, { author: person, space });
      await createAnswer(t.db, { author: await createUser(t.db), questionId: q });
    }
    await t.db
      .update(notifications)
      .set({ createdAt: inside })
      .where(
        inArray(
          notifications.userId,
          people.map((p) => p.id),
        ),
      );
    const [a, b] = await Promise.all([runDigests(t.db, "weekly", { now, period }), runDigests(t.db, "weekly", { now, period })]);
    expect(a.mailed + b.mailed).toBeGreaterThanOrEqual(3);
    expect((await runDigests(t.db, "weekly", { now, period })).mailed).toBe(0);
    for (const person of people) expect(await digestsOf(person.id, "digest-weekly")).toHaveLength(1);
    await runMailerUntilIdle(t.db, createMailTransport(smtp.url), { from: "commons@northwind.example" });
    for (const person of people) expect(smtp.messages.filter((m) => m.to.includes(person.email))).toHaveLength(1);
  });

  // Two hundred payloads, each through a whole digest and a DOM parser: slow on a busy machine.
  test("every XSS payload as a title, a name or a campaign is inert in the digest", { timeout: 180_000 }, () => {
    const window = new JSDOM("").window;
    const LAYOUT = new Set(["html", "head", "meta", "title", "body", "table", "tbody", "tr", "td", "p", "a", "div", "h1", "h2", "span", "hr"]);
    const { period } = week("2031-10-06");
    for (const { payload } of payloads) {
      const entry = { id: 1, kind: "answer" as const, category: "answers" as const, createdAt: new Date(), lead: `${payload} answered`, title: payload, path: "/questions/1/x#answer-2" };
      const mail = digestMail(
        { id: 1, role: "member", kind: "employee", deactivatedAt: null, email: "x@northwind.example", name: payload },
        {
          groups: [{ category: "answers", label: "Answers to my questions", entries: [entry], more: 0 }],
          questions: [{ title: payload, path: "/questions/2/y", space: payload }],
          questionsBy: "tags",
          ideas: [{ title: payload, path: "/ideas/3", campaign: payload, status: "new" }],
          ideasMore: 0,
          moderation: 1,
          pages: [{ title: payload, path: "/wiki/x/1-y", daysOverdue: 2, owned: true }],
          entries: 5,
        },
        period,
        ["answers", "waiting"],
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
    }
  });
});

describe("the demo seed", () => {
  test("starts quiet: every seeded notification counts as looked at, and today's digests as written", async () => {
    const sofia = await createUser(t.db, { name: "Sofia Martins" });
    const q = await createQuestion(t.db, { author: sofia, space: await createSpace(t.db, { members: [sofia] }) });
    await createAnswer(t.db, { author: await createUser(t.db), questionId: q });
    const now = new Date();
    await t.db.transaction((tx) => seedMail(tx, new Map([["Sofia Martins", sofia]]), now));
    expect(await t.db.$count(notifications, sql`${notifications.mailHandledAt} is null`)).toBe(0);
    for (const cadence of ["daily", "weekly"] as const) {
      expect((await runDigests(t.db, cadence, { now })).mailed).toBe(0);
    }
    expect((await t.db.select({ category: mailPreferences.category }).from(mailPreferences).where(eq(mailPreferences.userId, sofia.id))).map((r) => r.category).sort()).toEqual([
      "followed",
      "kudos",
    ]);
  });
});

describe("the kill test", () => {
  test("a digest run killed with SIGKILL halfway, then run again, leaves exactly one digest (and one run row) per person", { timeout: 240_000 }, async () => {
    const now = new Date("2032-02-11T08:00:00Z");
    const period = duePeriod("daily", now);
    const N = 300;
    const space = await createSpace(t.db);
    const asker = await createUser(t.db);
    const q = await createQuestion(t.db, { author: asker, space, title: "What changed in the deploy pipeline yesterday?" });
    const [question] = await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, q));
    // 300 people, each with the answers category on daily and one answer notification in the period.
    await t.db
      .insert(users)
      .values(Array.from({ length: N }, (_, i) => ({ email: `kill-${i}@northwind.example`, name: `Kill Test ${i}`, title: "Engineer", department: "Engineering", location: "Berlin" })));
    const people = await t.db.select({ id: users.id }).from(users).where(like(users.email, "kill-%"));
    const ids = people.map((p) => p.id);
    await t.db.insert(mailPreferences).values(ids.map((userId) => ({ userId, category: "answers", cadence: "daily" as const })));
    await t.db.insert(notifications).values(
      ids.map((userId) => ({
        userId,
        kind: "comment" as const,
        actorId: asker.id,
        spaceId: space.id,
        itemId: question!.itemId,
        createdAt: new Date("2032-02-10T12:00:00Z"),
        mailHandledAt: new Date(),
      })),
    );

    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("../fixtures/digest-child.ts", import.meta.url))], {
      env: { ...process.env, DIGEST_DATABASE_URL: t.url, DIGEST_NOW: now.toISOString(), DIGEST_PAUSE_MS: "15" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
    const runsOf = () => t.db.$count(digestRuns, and(eq(digestRuns.cadence, "daily"), eq(digestRuns.periodStart, period.key), inArray(digestRuns.userId, ids)));
    const deadline = Date.now() + 120_000;
    while ((await runsOf()) < N / 4) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the child did not get going: ${stderr}`);
      await sleep(20);
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const done = await runsOf();
    expect(done).toBeGreaterThanOrEqual(N / 4);
    expect(done).toBeLessThan(N);
    // What the child committed is whole: a run row for every mail, a mail for every run row.
    const mailsAfterKill = await t.db.$count(mailOutbox, and(eq(mailOutbox.template, "digest-daily"), inArray(mailOutbox.userId, ids)));
    expect(mailsAfterKill).toBe(done);

    const again = await runDigests(t.db, "daily", { now });
    expect(again.mailed).toBeGreaterThanOrEqual(N - done);
    expect(await runsOf()).toBe(N);
    const mails = await t.db
      .select({ userId: mailOutbox.userId, text: mailOutbox.text, subject: mailOutbox.subject })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.template, "digest-daily"), inArray(mailOutbox.userId, ids)));
    expect(mails).toHaveLength(N);
    expect(new Set(mails.map((m) => m.userId)).size).toBe(N);
    for (const m of mails) {
      expect(m.subject).toBe("Commons: Your daily digest for Tuesday 10 February");
      expect(m.text).toContain("commented on “What changed in the deploy pipeline yesterday?”");
    }
    const rows = await t.db
      .select({ entries: digestRuns.entries })
      .from(digestRuns)
      .where(and(eq(digestRuns.periodStart, period.key), inArray(digestRuns.userId, ids)));
    expect(rows.every((r) => r.entries === 1)).toBe(true);
  });
});
