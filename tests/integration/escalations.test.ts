import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { forumEscalations, forumQueue, forumThreadViews, mailOutbox } from "#db/schema/index.ts";
import { forumDashboard } from "#app/features/escalations/dashboard.server.ts";
import { dismissEscalation, escalationList, resolveEscalation } from "#app/features/escalations/escalations.server.ts";
import { DEFAULT_ESCALATION_SETTINGS } from "#app/features/escalations/model.ts";
import { evaluateEscalations } from "#app/features/escalations/rules.server.ts";
import { meTooRule, sentimentRule, urgentTermsRule, volumeSpikeRule } from "#app/features/escalations/rules.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser } from "#tests/factories/index.ts";
import { addMeToos, createCustomerThread, publicState } from "#tests/fixtures/escalations/forum-rows.ts";

/**
 * The escalation rules on fixtures, `evaluateEscalations` against a real database (one row per hot
 * thread, however often and however concurrently it is called), closing an escalation and what
 * customers then see, the SLA with a fake clock, and the dashboard's figures.
 */
const t = setupTestDb();
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/escalations/${name}.json`, import.meta.url), "utf8")) as T;
const settings = DEFAULT_ESCALATION_SETTINGS;
const HOUR = 3_600_000;

describe("each rule on its fixtures", () => {
  test("urgent terms: whole words and phrases in any case, each once", () => {
    const { fires, quiet } = fixture<{ fires: Array<{ text: string; terms: string[] }>; quiet: string[] }>("urgent-terms");
    for (const { text, terms } of fires) expect(urgentTermsRule(text, settings.urgentTerms), text).toEqual(terms);
    for (const text of quiet) expect(urgentTermsRule(text, settings.urgentTerms), text).toEqual([]);
    expect(urgentTermsRule("outage", { ...settings.urgentTerms, enabled: false })).toEqual([]);
  });

  test("sentiment: strongly negative text with enough scored words, nothing else", () => {
    const { fires, quiet } = fixture<{ fires: string[]; quiet: string[] }>("sentiment");
    for (const text of fires) expect(sentimentRule(text, settings.sentiment).fired, text).toBe(true);
    for (const text of quiet) expect(sentimentRule(text, settings.sentiment).fired, text).toBe(false);
  });

  test("me too: the threshold fires, twice the threshold raises the severity", () => {
    for (const { count, fired, raise } of fixture<Array<{ count: number; fired: boolean; raise: boolean }>>("me-too")) {
      expect(meTooRule(count, settings.meToo), String(count)).toEqual({ fired, raise });
    }
  });

  test("volume spike: z-score against the trailing weeks, zero variance with a floor of 1", () => {
    for (const c of fixture<Array<{ name: string; thisWeek: number; trailing: number[]; fired: boolean }>>("volume")) {
      expect(volumeSpikeRule(c.thisWeek, c.trailing, settings.volumeSpike).fired, c.name).toBe(c.fired);
    }
  });
});

async function escalationsOf(threadId: number) {
  return t.db.select().from(forumEscalations).where(eq(forumEscalations.threadId, threadId));
}

describe("evaluateEscalations", () => {
  test("an urgent question escalates once: one row, the thread marked, moderators and admins mailed", async () => {
    const moderator = await createUser(t.db, { name: "Mona Moderator" }, "moderator");
    const admin = await createUser(t.db, { name: "Adam Admin" }, "admin");
    const member = await createUser(t.db, { name: "Mel Member" });
    const thread = await createCustomerThread(t.db, { title: "Is there an outage in the EU region?", body: "Nothing loads since this morning." });
    const now = new Date("2030-03-06T10:00:00Z");
    const first = await evaluateEscalations(t.db, thread.id, now);
    expect(first.fired).toEqual(["urgent_terms"]);
    const [row] = await escalationsOf(thread.id);
    expect(row).toMatchObject({ id: first.escalationId, rules: ["urgent_terms"], reasons: ["Urgent term: outage"], severity: "high", status: "open" });
    // High: 4 hours to a first response.
    expect(row!.dueAt.getTime()).toBe(now.getTime() + 4 * HOUR);
    expect(await publicState(t.db, thread.id)).toEqual({ state: "escalated", outcome: "" });
    const mails = await t.db.select().from(mailOutbox).where(eq(mailOutbox.template, "forum-escalated"));
    expect(mails.map((m) => m.userId).sort()).toEqual([moderator.id, admin.id].sort());
    expect(mails.map((m) => m.userId)).not.toContain(member.id);
    expect(mails[0]!.subject).toBe("Commons: Escalated: Is there an outage in the EU region?");
    expect(mails[0]!.text).toContain(`/forum/escalations/${row!.id}`);

    // Called again with the same facts: nothing new, the same row.
    expect(await evaluateEscalations(t.db, thread.id, now)).toEqual({ escalationId: row!.id, fired: ["urgent_terms"] });
    expect(await escalationsOf(thread.id)).toHaveLength(1);
    expect(await t.db.select().from(mailOutbox).where(eq(mailOutbox.template, "forum-escalated"))).toHaveLength(2);
  });

  test("a second rule joins the open escalation, and twice the me-too threshold raises its severity", async () => {
    const thread = await createCustomerThread(t.db, { title: "Invoices show the wrong currency", body: "Since the update the invoices show dollars." });
    const now = new Date("2030-03-06T10:00:00Z");
    expect((await evaluateEscalations(t.db, thread.id, now)).escalationId).toBeNull();
    await addMeToos(t.db, thread.id, 5);
    const first = await evaluateEscalations(t.db, thread.id, now);
    expect(first.fired).toEqual(["me_too"]);
    expect((await escalationsOf(thread.id))[0]).toMatchObject({ severity: "medium", reasons: ["5 customers said “me too”"] });
    await addMeToos(t.db, thread.id, 5);
    const later = new Date(now.getTime() + HOUR);
    expect((await evaluateEscalations(t.db, thread.id, later)).escalationId).toBe(first.escalationId);
    const rows = await escalationsOf(thread.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ rules: ["me_too"], reasons: ["10 customers said “me too”"], severity: "high" });
    // Raised before anyone responded: the deadline moves up to the new severity's, from now.
    expect(rows[0]!.dueAt.getTime()).toBe(later.getTime() + 4 * HOUR);
  });

  test("two instances evaluating at once make one escalation", async () => {
    const thread = await createCustomerThread(t.db, { title: "Security breach notification?", body: "Did you have a breach last week?" });
    const results = await Promise.all([evaluateEscalations(t.db, thread.id), evaluateEscalations(t.db, thread.id), evaluateEscalations(t.db, thread.id)]);
    const rows = await escalationsOf(thread.id);
    expect(rows).toHaveLength(1);
    expect(new Set(results.map((r) => r.escalationId))).toEqual(new Set([rows[0]!.id]));
  });

  test("pending, removed and published threads never escalate", async () => {
    const text = { title: "Total outage, data loss", body: "Everything is down." };
    for (const attrs of [{ moderation: "pending" as const }, { moderation: "removed" as const }, { origin: "published" as const }]) {
      const thread = await createCustomerThread(t.db, { ...text, ...attrs });
      expect(await evaluateEscalations(t.db, thread.id)).toEqual({ escalationId: null, fired: [] });
      expect(await escalationsOf(thread.id)).toHaveLength(0);
    }
    expect(await evaluateEscalations(t.db, 2_000_000_000)).toEqual({ escalationId: null, fired: [] });
  });

  test("a spike in the question's topic escalates it, against the topic's trailing weeks", async () => {
    const now = new Date("2030-05-15T12:00:00Z"); // a Wednesday
    // One question a week for eight weeks, then six this week.
    for (let week = 1; week <= 8; week++) await createCustomerThread(t.db, { tags: ["spiky"], askedAt: new Date(now.getTime() - week * 7 * 24 * HOUR) });
    const threads = [];
    for (let i = 0; i < 6; i++) threads.push(await createCustomerThread(t.db, { tags: ["spiky"], askedAt: new Date(now.getTime() - i * HOUR) }));
    const result = await evaluateEscalations(t.db, threads[5]!.id, now);
    expect(result.fired).toEqual(["volume_spike"]);
    const [row] = await escalationsOf(threads[5]!.id);
    expect(row!.reasons[0]).toBe("Volume spike in spiky (6 new questions this week against 1 a week before, z = 5)");
    // A week later the same counts are history: a new question in that topic is no spike.
    const calm = await createCustomerThread(t.db, { tags: ["spiky"], askedAt: new Date(now.getTime() + 7 * 24 * HOUR) });
    expect((await evaluateEscalations(t.db, calm.id, new Date(now.getTime() + 7 * 24 * HOUR))).fired).toEqual([]);
  });

  test("dismissing clears the public state, and the same evidence does not bring it back; new me-toos do", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const thread = await createCustomerThread(t.db, { title: "Lawsuit threat over lost data", body: "We will involve our lawyers." });
    const now = new Date("2030-03-06T10:00:00Z");
    const { escalationId } = await evaluateEscalations(t.db, thread.id, now);
    await dismissEscalation(t.db, moderator, escalationId!, new Date(now.getTime() + HOUR));
    expect(await publicState(t.db, thread.id)).toEqual({ state: null, outcome: "" });
    expect((await escalationsOf(thread.id))[0]).toMatchObject({ status: "dismissed" });
    // A double submit of the dismissal changes nothing.
    expect(await dismissEscalation(t.db, moderator, escalationId!)).toEqual({ changed: false });
    expect((await evaluateEscalations(t.db, thread.id, new Date(now.getTime() + 2 * HOUR))).fired).toEqual([]);
    await addMeToos(t.db, thread.id, 5, new Date(now.getTime() + 3 * HOUR));
    const again = await evaluateEscalations(t.db, thread.id, new Date(now.getTime() + 3 * HOUR));
    expect(again.fired).toEqual(["me_too"]);
    expect(again.escalationId).not.toBe(escalationId);
    expect(await publicState(t.db, thread.id)).toEqual({ state: "escalated", outcome: "" });
  });

  test("resolving puts the outcome on the thread for customers", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const thread = await createCustomerThread(t.db, { title: "Vulnerability in the upload form", body: "Files can be anything." });
    const { escalationId } = await evaluateEscalations(t.db, thread.id);
    await resolveEscalation(t.db, moderator, escalationId!, { outcome: "Fixed in release 4.2; uploads are checked now." });
    expect(await publicState(t.db, thread.id)).toEqual({ state: "resolved", outcome: "Fixed in release 4.2; uploads are checked now." });
    const [row] = await escalationsOf(thread.id);
    expect(row).toMatchObject({ status: "resolved", outcome: "Fixed in release 4.2; uploads are checked now." });
    expect(row!.resolvedAt).not.toBeNull();
    expect(row!.firstResponseAt).not.toBeNull();
  });

  test("the SLA: due, then overdue by the fake clock, until someone responds", async () => {
    const moderator = await createUser(t.db, {}, "moderator");
    const thread = await createCustomerThread(t.db, { title: "GDPR export request", body: "Please send my data." });
    const start = new Date("2031-01-01T09:00:00Z");
    const { escalationId } = await evaluateEscalations(t.db, thread.id, start);
    const [row] = await escalationsOf(thread.id);
    expect(row!.dueAt.toISOString()).toBe("2031-01-01T13:00:00.000Z");
    const before = await forumDashboard(t.db, moderator, 30, new Date("2031-01-01T12:59:00Z"));
    const after = await forumDashboard(t.db, moderator, 30, new Date("2031-01-01T13:01:00Z"));
    expect(after.bySeverity.high.overdue - before.bySeverity.high.overdue).toBe(1);
    const list = await escalationList(t.db, moderator, { filter: "open", page: 1 });
    expect(list.rows.find((r) => r.id === escalationId)).toMatchObject({ firstResponseAt: null });
  });
});

describe("the dashboard's figures", () => {
  test("first response p50, deflection per topic, weekly volume with the spike marked", async () => {
    const db = t.db;
    const hr = await createUser(db, {}, "hr");
    const now = new Date("2032-06-18T12:00:00Z"); // a Friday: the questions three days before are in this week
    const day = 24 * HOUR;
    // Customer questions in "deflect" in the window: three, answered after 1, 2 and 6 hours.
    const asked = [];
    for (const hours of [1, 2, 6]) {
      const thread = await createCustomerThread(db, { tags: ["deflect"], askedAt: new Date(now.getTime() - 3 * day) });
      await db.insert(forumQueue).values({
        threadId: thread.id,
        topics: ["deflect"],
        routedAt: thread.askedAt,
        dueAt: new Date(thread.askedAt.getTime() + day),
        firstResponseAt: new Date(thread.askedAt.getTime() + hours * HOUR),
      });
      asked.push(thread);
    }
    // An old question outside the 30-day window, answered after 100 hours: not counted.
    const old = await createCustomerThread(db, { tags: ["deflect"], askedAt: new Date(now.getTime() - 60 * day) });
    await db.insert(forumQueue).values({ threadId: old.id, topics: ["deflect"], routedAt: old.askedAt, dueAt: old.askedAt, firstResponseAt: new Date(old.askedAt.getTime() + 100 * HOUR) });
    // Solved threads in the topic: 40 + 20 views in the window, 500 before it; an unsolved one's views don't count.
    const solved = await createCustomerThread(db, { tags: ["deflect"], origin: "published", solved: true, askedAt: new Date(now.getTime() - 200 * day) });
    const unsolved = await createCustomerThread(db, { tags: ["deflect"], origin: "published", askedAt: new Date(now.getTime() - 200 * day) });
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    await db.insert(forumThreadViews).values([
      { threadId: solved.id, day: iso(new Date(now.getTime() - 2 * day)), views: 40 },
      { threadId: solved.id, day: iso(new Date(now.getTime() - 10 * day)), views: 20 },
      { threadId: solved.id, day: iso(new Date(now.getTime() - 45 * day)), views: 500 },
      { threadId: unsolved.id, day: iso(new Date(now.getTime() - 2 * day)), views: 900 },
    ]);
    const d = await forumDashboard(db, hr, 30, now);
    expect(d.questionResponse).toMatchObject({ count: 3, p50Hours: 2 });
    const deflect = d.deflection.find((r) => r.topic === "deflect");
    expect(deflect).toEqual({ topic: "deflect", views: 60, questions: 3, ratio: 20 });
    // 90 days: the old question and the older views come in.
    const wide = await forumDashboard(db, hr, 90, now);
    expect(wide.deflection.find((r) => r.topic === "deflect")).toEqual({ topic: "deflect", views: 560, questions: 4, ratio: 140 });
    expect(wide.questionResponse).toMatchObject({ count: 4, p50Hours: 4 });
    // Views without questions: "—" rather than a division by zero.
    const quiet = await createCustomerThread(db, { tags: ["quiet-topic"], origin: "published", solved: true, askedAt: new Date(now.getTime() - 200 * day) });
    await db.insert(forumThreadViews).values({ threadId: quiet.id, day: iso(now), views: 7 });
    expect((await forumDashboard(db, hr, 30, now)).deflection.find((r) => r.topic === "quiet-topic")).toEqual({ topic: "quiet-topic", views: 7, questions: 0, ratio: null });

    // This week's three questions in "deflect" after nothing for weeks: below the minimum of 5, no spike.
    const volume = d.volumes.find((v) => v.topic === "deflect")!;
    expect(volume.weeks.map((w) => w.count).at(-1)).toBe(3);
    expect(volume.weeks.some((w) => w.spike)).toBe(false);
    for (let i = 0; i < 3; i++) await createCustomerThread(db, { tags: ["deflect"], askedAt: new Date(now.getTime() - HOUR) });
    const spiked = (await forumDashboard(db, hr, 30, now)).volumes.find((v) => v.topic === "deflect")!;
    expect(spiked.weeks.at(-1)).toMatchObject({ count: 6, spike: true });
    expect(spiked.weeks.slice(0, -1).every((w) => !w.spike)).toBe(true);
  });

  test("the dashboard is for moderators, admins and HR", async () => {
    const member = await createUser(t.db);
    await expect(forumDashboard(t.db, member, 30)).rejects.toMatchObject({ name: "NotFoundError" });
  });
});
