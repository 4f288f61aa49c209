import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { comments, companyValues, kudos, kudosGifts, kudosLedger, mailOutbox, mailPreferences, spaceMembers, votes } from "#db/schema/index.ts";
import { kudosOn } from "#app/features/recognition/feeds.server.ts";
import { addToKudos, giveKudos, withdrawKudos } from "#app/features/recognition/kudos.server.ts";
import { mailNotificationsOnce } from "#app/features/mail-prefs/immediate.server.ts";
import { allowanceOf, balanceOf } from "#app/features/recognition/points.server.ts";
import { ForbiddenError, NotFoundError } from "#app/lib/errors.ts";
import { action as adminAction, loader as adminLoader } from "#app/routes/admin/recognition.tsx";
import { loader as feedLoader } from "#app/routes/kudos/index.tsx";
import { action as kudosAction, loader as kudosLoader } from "#app/routes/kudos/kudos.tsx";
import { action as newAction, loader as newLoader } from "#app/routes/kudos/new.tsx";
import { loader as personLoader } from "#app/routes/kudos/person.tsx";
import { loader as pointsLoader } from "#app/routes/kudos/points.tsx";
import { loader as spaceFeedLoader } from "#app/routes/kudos/space-feed.tsx";
import { loader as teamLoader } from "#app/routes/kudos/team.tsx";
import { action as voteAction } from "#app/routes/items/vote.tsx";
import { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, redirected, redirectTarget, requestAs, routeCaller, type RouteHandler, type RouteReply, storedPost, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser, createValue } from "#tests/factories/index.ts";

/**
 * The kudos routes, called as React Router calls them: who reaches what (a member, someone outside
 * a restricted space, a customer, a deactivated account; private kudos for everyone but the people
 * they concern, admins and HR included), the give form's errors and double submits, +1s, added
 * points, withdrawals, the feeds' filters, the team view, and the admin's values and allowances.
 */
const t = setupTestDb();

const call = routeCaller(t);

const feedIds = (reply: RouteReply) => (reply.page as { rows: Array<{ id: number }> }).rows.map((r) => r.id);
const failure = (reply: RouteReply) => reply.data as { fieldErrors: Record<string, string>; formError?: string; values: Record<string, string> };

/**
 * A giver and a receiver (whose manager is `manager`) in a restricted space: public kudos on an
 * answer there, a private kudos, and a public company-wide one from a colleague.
 */
async function world() {
  const value = await createValue(t.db);
  const manager = await createUser(t.db);
  const giver = await createUser(t.db);
  const receiver = await createUser(t.db, { managerId: manager.id });
  const member = await createUser(t.db);
  const outsider = await createUser(t.db);
  const admin = await createUser(t.db, {}, "admin");
  const hr = await createUser(t.db, {}, "hr");
  const customer = await createUser(t.db, {}, "customer");
  const gone = await createUser(t.db, {}, "deactivated");
  const secret = await createSpace(t.db, { members: [giver, receiver, member, manager] }, "restricted");
  const questionId = await createQuestion(t.db, { author: giver, space: secret });
  const answer = await storedPost(t.db, await createAnswer(t.db, { author: receiver, questionId }));
  const onAnswer = await giveKudos(t.db, giver, { receiverIds: [receiver.id], valueId: value.id, pointsEach: 10, message: "Your answer saved our launch.", subjectItemId: answer.itemId });
  const secretOne = await giveKudos(t.db, giver, { receiverIds: [receiver.id], valueId: value.id, pointsEach: 5, message: "A private thank you.", private: true });
  const open = await giveKudos(t.db, member, { receiverIds: [giver.id], valueId: value.id, pointsEach: 5, message: "Thanks for the onboarding." });
  return { value, manager, giver, receiver, member, outsider, admin, hr, customer, gone, secret, questionId, answer, onAnswer, secretOne, open };
}

const kudosPath = (id: number) => ({ path: `/kudos/${id}`, params: { kudosId: String(id) } });

describe("who reaches the kudos routes", () => {
  test("a member of the space reads the feeds, a kudos on an answer there, the give form, their team and points", async () => {
    const w = await world();
    const feed = await call(feedLoader, await requestAs(t.db, w.member, "/kudos"));
    // Newest first; earlier tests' kudos come after this world's.
    expect(feedIds(feed).slice(0, 2)).toEqual([w.open.id, w.onAnswer.id]);
    const page = await call(kudosLoader, await requestAs(t.db, w.member, kudosPath(w.onAnswer.id).path), kudosPath(w.onAnswer.id).params);
    expect(page.kudos).toMatchObject({ id: w.onAnswer.id, subject: { kind: "answer", url: expect.stringContaining(`#answer-${w.answer.id}`) } });
    const space = await call(spaceFeedLoader, await requestAs(t.db, w.member, `/spaces/${w.secret.slug}/kudos`), { slug: w.secret.slug });
    expect(feedIds(space)).toEqual([w.onAnswer.id]);
    const person = await call(personLoader, await requestAs(t.db, w.member, `/people/${w.receiver.id}/kudos`), { userId: String(w.receiver.id) });
    expect(feedIds(person)).toEqual([w.onAnswer.id]);
    const form = await call(newLoader, await requestAs(t.db, w.member, `/kudos/new?item=${w.answer.itemId}&to=${w.receiver.id}`));
    expect(form).toMatchObject({ subject: { itemId: w.answer.itemId, kind: "answer" }, receivers: expect.stringContaining("@") });
    expect((await call(teamLoader, await requestAs(t.db, w.member, "/kudos/team"))).team).toEqual([]);
    expect((await call(pointsLoader, await requestAs(t.db, w.member, "/kudos/points"))).points).toMatchObject({ granted: 100, spent: 5, left: 95 });
  });

  test("outside the restricted space: a kudos on its answer is the 404 of a missing one, absent from every feed, and nothing is written", async () => {
    const w = await world();
    const missing = 2_000_000_000;
    for (const id of [w.onAnswer.id, missing]) {
      const { path, params } = kudosPath(id);
      expect(await thrown(call(kudosLoader, await requestAs(t.db, w.outsider, path), params))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(kudosAction, await postAs(t.db, w.outsider, path, { intent: "add-points", pointsEach: "5" }), params))).toBeInstanceOf(NotFoundError);
    }
    const { path, params } = kudosPath(w.onAnswer.id);
    expect(await thrown(call(kudosAction, await postAs(t.db, w.outsider, path, { intent: "comment", itemId: String(w.onAnswer.itemId), body: "Let me in" }), params))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await thrown(call(voteAction, await postAs(t.db, w.outsider, `/items/${w.onAnswer.itemId}/vote`, { value: "up" }), { itemId: String(w.onAnswer.itemId) }))).toBeInstanceOf(
      NotFoundError,
    );
    // Its space's feed answers exactly like a missing space's; the give form for its answer like a missing item.
    expect(await thrown(call(spaceFeedLoader, await requestAs(t.db, w.outsider, `/spaces/${w.secret.slug}/kudos`), { slug: w.secret.slug }))).toEqual(
      await thrown(call(spaceFeedLoader, await requestAs(t.db, w.outsider, "/spaces/nope/kudos"), { slug: "nope" })),
    );
    expect(await thrown(call(newLoader, await requestAs(t.db, w.outsider, `/kudos/new?item=${w.answer.itemId}`)))).toBeInstanceOf(NotFoundError);
    expect(await thrown(call(newLoader, await requestAs(t.db, w.outsider, `/kudos/new?item=${missing}`)))).toBeInstanceOf(NotFoundError);
    // Giving on the hidden answer is refused like giving on a missing one.
    const fields = { receivers: `@${w.giver.email.split("@")[0]}`, valueId: String(w.value.id), pointsEach: "5", message: "Sneaking in" };
    const hidden = await call(newAction, await postAs(t.db, w.outsider, "/kudos/new", { ...fields, subjectItemId: String(w.answer.itemId) }));
    const absent = await call(newAction, await postAs(t.db, w.outsider, "/kudos/new", { ...fields, subjectItemId: String(missing) }));
    expect(hidden.init?.status).toBe(400);
    expect(failure(hidden).fieldErrors).toEqual(failure(absent).fieldErrors);
    // Feeds, the person's kudos, the profile and the kudos on the answer leave it out.
    const outsiderFeed = feedIds(await call(feedLoader, await requestAs(t.db, w.outsider, "/kudos")));
    expect(outsiderFeed).toContain(w.open.id);
    expect(outsiderFeed).not.toContain(w.onAnswer.id);
    expect(feedIds(await call(personLoader, await requestAs(t.db, w.outsider, `/people/${w.receiver.id}/kudos`), { userId: String(w.receiver.id) }))).toEqual([]);
    const profile = await call(profileLoader, await requestAs(t.db, w.outsider, `/people/${w.receiver.id}`), { userId: String(w.receiver.id) });
    expect(profile.kudos).toMatchObject({ total: 0, latest: [], points: null });
    expect((await kudosOn(t.db, w.outsider, [w.answer.itemId])).size).toBe(0);
    expect(await t.db.$count(kudos, eq(kudos.giverId, w.outsider.id))).toBe(0);
    expect(await t.db.$count(kudosGifts, eq(kudosGifts.giverId, w.outsider.id))).toBe(0);
    expect(await t.db.$count(comments, eq(comments.authorId, w.outsider.id))).toBe(0);
    expect(await t.db.$count(votes, eq(votes.userId, w.outsider.id))).toBe(0);
  });

  test("a private kudos: its giver, receiver and the receiver's manager see it; a member, HR and an admin get a 404 and find it nowhere", async () => {
    const w = await world();
    const { path, params } = kudosPath(w.secretOne.id);
    for (const who of [w.giver, w.receiver, w.manager]) {
      expect((await call(kudosLoader, await requestAs(t.db, who, path), params)).kudos).toMatchObject({ id: w.secretOne.id, private: true });
      expect(feedIds(await call(feedLoader, await requestAs(t.db, who, "/kudos")))).toContain(w.secretOne.id);
    }
    // The manager sees it in their team view, and on the report's profile with the report's points.
    expect(feedIds(await call(teamLoader, await requestAs(t.db, w.manager, "/kudos/team")))).toContain(w.secretOne.id);
    const managerView = await call(profileLoader, await requestAs(t.db, w.manager, `/people/${w.receiver.id}`), { userId: String(w.receiver.id) });
    expect(managerView.kudos).toMatchObject({ total: 2, points: { earned: 15, receivedTotal: 15 } });
    for (const who of [w.member, w.hr, w.admin]) {
      expect(await thrown(call(kudosLoader, await requestAs(t.db, who, path), params))).toBeInstanceOf(NotFoundError);
      expect(feedIds(await call(feedLoader, await requestAs(t.db, who, "/kudos")))).not.toContain(w.secretOne.id);
      expect(feedIds(await call(feedLoader, await requestAs(t.db, who, "/kudos?show=given")))).not.toContain(w.secretOne.id);
      const person = await call(personLoader, await requestAs(t.db, who, `/people/${w.receiver.id}/kudos`), { userId: String(w.receiver.id) });
      expect(feedIds(person)).not.toContain(w.secretOne.id);
      const company = await call(spaceFeedLoader, await requestAs(t.db, who, "/spaces/company/kudos"), { slug: "company" });
      expect(feedIds(company)).not.toContain(w.secretOne.id);
      const profile = await call(profileLoader, await requestAs(t.db, who, `/people/${w.receiver.id}`), { userId: String(w.receiver.id) });
      // The public kudos on the answer counts for those who see its space (an admin sees every space); HR is outside it.
      expect((profile.kudos as { total: number }).total).toBe(who === w.hr ? 0 : 1);
      expect((profile.kudos as { points: unknown }).points).toBeNull();
      expect(await thrown(call(kudosAction, await postAs(t.db, who, path, { intent: "add-points", pointsEach: "5" }), params))).toBeInstanceOf(NotFoundError);
    }
    // On the thing it thanks, a private kudos shows only to the people it concerns.
    const privateOnAnswer = await giveKudos(t.db, w.member, {
      receiverIds: [w.receiver.id],
      valueId: w.value.id,
      pointsEach: 0,
      message: "Quietly: thanks.",
      subjectItemId: w.answer.itemId,
      private: true,
    });
    expect((await kudosOn(t.db, w.manager, [w.answer.itemId])).get(w.answer.itemId)?.latest.map((k) => k.id)).toEqual([privateOnAnswer.id, w.onAnswer.id]);
    expect((await kudosOn(t.db, w.admin, [w.answer.itemId])).get(w.answer.itemId)?.latest.map((k) => k.id)).toEqual([w.onAnswer.id]);
  });

  test("customers go home and deactivated accounts to sign-in from every kudos route; members and HR get the admin page's 404", async () => {
    const w = await world();
    const { path, params } = kudosPath(w.open.id);
    const fields = { receivers: `@${w.giver.email.split("@")[0]}`, valueId: String(w.value.id), pointsEach: "5", message: "Hello" };
    const routes: Array<[RouteHandler, string, Record<string, string> | null, Record<string, string>]> = [
      [feedLoader, "/kudos", null, {}],
      [newLoader, "/kudos/new", null, {}],
      [newAction, "/kudos/new", fields, {}],
      [kudosLoader, path, null, params],
      [kudosAction, path, { intent: "add-points", pointsEach: "5" }, params],
      [teamLoader, "/kudos/team", null, {}],
      [pointsLoader, "/kudos/points", null, {}],
      [spaceFeedLoader, "/spaces/company/kudos", null, { slug: "company" }],
      [personLoader, `/people/${w.giver.id}/kudos`, null, { userId: String(w.giver.id) }],
      [adminLoader, "/admin/recognition", null, {}],
      [adminAction, "/admin/recognition", { intent: "create-value", name: "Sneaky" }, {}],
    ];
    for (const [handler, url, form, p] of routes) {
      const asCustomer = form ? await postAs(t.db, w.customer, url, form) : await requestAs(t.db, w.customer, url);
      expect(redirectTarget(await thrown(call(handler, asCustomer, p))), url).toBe("/");
      const asGone = form ? await postAs(t.db, w.gone, url, form) : await requestAs(t.db, w.gone, url);
      expect(redirectTarget(await thrown(call(handler, asGone, p))), url).toMatch(/^\/sign-in/);
    }
    for (const who of [w.member, w.hr]) {
      expect(await thrown(call(adminLoader, await requestAs(t.db, who, "/admin/recognition")))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call(adminAction, await postAs(t.db, who, "/admin/recognition", { intent: "create-value", name: "Sneaky" })))).toBeInstanceOf(NotFoundError);
    }
    for (const who of [w.customer, w.gone]) expect(await t.db.$count(kudos, eq(kudos.giverId, who.id))).toBe(0);
    expect(await t.db.$count(companyValues, eq(companyValues.name, "Sneaky"))).toBe(0);
  });
});

describe("the give form", () => {
  test("bad input comes back with field errors and the typed text, and writes nothing", async () => {
    const w = await world();
    const handle = `@${w.receiver.email.split("@")[0]}`;
    const good = { receivers: handle, valueId: String(w.value.id), pointsEach: "10", message: "Thanks for **all** the help", submissionKey: "bad-input-key-1" };
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ ...good, receivers: "" }, "receivers", /at least one/],
      [{ ...good, receivers: `@${w.giver.email.split("@")[0]}` }, "receivers", /yourself/],
      [{ ...good, receivers: `${handle}, Nobody Atall` }, "receivers", /Nobody Atall/],
      [{ ...good, valueId: "999999" }, "valueId", /values/],
      [{ ...good, valueId: "" }, "valueId", /values/],
      [{ ...good, pointsEach: "86" }, "pointsEach", /86 points and you have 85 left/],
      [{ ...good, pointsEach: "5000" }, "pointsEach", /0 to 1000/],
      [{ ...good, pointsEach: "ten" }, "pointsEach", /whole number/],
      [{ ...good, message: "   " }, "message", /thanking them for/],
    ];
    for (const [fields, field, message] of cases) {
      const reply = await call(newAction, await postAs(t.db, w.giver, "/kudos/new", fields));
      expect(reply.init?.status, field).toBe(400);
      expect(failure(reply).fieldErrors[field], JSON.stringify(fields)).toMatch(message);
      expect(failure(reply).values).toMatchObject({ message: fields.message, receivers: fields.receivers });
    }
    expect(await t.db.$count(kudos, eq(kudos.giverId, w.giver.id))).toBe(2);
    expect((await allowanceOf(t.db, w.giver.id)).left).toBe(85);
  });

  test("a give redirects to the kudos, names receivers by handle, address or name, and a double submit makes one kudos", async () => {
    const w = await world();
    const fields = {
      receivers: `@${w.receiver.email.split("@")[0]}, ${w.member.email}; ${w.manager.name}`,
      valueId: String(w.value.id),
      pointsEach: "4",
      message: "Thank you for the review marathon.",
      private: "on",
      submissionKey: "double-give-key-1",
    };
    const [first, second] = await Promise.all([
      redirected(call(newAction, await postAs(t.db, w.giver, "/kudos/new", fields))),
      redirected(call(newAction, await postAs(t.db, w.giver, "/kudos/new", fields))),
    ]);
    expect(first).toBe(second);
    const made = await t.db
      .select()
      .from(kudos)
      .where(and(eq(kudos.giverId, w.giver.id), eq(kudos.submissionKey, "double-give-key-1")));
    expect(made).toHaveLength(1);
    expect(first).toBe(`/kudos/${made[0]!.id}`);
    expect(made[0]).toMatchObject({ private: true, pointsEach: 4, totalPoints: 12, receiverCount: 3 });
    // 10 and 5 given in the world, 12 now: charged once.
    expect((await allowanceOf(t.db, w.giver.id)).left).toBe(73);
  });
});

describe("on a kudos's page", () => {
  test("+1 through the vote route, points added once from the page, and a comment", async () => {
    const w = await world();
    const { path, params } = kudosPath(w.onAnswer.id);
    expect(await call(voteAction, await postAs(t.db, w.member, `/items/${w.onAnswer.itemId}/vote`, { value: "up", _fetcher: "1" }), { itemId: String(w.onAnswer.itemId) })).toMatchObject({
      ok: true,
      score: 1,
    });
    const refused = await call(voteAction, await postAs(t.db, w.receiver, `/items/${w.onAnswer.itemId}/vote`, { value: "up", _fetcher: "1" }), { itemId: String(w.onAnswer.itemId) });
    expect(refused.init?.status).toBe(400);
    expect(refused.data).toMatchObject({ ok: false, message: expect.stringMatching(/given to you/) });
    expect((await call(kudosLoader, await requestAs(t.db, w.member, path), params)).kudos).toMatchObject({ plusOneCount: 1, myPlusOne: true });

    // Adding points: errors keep the text; then once, and never a second time.
    const bad = await call(kudosAction, await postAs(t.db, w.member, path, { intent: "add-points", pointsEach: "0", message: "Me too" }), params);
    expect(bad.init?.status).toBe(400);
    expect(failure(bad)).toMatchObject({ fieldErrors: { pointsEach: expect.stringMatching(/1 to 1000/) }, values: { message: "Me too" } });
    expect(await redirected(call(kudosAction, await postAs(t.db, w.member, path, { intent: "add-points", pointsEach: "7", message: "Me too" }), params))).toBe(path);
    const again = await call(kudosAction, await postAs(t.db, w.member, path, { intent: "add-points", pointsEach: "7" }), params);
    expect(failure(again).formError).toMatch(/already added/);
    const page = await call(kudosLoader, await requestAs(t.db, w.member, path), params);
    expect(page).toMatchObject({ kudos: { totalPoints: 17, addOns: [{ id: w.member.id }] }, canAddPoints: false });
    expect(await balanceOf(t.db, w.receiver.id)).toMatchObject({ earned: 22 });

    await redirected(call(kudosAction, await postAs(t.db, w.receiver, path, { intent: "comment", itemId: String(w.onAnswer.itemId), body: "Thank you both!" }), params));
    expect(((await call(kudosLoader, await requestAs(t.db, w.giver, path), params)).comments as unknown[]).length).toBe(1);
    // An unknown intent is a 400, not a 500.
    expect(answeredStatus(await thrown(call(kudosAction, await postAs(t.db, w.member, path, { intent: "launch" }), params)))).toBe(400);
  });

  test("HR withdraws with a reason: the people it concerned see it withdrawn, others get a 404; a member is refused with a 403", async () => {
    const w = await world();
    const { path, params } = kudosPath(w.onAnswer.id);
    // A member (who may see it) is refused, whatever they typed, and nothing changes.
    expect(await thrown(call(kudosAction, await postAs(t.db, w.member, path, { intent: "withdraw", reason: "I don't like it" }), params))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(call(kudosAction, await postAs(t.db, w.member, path, { intent: "withdraw", reason: "" }), params))).toBeInstanceOf(ForbiddenError);
    // HR withdraws what HR can see (here as a member of the space), and must say why.
    await t.db.insert(spaceMembers).values({ spaceId: w.secret.id, userId: w.hr.id, role: "member" });
    const noReason = await call(kudosAction, await postAs(t.db, w.hr, path, { intent: "withdraw", reason: " " }), params);
    expect(failure(noReason).fieldErrors.reason).toMatch(/why/);
    expect((await t.db.select().from(kudos).where(eq(kudos.id, w.onAnswer.id)))[0]!.deletedAt).toBeNull();

    // Not concerned by it, HR lands on the feed.
    expect(await redirected(call(kudosAction, await postAs(t.db, w.hr, path, { intent: "withdraw", reason: "Given twice by mistake." }), params))).toBe("/kudos");
    const [row] = await t.db.select().from(kudos).where(eq(kudos.id, w.onAnswer.id));
    expect(row).toMatchObject({ deletedReason: "Given twice by mistake.", totalPoints: 0 });
    expect(await t.db.$count(kudosLedger, and(eq(kudosLedger.kudosId, w.onAnswer.id), eq(kudosLedger.entry, "reversed")))).toBe(2);
    for (const who of [w.giver, w.receiver, w.manager]) {
      const seen = await call(kudosLoader, await requestAs(t.db, who, path), params);
      expect(seen.withdrawal).toMatchObject({ reason: "Given twice by mistake.", by: expect.any(String) });
      expect(seen).toMatchObject({ canAddPoints: false, canWithdraw: false });
    }
    for (const who of [w.member, w.hr]) expect(await thrown(call(kudosLoader, await requestAs(t.db, who, path), params))).toBeInstanceOf(NotFoundError);
    expect(feedIds(await call(feedLoader, await requestAs(t.db, w.giver, "/kudos")))).not.toContain(w.onAnswer.id);
  });
});

function answeredStatus(error: unknown): number | undefined {
  return (error as { init?: { status?: number } }).init?.status;
}

describe("feeds", () => {
  test("the value filter narrows the company feed, a person's kudos and a space's feed", async () => {
    const w = await world();
    const other = await createValue(t.db, { name: "Curiosity filter" });
    const curious = await giveKudos(t.db, w.member, { receiverIds: [w.receiver.id], valueId: other.id, pointsEach: 1, message: "So many good questions." });
    expect(feedIds(await call(feedLoader, await requestAs(t.db, w.giver, `/kudos?value=${other.id}`)))).toEqual([curious.id]);
    expect(feedIds(await call(feedLoader, await requestAs(t.db, w.giver, `/kudos?value=${w.value.id}`)))).not.toContain(curious.id);
    const received = await call(personLoader, await requestAs(t.db, w.giver, `/people/${w.receiver.id}/kudos?value=${other.id}`), { userId: String(w.receiver.id) });
    expect(feedIds(received)).toEqual([curious.id]);
    const given = await call(personLoader, await requestAs(t.db, w.giver, `/people/${w.member.id}/kudos?show=given&value=${w.value.id}`), { userId: String(w.member.id) });
    expect(feedIds(given)).toEqual([w.open.id]);
    const company = await call(spaceFeedLoader, await requestAs(t.db, w.giver, `/spaces/company/kudos?value=${other.id}`), { slug: "company" });
    expect(feedIds(company)).toEqual([curious.id]);
    // A malformed filter is dropped, never an error.
    expect(feedIds(await call(feedLoader, await requestAs(t.db, w.member, "/kudos?value=abc&show=nonsense&page=-3")))).toContain(w.open.id);
  });

  test("the team view holds the reports' kudos (received and given) and nothing else, with counts", async () => {
    const w = await world();
    const report2 = await createUser(t.db, { managerId: w.manager.id });
    const byReport = await giveKudos(t.db, report2, { receiverIds: [w.member.id], valueId: w.value.id, pointsEach: 2, message: "From a report." });
    const unrelated = await giveKudos(t.db, w.member, { receiverIds: [w.outsider.id], valueId: w.value.id, pointsEach: 2, message: "Not the team's." });
    const team = await call(teamLoader, await requestAs(t.db, w.manager, "/kudos/team"));
    expect(feedIds(team).sort()).toEqual([w.onAnswer.id, w.secretOne.id, byReport.id].sort());
    expect(feedIds(team)).not.toContain(unrelated.id);
    expect(team.team).toHaveLength(2);
    expect(team.team).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: w.receiver.id, received30: 2, received90: 2, given30: 0 }),
        expect.objectContaining({ id: report2.id, received30: 0, given30: 1, given90: 1 }),
      ]),
    );
    // The feed's "My team" tab shows only for managers.
    expect((await call(feedLoader, await requestAs(t.db, w.manager, "/kudos"))).points).toMatchObject({ managesPeople: true });
    expect((await call(feedLoader, await requestAs(t.db, w.member, "/kudos"))).points).toMatchObject({ managesPeople: false });
  });
});

describe("the admin's values and allowances", () => {
  test("values: names unique whatever their case, bounded fields, edits, archive (no longer offered), order", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const post = (fields: Record<string, string>) => postAs(t.db, admin, "/admin/recognition", fields);
    const used = await createValue(t.db, { name: "Teamwork" });
    const colleague = await createUser(t.db);
    await giveKudos(t.db, admin, { receiverIds: [colleague.id], valueId: used.id, pointsEach: 1, message: "Counted on the list" });
    const bad: Array<[Record<string, string>, string, RegExp]> = [
      [{ name: "  " }, "name", /Name the value/],
      [{ name: "x".repeat(41) }, "name", /40/],
      [{ name: "teamWORK" }, "name", /already has this name/],
      [{ name: "Ok", emoji: "🙌🙌🙌🙌🙌🙌🙌🙌🙌" }, "emoji", /8/],
      [{ name: "Ok", description: "d".repeat(281) }, "description", /280/],
    ];
    for (const [fields, field, message] of bad) {
      const reply = await call(adminAction, await post({ intent: "create-value", ...fields }));
      expect(reply.init?.status).toBe(400);
      expect(failure(reply).fieldErrors[field]).toMatch(message);
      expect(failure(reply).values.name).toBe(fields.name);
    }
    expect(await call(adminAction, await post({ intent: "create-value", name: " Ownership ", emoji: "🧭", description: "We finish what we start." }))).toMatchObject({ ok: true });
    const listed = (await call(adminLoader, await requestAs(t.db, admin, "/admin/recognition"))).values as Array<{ id: number; name: string; archived: boolean; kudosCount: number }>;
    const ownership = listed.find((v) => v.name === "Ownership")!;
    const teamwork = listed.find((v) => v.name === "Teamwork")!;
    expect(listed.find((v) => v.id === used.id)).toMatchObject({ kudosCount: 1 });
    const rename = await call(adminAction, await post({ intent: "update-value", id: String(ownership.id), name: "TEAMWORK" }));
    expect(failure(rename).fieldErrors.name).toMatch(/already/);
    expect(await call(adminAction, await post({ intent: "update-value", id: String(ownership.id), name: "Ownership", emoji: "🧭", description: "Changed." }))).toMatchObject({ ok: true });
    // Order: Ownership moves up past Teamwork.
    await call(adminAction, await post({ intent: "move-value", id: String(ownership.id), direction: "up" }));
    const order = ((await call(adminLoader, await requestAs(t.db, admin, "/admin/recognition"))).values as Array<{ id: number }>).map((v) => v.id);
    expect(order.indexOf(ownership.id)).toBeLessThan(order.indexOf(teamwork.id));
    // Archived: gone from the give form, refused on a give, still on the admin's list.
    await call(adminAction, await post({ intent: "archive-value", id: String(teamwork.id) }));
    const form = await call(newLoader, await requestAs(t.db, admin, "/kudos/new"));
    expect((form.values as Array<{ id: number }>).map((v) => v.id)).not.toContain(teamwork.id);
    const someone = await createUser(t.db);
    const give = await call(newAction, await post({ receivers: someone.email, valueId: String(teamwork.id), pointsEach: "1", message: "Old value" }));
    expect(failure(give).fieldErrors.valueId).toMatch(/values/);
    await call(adminAction, await post({ intent: "unarchive-value", id: String(teamwork.id) }));
    expect(((await call(newLoader, await requestAs(t.db, admin, "/kudos/new"))).values as Array<{ id: number }>).map((v) => v.id)).toContain(teamwork.id);
    // A missing value is a 404.
    expect(await thrown(call(adminAction, await post({ intent: "archive-value", id: "2000000000" })))).toBeInstanceOf(NotFoundError);
  });

  test("allowance rules: the default, a role's and a department's, who each applies to, validation and removal", async () => {
    const admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
    const seller = await createUser(t.db, { name: "Sam Seller", department: "Sales" });
    const hrPerson = await createUser(t.db, { name: "Hana Hr" }, "hr");
    const post = (fields: Record<string, string>) => postAs(t.db, admin, "/admin/recognition", fields);
    const bad: Array<[Record<string, string>, string, RegExp]> = [
      [{ scope: "default", points: "-1" }, "points", /whole number/],
      [{ scope: "default", points: "200000" }, "points", /whole number/],
      [{ scope: "role", role: "king", points: "10" }, "role", /role/],
      [{ scope: "department", department: " ", points: "10" }, "department", /Name the department/],
    ];
    for (const [fields, field, message] of bad) {
      const reply = await call(adminAction, await post({ intent: "set-rule", ...fields }));
      expect(reply.init?.status).toBe(400);
      expect(failure(reply).fieldErrors[field]).toMatch(message);
      expect(failure(reply).values).toMatchObject({ points: fields.points, form: fields.scope });
    }
    await call(adminAction, await post({ intent: "set-rule", scope: "default", points: "80" }));
    await call(adminAction, await post({ intent: "set-rule", scope: "role", role: "hr", points: "300" }));
    await call(adminAction, await post({ intent: "set-rule", scope: "department", department: "sales", points: "40" }));
    await call(adminAction, await post({ intent: "set-rule", scope: "department", department: "Sales", points: "50" }));
    expect((await allowanceOf(t.db, seller.id)).granted).toBe(50);
    expect((await allowanceOf(t.db, hrPerson.id)).granted).toBe(300);
    expect((await allowanceOf(t.db, admin.id)).granted).toBe(80);
    const { rules } = (await call(adminLoader, await requestAs(t.db, admin, "/admin/recognition"))).rules as {
      rules: Array<{ id: number; scope: string; department: string | null; people: number; sample: string[] }>;
    };
    expect(rules.map((r) => r.scope)).toEqual(["default", "role", "department"]);
    const sales = rules.find((r) => r.scope === "department")!;
    expect(sales).toMatchObject({ department: "Sales", people: 1, sample: ["Sam Seller"] });
    expect(rules.find((r) => r.scope === "role")!.sample).toContain("Hana Hr");
    // The default stays; a department's rule goes and its people fall back.
    const keep = await call(adminAction, await post({ intent: "remove-rule", id: String(rules[0]!.id) }));
    expect(failure(keep).formError).toMatch(/default stays/);
    await call(adminAction, await post({ intent: "remove-rule", id: String(sales.id) }));
    expect((await allowanceOf(t.db, seller.id)).granted).toBe(80);
    expect(await thrown(call(adminAction, await post({ intent: "remove-rule", id: String(sales.id) })))).toBeInstanceOf(NotFoundError);
    expect(await thrown(call(adminAction, await post({ intent: "explode" })))).toMatchObject({ init: { status: 400 } });
  });
});

describe("mail to receivers", () => {
  /** The notification mailer's rounds (what the mail-prefs worker runs after each commit), until nothing is waiting. */
  async function mailerRounds() {
    while ((await mailNotificationsOnce(t.db)).claimed > 0);
  }

  test("the notification mailer mails each receiver after the give commits: a public kudos quotes its message, a private one only links, added points say who added what; a refused give sends nothing", async () => {
    const value = await createValue(t.db, { name: "Mail value" });
    const giver = await createUser(t.db, { name: "Gina Giver" });
    const adder = await createUser(t.db, { name: "Abe Adder" });
    const a = await createUser(t.db);
    const b = await createUser(t.db);
    await mailerRounds();
    const before = await t.db.$count(mailOutbox);
    const open = await giveKudos(t.db, giver, { receiverIds: [a.id, b.id], valueId: value.id, pointsEach: 3, message: "You *rock*, both of you." });
    // The give's transaction writes no mail: the mailer makes it from the notifications.
    expect(await t.db.$count(mailOutbox)).toBe(before);
    await mailerRounds();
    const mails = await t.db.select().from(mailOutbox).where(eq(mailOutbox.template, "kudos"));
    const toOpen = mails.filter((m) => m.text.includes(`/kudos/${open.id}`));
    expect(toOpen.map((m) => m.to).sort()).toEqual([a.email, b.email].sort());
    expect(toOpen[0]!.subject).toBe("Commons: Gina Giver sent you kudos");
    expect(toOpen[0]!.text).toContain("You rock, both of you.");
    expect(toOpen[0]!.text).toContain("with 3 points");
    expect(toOpen.find((m) => m.to === a.email)!.headers["List-Unsubscribe"]).toMatch(new RegExp(`/unsubscribe/${a.id}\\.kudos\\.`));
    const hidden = await giveKudos(t.db, giver, { receiverIds: [a.id], valueId: value.id, pointsEach: 0, message: "The secret message.", private: true });
    await mailerRounds();
    const [privateMail] = await t.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.to, a.email), eq(mailOutbox.subject, "Commons: Gina Giver sent you private kudos")));
    expect(privateMail!.text).toContain(`/kudos/${hidden.id}`);
    expect(privateMail!.text + privateMail!.html).not.toContain("secret message");
    await addToKudos(t.db, adder, open.id, { pointsEach: 2, message: "Seconded, and then some." });
    await mailerRounds();
    const added = (await t.db.select().from(mailOutbox).where(eq(mailOutbox.template, "kudos-added"))).filter((m) => m.text.includes(`/kudos/${open.id}`));
    expect(added.map((m) => m.to).sort()).toEqual([a.email, b.email].sort());
    expect(added[0]!.subject).toBe("Commons: Abe Adder added points to your kudos");
    expect(added[0]!.text).toMatch(/Abe Adder added 2 points to the kudos Gina Giver gave you for (\S+ )?Mail value\./);
    expect(added[0]!.text).toContain("Seconded, and then some.");
    const count = await t.db.$count(mailOutbox);
    expect(count).toBe(before + 5);
    // Over the allowance: the give rolls back, with its notifications, so no mail follows.
    await expect(giveKudos(t.db, giver, { receiverIds: [a.id], valueId: value.id, pointsEach: 500, message: "Too much" })).rejects.toThrow(/left/);
    await mailerRounds();
    expect(await t.db.$count(mailOutbox)).toBe(count);
  });

  test("a kudos withdrawn before the mailer's round is not mailed, and a receiver who chose never gets no mail", async () => {
    const value = await createValue(t.db, { name: "Withdrawn value" });
    const giver = await createUser(t.db);
    const hr = await createUser(t.db, { role: "hr" });
    const a = await createUser(t.db);
    const quiet = await createUser(t.db);
    await t.db.insert(mailPreferences).values({ userId: quiet.id, category: "kudos", cadence: "never" });
    await mailerRounds();
    const before = await t.db.$count(mailOutbox);
    const gone = await giveKudos(t.db, giver, { receiverIds: [a.id], valueId: value.id, pointsEach: 0, message: "Soon withdrawn." });
    await withdrawKudos(t.db, hr, gone.itemId, "Not meant");
    await giveKudos(t.db, giver, { receiverIds: [quiet.id], valueId: value.id, pointsEach: 0, message: "Never mailed." });
    await mailerRounds();
    expect(await t.db.$count(mailOutbox)).toBe(before);
  });
});
