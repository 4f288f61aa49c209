import type { ComponentType } from "react";
import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { expertiseOutbox, hrViews, posts, siteSettings, tagSmes, tags, userTopics, users } from "#db/schema/index.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { expertsParams } from "#app/features/expertise/directory-params.ts";
import { expertDirectory } from "#app/features/expertise/directory.server.ts";
import { drainExpertiseOutbox, recomputePeople } from "#app/features/expertise/evidence.server.ts";
import { recomputeSettled } from "#app/features/expertise/recompute.server.ts";
import { DEFAULT_SETTINGS, getExpertiseSettings } from "#app/features/expertise/settings.server.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import ExpertsRoute, { loader as expertsLoader } from "#app/routes/experts/index.tsx";
import { action as shortlistAction, loader as shortlistLoader } from "#app/routes/experts/shortlist-csv.ts";
import { loader as coverageLoader } from "#app/routes/experts/coverage.tsx";
import { action as smesAction, loader as smesLoader } from "#app/routes/tags/smes.tsx";
import { loader as tagLoader } from "#app/routes/tags/tag.tsx";
import { action as adminAction, loader as adminLoader } from "#app/routes/admin/expertise.tsx";
import { personDocuments } from "#search/documents.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { countingDb, setupSearchIndexes, setupTestDb, useUnreachableMeili } from "#tests/db.ts";
import { postAs, requestAs, routeContext, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { executable, payloads, renderRoute } from "#tests/xss-render.ts";

/**
 * The experts page and what hangs off it (issue 18): ranking by topic as each reader may see it,
 * facets, words through the people index (which holds open-space expertise only), HR's title
 * filter and shortlist export with its view log, SMEs per tag, coverage, Admin → Expertise, and
 * every new route's guards.
 */
const t = setupTestDb();
const counted = countingDb(t);
const meili = setupSearchIndexes("x");
const unreachable = useUnreachableMeili();

type User = Awaited<ReturnType<typeof createUser>>;
type Handler = (args: never) => unknown;
const call = (handler: Handler, request: Request, params: Record<string, string> = {}, search = unreachable.client) =>
  Promise.resolve(handler({ request, context: routeContext(t.db, search).context, params } as never)) as Promise<never>;

function redirectTarget(error: unknown): string | null {
  return error instanceof Response && error.status >= 300 && error.status < 400 ? error.headers.get("Location") : null;
}

/** What a `data(result, { status })` returned by an action holds. */
function answered(result: unknown): {
  status: number | undefined;
  data: { ok: boolean; fieldErrors: Record<string, string>; formError?: string; values: Record<string, string>; notice?: string };
} {
  // A success is the action's plain object; a failure is `data(...)` with its status.
  const r = result as { init?: { status?: number }; data?: never };
  return { status: r.init?.status, data: r.data ?? (result as never) };
}

async function drain() {
  while ((await drainExpertiseOutbox(t.db)) > 0) {
    // until the outbox is empty
  }
}

/** `author` answers a question of `asker` tagged `tags` in `space`, and the asker accepts it. */
async function acceptedAnswer(asker: User, author: User, space: { slug: string }, tagNames: string[]) {
  const questionId = await createQuestion(t.db, { author: asker, space, tags: tagNames });
  const answerId = await createAnswer(t.db, { author, questionId });
  await acceptAnswer(t.db, asker, answerId);
  return { questionId, answerId };
}

async function tagId(name: string): Promise<number> {
  const [row] = await t.db.select({ id: tags.id }).from(tags).where(eq(tags.name, name));
  return row!.id;
}

async function hide(user: User, tag: string) {
  await t.db.insert(userTopics).values({ userId: user.id, tagId: await tagId(tag), hidden: true });
}

type Directory = {
  mode: "search";
  topics: string[];
  total: number;
  people: Array<{ id: number; evidence: string | null; topics: string[]; availability: string }>;
  facets: { department: Array<{ value: string; count: number; selected: boolean }>; location: Array<{ value: string; count: number }>; open: { count: number } };
};
type ExpertsData = { params: { title?: string }; directory: Directory; hr: boolean };

async function experts(user: User, query: string, search = unreachable.client): Promise<ExpertsData> {
  return call(expertsLoader, await requestAs(t.db, user, `/experts?${query}`), {}, search);
}

/** A form POST with a field given more than once (`id` per person), as a browser sends ticked checkboxes. */
async function postPairs(user: User, path: string, pairs: Array<[string, string]>): Promise<Request> {
  const cookie = `${SESSION_COOKIE}=${(await createSession(t.db, user.id)).token}`;
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { cookie, origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(pairs),
  });
}

describe("the experts page by topic", () => {
  test("ranks people as the reader may see them: a restricted space's evidence only for its members, a hidden topic for no one; facets count and filter", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const insider = await createUser(t.db);
    const top = await createUser(t.db, { name: "Ada Topline", department: "Engineering", location: "Lisbon" });
    const second = await createUser(t.db, { name: "Sam Second", department: "Support", location: "Berlin", title: "Support Specialist" });
    const secretExpert = await createUser(t.db, { name: "Vera Vault" });
    const hider = await createUser(t.db, { name: "Hal Hidden" });
    const open = await createSpace(t.db);
    const secret = await createSpace(t.db, { members: [asker, insider, secretExpert] }, "restricted");
    for (let i = 0; i < 2; i++) await acceptedAnswer(asker, top, open, ["pg-rank"]);
    await createAnswer(t.db, { author: second, questionId: await createQuestion(t.db, { author: asker, space: open, tags: ["pg-rank"] }) });
    for (let i = 0; i < 3; i++) await acceptedAnswer(asker, secretExpert, secret, ["pg-rank"]);
    for (let i = 0; i < 3; i++) await acceptedAnswer(asker, hider, open, ["pg-rank"]);
    await hide(hider, "pg-rank");
    await drain();

    const seen = await experts(reader, "topic=pg-rank");
    expect(seen.directory.people.map((p) => p.id)).toEqual([top.id, second.id]);
    expect(seen.directory.total).toBe(2);
    expect(seen.directory.people[0]).toMatchObject({ evidence: "2 accepted answers on pg-rank", availability: "open" });
    expect(seen.directory.people[0]!.topics).toContain("pg-rank");
    expect(seen.directory.facets.department).toEqual([
      { value: "Engineering", count: 1, selected: false },
      { value: "Support", count: 1, selected: false },
    ]);
    expect(JSON.stringify(seen)).not.toContain("Vera Vault");
    // A member of the restricted space sees its expert first; the hider is absent for everyone else.
    expect((await experts(insider, "topic=pg-rank")).directory.people.map((p) => p.id)).toEqual([secretExpert.id, top.id, second.id]);
    expect((await experts(hider, "topic=pg-rank")).directory.people.map((p) => p.id)).toContain(hider.id);

    // A department keeps the other departments' counts (each a link) and narrows the list.
    const support = await experts(reader, "topic=pg-rank&department=Support");
    expect(support.directory.people.map((p) => p.id)).toEqual([second.id]);
    expect(support.directory.facets.department.find((d) => d.value === "Support")).toMatchObject({ selected: true, count: 1 });
    expect(support.directory.facets.location).toEqual([{ value: "Berlin", count: 1, selected: false }]);

    // Away people are not open to questions: the facet counts and filters them.
    await t.db
      .update(users)
      .set({ awayUntil: new Date(Date.now() + 7 * 86_400_000) })
      .where(eq(users.id, top.id));
    const all = await experts(reader, "topic=pg-rank");
    expect(all.directory.people.find((p) => p.id === top.id)?.availability).toBe("away");
    expect(all.directory.facets.open.count).toBe(1);
    expect((await experts(reader, "topic=pg-rank&open=1")).directory.people.map((p) => p.id)).toEqual([second.id]);

    // An unknown topic (or one the reader can't see) is the empty state, not an error.
    expect((await experts(reader, "topic=no-such-topic")).directory).toMatchObject({ total: 0, people: [] });
    // Nonsense parameters are read leniently.
    const odd = await experts(reader, `topic=${"x".repeat(300)}&page=-3&open=maybe&department=${"d".repeat(500)}`);
    expect(odd.directory).toMatchObject({ mode: "landing" });
  });

  test("the page makes the same few queries for one expert as for a full page of them", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const open = await createSpace(t.db);
    await acceptedAnswer(asker, await createUser(t.db), open, ["count-one"]);
    for (let i = 0; i < 22; i++) await acceptedAnswer(asker, await createUser(t.db, { department: `Dept ${i % 4}`, location: `City ${i % 3}` }), open, ["count-many"]);
    await drain();
    const load = async (topic: string) => {
      const request = await requestAs(t.db, reader, `/experts?topic=${topic}`);
      const { context } = routeContext(counted.db, unreachable.client);
      counted.queries = 0;
      const data = (await expertsLoader({ request, context, params: {} } as never)) as ExpertsData;
      return { people: data.directory.people.length, queries: counted.queries };
    };
    await load("count-one");
    const one = await load("count-one");
    const many = await load("count-many");
    expect([one.people, many.people]).toEqual([1, 20]);
    expect(many.queries).toBe(one.queries);
    expect(many.queries).toBeLessThanOrEqual(10);
  });

  test("the landing page offers the topics with the most questions the reader can see", async () => {
    const reader = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [reader] }, "restricted");
    await createQuestion(t.db, { author: reader, space: secret, tags: ["landing-secret"] });
    const mine = (await experts(reader, "")).directory as unknown as { mode: string; popular: Array<{ name: string }> };
    expect(mine.mode).toBe("landing");
    expect(mine.popular.map((p) => p.name)).toContain("landing-secret");
    const theirs = (await experts(outsider, "")).directory as unknown as { popular: Array<{ name: string }> };
    expect(theirs.popular.map((p) => p.name)).not.toContain("landing-secret");
  });
});

describe("the people index and words", () => {
  test("a person's document carries open-space expertise only; words find people through it and through similar work", async () => {
    const asker = await createUser(t.db);
    const reader = await createUser(t.db);
    const expert = await createUser(t.db, { name: "Quinn Quokka" });
    const open = await createSpace(t.db);
    const secret = await createSpace(t.db, { members: [asker, expert] }, "restricted");
    await acceptedAnswer(asker, expert, open, ["quokka-care"]);
    await acceptedAnswer(asker, expert, secret, ["zorblatt-merger"]);
    await acceptedAnswer(asker, expert, open, ["hidden-hobby"]);
    await hide(expert, "hidden-hobby");
    // Someone found only through the work itself: their question's words, not their document.
    const calibrator = await createUser(t.db, { name: "Cal Ibrator" });
    const fluxQuestion = await createQuestion(t.db, { author: asker, space: open, title: "How do we calibrate the flux capacitor safely?" });
    await acceptAnswer(t.db, asker, await createAnswer(t.db, { author: calibrator, questionId: fluxQuestion }));
    // A skill declared on a tag only a restricted space uses stays as hidden as that space's work.
    await t.db.insert(userTopics).values({ userId: expert.id, tagId: await tagId("zorblatt-merger"), declared: true });
    await drain();
    expect((await experts(reader, "topic=zorblatt-merger")).directory.total).toBe(0);
    expect((await experts(asker, "topic=zorblatt-merger")).directory.people.map((p) => p.id)).toEqual([expert.id]);

    const [doc] = (await personDocuments(t.db, [expert.id])).upserts;
    expect(doc).toMatchObject({ topics: ["quokka-care"], expertise: "1 accepted answer on quokka-care", openToQuestions: true, awayUntil: 0 });
    expect(JSON.stringify(doc)).not.toMatch(/zorblatt|hidden-hobby/);

    await runRelayUntilIdle(t.db, meili.client, { prefix: meili.prefix });
    const options = { prefix: meili.prefix };
    const byWords = await expertDirectory(t.db, meili.client, reader, expertsParams(new URL("http://x/experts?q=quokka+care"), { hr: false }), options);
    expect(byWords).toMatchObject({ mode: "search", searchUnavailable: false });
    expect(byWords.mode === "search" && byWords.people.map((p) => p.id)).toContain(expert.id);
    const flux = await expertDirectory(t.db, meili.client, reader, expertsParams(new URL("http://x/experts?q=flux+capacitor"), { hr: false }), options);
    expect(flux.mode === "search" && flux.people.map((p) => p.id)).toEqual([calibrator.id]);
    const secretWords = await expertDirectory(t.db, meili.client, reader, expertsParams(new URL("http://x/experts?q=zorblatt+merger"), { hr: false }), options);
    expect(secretWords.mode === "search" && secretWords.people.map((p) => p.id)).not.toContain(expert.id);

    // Search down: the page still answers, says so, and logs a warning.
    const { context, warn } = routeContext(t.db, unreachable.client);
    const down = (await expertsLoader({ request: await requestAs(t.db, reader, "/experts?q=quokka+care"), context, params: {} } as never)) as ExpertsData & {
      directory: { searchUnavailable: boolean };
    };
    expect(down.directory.searchUnavailable).toBe(true);
    expect(warn).toHaveBeenCalled();
  });
});

describe("HR's expert search", () => {
  test("HR filters by title and exports a shortlist, which logs an HR view for each person on it", async () => {
    const asker = await createUser(t.db);
    const hr = await createUser(t.db, { name: "Hedda HR" }, "hr");
    const member = await createUser(t.db);
    const engineer = await createUser(t.db, { name: "Eli Engineer", title: "Backend Engineer", email: "eli.engineer@northwind.example" });
    const specialist = await createUser(t.db, { name: '=Sue, "Specialist"', title: "Support Specialist" });
    const open = await createSpace(t.db);
    await acceptedAnswer(asker, engineer, open, ["hr-topic"]);
    await acceptedAnswer(asker, specialist, open, ["hr-topic"]);
    await drain();

    expect((await experts(hr, "topic=hr-topic&title=engineer")).directory.people.map((p) => p.id)).toEqual([engineer.id]);
    // The title filter is HR's: for anyone else it is ignored.
    const plain = await experts(member, "topic=hr-topic&title=engineer");
    expect(plain.params.title).toBeUndefined();
    expect(plain.directory.total).toBe(2);

    const response = (await call(
      shortlistAction,
      await postPairs(hr, "/experts/shortlist.csv", [
        ["id", String(specialist.id)],
        ["id", String(engineer.id)],
        ["topic", "hr-topic"],
      ]),
    )) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="experts-shortlist-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe("name,email,title,department,location,top topics,evidence");
    // In the order ticked; a name that starts like a formula stays text.
    expect(lines[1]).toMatch(/^"'=Sue, ""Specialist""",/);
    expect(lines[2]).toBe("Eli Engineer,eli.engineer@northwind.example,Backend Engineer,Engineering,Berlin,hr-topic,1 accepted answer on hr-topic");
    const views = await t.db.select({ subjectId: hrViews.subjectId, what: hrViews.what }).from(hrViews).where(eq(hrViews.viewerId, hr.id));
    expect(views.sort((a, b) => a.subjectId - b.subjectId)).toEqual(
      [
        { subjectId: engineer.id, what: "shortlist" },
        { subjectId: specialist.id, what: "shortlist" },
      ].sort((a, b) => a.subjectId - b.subjectId),
    );

    // Nobody ticked, a bad id, a member, a GET: nothing exported and nothing logged.
    const none = (await call(shortlistAction, await postPairs(hr, "/experts/shortlist.csv", [["topic", "hr-topic"]]))) as Response;
    expect(none.status).toBe(400);
    expect(await none.text()).toMatch(/Tick at least one person/);
    expect(((await call(shortlistAction, await postPairs(hr, "/experts/shortlist.csv", [["id", "abc"]]))) as Response).status).toBe(400);
    expect(await thrown(call(shortlistAction, await postPairs(member, "/experts/shortlist.csv", [["id", String(engineer.id)]])))).toBeInstanceOf(NotFoundError);
    expect(((await call(shortlistLoader, await requestAs(t.db, hr, "/experts/shortlist.csv"))) as Response).status).toBe(405);
    expect(await t.db.$count(hrViews)).toBe(2);
  });
});

describe("SMEs per tag", () => {
  test("moderators assign and remove SMEs; automatic ones stay; a hidden topic's person is never listed; members may not", async () => {
    const asker = await createUser(t.db);
    const member = await createUser(t.db);
    const spaceMod = await createUser(t.db);
    const expert = await createUser(t.db, { name: "Sara Sme", email: "sara.sme@northwind.example" });
    const auto = await createUser(t.db, { name: "Otto Auto" });
    const hider = await createUser(t.db, { name: "Hana Hider", email: "hana.hider@northwind.example" });
    const open = await createSpace(t.db, { moderators: [spaceMod] });
    await acceptedAnswer(asker, expert, open, ["sme-topic"]);
    await acceptedAnswer(asker, hider, open, ["sme-topic"]);
    await hide(hider, "sme-topic");
    await drain();
    const topic = await tagId("sme-topic");
    // Made by the expertise worker past the threshold in real life; written here as it would.
    await t.db.insert(tagSmes).values({ tagId: topic, userId: auto.id, source: "automatic" });
    const path = "/tags/sme-topic/smes";
    const params = { name: "sme-topic" };

    expect(await thrown(call(smesAction, await postAs(t.db, member, path, { intent: "assign", person: "@sara.sme" }), params))).toBeInstanceOf(ForbiddenError);
    expect(await t.db.$count(tagSmes, eq(tagSmes.tagId, topic))).toBe(1);

    const assigned = answered(await call(smesAction, await postAs(t.db, spaceMod, path, { intent: "assign", person: "@sara.sme" }), params));
    expect(assigned.data.notice).toBe("Sara Sme is now an SME of sme-topic.");
    expect(
      await t.db
        .select({ source: tagSmes.source, by: tagSmes.assignedById })
        .from(tagSmes)
        .where(and(eq(tagSmes.tagId, topic), eq(tagSmes.userId, expert.id))),
    ).toEqual([{ source: "assigned", by: spaceMod.id }]);

    const hidden = answered(await call(smesAction, await postAs(t.db, spaceMod, path, { intent: "assign", person: "@hana.hider" }), params));
    expect(hidden.status).toBe(400);
    expect(hidden.data.fieldErrors.person).toMatch(/chosen not to be listed/);
    expect(hidden.data.values.person).toBe("@hana.hider");
    expect(answered(await call(smesAction, await postAs(t.db, spaceMod, path, { intent: "assign", person: "@nobody.here" }), params)).data.fieldErrors.person).toMatch(/No one active/);

    const automatic = answered(await call(smesAction, await postAs(t.db, spaceMod, path, { intent: "remove", userId: String(auto.id) }), params));
    expect(automatic.status).toBe(400);
    expect(automatic.data.formError).toMatch(/automatically/);

    // The tag page lists assigned and automatic SMEs, never one who hid the topic (even if a row says so).
    await t.db.insert(tagSmes).values({ tagId: topic, userId: hider.id, source: "assigned" });
    const page = (await call(tagLoader, await requestAs(t.db, member, "/tags/sme-topic"), params)) as { smes: { list: Array<{ id: number; source: string; evidence: string | null }> } };
    expect(page.smes.list.map((s) => [s.id, s.source])).toEqual([
      [expert.id, "assigned"],
      [auto.id, "automatic"],
    ]);
    expect(page.smes.list[0]!.evidence).toBe("1 accepted answer on sme-topic");

    await t.db.delete(expertiseOutbox);
    const removed = answered(await call(smesAction, await postAs(t.db, spaceMod, path, { intent: "remove", userId: String(expert.id) }), params));
    expect(removed.data.notice).toBe("SME removed.");
    expect(await t.db.$count(tagSmes, and(eq(tagSmes.tagId, topic), eq(tagSmes.userId, expert.id)))).toBe(0);
    // The worker looks at them again: automatic if they qualify.
    expect(await t.db.$count(expertiseOutbox, eq(expertiseOutbox.userId, expert.id))).toBe(1);
    expect(await thrown(call(smesAction, await postAs(t.db, spaceMod, path, { intent: "sideways" }), params))).toBeTruthy();
  });

  test("the SMEs screen pages a popular topic's SMEs, strongest first, fifty at a time", async () => {
    const reader = await createUser(t.db);
    const open = await createSpace(t.db);
    await createQuestion(t.db, { author: reader, space: open, tags: ["paged-topic"] });
    const topic = await tagId("paged-topic");
    const people = [];
    for (let i = 0; i < 53; i++) people.push(await createUser(t.db));
    await t.db.insert(tagSmes).values(people.map((p, i) => ({ tagId: topic, userId: p.id, source: "automatic" as const, standing: 1000 - i })));
    const params = { name: "paged-topic" };
    type Page = { smes: Array<{ id: number }>; total: number; offset: number; pageSize: number };
    const first = (await call(smesLoader, await requestAs(t.db, reader, "/tags/paged-topic/smes"), params)) as Page;
    expect({ shown: first.smes.length, total: first.total, offset: first.offset, pageSize: first.pageSize }).toEqual({ shown: 50, total: 53, offset: 0, pageSize: 50 });
    expect(first.smes[0]!.id).toBe(people[0]!.id);
    const second = (await call(smesLoader, await requestAs(t.db, reader, "/tags/paged-topic/smes?page=2"), params)) as Page;
    expect(second.smes.map((s) => s.id)).toEqual(people.slice(50).map((p) => p.id));
    expect(second.total).toBe(53);
    const past = (await call(smesLoader, await requestAs(t.db, reader, "/tags/paged-topic/smes?page=9"), params)) as Page;
    expect({ shown: past.smes.length, total: past.total }).toEqual({ shown: 0, total: 53 });
  });

  test("a tag used only in a restricted space answers an outsider's SMEs screen with a 404, and nothing is written", async () => {
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db, {}, "moderator");
    const secret = await createSpace(t.db, { members: [insider] }, "restricted");
    await createQuestion(t.db, { author: insider, space: secret, tags: ["sme-secret"] });
    const params = { name: "sme-secret" };
    expect(await thrown(call(smesLoader, await requestAs(t.db, outsider, "/tags/sme-secret/smes"), params))).toBeInstanceOf(NotFoundError);
    const missing = await thrown(call(smesLoader, await requestAs(t.db, outsider, "/tags/no-such-tag/smes"), { name: "no-such-tag" }));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(await thrown(call(smesAction, await postAs(t.db, outsider, "/tags/sme-secret/smes", { intent: "assign", person: String(insider.id) }), params))).toBeInstanceOf(NotFoundError);
    expect(await t.db.$count(tagSmes, eq(tagSmes.tagId, await tagId("sme-secret")))).toBe(0);
    expect((await call(smesLoader, await requestAs(t.db, insider, "/tags/sme-secret/smes"), params)) as { canManage: boolean }).toMatchObject({ canManage: false, smes: [] });
  });
});

describe("coverage", () => {
  test("tags with no SME by traffic, tags whose SMEs went quiet or left; only what the reader may see; moderators, HR and admins only", async () => {
    const asker = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const member = await createUser(t.db);
    const quietSme = await createUser(t.db);
    const leaver = await createUser(t.db);
    const open = await createSpace(t.db);
    const secret = await createSpace(t.db, { members: [asker] }, "restricted");
    for (let i = 0; i < 3; i++) await createQuestion(t.db, { author: asker, space: open, tags: ["cov-busy"] });
    const { answerId } = await acceptedAnswer(asker, quietSme, open, ["cov-quiet"]);
    await acceptedAnswer(asker, leaver, open, ["cov-gone"]);
    await createQuestion(t.db, { author: asker, space: secret, tags: ["cov-secret"] });
    // The quiet SME's only evidence is from half a year ago.
    await t.db
      .update(posts)
      .set({ createdAt: new Date(Date.now() - 200 * 86_400_000) })
      .where(eq(posts.id, answerId));
    await recomputePeople(t.db, [quietSme.id, leaver.id]);
    await t.db.insert(tagSmes).values([
      { tagId: await tagId("cov-quiet"), userId: quietSme.id, source: "assigned" },
      { tagId: await tagId("cov-gone"), userId: leaver.id, source: "assigned" },
    ]);
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, leaver.id));

    type CoverageData = { uncovered: { tags: Array<{ name: string; recent: number; unanswered: number }> }; quiet: { tags: Array<{ name: string; activeSmes: number; smes: number }> } };
    const seen = (await call(coverageLoader, await requestAs(t.db, moderator, "/experts/coverage"))) as CoverageData;
    const names = seen.uncovered.tags.map((x) => x.name);
    expect(seen.uncovered.tags.find((x) => x.name === "cov-busy")).toEqual({ name: "cov-busy", recent: 3, unanswered: 3 });
    // The busiest first: three questions in the window outrank the one of a quiet tag's.
    expect(seen.uncovered.tags.slice(0, names.indexOf("cov-busy")).every((x) => x.recent >= 3)).toBe(true);
    expect(names).not.toContain("cov-quiet");
    expect(names).not.toContain("cov-secret");
    expect(seen.quiet.tags.filter((x) => x.name.startsWith("cov-")).map((x) => [x.name, x.activeSmes])).toEqual(
      expect.arrayContaining([
        ["cov-quiet", 1],
        ["cov-gone", 0],
      ]),
    );
    expect(await thrown(call(coverageLoader, await requestAs(t.db, member, "/experts/coverage")))).toBeInstanceOf(NotFoundError);
  });
});

describe("Admin → Expertise", () => {
  test("bad values come back with field errors and what was typed; a new weight recomputes in the background; admins only", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const hr = await createUser(t.db, {}, "hr");
    const loaded = (await call(adminLoader, await requestAs(t.db, admin, "/admin/expertise"))) as { values: Record<string, string>; status: { running: boolean } };
    expect(loaded.values).toMatchObject({
      halfLifeDays: String(DEFAULT_SETTINGS.halfLifeDays),
      weight_accepted_answer: String(DEFAULT_SETTINGS.weights.accepted_answer),
      expertsPerRound: String(DEFAULT_SETTINGS.routing.expertsPerRound),
    });
    const fields = { ...loaded.values, intent: "save-settings" };

    const bad = answered(await call(adminAction, await postAs(t.db, admin, "/admin/expertise", { ...fields, halfLifeDays: "3", weight_answer: "lots", confidenceK: "" })));
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors).toMatchObject({
      halfLifeDays: expect.stringMatching(/at least 7/),
      weight_answer: expect.stringMatching(/must be a number/),
      confidenceK: expect.stringMatching(/required/),
    });
    expect(bad.data.values.weight_answer).toBe("lots");
    expect(await t.db.$count(siteSettings, eq(siteSettings.key, "expertise"))).toBe(0);

    const routingOnly = answered(await call(adminAction, await postAs(t.db, admin, "/admin/expertise", { ...fields, weeklyLimit: "8" })));
    expect(routingOnly.data.notice).toMatch(/apply from now on/);
    const reweighed = answered(await call(adminAction, await postAs(t.db, admin, "/admin/expertise", { ...fields, weeklyLimit: "8", weight_answer: "1.5" })));
    expect(reweighed.data.notice).toMatch(/recomputed in the background/);
    await recomputeSettled();
    expect(await getExpertiseSettings(t.db)).toMatchObject({ weights: { answer: 1.5 }, routing: { weeklyLimit: 8 } });
    const again = answered(await call(adminAction, await postAs(t.db, admin, "/admin/expertise", { intent: "recompute" })));
    expect(again.data.notice).toMatch(/Recomputing/);
    await recomputeSettled();
    expect(((await call(adminLoader, await requestAs(t.db, admin, "/admin/expertise"))) as { status: { running: boolean } }).status.running).toBe(false);

    expect(await thrown(call(adminLoader, await requestAs(t.db, hr, "/admin/expertise")))).toBeInstanceOf(NotFoundError);
    expect(await thrown(call(adminAction, await postAs(t.db, hr, "/admin/expertise", { intent: "recompute" })))).toBeInstanceOf(NotFoundError);
    await t.db.delete(siteSettings).where(eq(siteSettings.key, "expertise"));
    expect(await getExpertiseSettings(t.db)).toEqual(DEFAULT_SETTINGS);
  });
});

describe("every new route's guards", () => {
  test("customers go to their home page and deactivated accounts to sign-in, from every route, and nothing is written", async () => {
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const space = await createSpace(t.db);
    await createQuestion(t.db, { author: await createUser(t.db), space, tags: ["guard-topic"] });
    const routes: Array<[Handler, string, Record<string, string> | null, Record<string, string>]> = [
      [expertsLoader, "/experts?topic=guard-topic", null, {}],
      [shortlistLoader, "/experts/shortlist.csv", null, {}],
      [shortlistAction, "/experts/shortlist.csv", { id: String(customer.id) }, {}],
      [coverageLoader, "/experts/coverage", null, {}],
      [smesLoader, "/tags/guard-topic/smes", null, { name: "guard-topic" }],
      [smesAction, "/tags/guard-topic/smes", { intent: "assign", person: String(customer.id) }, { name: "guard-topic" }],
      [adminLoader, "/admin/expertise", null, {}],
      [adminAction, "/admin/expertise", { intent: "recompute" }, {}],
    ];
    for (const [handler, path, fields, params] of routes) {
      const asCustomer = fields ? await postAs(t.db, customer, path, fields) : await requestAs(t.db, customer, path);
      expect(redirectTarget(await thrown(call(handler, asCustomer, params))), path).toBe("/");
      const asGone = fields ? await postAs(t.db, gone, path, fields) : await requestAs(t.db, gone, path);
      expect(redirectTarget(await thrown(call(handler, asGone, params))), path).toMatch(/^\/sign-in/);
    }
    expect(await t.db.$count(tagSmes, eq(tagSmes.tagId, await tagId("guard-topic")))).toBe(0);
    expect(await t.db.$count(hrViews, eq(hrViews.subjectId, customer.id))).toBe(0);
  });
});

describe("XSS", () => {
  test("every payload as a person's name, title, department and location renders inert on the experts page", { timeout: 120_000 }, async () => {
    const reader = await createUser(t.db, {}, "hr");
    const space = await createSpace(t.db);
    await createQuestion(t.db, { author: reader, space, tags: ["xss-topic"] });
    const topic = await tagId("xss-topic");
    const field = (i: number) => payloads[i % payloads.length]!.payload.slice(0, 500);
    for (let i = 0; i < payloads.length; i += 4) {
      const person = await createUser(t.db, { name: field(i) || "x", title: field(i + 1), department: field(i + 2), location: field(i + 3) });
      await t.db.insert(userTopics).values({ userId: person.id, tagId: topic, declared: true });
    }
    const pages = Math.ceil(payloads.length / 4 / 20);
    for (let page = 1; page <= pages; page++) {
      const data = await experts(reader, `topic=xss-topic&page=${page}`);
      expect(data.directory.people.length).toBeGreaterThan(0);
      const html = renderRoute(ExpertsRoute as ComponentType<never>, data, { id: reader.id, name: reader.name, role: "hr" });
      expect(executable(html)).toEqual([]);
    }
  });
});
