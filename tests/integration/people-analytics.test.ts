import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { analyticsRuns, follows, hrViews, personRoles, posts, questionTags, users } from "#db/schema/index.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { giveKudos } from "#app/features/recognition/kudos.server.ts";
import { type PeopleDashboard, OTHER_TOPICS, peopleDashboard } from "#app/features/analytics/dashboard.server.ts";
import { runPeopleAnalytics } from "#app/features/analytics/job.server.ts";
import { KEEP_RUNS } from "#app/features/analytics/params.ts";
import type { OwnAnalytics, PersonAnalytics } from "#app/features/analytics/person.server.ts";
import type { RoleExplanation } from "#app/features/analytics/roles.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import PeopleRoute, { action as peopleAction, loader as peopleLoader } from "#app/routes/hr/people.tsx";
import { loader as csvLoader } from "#app/routes/hr/people-csv.ts";
import PersonRoute, { loader as personLoader } from "#app/routes/hr/people-person.tsx";
import ProfileRoute, { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser, createValue } from "#tests/factories/index.ts";
import { type RouteHandler, postAs, redirectTarget, requestAs, routeCaller, thrown } from "#tests/helpers.ts";
import { executable, payloads, renderRoute } from "#tests/xss-render.ts";

/**
 * People analytics for HR (app/features/analytics, docs/people-analytics.md) against a real
 * PostgreSQL: the SNA job in its worker thread on a small company, the results stored with the
 * run's date, one run at a time and only the newest kept; the rule of 5 on departments and topics;
 * a person who opted out of the role lists, in no list and in every aggregate; the HR view log,
 * written on every opening and shown only to the person; who may open the routes; the CSVs; bad
 * input; the pages rendered with hostile names.
 *
 * One company for the file, its analytics computed once in beforeAll (the job reads the whole
 * database): Sales (6, one of them opted out), Support (6), Legal (2) and People (3, HR and an
 * admin among them) folded into "Other".
 */
const t = setupTestDb();
const call = routeCaller(t);

type Person = Awaited<ReturnType<typeof createUser>>;
const w = {} as {
  sales: Person[];
  support: Person[];
  legal: Person[];
  hr: Person;
  admin: Person;
  customer: Person;
  gone: Person;
  optedOut: Person;
  maven: Person;
  runId: number;
  now: Date;
};

async function people(count: number, department: string): Promise<Person[]> {
  return Promise.all(Array.from({ length: count }, () => createUser(t.db, { department })));
}

const DAY = 86_400_000;

beforeAll(async () => {
  w.sales = await people(6, "Sales PA");
  w.support = await people(6, "Support PA");
  w.legal = await people(2, "Legal PA");
  w.hr = await createUser(t.db, { name: "Lena Analytics", department: "People PA" }, "hr");
  w.admin = await createUser(t.db, { department: "People PA" }, "admin");
  // With Legal's 2, "Other" holds 5 people, so no department of 6 needs folding to keep it at 5.
  await createUser(t.db, { department: "People PA" });
  w.customer = await createUser(t.db, {}, "customer");
  w.gone = await createUser(t.db, { department: "Sales PA" }, "hr", "deactivated");
  w.maven = w.sales[0]!;
  w.optedOut = w.sales[5]!;
  await t.db.update(users).set({ rolesOptOut: true }).where(eq(users.id, w.optedOut.id));

  const open = await createSpace(t.db);
  // The maven: three Support colleagues get accepted answers from Sales' first person on postgres.
  for (const asker of w.support.slice(0, 3)) {
    const q = await createQuestion(t.db, { author: asker, space: open, tags: ["postgres"] });
    const a = await createAnswer(t.db, { author: w.maven, questionId: q });
    await acceptAnswer(t.db, asker, a);
  }
  // Five people ask about benefits, five days ago, and nobody answers: a topic of 5, and a hot spot.
  const benefits = [...w.support.slice(3, 6), w.sales[1]!, w.sales[2]!];
  for (const asker of benefits) await createQuestion(t.db, { author: asker, space: open, tags: ["benefits"] });
  const fiveDaysAgo = new Date(Date.now() - 5 * DAY);
  await t.db.execute(
    sql`update ${posts} set created_at = ${fiveDaysAgo.toISOString()}::timestamptz where id in (select post_id from ${questionTags} qt join tags tg on tg.id = qt.tag_id where tg.name = 'benefits')`,
  );
  // Five members of a restricted space HR is not in ask about a secret project.
  const secret = await createSpace(t.db, { members: [...w.sales.slice(0, 5)] }, "restricted");
  for (const asker of w.sales.slice(0, 5)) await createQuestion(t.db, { author: asker, space: secret, tags: ["secret-project"] });
  // The opted-out person is thanked by five Support colleagues and Legal, and followed: the salesman.
  const value = await createValue(t.db);
  for (const giver of [...w.support.slice(0, 5), ...w.legal]) {
    await giveKudos(t.db, giver, { receiverIds: [w.optedOut.id], message: "Thank you for the pitch deck", valueId: value.id, pointsEach: 0, private: false });
  }
  await t.db.insert(follows).values(w.support.slice(0, 4).map((s) => ({ userId: s.id, personId: w.optedOut.id })));

  w.now = new Date(Date.now() + 60_000);
  const run = await runPeopleAnalytics(t.db, { now: w.now, windowDays: 90 });
  w.runId = run.runId;
}, 120_000);

async function rolesOf(userId: number) {
  const [row] = await t.db
    .select()
    .from(personRoles)
    .where(and(eq(personRoles.runId, w.runId), eq(personRoles.userId, userId)));
  return row;
}

describe("the job", () => {
  test("runs in its worker and stores everyone's roles with the run's id and the date they describe", async () => {
    const [run] = await t.db.select().from(analyticsRuns).where(eq(analyticsRuns.id, w.runId));
    // Active employees only: not the customer, not the deactivated account.
    const counted = 6 + 6 + 2 + 3;
    expect(run).toMatchObject({ status: "done", people: counted, error: null });
    expect(run!.windowEnd.toISOString()).toBe(w.now.toISOString());
    expect(run!.windowEnd.getTime() - run!.windowStart.getTime()).toBe(90 * DAY);
    expect(run!.interactions).toBeGreaterThanOrEqual(3 + 7);
    expect(run!.edges).toBeGreaterThan(0);
    expect(run!.peakHeapMb).toBeGreaterThan(0);
    expect(await t.db.$count(personRoles, eq(personRoles.runId, w.runId))).toBe(counted);
    expect(await t.db.$count(personRoles, sql`${personRoles.userId} in (${w.customer.id}, ${w.gone.id})`)).toBe(0);

    const maven = await rolesOf(w.maven.id);
    expect(maven).toMatchObject({ isMaven: 1, department: "Sales PA" });
    expect((maven!.explanation as RoleExplanation).maven).toEqual({ people: 3, departments: 1, topics: [{ tag: "postgres", people: 3 }] });
    // Stored for the aggregates even though they opted out of the lists.
    const salesman = await rolesOf(w.optedOut.id);
    expect(salesman).toMatchObject({ isSalesman: 1 });
    expect((salesman!.explanation as RoleExplanation).salesman).toEqual({ supporters: 7, departments: 2, followers: 4 });
  });

  test("one run at a time: refused while one runs; one left running by a stopped process is failed; only the newest runs are kept", async () => {
    const [running] = await t.db
      .insert(analyticsRuns)
      .values({ windowStart: new Date(Date.now() - DAY), windowEnd: new Date() })
      .returning();
    const before = await t.db.$count(analyticsRuns);
    expect(await thrown(runPeopleAnalytics(t.db, { now: w.now }))).toBeInstanceOf(InputError);
    expect(await t.db.$count(analyticsRuns)).toBe(before);

    // The running one is three hours old: the next claim marks it failed and runs.
    await t.db
      .update(analyticsRuns)
      .set({ startedAt: new Date(Date.now() - 3 * 3_600_000) })
      .where(eq(analyticsRuns.id, running!.id));
    const old = Array.from({ length: KEEP_RUNS + 2 }, (_, i) => ({
      status: "done" as const,
      windowStart: new Date(Date.UTC(2020, 0, 1 + i)),
      windowEnd: new Date(Date.UTC(2020, 0, 2 + i)),
      startedAt: new Date(Date.UTC(2020, 0, 2 + i)),
    }));
    await t.db.insert(analyticsRuns).values(old);
    const again = await runPeopleAnalytics(t.db, { now: w.now, inProcess: true });
    // The extra run describes the same window: the first one stays the one the other tests read.
    await t.db.delete(analyticsRuns).where(eq(analyticsRuns.id, again.runId));
    const runs = await t.db.select().from(analyticsRuns);
    // The newest KEEP_RUNS by start, the one just deleted among them: the two oldest of 2020 are gone.
    expect(runs).toHaveLength(KEEP_RUNS - 1);
    expect(runs.find((r) => r.id === w.runId)).toMatchObject({ status: "done" });
    expect(runs.find((r) => r.id === running!.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/^Interrupted/) });
    expect(runs.filter((r) => r.windowEnd.getUTCFullYear() === 2020)).toHaveLength(KEEP_RUNS - 3);
  });
});

describe("the rule of 5 and opting out", () => {
  let d: PeopleDashboard;
  beforeAll(async () => {
    d = await peopleDashboard(t.db, w.hr, 12);
  });

  test("a department of 2 is folded into Other everywhere; topics of fewer than 5 askers, or only in spaces HR can't see, are Other topics", () => {
    expect(d.participation.groups.map((g) => g.name)).toEqual(expect.arrayContaining(["Sales PA", "Support PA", "Other"]));
    expect(d.participation.groups.map((g) => g.name)).not.toContain("Legal PA");
    expect(d.roles.map((r) => r.department)).not.toContain("Legal PA");
    expect(d.topics.map((r) => r.topic)).toContain("benefits");
    // postgres: 3 askers; secret-project: 5 askers but only in a space HR is not in.
    expect(d.topics.map((r) => r.topic)).not.toContain("postgres");
    expect(d.topics.map((r) => r.topic)).not.toContain("secret-project");
    expect(d.topics.find((r) => r.topic === OTHER_TOPICS)?.questions).toBe(3 + 5);
    expect(d.hotSpots).toEqual([{ topic: "benefits", questions: 5, other: false }]);
  });

  test("the opted-out person is in no list and no shortlist, but in the aggregates", async () => {
    expect(d.runs.latest?.id).toBe(w.runId);
    expect(d.lists.salesmen.map((e) => e.userId)).not.toContain(w.optedOut.id);
    expect(d.lists.mavens).toEqual([{ topic: "postgres", mavens: [expect.objectContaining({ userId: w.maven.id, name: w.maven.name })] }]);
    expect(d.roles.find((r) => r.department === "Sales PA")).toMatchObject({ people: 6, salesmen: 1, mavens: 1 });

    const response = (await call(csvLoader, await requestAs(t.db, w.hr, "/hr/people/shortlist.csv"), { table: "shortlist" })) as unknown as Response;
    const csv = await response.text();
    expect(csv).toContain(w.maven.name);
    expect(csv).not.toContain(w.optedOut.name);

    const page = (await call(personLoader, await requestAs(t.db, w.hr, `/hr/people/${w.optedOut.id}`), { userId: String(w.optedOut.id) })) as unknown as PersonAnalytics;
    expect(page).toMatchObject({ optedOut: true, roles: null });
  });
});

describe("the HR view log", () => {
  test("every opening by HR is logged, and only the person sees who looked and when", async () => {
    const path = `/hr/people/${w.maven.id}`;
    const before = await t.db.$count(hrViews, and(eq(hrViews.subjectId, w.maven.id), eq(hrViews.what, "analytics")));
    const page = (await call(personLoader, await requestAs(t.db, w.hr, path), { userId: String(w.maven.id) })) as unknown as PersonAnalytics;
    expect(page.roles).toMatchObject({ isMaven: true, run: { windowEnd: w.now.toISOString() } });
    await call(personLoader, await requestAs(t.db, w.admin, path), { userId: String(w.maven.id) });
    expect(await t.db.$count(hrViews, and(eq(hrViews.subjectId, w.maven.id), eq(hrViews.what, "analytics")))).toBe(before + 2);

    const own = (await call(profileLoader, await requestAs(t.db, w.maven, `/people/${w.maven.id}`), { userId: String(w.maven.id) })) as unknown as { analytics: OwnAnalytics };
    expect(own.analytics.roles).toMatchObject({ isMaven: true });
    expect(own.analytics.views.map((v) => [v.viewer, v.what])).toEqual(expect.arrayContaining([[w.hr.name, "analytics"]]));
    expect(own.analytics.viewCount).toBeGreaterThanOrEqual(2);
    // Anyone else's view of that profile, HR's included, carries neither the roles nor the log.
    for (const viewer of [w.support[0]!, w.hr]) {
      const other = (await call(profileLoader, await requestAs(t.db, viewer, `/people/${w.maven.id}`), { userId: String(w.maven.id) })) as unknown as { analytics: OwnAnalytics | null };
      expect(other.analytics).toBeNull();
    }
  });
});

describe("routes", () => {
  const routes = (): Array<[RouteHandler, string, Record<string, string>]> => [
    [peopleLoader, "/hr/people", {}],
    [personLoader, `/hr/people/${w.maven.id}`, { userId: String(w.maven.id) }],
    [csvLoader, "/hr/people/topics.csv", { table: "topics" }],
  ];

  test("HR and admins read the dashboard, a person's roles and the CSVs; members get a 404; customers and deactivated accounts never reach them; nothing is logged for them", async () => {
    const logged = await t.db.$count(hrViews);
    for (const [handler, path, params] of routes()) {
      expect(await thrown(call(handler, await requestAs(t.db, w.support[0]!, path), params)), path).toBeInstanceOf(NotFoundError);
      expect(redirectTarget(await thrown(call(handler, await requestAs(t.db, w.customer, path), params))), path).toBe("/");
      expect(redirectTarget(await thrown(call(handler, await requestAs(t.db, w.gone, path), params))), path).toMatch(/^\/sign-in/);
    }
    expect(await t.db.$count(hrViews)).toBe(logged);
    for (const reader of [w.hr, w.admin]) {
      const [dashboard, person, csv] = await Promise.all(routes().map(async ([handler, path, params]) => call(handler, await requestAs(t.db, reader, path), params)));
      expect(dashboard).toMatchObject({ weeks: 12, runs: { latest: { id: w.runId } } });
      expect(person).toMatchObject({ person: { id: w.maven.id } });
      const file = csv as unknown as Response;
      expect(file.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
      expect(file.headers.get("Cache-Control")).toBe("private, no-store");
      // (text() drops the byte order mark the file starts with.) Admins see every space, so they see the restricted topic named.
      const named = reader === w.admin ? "secret-project,5\r\nOther topics,3" : "Other topics,8";
      expect(await file.text()).toBe(`topic,questions\r\nbenefits,5\r\n${named}\r\n`);
    }
  });

  test("Recompute now: members get a 404 and nothing starts; HR starts a run that finishes in the background", async () => {
    const fields = { intent: "recompute", windowDays: "90" };
    const before = await t.db.$count(analyticsRuns);
    expect(await thrown(call(peopleAction, await postAs(t.db, w.support[0]!, "/hr/people", fields)))).toBeInstanceOf(NotFoundError);
    expect(redirectTarget(await thrown(call(peopleAction, await postAs(t.db, w.customer, "/hr/people", fields))))).toBe("/");
    expect(await t.db.$count(analyticsRuns)).toBe(before);

    expect(redirectTarget(await thrown(call(peopleAction, await postAs(t.db, w.hr, "/hr/people", fields))))).toBe("/hr/people?started=1");
    const [started] = await t.db.select().from(analyticsRuns).where(eq(analyticsRuns.requestedById, w.hr.id));
    expect(started).toBeDefined();
    // A second press while it runs is refused with a message.
    const again = await call(peopleAction, await postAs(t.db, w.hr, "/hr/people", fields));
    if (again.init?.status === 400) expect(again.data).toMatchObject({ ok: false, formError: expect.stringMatching(/already in progress/) });
    for (let i = 0; i < 300; i++) {
      const [row] = await t.db.select({ status: analyticsRuns.status }).from(analyticsRuns).where(eq(analyticsRuns.id, started!.id));
      if (row!.status !== "running") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [done] = await t.db.select().from(analyticsRuns).where(eq(analyticsRuns.id, started!.id));
    expect(done).toMatchObject({ status: "done", people: 17 });
    await t.db.delete(analyticsRuns).where(sql`${analyticsRuns.id} <> ${w.runId} and ${analyticsRuns.requestedById} is not null`);
  });

  test("bad input: an unknown window answers 400 with the field and the typed value and starts nothing; bad ids and tables are 404s", async () => {
    const before = await t.db.$count(analyticsRuns);
    const bad = await call(peopleAction, await postAs(t.db, w.hr, "/hr/people", { intent: "recompute", windowDays: "7" }));
    expect(bad.init?.status).toBe(400);
    expect(bad.data).toMatchObject({ ok: false, values: { windowDays: "7" }, fieldErrors: { windowDays: expect.any(String) } });
    expect(await t.db.$count(analyticsRuns)).toBe(before);
    for (const userId of ["abc", "0", "2000000000", String(w.customer.id)]) {
      expect(await thrown(call(personLoader, await requestAs(t.db, w.hr, `/hr/people/${userId}`), { userId })), userId).toBeInstanceOf(NotFoundError);
    }
    expect(await thrown(call(csvLoader, await requestAs(t.db, w.hr, "/hr/people/nope.csv"), { table: "nope" }))).toBeInstanceOf(NotFoundError);
  });
});

describe("hostile names", () => {
  test("every XSS payload as a name, department, topic, title or error renders as text on the dashboard, a person's page and the profile's sections", async () => {
    const dashboard = await peopleDashboard(t.db, w.hr, 12);
    const ownBase = (await call(profileLoader, await requestAs(t.db, w.maven, `/people/${w.maven.id}`), { userId: String(w.maven.id) })) as Record<string, unknown> & {
      analytics: OwnAnalytics;
    };
    const person = (await call(personLoader, await requestAs(t.db, w.hr, `/hr/people/${w.maven.id}`), { userId: String(w.maven.id) })) as unknown as PersonAnalytics;
    const explanation = person.roles!.explanation;
    const user = { id: w.hr.id, name: w.hr.name, role: "hr" };
    // Every payload at once in each slot (a render per payload would take the corpus's length in pages).
    const names = [...new Set(payloads.map((p) => p.payload))];
    const entries = names.map((name, i) => ({ userId: w.maven.id + i, name, department: name, line: name }));
    const hostile: PeopleDashboard = {
      ...dashboard,
      participation: {
        groups: names.map((name) => ({ name, people: 5, other: false })),
        rows: dashboard.participation.rows.map((r) => ({ ...r, byGroup: Object.fromEntries(names.map((n) => [n, 1])) })),
      },
      topics: names.map((topic) => ({ topic, questions: 5, other: false })),
      rising: names.map((topic) => ({ topic, lastWeek: 1, thisWeek: 3, change: 2 })),
      hotSpots: names.map((topic) => ({ topic, questions: 5, other: false })),
      roles: names.map((department) => ({ ...dashboard.roles[0]!, department })),
      lists: { mavens: names.map((topic, i) => ({ topic, mavens: [entries[i]!] })), connectors: entries, salesmen: entries },
      runs: { ...dashboard.runs, failed: { ...dashboard.runs.latest!, status: "failed", error: names.join(" ") } },
    };
    expect(executable(renderRoute(PeopleRoute as never, { ...hostile, started: true }, user))).toEqual([]);
    const roles = { ...person.roles!, explanation: { ...explanation, maven: { ...explanation.maven, topics: names.map((tag) => ({ tag, people: 3 })) } } };
    // Every payload as a topic of the explanation, in one render; then each payload as the person's
    // name, title, department and location (one slot each, so a render per payload), beside the
    // person's own short explanation: 223 renders of 223 topics each took most of a minute.
    expect(executable(renderRoute(PersonRoute as never, { optedOut: false, roles, person: person.person }, user))).toEqual([]);
    for (const name of names) {
      const page = { optedOut: false, roles: person.roles, person: { ...person.person, name, title: name, department: name, location: name } };
      expect(executable(renderRoute(PersonRoute as never, page, user)), name).toEqual([]);
    }
    const views = names.map((name, id) => ({ id, viewer: name, viewerRole: "hr", what: name, viewedAt: new Date().toISOString() }));
    const own = { ...ownBase, analytics: { ...ownBase.analytics, roles, views } };
    expect(executable(renderRoute(ProfileRoute as never, own, { id: w.maven.id, name: w.maven.name, role: "member" }))).toEqual([]);
  });
});
