import { eq, inArray, sql } from "drizzle-orm";
import type { ComponentType } from "react";
import { describe, expect, test } from "vitest";
import { awardBallots, awardJurors, awardNominations, awardRounds, follows } from "#db/schema/index.ts";
import { inbox } from "#app/features/notifications/inbox.server.ts";
import { NominateSchema, RoundSchema } from "#app/features/recognition/award-schemas.ts";
import { createRound, nominate } from "#app/features/recognition/awards.server.ts";
import { loadItem } from "#app/features/social/kinds.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { datetimeLocalValue } from "#app/features/articles/schemas.ts";
import { action as editAction, loader as editLoader } from "#app/routes/awards/edit.tsx";
import AwardsRoute, { loader as listLoader } from "#app/routes/awards/index.tsx";
import { action as newAction, loader as newLoader } from "#app/routes/awards/new.tsx";
import AwardRoundRoute, { action as roundAction, loader as roundLoader } from "#app/routes/awards/round.tsx";
import { setupTestDb } from "#tests/db.ts";
import { browserOf, postAs, redirectTarget, requestAs, routeCaller, routeContext, type RouteHandler, thrown } from "#tests/helpers.ts";
import { createUser } from "#tests/factories/index.ts";
import { executable, parseScreen, payloads, problems, refusedOrStored, renderRoute, rendersAsText } from "#tests/xss-render.ts";

/**
 * The award round routes, called as React Router calls them: members read and take part, HR runs
 * rounds, members are refused HR's pages and actions, customers and deactivated accounts never
 * reach a feature, missing rounds are 404s, bad input comes back with the typed text and writes
 * nothing, and every XSS payload through a round's title, description and reward and a
 * nomination's statement is stored inert and renders inert on the pages.
 *
 * Rounds live in the company space, which can never be restricted (company-space.server.ts):
 * every active employee sees every round, so there is no "outside the space" reader to test.
 */
const t = setupTestDb();

const call = routeCaller(t);

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const local = (ms: number) => datetimeLocalValue(new Date(Date.now() + ms));

/** The new round form as a browser sends it: nominations open now for a week, then a week of voting. */
const roundFields = (attrs: Record<string, string> = {}) => ({
  title: "Customer hero of the quarter",
  description: "Who went out of their way for a customer?",
  reward: "Dinner for two",
  nomineeScope: "everyone",
  votesPerVoter: "1",
  winnerCount: "1",
  nominationsOpenAt: local(-60_000),
  nominationsCloseAt: local(7 * DAY),
  votingOpenAt: local(7 * DAY),
  votingCloseAt: local(14 * DAY),
  resultsAt: local(14 * DAY),
  ...attrs,
});

async function world() {
  const hr = await createUser(t.db, {}, "hr");
  const member = await createUser(t.db);
  const nominee = await createUser(t.db);
  const customer = await createUser(t.db, {}, "customer");
  const gone = await createUser(t.db, {}, "deactivated");
  const now = new Date();
  const { id } = await createRound(t.db, hr, RoundSchema.parse({ ...roundFields(), shortlist: "on" }), now);
  const handle = nominee.email.split("@")[0]!;
  return { hr, member, nominee, customer, gone, id, url: `/awards/${id}`, params: { roundId: String(id) }, handle };
}

describe("who reaches the award routes", () => {
  test("a member reads the list and the round and nominates; HR's pages are a 404 and HR's actions a 403, and they write nothing", async () => {
    const { hr, member, nominee, id, url, params, handle } = await world();
    const list = await call(listLoader, await requestAs(t.db, member, "/awards"));
    expect((list.rounds as Array<{ id: number }>).map((r) => r.id)).toContain(id);
    expect(list.canCreate).toBe(false);
    const page = await call(roundLoader, await requestAs(t.db, member, url), params);
    expect((page.round as { id: number }).id).toBe(id);
    expect((page.me as { canManage: boolean }).canManage).toBe(false);

    const nominated = redirectTarget(
      await thrown(call(roundAction, await postAs(t.db, member, url, { intent: "nominate", nominee: `@${handle}`, statement: "Stayed late all week to fix the billing bug." }), params)),
    );
    expect(nominated).toMatch(new RegExp(`^/awards/${id}#nomination-\\d+$`));
    // The nominee's inbox names the nominator and the round.
    const [told] = (await inbox(t.db, nominee)).items;
    expect(told).toMatchObject({ kind: "award", actor: { id: member.id }, title: "Customer hero of the quarter" });
    expect(told!.to).toMatch(new RegExp(`^/awards/${id}#nomination-\\d+$`));

    // Comments on the round, as on every kind's page.
    const commented = redirectTarget(
      await thrown(
        call(roundAction, await postAs(t.db, member, url, { intent: "comment", itemId: String((page.round as { itemId: number }).itemId), body: "Good luck to everyone!" }), params),
      ),
    );
    expect(commented).toMatch(new RegExp(`^/awards/${id}#comment-\\d+$`));

    expect(await thrown(call(newLoader, await requestAs(t.db, member, "/awards/new")))).toBeInstanceOf(NotFoundError);
    expect(await thrown(call(newAction, await postAs(t.db, member, "/awards/new", roundFields())))).toBeInstanceOf(NotFoundError);
    expect(await thrown(call(editLoader, await requestAs(t.db, member, `${url}/edit`), params))).toMatchObject({ name: "ForbiddenError" });
    expect(await thrown(call(editAction, await postAs(t.db, member, `${url}/edit`, roundFields({ title: "Renamed by a member" })), params))).toMatchObject({ name: "ForbiddenError" });
    const hrActions: Array<Record<string, string>> = [
      { intent: "move", step: "open-voting" },
      { intent: "jury", jurors: `@${handle}` },
      { intent: "shortlist", nominee: String(nominee.id) },
    ];
    for (const fields of hrActions) {
      expect(await thrown(call(roundAction, await postAs(t.db, member, url, fields), params)), fields.intent).toMatchObject({ name: "ForbiddenError" });
    }
    const [round] = await t.db.select().from(awardRounds).where(eq(awardRounds.id, id));
    expect(round!.title).toBe("Customer hero of the quarter");
    expect(round!.votingOpenAt.getTime()).toBeGreaterThan(Date.now());
    expect(await t.db.$count(awardRounds, eq(awardRounds.createdById, member.id))).toBe(0);
    expect(await t.db.$count(awardJurors, eq(awardJurors.roundId, id))).toBe(0);
    expect(await t.db.$count(awardNominations, sql`${awardNominations.shortlistedAt} is not null`)).toBe(0);

    // HR opens the form, creates a round, and runs this one.
    expect(await call(newLoader, await requestAs(t.db, hr, "/awards/new"))).toMatchObject({ defaults: { votesPerVoter: 1 } });
    const made = redirectTarget(await thrown(call(newAction, await postAs(t.db, hr, "/awards/new", roundFields({ title: "Team of the year" })))));
    expect(made).toMatch(/^\/awards\/\d+$/);
    expect(redirectTarget(await thrown(call(roundAction, await postAs(t.db, hr, url, { intent: "shortlist", nominee: String(nominee.id) }), params)))).toBe(`${url}#shortlist`);
    expect(await call(editLoader, await requestAs(t.db, hr, `${url}/edit`), params)).toMatchObject({ round: { id }, votingStarted: false });
  });

  test("a missing or malformed round id is a 404 on every route, for loaders and actions", async () => {
    const { member } = await world();
    for (const roundId of ["2000000000", "abc", "0"]) {
      const url = `/awards/${roundId}`;
      expect(await thrown(call(roundLoader, await requestAs(t.db, member, url), { roundId }))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(roundAction, await postAs(t.db, member, url, { intent: "vote", choice: "1" }), { roundId }))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(editLoader, await requestAs(t.db, member, `${url}/edit`), { roundId }))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(editAction, await postAs(t.db, member, `${url}/edit`, roundFields()), { roundId }))).toBeInstanceOf(NotFoundError);
    }
  });

  test("customers go to their home page and deactivated accounts to sign-in, from every award route, and nothing is written", async () => {
    const { customer, gone, url, params, handle } = await world();
    const routes: Array<[RouteHandler, string, Record<string, string> | null, Record<string, string>]> = [
      [listLoader, "/awards", null, {}],
      [newLoader, "/awards/new", null, {}],
      [newAction, "/awards/new", roundFields(), {}],
      [roundLoader, url, null, params],
      [roundAction, url, { intent: "nominate", nominee: handle, statement: "A statement that is long enough to pass." }, params],
      [roundAction, url, { intent: "vote", choice: "1" }, params],
      [editLoader, `${url}/edit`, null, params],
      [editAction, `${url}/edit`, roundFields(), params],
    ];
    for (const [handler, path, fields, routeParams] of routes) {
      const asCustomer = fields ? await postAs(t.db, customer, path, fields) : await requestAs(t.db, customer, path);
      expect(redirectTarget(await thrown(call(handler, asCustomer, routeParams))), path).toBe("/");
      const asGone = fields ? await postAs(t.db, gone, path, fields) : await requestAs(t.db, gone, path);
      expect(redirectTarget(await thrown(call(handler, asGone, routeParams))), path).toMatch(/^\/sign-in/);
    }
    for (const user of [customer, gone]) {
      expect(await t.db.$count(awardNominations, eq(awardNominations.nominatorId, user.id))).toBe(0);
      expect(await t.db.$count(awardBallots, eq(awardBallots.voterId, user.id))).toBe(0);
      expect(await t.db.$count(awardRounds, eq(awardRounds.createdById, user.id))).toBe(0);
      expect(await t.db.$count(follows, eq(follows.userId, user.id))).toBe(0);
    }
  });
});

describe("bad input", () => {
  test("answers 400 with field messages and the typed text, and writes nothing", async () => {
    const { hr, member, id, url, params } = await world();
    const before = await t.db.$count(awardRounds);
    const badRound = await call(newAction, await postAs(t.db, hr, "/awards/new", roundFields({ title: "Dates out of order", votingOpenAt: local(DAY), votesPerVoter: "eleven" })));
    expect(badRound.init?.status).toBe(400);
    expect(badRound.data).toMatchObject({ ok: false, values: { title: "Dates out of order", description: "Who went out of their way for a customer?" } });
    expect(Object.keys((badRound.data as { fieldErrors: object }).fieldErrors)).toEqual(expect.arrayContaining(["votesPerVoter"]));
    const unordered = await call(newAction, await postAs(t.db, hr, "/awards/new", roundFields({ votingOpenAt: local(DAY) })));
    expect((unordered.data as { fieldErrors: Record<string, string> }).fieldErrors.votingOpenAt).toMatch(/when nominations close/);
    expect(await t.db.$count(awardRounds)).toBe(before);

    const statement = "Too short";
    const badNomination = await call(roundAction, await postAs(t.db, member, url, { intent: "nominate", nominee: "@nobody.here", statement }), params);
    expect(badNomination.init?.status).toBe(400);
    expect(badNomination.data).toMatchObject({ ok: false, intent: "nominate", values: { statement, nominee: "@nobody.here" } });
    const unknownPerson = await call(roundAction, await postAs(t.db, member, url, { intent: "nominate", nominee: "@nobody.here", statement: `${statement}, but long enough now.` }), params);
    expect((unknownPerson.data as { fieldErrors: Record<string, string> }).fieldErrors.nominee).toMatch(/No one active goes by @nobody.here/);
    expect(await t.db.$count(awardNominations, eq(awardNominations.roundId, id))).toBe(0);

    const badVote = await call(roundAction, await postAs(t.db, member, url, { intent: "vote", choice: "'; drop table users; --" }), params);
    expect(badVote.init?.status).toBe(400);
    const early = await call(roundAction, await postAs(t.db, member, url, { intent: "vote", choice: String(member.id) }), params);
    expect((early.data as { formError?: string }).formError).toMatch(/not opened/);
    expect(await t.db.$count(awardBallots, eq(awardBallots.roundId, id))).toBe(0);
    expect(await thrownStatusOf(call(roundAction, await postAs(t.db, member, url, { intent: "explode" }), params))).toBe(400);
  });
});

async function thrownStatusOf(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await thrown(promise);
  return (error as { init?: { status?: number } }).init?.status;
}

// ---------------------------------------------------------------------------------------------
// XSS

describe("every XSS payload through a round's texts and a nomination's statement comes out inert", () => {
  test("stored, and on the round's page and the list as people see them", { timeout: 240_000 }, async () => {
    const hr = await createUser(t.db, { name: "Hanna Resources" }, "hr");
    const nominator = await createUser(t.db, { name: "Nico Nominator" });
    const nominee = await createUser(t.db, { name: "Nadia Nominee" });
    const handle = nominee.email.split("@")[0]!;
    const rounds: number[] = [];
    let payloadTitles = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const fields = (title: string) => roundFields({ title, description: payload.trim().length >= 10 ? payload : `${payload}\n\npadded to the minimum`, reward: payload.slice(0, 300) });
      const asTitle = RoundSchema.safeParse(fields(payload));
      const input = asTitle.success ? asTitle.data : RoundSchema.parse(fields(`Payload round ${i}`));
      const made = await refusedOrStored(() => createRound(t.db, hr, input));
      if (!made) continue;
      if (asTitle.success) payloadTitles++;
      rounds.push(made.id);
      const statement = payload.trim().length >= 20 ? payload : `${payload}\n\npadded to the minimum length`;
      await refusedOrStored(() => nominate(t.db, nominator, made.id, NominateSchema.parse({ nominee: handle, statement })));
    }
    expect(rounds.length).toBeGreaterThan(200);
    expect(payloadTitles).toBeGreaterThan(20);

    const stored = await t.db.select().from(awardRounds).where(inArray(awardRounds.id, rounds));
    for (const row of stored) {
      expect(problems(row.descriptionHtml), row.description).toEqual([]);
      expect(rendersAsText(row.title), row.title).toBe(true);
      expect(rendersAsText(row.reward), row.reward).toBe(true);
    }
    const statements = await t.db.select().from(awardNominations).where(inArray(awardNominations.roundId, rounds));
    expect(statements.length).toBeGreaterThan(200);
    for (const row of statements) expect(problems(row.statementHtml), row.statement).toEqual([]);

    // Every round's page, rendered by its route from its loader's data, and each page of the list.
    const viewer = { id: nominee.id, name: nominee.name, role: "member" };
    // One session for every page (a browser's cookie), rather than a new one per request.
    const browser = await browserOf(t.db, nominee);
    for (const row of stored) {
      const data = await roundLoader({ request: browser.get(`/awards/${row.id}`), context: routeContext(t.db).context, params: { roundId: String(row.id) } } as never);
      const doc = parseScreen(renderRoute(AwardRoundRoute as ComponentType<never>, data, viewer));
      expect(executable(doc), row.description).toEqual([]);
      expect(doc.querySelector("h1")?.textContent).toBe(row.title);
    }
    // The list, every page of it, shows titles and rewards as text.
    for (let page = 1; page <= Math.ceil((rounds.length + 1) / 20); page++) {
      const listed = await listLoader({ request: browser.get(`/awards?page=${page}`), context: routeContext(t.db).context, params: {} } as never);
      expect(executable(parseScreen(renderRoute(AwardsRoute as ComponentType<never>, listed, viewer))), `list page ${page}`).toEqual([]);
    }
    // The nominations are items the social layer describes for the inbox and the moderation queue.
    const access = await loadItem(t.db, nominee, statements[0]!.itemId);
    expect(access).toMatchObject({ kind: "award_nomination", url: `/awards/${statements[0]!.roundId}#nomination-${statements[0]!.id}` });
  });
});
