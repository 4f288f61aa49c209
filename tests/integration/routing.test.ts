import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { ComponentType } from "react";
import { createElement } from "react";
import { describe, expect, test } from "vitest";
import { mailOutbox, notifications, posts, questionRouting, questionRoutes, reputationEvents, spaces, tags, tagSmes, users } from "#db/schema/index.ts";
import { askAnonymously } from "#app/features/anonymous/ask.server.ts";
import { drainExpertiseOutbox } from "#app/features/expertise/evidence.server.ts";
import { DEFAULT_SETTINGS } from "#app/features/expertise/settings.server.ts";
import { askExpert } from "#app/features/routing/ask.server.ts";
import { routingDashboard } from "#app/features/routing/dashboard.server.ts";
import { routedMail } from "#app/features/routing/mail.server.ts";
import { routeQuestions } from "#app/features/routing/routing.server.ts";
import { questionExperts, type QuestionExpert } from "#app/features/routing/suggestions.server.ts";
import { addWorkingHours } from "#app/features/routing/working-hours.ts";
import { slugify } from "#app/features/qa/question-url.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { action as adminSpaceAction } from "#app/routes/admin/space.tsx";
import { action as askExpertAction, loader as askExpertLoader } from "#app/routes/questions/ask-expert.tsx";
import { action as askAction, loader as askLoader } from "#app/routes/questions/ask.tsx";
import { loader as questionLoader } from "#app/routes/questions/question.tsx";
import { action as routingAction, loader as routingLoader } from "#app/routes/spaces/routing.tsx";
import { ExpertsPanel } from "#app/components/routing/experts-panel.tsx";
import { OpenRoutedTable } from "#app/components/routing/dashboard-tables.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, redirected, redirectTarget, rejects, reputationOf, requestAs, routeCaller, type RouteHandler, storedPost, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { executable, parseScreen, payloads, renderRoute, rendersAsText } from "#tests/xss-render.ts";

/**
 * Routing (docs/routing.md) against a real database, on a fake clock: rounds and escalation,
 * SMEs first, the weekly limit, opt-outs and away, answers and their reputation, "Ask this person"
 * and the ask page's `?to=`, the dashboard's figures, and who reaches each new route. Search is
 * left out (null): the topic part of the model chooses, which keeps the rankings exact.
 */
const t = setupTestDb();
const call = routeCaller(t);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEADLINE = 24;

type User = Awaited<ReturnType<typeof createUser>>;

async function drainAll() {
  while ((await drainExpertiseOutbox(t.db)) > 0) {
    // until the model has caught up
  }
}

let worlds = 0;
/**
 * A restricted space with a 24-hour deadline, a moderator, an asker, and `count` experts on a topic
 * of its own, ranked by how many of its questions they answered in an open space (the first
 * answered most). Restricted, so that only this world's people can receive its questions: the
 * model also ranks people by their recent work in general, and every world's experts are busy.
 */
async function world(count = 5) {
  worlds++;
  const tag = `routing-${worlds}`;
  const asker = await createUser(t.db, { name: `Asker ${worlds}` });
  const moderator = await createUser(t.db, { name: `Moderator ${worlds}` });
  const experts: User[] = [];
  for (let i = 0; i < count; i++) experts.push(await createUser(t.db, { name: `Expert ${worlds}-${i}` }));
  const history = await createSpace(t.db);
  for (const [i, expert] of experts.entries()) {
    for (let j = 0; j < count - i + 1; j++) await createAnswer(t.db, { author: expert, questionId: await createQuestion(t.db, { author: moderator, space: history, tags: [tag] }) });
  }
  await drainAll();
  const space = await createSpace(t.db, { answerDeadlineHours: DEADLINE, moderators: [moderator], members: [asker, ...experts] }, "restricted");
  const ask = (author: User = asker, tagNames = [tag]) => createQuestion(t.db, { author, space, tags: tagNames });
  return { tag, asker, moderator, experts, space, ask };
}

/** A minute ahead of the database's clock: after every row the test wrote. */
const soon = () => new Date(Date.now() + 60_000);

async function routesOf(questionId: number) {
  return t.db
    .select({ userId: questionRoutes.userId, reason: questionRoutes.reason, round: questionRoutes.round, askedById: questionRoutes.askedById, why: questionRoutes.why })
    .from(questionRoutes)
    .where(eq(questionRoutes.questionId, questionId))
    .orderBy(asc(questionRoutes.round), asc(questionRoutes.userId));
}

async function routingOf(questionId: number) {
  const [row] = await t.db.select().from(questionRouting).where(eq(questionRouting.questionId, questionId));
  return row;
}

async function routedNotifications(userIds: number[]) {
  return t.db
    .select({ userId: notifications.userId, actorId: notifications.actorId })
    .from(notifications)
    .where(and(eq(notifications.kind, "routed"), inArray(notifications.userId, userIds)))
    .orderBy(asc(notifications.userId));
}

async function mailsTo(userIds: number[]) {
  return t.db.select().from(mailOutbox).where(inArray(mailOutbox.userId, userIds)).orderBy(asc(mailOutbox.userId));
}

const ids = (people: User[]) => people.map((p) => p.id);

describe("the routing job", () => {
  test("round 1 to the top experts, nothing before the deadline, round 2 to the next ones, then the moderators; two instances at once route once", async () => {
    const w = await world(5);
    const q = await w.ask();
    const t0 = soon();
    await Promise.all([routeQuestions(t.db, null, t0), routeQuestions(t.db, null, t0)]);
    const [e0, e1, e2, e3, e4] = w.experts as [User, User, User, User, User];
    expect((await routesOf(q)).map((r) => [r.userId, r.reason, r.round])).toEqual([e0, e1, e2].map((e) => [e.id, "expert", 1]));
    const due1 = addWorkingHours(t0, DEADLINE);
    expect(await routingOf(q)).toMatchObject({ status: "routing", round: 1, dueAt: due1, spaceId: w.space.id });
    // Each of them has it in the inbox (sent by routing: no one is named) and by mail.
    expect(await routedNotifications(ids(w.experts))).toEqual([e0, e1, e2].map((e) => ({ userId: e.id, actorId: null })));
    const mails = await mailsTo(ids(w.experts));
    expect(mails.map((m) => [m.userId, m.template, m.subject])).toEqual([e0, e1, e2].map((e) => [e.id, "routed-expert", "Commons: A question for you"]));
    // The mail says why they were picked: their evidence line.
    expect(mails[0]!.text).toContain((await routesOf(q))[0]!.why);

    await routeQuestions(t.db, null, new Date(due1.getTime() - 60_000));
    expect(await routesOf(q)).toHaveLength(3);

    await routeQuestions(t.db, null, due1);
    expect((await routesOf(q)).slice(3).map((r) => [r.userId, r.reason, r.round])).toEqual([e3, e4].map((e) => [e.id, "expert", 2]));
    const due2 = addWorkingHours(due1, DEADLINE);
    expect(await routingOf(q)).toMatchObject({ status: "routing", round: 2, dueAt: due2 });

    await routeQuestions(t.db, null, due2);
    expect((await routesOf(q)).slice(5)).toEqual([{ userId: w.moderator.id, reason: "moderator", round: 3, askedById: null, why: `moderator of ${w.space.name}` }]);
    expect(await routingOf(q)).toMatchObject({ status: "moderators", round: 3 });
    expect((await mailsTo([w.moderator.id])).map((m) => m.template)).toEqual(["routed-moderator"]);

    // Nothing more happens to it, however long it waits.
    await routeQuestions(t.db, null, new Date(due2.getTime() + 10 * DAY));
    expect(await routesOf(q)).toHaveLength(6);
  });

  test("the topics' assigned SMEs come first; a question no one knows goes straight to the moderators", async () => {
    const w = await world(3);
    const sme = await createUser(t.db, { name: "Assigned SME" });
    await t.db.execute(sql`insert into space_members (space_id, user_id) values (${w.space.id}, ${sme.id})`);
    const [tag] = await t.db.select({ id: tags.id }).from(tags).where(eq(tags.name, w.tag));
    await t.db.insert(tagSmes).values({ tagId: tag!.id, userId: sme.id, source: "assigned", assignedById: w.moderator.id });
    const q = await w.ask();
    // A space where no one but its asker and moderator could take a question.
    const lonely = await createSpace(t.db, { answerDeadlineHours: DEADLINE, moderators: [w.moderator], members: [w.asker] }, "restricted");
    const nobody = await createQuestion(t.db, { author: w.asker, space: lonely, tags: [w.tag] });
    await routeQuestions(t.db, null, soon());
    const routes = await routesOf(q);
    expect(routes.map((r) => r.userId).sort((a, b) => a - b)).toEqual([sme.id, w.experts[0]!.id, w.experts[1]!.id].sort((a, b) => a - b));
    expect(routes.find((r) => r.userId === sme.id)!.why).toBe(`subject-matter expert for ${w.tag}`);
    expect(routes.find((r) => r.userId === w.experts[0]!.id)!.why).toMatch(/answers? on routing-/);
    expect(await routesOf(nobody)).toEqual([expect.objectContaining({ userId: w.moderator.id, reason: "moderator" })]);
    expect(await routingOf(nobody)).toMatchObject({ status: "moderators" });
  });

  test("load spreading: someone sent the weekly limit of questions (asked directly counts too) is skipped for the next candidate, and a further ask is refused", async () => {
    const w = await world(4);
    const [e0, e1, e2, e3] = w.experts as [User, User, User, User];
    const elsewhere = await createSpace(t.db);
    const limit = DEFAULT_SETTINGS.routing.weeklyLimit;
    for (let i = 0; i <= limit; i++) {
      const other = await createQuestion(t.db, { author: w.asker, space: elsewhere, tags: [w.tag] });
      if (i < limit) expect((await askExpert(t.db, w.asker, other, e0.id)).created).toBe(true);
      else expect((await rejects(askExpert(t.db, w.asker, other, e0.id))).message).toContain(`${limit} questions`);
    }
    expect(await t.db.$count(questionRoutes, eq(questionRoutes.userId, e0.id))).toBe(limit);
    const q = await w.ask();
    await routeQuestions(t.db, null, soon());
    expect((await routesOf(q)).map((r) => r.userId)).toEqual([e1.id, e2.id, e3.id]);
  });

  test("people who opted out or are away are never routed, suggested or asked; an absence that ended counts for nothing", async () => {
    const w = await world(5);
    const [e0, e1, e2, e3, e4] = w.experts as [User, User, User, User, User];
    await t.db.update(users).set({ routingOptOut: true }).where(eq(users.id, e0.id));
    await t.db
      .update(users)
      .set({ awayUntil: new Date(Date.now() + 10 * DAY) })
      .where(eq(users.id, e1.id));
    await t.db
      .update(users)
      .set({ awayUntil: new Date(Date.now() - DAY) })
      .where(eq(users.id, e2.id));
    const q = await w.ask();
    const reader = w.moderator;
    const suggested = await questionExperts(t.db, null, reader, q);
    expect(suggested.map((s) => s.id)).toEqual([e2.id, e3.id, e4.id]);
    await routeQuestions(t.db, null, soon());
    expect((await routesOf(q)).map((r) => r.userId)).toEqual([e2.id, e3.id, e4.id]);
    expect((await rejects(askExpert(t.db, reader, q, e0.id))).message).toContain("turned off");
    expect((await rejects(askExpert(t.db, reader, q, e1.id))).message).toContain("away until");
    expect(await routedNotifications([e0.id, e1.id])).toEqual([]);
    expect(await t.db.$count(questionRoutes, inArray(questionRoutes.userId, [e0.id, e1.id]))).toBe(0);
  });

  test("an answer settles the routing; each routed person who answers earns one routed_answer event, others none; closed questions leave routing", async () => {
    const w = await world(3);
    const [e0, e1] = w.experts as [User, User];
    const q = await w.ask();
    const closing = await w.ask();
    await routeQuestions(t.db, null, soon());
    const before = await reputationOf(t.db, e0.id);
    await createAnswer(t.db, { author: e0, questionId: q });
    const routing = await routingOf(q);
    expect(routing).toMatchObject({ status: "answered" });
    expect(routing!.firstAnswerAt).not.toBeNull();
    expect(
      (
        await t.db
          .select()
          .from(questionRoutes)
          .where(and(eq(questionRoutes.questionId, q), eq(questionRoutes.userId, e0.id)))
      )[0]!.answeredAt,
    ).not.toBeNull();
    // A second answer earns nothing more; a person it was not sent to earns nothing.
    await createAnswer(t.db, { author: e0, questionId: q });
    // The moderator was not sent it.
    const notSent = w.moderator;
    await createAnswer(t.db, { author: notSent, questionId: q });
    await createAnswer(t.db, { author: e1, questionId: q });
    const events = await t.db
      .select({ userId: reputationEvents.userId, delta: reputationEvents.delta })
      .from(reputationEvents)
      .where(eq(reputationEvents.reason, "routed_answer"))
      .orderBy(asc(reputationEvents.userId));
    expect(events.filter((e) => [e0.id, e1.id, notSent.id].includes(e.userId))).toEqual([
      { userId: e0.id, delta: DEFAULT_SETTINGS.routing.answerReputation },
      { userId: e1.id, delta: DEFAULT_SETTINGS.routing.answerReputation },
    ]);
    expect(await reputationOf(t.db, e0.id)).toBe(before + DEFAULT_SETTINGS.routing.answerReputation);
    await t.db.update(posts).set({ closedAt: new Date() }).where(eq(posts.id, closing));
    const later = new Date(Date.now() + 30 * DAY);
    await routeQuestions(t.db, null, later);
    expect(await routingOf(closing)).toMatchObject({ status: "closed" });
    expect(await routesOf(q)).toHaveLength(3);
  });
});

describe("Ask this person", () => {
  async function restrictedWorld() {
    const w = await world(1);
    const member = await createUser(t.db, { name: "Member Who Asks" });
    await t.db.execute(sql`insert into space_members (space_id, user_id) values (${w.space.id}, ${member.id})`);
    const outsider = await createUser(t.db);
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const q = await w.ask();
    return { ...w, expert: w.experts[0]!, member, outsider, customer, gone, q, path: `/questions/${q}/experts/ask`, params: { questionId: String(q) } };
  }

  test("a fetcher gets JSON, a plain form goes back to the question; asking twice sends once: one route, one inbox entry, one mail", async () => {
    const w = await restrictedWorld();
    const first = await call(askExpertAction, await postAs(t.db, w.member, w.path, { intent: "ask", userId: String(w.expert.id), _fetcher: "1" }), w.params);
    expect(first).toEqual({ ok: true, created: true, name: w.expert.name });
    const again = await redirected(call(askExpertAction, await postAs(t.db, w.member, w.path, { intent: "ask", userId: String(w.expert.id) }), w.params));
    expect(again).toMatch(new RegExp(`^/questions/${w.q}/[a-z0-9-]+#experts$`));
    expect(await routesOf(w.q)).toEqual([expect.objectContaining({ userId: w.expert.id, reason: "asked", round: 0, askedById: w.member.id })]);
    expect(await routedNotifications([w.expert.id])).toEqual([{ userId: w.expert.id, actorId: w.member.id }]);
    const mails = await mailsTo([w.expert.id]);
    expect(mails.map((m) => [m.template, m.subject])).toEqual([["routed-asked", "Commons: Member Who Asks asks you to answer a question"]]);
    // The panel shows the person as asked, to the one who asked.
    const panel = await questionExperts(t.db, null, w.member, w.q);
    expect(panel).toEqual([expect.objectContaining({ id: w.expert.id, askedByYou: true })]);
  });

  test("someone who can't see the space, a customer, a deactivated account or no one at all: the same 404, nothing written; yourself or the asker: refused with a reason", async () => {
    const w = await restrictedWorld();
    const answers: unknown[] = [];
    for (const target of [w.outsider.id, w.customer.id, w.gone.id, 2_000_000_000]) {
      answers.push(await thrown(call(askExpertAction, await postAs(t.db, w.member, w.path, { intent: "ask", userId: String(target), _fetcher: "1" }), w.params)));
    }
    for (const answer of answers) expect(answer).toEqual(answers[3]);
    expect(answers[3]).toBeInstanceOf(NotFoundError);
    expect(await thrown(call(askExpertAction, await postAs(t.db, w.member, w.path, { intent: "ask", userId: "abc" }), w.params))).toBeInstanceOf(NotFoundError);
    const self = await call(askExpertAction, await postAs(t.db, w.member, w.path, { intent: "ask", userId: String(w.member.id), _fetcher: "1" }), w.params);
    expect(self).toMatchObject({ data: { ok: false, message: "You can't send a question to yourself." }, init: { status: 400 } });
    const asker = await call(askExpertAction, await postAs(t.db, w.member, w.path, { intent: "ask", userId: String(w.asker.id) }), w.params);
    expect(asker).toMatchObject({ data: { ok: false, message: `${w.asker.name} asked this question.` }, init: { status: 400 } });
    expect(await routesOf(w.q)).toEqual([]);
    expect(await routedNotifications([w.outsider.id, w.customer.id, w.gone.id, w.member.id, w.asker.id])).toEqual([]);
  });

  test("who reaches the route: a member; outside the restricted space the 404 of a missing question, nothing written; customers go home and deactivated accounts to sign-in", async () => {
    const w = await restrictedWorld();
    expect(await call(askExpertLoader, await requestAs(t.db, w.member, w.path), w.params)).toEqual({ back: expect.stringMatching(new RegExp(`^/questions/${w.q}/`)) });
    const hidden = await thrown(call(askExpertAction, await postAs(t.db, w.outsider, w.path, { intent: "ask", userId: String(w.expert.id) }), w.params));
    const missing = await thrown(
      call(askExpertAction, await postAs(t.db, w.outsider, "/questions/2000000000/experts/ask", { intent: "ask", userId: String(w.expert.id) }), { questionId: "2000000000" }),
    );
    expect(hidden).toBeInstanceOf(NotFoundError);
    expect(hidden).toEqual(missing);
    expect(await thrown(call(askExpertLoader, await requestAs(t.db, w.outsider, w.path), w.params))).toEqual(missing);
    for (const [who, target] of [
      [w.customer, /^\/$/],
      [w.gone, /^\/sign-in/],
    ] as const) {
      expect(redirectTarget(await thrown(call(askExpertLoader, await requestAs(t.db, who, w.path), w.params)))).toMatch(target);
      expect(redirectTarget(await thrown(call(askExpertAction, await postAs(t.db, who, w.path, { intent: "ask", userId: String(w.expert.id) }), w.params)))).toMatch(target);
    }
    expect(await routesOf(w.q)).toEqual([]);
  });

  test("an anonymous question's asker asks without their name: not on the route, the inbox entry or the mail", async () => {
    const expert = await createUser(t.db, { name: "Benefits Expert" });
    const asker = await createUser(t.db, { name: "Zebulon Quietasker" });
    const space = await createSpace(t.db, { anonymousQuestions: true });
    await createQuestion(t.db, { author: expert, space, tags: ["benefits"] });
    const { id: q } = await askAnonymously(t.db, asker, {
      space: space.slug,
      title: "How is the pension match calculated?",
      body: "Details about the pension match, please.",
      tags: ["benefits"],
    });
    expect((await askExpert(t.db, asker, q, expert.id)).created).toBe(true);
    expect(await routesOf(q)).toEqual([expect.objectContaining({ userId: expert.id, reason: "asked", askedById: null })]);
    expect(await routedNotifications([expert.id])).toEqual([{ userId: expert.id, actorId: null }]);
    const [mail] = await mailsTo([expert.id]);
    expect(mail!.subject).toBe("Commons: A colleague asks you to answer a question");
    expect(`${mail!.text}${mail!.html}`).not.toContain("Zebulon");
  });

  test("the ask page's ?to= names the person and sends the new question to them; one who can't see the chosen space is a field error, nothing written", async () => {
    const w = await restrictedWorld();
    const page = await call(askLoader, await requestAs(t.db, w.member, `/questions/ask?to=${w.expert.id}`));
    expect(page.to).toEqual({ id: w.expert.id, name: w.expert.name, unavailable: null });
    expect(await thrown(call(askLoader, await requestAs(t.db, w.member, `/questions/ask?to=${w.customer.id}`)))).toBeInstanceOf(NotFoundError);
    const fields = (space: string, title: string) => ({
      space,
      title,
      body: "What is the right way to rotate the signing keys here?",
      tags: w.tag,
      submissionKey: crypto.randomUUID(),
      to: String(w.expert.id),
    });
    const to = `/questions/ask?to=${w.expert.id}`;
    const url = await redirected(call(askAction, await postAs(t.db, w.member, to, fields(w.space.slug, "Rotating the signing keys safely"))));
    const created = Number(/^\/questions\/(\d+)\//.exec(url)![1]);
    expect(await routesOf(created)).toEqual([expect.objectContaining({ userId: w.expert.id, reason: "asked", askedById: w.member.id })]);
    // A restricted space the expert is not in.
    const secret = await createSpace(t.db, { members: [w.member] }, "restricted");
    const refused = await call(askAction, await postAs(t.db, w.member, to, fields(secret.slug, "A question for the secret space")));
    expect(refused).toMatchObject({
      init: { status: 400 },
      data: { fieldErrors: { space: expect.stringContaining("can't see this space") }, values: { title: "A question for the secret space" } },
    });
    expect(await t.db.$count(posts, eq(posts.title, "A question for the secret space"))).toBe(0);
    // Away since: the form says so, and nothing is asked.
    await t.db
      .update(users)
      .set({ awayUntil: new Date(Date.now() + 3 * DAY) })
      .where(eq(users.id, w.expert.id));
    const away = await call(askAction, await postAs(t.db, w.member, to, fields(w.space.slug, "A question while they are away")));
    expect(away).toMatchObject({ init: { status: 400 }, data: { formError: expect.stringContaining("is away until") } });
    expect(await t.db.$count(posts, eq(posts.title, "A question while they are away"))).toBe(0);
  });
});

describe("the question page's experts", () => {
  test("streamed up to three, never the reader or the asker; none once an answer is accepted", async () => {
    const w = await world(5);
    const q = await w.ask();
    const reader = w.experts[1]!;
    const params = { questionId: String(q), slug: slugify((await storedPost(t.db, q)).title!) };
    const reply = await call(questionLoader, await requestAs(t.db, reader, `/questions/${q}/${params.slug}`), params);
    // The loader hands over a promise (the page streams it) and does not wait for it.
    expect(reply.experts).toBeInstanceOf(Promise);
    const experts = (await reply.experts) as QuestionExpert[];
    expect(experts.map((e) => e.id)).toEqual([w.experts[0]!.id, w.experts[2]!.id, w.experts[3]!.id]);
    expect(experts[0]!.why).toMatch(/answers on routing-/);
    const answer = await createAnswer(t.db, { author: w.experts[0]!, questionId: q });
    await t.db.update(posts).set({ acceptedAnswerId: answer }).where(eq(posts.id, q));
    expect((await call(questionLoader, await requestAs(t.db, reader, `/questions/${q}/${params.slug}`), params)).experts).toBeNull();
  });
});

describe("the routing dashboard", () => {
  test("time to first answer (p50, p90), the unanswered rate and routed versus answered, on a hand-made space", async () => {
    const member = await createUser(t.db);
    const [e1, e2] = [await createUser(t.db), await createUser(t.db)];
    const space = await createSpace(t.db);
    const now = new Date();
    const at = (ms: number) => new Date(now.getTime() - 5 * DAY + ms);
    const ask = async (answeredAfter: number | null, by: User = e2) => {
      const q = await createQuestion(t.db, { author: member, space, tags: ["dashboard"] });
      await t.db
        .update(posts)
        .set({ createdAt: at(0) })
        .where(eq(posts.id, q));
      if (answeredAfter !== null) {
        const a = await createAnswer(t.db, { author: by, questionId: q });
        await t.db
          .update(posts)
          .set({ createdAt: at(answeredAfter) })
          .where(eq(posts.id, a));
      }
      return q;
    };
    const q1 = await ask(1 * HOUR, e1);
    await ask(2 * HOUR);
    await ask(4 * HOUR);
    const q4 = await ask(null);
    // Out of the 30-day window, inside the 90-day one.
    const old = await ask(10 * HOUR);
    await t.db
      .update(posts)
      .set({ createdAt: new Date(now.getTime() - 40 * DAY) })
      .where(eq(posts.id, old));
    await t.db.insert(questionRoutes).values([
      { questionId: q1, userId: e1.id, reason: "expert", round: 1, routedAt: at(10 * 60_000), answeredAt: at(HOUR) },
      { questionId: q4, userId: e2.id, reason: "expert", round: 1, routedAt: at(10 * 60_000) },
      { questionId: q4, userId: e1.id, reason: "asked", round: 0, askedById: member.id, routedAt: at(20 * 60_000) },
    ]);
    await t.db.insert(questionRouting).values({ questionId: q4, spaceId: space.id, status: "routing", round: 1, dueAt: at(DAY), createdAt: at(10 * 60_000) });
    const d = await routingDashboard(t.db, member, space.slug, 30, 1, now);
    expect(d.answerTimes).toEqual([
      { group: "all", asked: 4, answered: 3, p50Seconds: 7200, p90Seconds: 12960 },
      { group: "routed", asked: 2, answered: 1, p50Seconds: 3600, p90Seconds: 3600 },
      { group: "not_routed", asked: 2, answered: 2, p50Seconds: 10800, p90Seconds: 13680 },
    ]);
    expect(d.weeks.reduce((n, w) => n + w.asked, 0)).toBe(4);
    expect(d.weeks.reduce((n, w) => n + w.unanswered, 0)).toBe(1);
    expect(d.routes).toEqual([
      { reason: "expert", people: 2, answered: 1, questions: 2, questionsAnswered: 1 },
      { reason: "moderator", people: 0, answered: 0, questions: 0, questionsAnswered: 0 },
      { reason: "asked", people: 1, answered: 0, questions: 1, questionsAnswered: 0 },
      { reason: "all", people: 3, answered: 1, questions: 2, questionsAnswered: 1 },
    ]);
    expect(d.open.rows).toEqual([expect.objectContaining({ id: q4, round: 1, status: "routing", dueAt: at(DAY) })]);
    const wide = await routingDashboard(t.db, member, space.slug, 90, 1, now);
    expect(wide.answerTimes[0]).toMatchObject({ asked: 5, answered: 4 });
    expect(wide.weeks.length).toBeGreaterThanOrEqual(13);
  });

  test("who reads it and who sets the deadline: members read; moderators and admins set; a plain member is refused; outside a restricted space, the 404 of a missing one", async () => {
    const member = await createUser(t.db);
    const moderator = await createUser(t.db);
    const outsider = await createUser(t.db);
    const admin = await createUser(t.db, {}, "admin");
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const space = await createSpace(t.db, { members: [member], moderators: [moderator] }, "restricted");
    const path = `/spaces/${space.slug}/routing`;
    const params = { slug: space.slug };
    const deadline = async () => (await t.db.select({ h: spaces.answerDeadlineHours }).from(spaces).where(eq(spaces.id, space.id)))[0]!.h;

    const read = await call(routingLoader, await requestAs(t.db, member, `${path}?days=90`), params);
    expect(read).toMatchObject({ days: 90, canManage: false, space: { answerDeadlineHours: null } });
    const hidden = await thrown(call(routingLoader, await requestAs(t.db, outsider, path), params));
    const missing = await thrown(call(routingLoader, await requestAs(t.db, outsider, "/spaces/nope/routing"), { slug: "nope" }));
    expect(hidden).toBeInstanceOf(NotFoundError);
    expect(hidden).toEqual(missing);
    expect(await thrown(call(routingAction, await postAs(t.db, outsider, path, { intent: "set-answer-deadline", answerDeadlineHours: "8" }), params))).toEqual(missing);
    expect(await thrown(call(routingAction, await postAs(t.db, member, path, { intent: "set-answer-deadline", answerDeadlineHours: "8" }), params))).toBeInstanceOf(ForbiddenError);
    expect(await deadline()).toBeNull();

    const bad = await call(routingAction, await postAs(t.db, moderator, path, { intent: "set-answer-deadline", answerDeadlineHours: "two days" }), params);
    expect(bad).toMatchObject({
      init: { status: 400 },
      data: { fieldErrors: { answerDeadlineHours: expect.stringContaining("whole number") }, values: { answerDeadlineHours: "two days" } },
    });
    expect(await redirected(call(routingAction, await postAs(t.db, moderator, path, { intent: "set-answer-deadline", answerDeadlineHours: "16" }), params))).toBe(`${path}?saved=1`);
    expect(await deadline()).toBe(16);
    expect((await call(routingLoader, await requestAs(t.db, moderator, path), params)).canManage).toBe(true);
    // The admin space page: admins only (a moderator gets the admin pages' 404); empty turns routing off.
    const adminPath = `/admin/spaces/${space.slug}`;
    expect(await thrown(call(adminSpaceAction, await postAs(t.db, moderator, adminPath, { intent: "set-answer-deadline", answerDeadlineHours: "" }), params))).toBeInstanceOf(NotFoundError);
    expect(await deadline()).toBe(16);
    // (This page's actions return their redirect rather than throw it.)
    expect(redirectTarget(await call(adminSpaceAction, await postAs(t.db, admin, adminPath, { intent: "set-answer-deadline", answerDeadlineHours: "" }), params))).toBe(
      `${adminPath}?saved=1`,
    );
    expect(await deadline()).toBeNull();

    const routes: Array<[RouteHandler, Record<string, string> | null]> = [
      [routingLoader, null],
      [routingAction, { intent: "set-answer-deadline", answerDeadlineHours: "1" }],
    ];
    for (const [handler, form] of routes) {
      const asCustomer = form ? await postAs(t.db, customer, path, form) : await requestAs(t.db, customer, path);
      expect(redirectTarget(await thrown(call(handler, asCustomer, params)))).toBe("/");
      const asGone = form ? await postAs(t.db, gone, path, form) : await requestAs(t.db, gone, path);
      expect(redirectTarget(await thrown(call(handler, asGone, params)))).toMatch(/^\/sign-in/);
    }
    const asked = await thrown(call(askLoader, await requestAs(t.db, customer, `/questions/ask?to=${member.id}`)));
    expect(redirectTarget(asked)).toBe("/");
    expect(await deadline()).toBeNull();
  });
});

describe("every XSS payload in what routing shows comes out as text", () => {
  test("names, titles and evidence lines in the experts panel, the dashboard's list and the mail", () => {
    const viewer = { id: 1, name: "Viewer", role: "member" };
    const experts: QuestionExpert[] = payloads.map(({ payload }, i) => ({ id: i + 1, name: payload, title: payload, department: payload, why: payload, askedByYou: i % 2 === 0 }));
    function Panel({ loaderData }: { loaderData: { experts: QuestionExpert[] } }) {
      // A resolved value (not a promise) renders at once, as a streamed list does once it arrives.
      return createElement(ExpertsPanel, { questionId: 1, experts: loaderData.experts as unknown as Promise<QuestionExpert[]> });
    }
    for (let i = 0; i < experts.length; i += 50) {
      expect(executable(renderRoute(Panel as ComponentType<never>, { experts: experts.slice(i, i + 50) }, viewer))).toEqual([]);
    }
    function Open({ loaderData }: { loaderData: { rows: Parameters<typeof OpenRoutedTable>[0]["rows"] } }) {
      return createElement(OpenRoutedTable, { rows: loaderData.rows });
    }
    const rows = payloads.map(({ payload }, i) => ({ id: i + 1, title: payload, url: `/questions/${i + 1}/x`, round: 1, status: "routing" as const, dueAt: new Date(), since: new Date() }));
    expect(executable(renderRoute(Open as ComponentType<never>, { rows }, viewer))).toEqual([]);
    for (const { payload } of payloads) {
      expect(rendersAsText(payload)).toBe(true);
      const mail = routedMail({
        to: { id: 1, email: "a@northwind.example", name: payload },
        question: { id: 1, title: payload },
        spaceName: payload,
        reason: "asked",
        askedBy: payload,
        why: payload,
        dueAt: null,
      });
      // The mail's own head (its meta and title) aside, nothing in it runs.
      const screen = parseScreen(mail.html);
      for (const el of screen.querySelectorAll("meta, title")) el.remove();
      expect(executable(screen), payload).toEqual([]);
    }
  });
});
