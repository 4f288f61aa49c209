import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { articles, wikiPages } from "#db/schema/index.ts";
import { kudosFeed, kudosOn, pointsHistory, profileKudos } from "#app/features/recognition/feeds.server.ts";
import { addToKudos, giveKudos, resolveReceivers, withdrawKudos } from "#app/features/recognition/kudos.server.ts";
import { lapseAllowances } from "#app/features/recognition/points.server.ts";
import { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { countingDb, setupTestDb } from "#tests/db.ts";
import { rejects, requestAs, routeContext, storedPost } from "#tests/helpers.ts";
import { createAnswer, createArticle, createQuestion, createSpace, createUser, createValue } from "#tests/factories/index.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";

/**
 * What people see of kudos, at the feature level: the kudos on things (one query for a whole
 * question page), a profile's summary and who sees its points, a feed page's fixed cost, the
 * points ledger said in words, and the receivers field's names.
 */
const t = setupTestDb();
const counted = countingDb(t);

describe("kudos on things", () => {
  test("the kudos on a question's answers come in one query: the newest three of each with how many there are", async () => {
    const value = await createValue(t.db);
    const space = await createSpace(t.db);
    const asker = await createUser(t.db);
    const people = await Promise.all(Array.from({ length: 5 }, () => createUser(t.db)));
    const questionId = await createQuestion(t.db, { author: asker, space });
    const answers = await Promise.all(people.slice(0, 3).map(async (author) => storedPost(t.db, await createAnswer(t.db, { author, questionId }))));
    const given: number[] = [];
    for (let i = 0; i < 5; i++) {
      const k = await giveKudos(t.db, people[(i % 4) + 1]!, { receiverIds: [people[0]!.id], valueId: value.id, pointsEach: 1, message: `Thanks ${i}`, subjectItemId: answers[0]!.itemId });
      given.push(k.id);
    }
    await giveKudos(t.db, asker, { receiverIds: [people[1]!.id], valueId: value.id, pointsEach: 2, message: "Neat", subjectItemId: answers[1]!.itemId });
    counted.queries = 0;
    const on = await kudosOn(counted.db, asker, [...answers.map((a) => a.itemId), 2_000_000_000]);
    expect(counted.queries).toBe(1);
    expect(on.get(answers[0]!.itemId)).toMatchObject({
      total: 5,
      latest: given
        .slice(2)
        .reverse()
        .map((id) => ({ id })),
    });
    expect(on.get(answers[1]!.itemId)).toMatchObject({ total: 1, latest: [{ giver: { id: asker.id }, receivers: [{ id: people[1]!.id }], pointsEach: 2 }] });
    expect(on.has(answers[2]!.itemId)).toBe(false);
  });

  test("a feed page costs the same queries for one kudos as for a full page thanking many kinds of things", async () => {
    const value = await createValue(t.db);
    const space = await createSpace(t.db);
    const reader = await createUser(t.db);
    const people = await Promise.all(Array.from({ length: 4 }, () => createUser(t.db)));
    const spaceWithOne = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: people[0]!, space: spaceWithOne });
    await giveKudos(t.db, people[1]!, { receiverIds: [people[0]!.id], valueId: value.id, pointsEach: 0, message: "One", subjectItemId: (await storedPost(t.db, questionId)).itemId });
    const things: number[] = [];
    for (let i = 0; i < 6; i++) {
      const author = people[i % 4]!;
      const q = await createQuestion(t.db, { author, space });
      things.push((await storedPost(t.db, q)).itemId, (await storedPost(t.db, await createAnswer(t.db, { author: people[(i + 1) % 4]!, questionId: q }))).itemId);
      const pageId = await createWikiPage(t.db, { author, space });
      things.push((await t.db.select({ itemId: wikiPages.itemId }).from(wikiPages).where(eq(wikiPages.id, pageId)))[0]!.itemId);
      const articleId = await createArticle(t.db, { author, space });
      things.push((await t.db.select({ itemId: articles.itemId }).from(articles).where(eq(articles.id, articleId)))[0]!.itemId);
    }
    for (const [i, itemId] of things.entries()) {
      await giveKudos(t.db, people[(i + 2) % 4]!, {
        receiverIds: [people[(i + 3) % 4]!.id, people[(i + 1) % 4]!.id],
        valueId: value.id,
        pointsEach: 0,
        message: `Thanks ${i}`,
        subjectItemId: itemId,
      });
    }
    counted.queries = 0;
    const small = await kudosFeed(counted.db, reader, { spaceId: spaceWithOne.id, page: 1 });
    const smallCount = counted.queries;
    counted.queries = 0;
    const big = await kudosFeed(counted.db, reader, { spaceId: space.id, page: 1 });
    expect(small.rows).toHaveLength(1);
    expect(big.rows).toHaveLength(24);
    expect(big.rows.every((r) => r.subject !== null && r.receivers.length === 2)).toBe(true);
    // The cards, the items' kinds, one describe per kind present (questions and answers share one).
    expect(counted.queries).toBeLessThanOrEqual(smallCount + 3);
    expect(counted.queries).toBeLessThanOrEqual(6);
  });
});

describe("a profile's kudos", () => {
  test("counts by value and the latest three; points only for the person and their manager", async () => {
    const craft = await createValue(t.db, { name: "Profile craft", emoji: "🛠️" });
    const team = await createValue(t.db, { name: "Profile teamwork", emoji: "🙌" });
    const manager = await createUser(t.db);
    const person = await createUser(t.db, { managerId: manager.id });
    const colleague = await createUser(t.db);
    for (const [i, value] of [craft, craft, team, craft].entries()) {
      await giveKudos(t.db, colleague, { receiverIds: [person.id], valueId: value.id, pointsEach: 5, message: `Thanks number ${i} for **this**` });
    }
    const summary = await profileKudos(t.db, colleague, person.id, { withPoints: false });
    expect(summary).toMatchObject({ total: 4, points: null });
    expect(summary.byValue).toEqual([expect.objectContaining({ id: craft.id, count: 3 }), expect.objectContaining({ id: team.id, count: 1 })]);
    expect(summary.latest.map((l) => l.excerpt)).toEqual(["Thanks number 3 for this", "Thanks number 2 for this", "Thanks number 1 for this"]);
    const load = async (viewer: { id: number }) =>
      (await profileLoader({ request: await requestAs(t.db, viewer, `/people/${person.id}`), context: routeContext(t.db).context, params: { userId: String(person.id) } } as never)) as {
        kudos: { points: unknown };
      };
    expect((await load(person)).kudos.points).toEqual({ earned: 20, receivedTotal: 20 });
    expect((await load(manager)).kudos.points).toEqual({ earned: 20, receivedTotal: 20 });
    expect((await load(colleague)).kudos.points).toBeNull();
  });
});

describe("my points", () => {
  test("every ledger entry in words, newest first", async () => {
    const value = await createValue(t.db);
    const me = await createUser(t.db);
    const grace = await createUser(t.db, { name: "Grace Liu" });
    const marco = await createUser(t.db, { name: "Marco Rossi" });
    const hr = await createUser(t.db, {}, "hr");
    const may = new Date(Date.UTC(2026, 4, 10));
    await giveKudos(t.db, me, { receiverIds: [grace.id, marco.id], valueId: value.id, pointsEach: 10, message: "Both of you" }, may);
    await lapseAllowances(t.db, new Date(Date.UTC(2026, 5, 2)));
    const fromGrace = await giveKudos(t.db, grace, { receiverIds: [me.id], valueId: value.id, pointsEach: 7, message: "Thanks back" });
    await addToKudos(t.db, marco, fromGrace.id, { pointsEach: 3 });
    const mine = await giveKudos(t.db, me, { receiverIds: [marco.id], valueId: value.id, pointsEach: 4, message: "Again" });
    await addToKudos(t.db, me, (await giveKudos(t.db, marco, { receiverIds: [grace.id], valueId: value.id, pointsEach: 1, message: "x" })).id, { pointsEach: 2 });
    await withdrawKudos(t.db, hr, mine.itemId, "Mistake");
    const history = await pointsHistory(t.db, me, 1);
    const lines = history.rows.map((r) => [r.text, r.points]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ["Your allowance for May 2026", 100],
        ["You gave 20 points to Grace Liu and Marco Rossi", -20],
        ["Unused points lapsed at the end of May 2026", -80],
        ["Grace Liu gave you 7 points", 7],
        ["Marco Rossi added 3 points to kudos you received", 3],
        ["You gave 4 points to Marco Rossi", -4],
        ["You added 2 points to kudos for Grace Liu", -2],
        ["4 points back: your kudos to Marco Rossi was withdrawn", 4],
      ]),
    );
    expect(history.total).toBe(history.rows.length);
    // Newest first: the withdrawal's refund is the last thing that happened.
    expect(history.rows[0]!.text).toMatch(/withdrawn/);
    expect(history.rows.filter((r) => r.kudosId !== null).length).toBeGreaterThan(4);
  });
});

describe("the receivers field", () => {
  test("names people by handle, address or full name, and says which names it could not place", async () => {
    const ada = await createUser(t.db, { name: "Ada Field", email: "ada.field@example.com" });
    await createUser(t.db, { name: "Sam Twin", email: "sam.one@example.com" });
    await createUser(t.db, { name: "Sam Twin", email: "sam.two@example.com" });
    const found = await resolveReceivers(t.db, ["@ada.field", "sam.one@example.com", "ADA FIELD"]);
    expect(found.map((r) => r.id)).toEqual([ada.id, expect.any(Number)]);
    expect(found[0]).toMatchObject({ handle: "ada.field", name: "Ada Field" });
    const problem = await rejects(resolveReceivers(t.db, ["Sam Twin", "Nobody Here", "@ada.field"]));
    expect(problem.fieldErrors.receivers).toMatch(/No colleague found for “Nobody Here”/);
    expect(problem.fieldErrors.receivers).toMatch(/More than one person is called “Sam Twin”/);
  });
});
