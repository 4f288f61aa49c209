import { and, eq, sql } from "drizzle-orm";
import { createElement } from "react";
import { describe, expect, test } from "vitest";
import { expertiseOutbox, outbox, posts, userTopics, users } from "#db/schema/index.ts";
import { drainExpertiseOutbox } from "#app/features/expertise/evidence.server.ts";
import { DEFAULT_SETTINGS } from "#app/features/expertise/settings.server.ts";
import { DECLARED_MAX, profileExpertise, type ProfileExpertise } from "#app/features/expertise/topics.server.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { NewPageSchema } from "#app/features/wiki/schemas.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import ExpertiseRoute, { action as expertiseAction, loader as expertiseLoader } from "#app/routes/people/expertise.tsx";
import { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { action as settingsAction, loader as settingsLoader } from "#app/routes/settings/expertise.tsx";
import { availabilityLabel } from "#app/components/expertise/availability.tsx";
import { ProfileExpertiseSection, topicLine } from "#app/components/expertise/profile-expertise.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, redirectTarget, requestAs, routeCaller, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";
import { executable, parseScreen, payloads, renderRoute } from "#tests/xss-render.ts";

/**
 * A person's expertise on their profile (docs/profile-expertise.md): what others see of it, the
 * page that explains every score to its person, the person's own corrections (declared skills,
 * hidden topics) and their availability. Real database, route loaders and actions.
 */
const t = setupTestDb();
const call = routeCaller(t);
const DAY = 86_400_000;
let sequence = 0;
const unique = (name: string) => `${name}-${++sequence}`;

async function drainAll() {
  while ((await drainExpertiseOutbox(t.db)) > 0) {
    // until the outbox is empty
  }
}

/** An expert with an accepted answer on `openTag` in an open space and an answer on `secretTag` in a restricted one. */
async function world() {
  const asker = await createUser(t.db);
  const expert = await createUser(t.db, { name: "Erin Expert" });
  const outsider = await createUser(t.db);
  const open = await createSpace(t.db);
  const secret = await createSpace(t.db, { members: [asker, expert] }, "restricted");
  const openTag = unique("brewing");
  const secretTag = unique("incident");
  const q = await createQuestion(t.db, { author: asker, space: open, tags: [openTag] });
  await acceptAnswer(t.db, { ...asker, reputation: 1 }, await createAnswer(t.db, { author: expert, questionId: q }));
  await createAnswer(t.db, { author: expert, questionId: await createQuestion(t.db, { author: asker, space: secret, tags: [secretTag] }) });
  await drainAll();
  return { asker, expert, outsider, open, secret, openTag, secretTag };
}

const expertisePath = (userId: number) => `/people/${userId}/expertise`;
const params = (userId: number) => ({ userId: String(userId) });

async function topicsOf(userId: number) {
  const rows = await t.db
    .select({ tag: sql<string>`(select name from tags where id = ${userTopics.tagId})`, declared: userTopics.declared, hidden: userTopics.hidden })
    .from(userTopics)
    .where(eq(userTopics.userId, userId));
  return rows.sort((a, b) => a.tag.localeCompare(b.tag));
}

/** What a write may not touch besides user_topics: the person's row, their search document, the evidence. */
async function elsewhere(userId: number) {
  const [row] = await t.db.select({ updatedAt: users.updatedAt }).from(users).where(eq(users.id, userId));
  return {
    updatedAt: row!.updatedAt.toISOString(),
    searchOutbox: await t.db.$count(outbox, and(eq(outbox.kind, "person"), eq(outbox.itemId, userId))),
    evidence: Number((await t.db.execute<{ n: number }>(sql`select count(*)::int as n from expertise_evidence where user_id = ${userId}`))[0]!.n),
  };
}

describe("what others see on a profile", () => {
  test("top topics from the evidence they may see, with its line; never a hidden topic, restricted evidence or a skill declared on a restricted tag", async () => {
    const { asker, expert, outsider, openTag, secretTag } = await world();
    await call(expertiseAction, await postAs(t.db, expert, expertisePath(expert.id), { intent: "declare", tags: secretTag }), params(expert.id));

    const seen = (await call(profileLoader, await requestAs(t.db, outsider, `/people/${expert.id}`), params(expert.id))) as unknown as { expertise: ProfileExpertise };
    expect(seen.expertise.topics.map((x) => x.tag)).toEqual([openTag]);
    expect(topicLine(seen.expertise.topics[0]!.facts)).toBe("1 answer, 1 accepted");
    expect(seen.expertise.declaredOnly).toEqual([]);
    expect(availabilityLabel(seen.expertise.availability)).toBe("Open to questions");

    // A member of the restricted space sees its topic too, declared.
    const member = await profileExpertise(t.db, asker, expert.id);
    expect(member.topics.map((x) => [x.tag, x.declared])).toEqual(
      expect.arrayContaining([
        [openTag, false],
        [secretTag, true],
      ]),
    );

    await call(expertiseAction, await postAs(t.db, expert, expertisePath(expert.id), { intent: "hide", tag: openTag }), params(expert.id));
    expect((await profileExpertise(t.db, outsider, expert.id)).topics).toEqual([]);
    // The person still sees every topic, the hidden one marked.
    const own = await profileExpertise(t.db, expert, expert.id);
    expect(own.topics.map((x) => [x.tag, x.hidden]).sort()).toEqual(
      [
        [openTag, true],
        [secretTag, false],
      ].sort(),
    );
  });
});

describe("your expertise, explained", () => {
  test("each score shows its arithmetic: an answer one half-life old keeps half its weight, three pieces give 50% confidence", async () => {
    const asker = await createUser(t.db);
    const expert = await createUser(t.db);
    const space = await createSpace(t.db);
    const tag = unique("decay");
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) answers.push(await createAnswer(t.db, { author: expert, questionId: await createQuestion(t.db, { author: asker, space, tags: [tag] }) }));
    const half = DEFAULT_SETTINGS.halfLifeDays;
    await t.db
      .update(posts)
      .set({ createdAt: new Date(Date.now() - half * DAY) })
      .where(eq(posts.id, answers[0]!));
    await drainAll();

    const page = (await call(expertiseLoader, await requestAs(t.db, expert, expertisePath(expert.id)), params(expert.id))) as unknown as Awaited<ReturnType<typeof expertiseLoader>>;
    const topic = page.topics.find((x) => x.tag === tag)!;
    const w = DEFAULT_SETTINGS.weights.answer;
    expect(topic.evidenceCount).toBe(3);
    expect(topic.confidence).toBeCloseTo(0.5, 6);
    const old = topic.evidence.find((e) => e.occurredAt.getTime() < Date.now() - (half - 1) * DAY)!;
    expect(old.weight).toBe(w);
    expect(old.now).toBeCloseTo(w / 2, 3);
    expect(topic.score).toBeCloseTo(2.5 * w, 3);
    expect(topic.value).toBeCloseTo(2.5 * w * 0.5, 3);
    expect(page.settings.halfLifeDays).toBe(half);

    const screen = parseScreen(renderRoute(ExpertiseRoute as never, page, { id: expert.id, name: expert.name, role: "member" })).textContent!.replace(/\s+/g, " ");
    expect(screen).toContain("3 pieces of evidence → 50% confidence");
    expect(screen).toContain(`Rank value: 2.5 × 50% = 1.25.`);
    expect(screen).toContain(`0.5 (50%)`);
    expect(screen).toContain(`Evidence loses half its weight every ${half} days`);
  });

  test("declaring, hiding, showing and removing write user_topics and nothing else", async () => {
    const { expert, openTag, secretTag } = await world();
    const post = async (fields: Record<string, string>) => call(expertiseAction, await postAs(t.db, expert, expertisePath(expert.id), fields), params(expert.id));
    const before = await elsewhere(expert.id);

    expect(await post({ intent: "declare", tags: `${secretTag}, ${openTag}` })).toMatchObject({ ok: true, notice: expect.stringContaining(secretTag) });
    expect(await topicsOf(expert.id)).toEqual([
      { tag: openTag, declared: true, hidden: false },
      { tag: secretTag, declared: true, hidden: false },
    ]);
    // The trigger queued the person's rebuild (the experts page and search follow from there).
    expect(await t.db.$count(expertiseOutbox, eq(expertiseOutbox.userId, expert.id))).toBe(1);
    await post({ intent: "hide", tag: openTag });
    expect((await topicsOf(expert.id))[0]).toEqual({ tag: openTag, declared: true, hidden: true });
    await post({ intent: "show", tag: openTag });
    expect((await topicsOf(expert.id))[0]).toEqual({ tag: openTag, declared: true, hidden: false });
    await post({ intent: "undeclare", tag: openTag });
    await post({ intent: "undeclare", tag: secretTag });
    expect(await topicsOf(expert.id)).toEqual([]);
    // A topic from evidence alone: hiding it makes a row, showing it again leaves none.
    await post({ intent: "hide", tag: secretTag });
    expect(await topicsOf(expert.id)).toEqual([{ tag: secretTag, declared: false, hidden: true }]);
    expect(await post({ intent: "show", tag: secretTag })).toMatchObject({ ok: true });
    expect(await topicsOf(expert.id)).toEqual([]);
    expect(await elsewhere(expert.id)).toEqual(before);
  });

  test("unknown tags, tags only a hidden space uses and bad names answer 400 with the typed text; nothing is written", async () => {
    const { expert, outsider, secretTag } = await world();
    const post = async (user: typeof expert, fields: Record<string, string>) => call(expertiseAction, await postAs(t.db, user, expertisePath(user.id), fields), params(user.id));

    const unknown = await post(expert, { intent: "declare", tags: "no-such-skill" });
    expect(unknown.init?.status).toBe(400);
    expect(unknown.data).toMatchObject({ ok: false, values: { tags: "no-such-skill" }, fieldErrors: { tags: expect.stringContaining("“no-such-skill”") } });
    // To someone outside the restricted space, its tag is as unknown as a missing one.
    const hiddenTag = await post(outsider, { intent: "declare", tags: secretTag });
    expect(hiddenTag.data).toMatchObject({ fieldErrors: { tags: `There is no tag “${secretTag}” in the spaces you can see: pick skills from the suggestions.` } });
    expect(await thrown(post(outsider, { intent: "hide", tag: secretTag }))).toBeInstanceOf(NotFoundError);
    const bad = await post(expert, { intent: "declare", tags: "Not<a>tag!" });
    expect(bad.init?.status).toBe(400);
    expect(bad.data).toMatchObject({ values: { tags: "Not<a>tag!" }, fieldErrors: { tags: expect.stringContaining("is not a tag") } });
    expect((await post(expert, { intent: "hide" })).init?.status).toBe(400);
    expect(await thrown(post(expert, { intent: "nonsense" }))).toMatchObject({ init: { status: 400 } });
    expect(await topicsOf(expert.id)).toEqual([]);
    expect(await topicsOf(outsider.id)).toEqual([]);

    // At most DECLARED_MAX skills.
    const names = Array.from({ length: DECLARED_MAX }, () => unique("skill"));
    await createTags(t.db, names);
    await t.db.execute(sql`insert into user_topics (user_id, tag_id, declared) select ${expert.id}, id, true from tags where name in (${sql.join(names, sql`, `)})`);
    const full = await post(expert, { intent: "declare", tags: secretTag });
    expect(full.data).toMatchObject({ fieldErrors: { tags: expect.stringContaining(`at most ${DECLARED_MAX}`) } });
    expect((await topicsOf(expert.id)).length).toBe(DECLARED_MAX);
  });
});

describe("availability and opt-outs", () => {
  test("opting out of routing and of the role lists, and an away day, are saved, shown and queue the search document", async () => {
    const me = await createUser(t.db);
    const colleague = await createUser(t.db);
    const save = async (fields: Record<string, string>) => call(settingsAction, await postAs(t.db, me, "/settings/expertise", { intent: "save-availability", ...fields }));

    expect(await save({ rolesOptOut: "on", awayUntil: "" })).toMatchObject({ ok: true });
    const [row] = await t.db.select().from(users).where(eq(users.id, me.id));
    expect(row).toMatchObject({ routingOptOut: true, rolesOptOut: true, awayUntil: null });
    expect(await t.db.$count(outbox, and(eq(outbox.kind, "person"), eq(outbox.itemId, me.id)))).toBe(1);
    expect(availabilityLabel((await profileExpertise(t.db, colleague, me.id)).availability)).toBe("Not taking routed questions");

    const back = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    expect(await save({ openToRouted: "on", awayUntil: back })).toMatchObject({ ok: true });
    const [away] = await t.db.select().from(users).where(eq(users.id, me.id));
    expect(away).toMatchObject({ routingOptOut: false, rolesOptOut: false, awayUntil: new Date(`${back}T00:00:00Z`) });
    expect(availabilityLabel((await profileExpertise(t.db, colleague, me.id)).availability)).toMatch(/^Away until [A-Z][a-z]{2} \d{1,2}, \d{4}$/);
    const loaded = (await call(settingsLoader, await requestAs(t.db, me, "/settings/expertise"))) as unknown as { availability: { awayUntil: Date } };
    expect(loaded.availability.awayUntil).toEqual(new Date(`${back}T00:00:00Z`));
  });

  test("a past day, today, an unreal date and a far one are refused with the typed values; nothing changes", async () => {
    const me = await createUser(t.db);
    const today = new Date().toISOString().slice(0, 10);
    for (const [awayUntil, message] of [
      ["2020-01-01", "Pick a day after today"],
      [today, "Pick a day after today"],
      ["2026-02-30", "Enter a date like"],
      ["soon", "Enter a date like"],
      [new Date(Date.now() + 400 * DAY).toISOString().slice(0, 10), "within a year"],
    ] as const) {
      const reply = await call(settingsAction, await postAs(t.db, me, "/settings/expertise", { intent: "save-availability", awayUntil, rolesOptOut: "on" }));
      expect(reply.init?.status, awayUntil).toBe(400);
      expect(reply.data, awayUntil).toMatchObject({ ok: false, values: { awayUntil, rolesOptOut: "on" }, fieldErrors: { awayUntil: expect.stringContaining(message) } });
    }
    const [row] = await t.db.select().from(users).where(eq(users.id, me.id));
    expect(row).toMatchObject({ routingOptOut: false, rolesOptOut: false, awayUntil: null });
    expect(await thrown(call(settingsAction, await postAs(t.db, me, "/settings/expertise", { rolesOptOut: "on" })))).toMatchObject({ init: { status: 400 } });
  });
});

describe("who opens what", () => {
  test("only its person opens their expertise page or changes it: other members, HR and admins get a 404 and write nothing", async () => {
    const { expert, openTag } = await world();
    expect(await call(expertiseLoader, await requestAs(t.db, expert, expertisePath(expert.id)), params(expert.id))).toMatchObject({ userId: expert.id });
    for (const other of [await createUser(t.db), await createUser(t.db, {}, "hr"), await createUser(t.db, {}, "admin")]) {
      expect(await thrown(call(expertiseLoader, await requestAs(t.db, other, expertisePath(expert.id)), params(expert.id)))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(expertiseAction, await postAs(t.db, other, expertisePath(expert.id), { intent: "hide", tag: openTag }), params(expert.id)))).toBeInstanceOf(NotFoundError);
    }
    for (const bad of ["abc", "0", "99999999999"]) {
      expect(await thrown(call(expertiseLoader, await requestAs(t.db, expert, expertisePath(expert.id)), { userId: bad }))).toBeInstanceOf(NotFoundError);
    }
    expect(await topicsOf(expert.id)).toEqual([]);
  });

  test("customers go to their home page and deactivated accounts to sign-in, from every new route", async () => {
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    for (const user of [customer, gone]) {
      const expected = user === customer ? /^\/$/ : /^\/sign-in/;
      const routes: Array<[(args: never) => unknown, string, Record<string, string> | null]> = [
        [expertiseLoader, expertisePath(user.id), null],
        [expertiseAction, expertisePath(user.id), { intent: "declare", tags: "anything" }],
        [settingsLoader, "/settings/expertise", null],
        [settingsAction, "/settings/expertise", { intent: "save-availability", rolesOptOut: "on" }],
      ];
      for (const [handler, path, fields] of routes) {
        const request = fields ? await postAs(t.db, user, path, fields) : await requestAs(t.db, user, path);
        expect(redirectTarget(await thrown(call(handler, request, params(user.id)))), path).toMatch(expected);
      }
      const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
      expect(row!.rolesOptOut).toBe(false);
      expect(await topicsOf(user.id)).toEqual([]);
    }
  });
});

describe("what people wrote stays text", () => {
  test("page titles in evidence render as text on the profile and on the explanation", async () => {
    const me = await createUser(t.db, { name: "Owen Owner" });
    const space = await createSpace(t.db);
    const titles = payloads
      .map((p) => p.payload)
      .filter((p) => /[<>"']/.test(p) && NewPageSchema.shape.title.safeParse(p).success)
      .slice(0, 6);
    expect(titles.length).toBeGreaterThan(3);
    const tags = titles.map((_, i) => unique(`xss-${i}`));
    await createTags(t.db, tags);
    for (const [i, title] of titles.entries()) await createWikiPage(t.db, { author: me, space, title, tags: [tags[i]!] });
    await drainAll();

    const page = (await call(expertiseLoader, await requestAs(t.db, me, expertisePath(me.id)), params(me.id))) as unknown as Awaited<ReturnType<typeof expertiseLoader>>;
    const explained = renderRoute(ExpertiseRoute as never, page, { id: me.id, name: me.name, role: "member" });
    const expertise = await profileExpertise(t.db, await createUser(t.db), me.id);
    expect(expertise.topics.length).toBe(5);
    const Section = () => createElement(ProfileExpertiseSection, { expertise, userId: me.id, firstName: "Owen" });
    const profile = renderRoute(Section as never, null, { id: me.id, name: me.name, role: "member" });
    for (const html of [explained, profile]) expect(executable(html)).toEqual([]);
    const explainedText = parseScreen(explained).textContent!;
    for (const title of titles.slice(0, 5)) expect(explainedText).toContain(title.trim().replace(/\s+/g, " "));
    expect(parseScreen(profile).textContent).toContain("Owns the page ");
  });
});
