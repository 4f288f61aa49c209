import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { badgeAwards, badges, ideas, notifications, posts, users, wikiPages, wikiSuggestions } from "#db/schema/index.ts";
import { archiveBadge, awardBadge, createBadge, editBadge, grantBadges, revokeAward } from "#app/features/recognition/badges.server.ts";
import { BADGE_RULES } from "#app/features/recognition/badge-rules.ts";
import { giveKudos, withdrawKudos } from "#app/features/recognition/kudos.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser, createValue } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";

/**
 * The badge job and custom badges: each automatic rule grants exactly the people who earned it
 * (deleted content, customers and deactivated accounts never count), a re-run (or two at once)
 * grants and notifies nothing twice, and every count kept beside the awards stays exact.
 */
const t = setupTestDb();
const DAY = 24 * 3600 * 1000;

type User = Awaited<ReturnType<typeof createUser>>;

/** Who holds what, by rule key, among `people`: "name" for once-per-person badges, "name subject" otherwise. */
async function holdings(people: Record<string, User>): Promise<Record<string, string[]>> {
  const byId = new Map(Object.entries(people).map(([name, u]) => [u.id, name]));
  const rows = await t.db
    .select({ rule: badges.rule, userId: badgeAwards.userId, subject: badgeAwards.subject })
    .from(badgeAwards)
    .innerJoin(badges, eq(badges.id, badgeAwards.badgeId))
    .where(inArray(badgeAwards.userId, [...byId.keys()]));
  const found: Record<string, string[]> = {};
  for (const r of rows) (found[r.rule ?? "custom"] ??= []).push(r.subject ? `${byId.get(r.userId)} ${r.subject}` : byId.get(r.userId)!);
  for (const list of Object.values(found)) list.sort();
  return found;
}

/** Every user whose cached tier counts differ from their awards, and every badge whose counts differ: both lists must stay empty. */
async function countDrift() {
  const people = await t.db.execute(sql`
    select u.id from users u cross join lateral (
      select (count(*) filter (where b.tier = 'gold'))::int as gold, (count(*) filter (where b.tier = 'silver'))::int as silver, (count(*) filter (where b.tier = 'bronze'))::int as bronze
      from badge_awards a join badges b on b.id = a.badge_id where a.user_id = u.id) c
    where (u.gold_badges, u.silver_badges, u.bronze_badges) is distinct from (c.gold, c.silver, c.bronze)`);
  const badgeRows = await t.db.execute(sql`
    select b.id from badges b cross join lateral (select count(*)::int as awards, count(distinct a.user_id)::int as holders from badge_awards a where a.badge_id = b.id) c
    where (b.award_count, b.holder_count) is distinct from (c.awards, c.holders)`);
  return { people: people.length, badges: badgeRows.length };
}

async function badgeNotifications(userIds: number[]) {
  return t.db
    .select({ userId: notifications.userId, actorId: notifications.actorId, itemId: notifications.itemId })
    .from(notifications)
    .where(and(eq(notifications.kind, "badge"), inArray(notifications.userId, userIds)));
}

async function tagId(name: string): Promise<number> {
  const [row] = await t.db.execute<{ id: number }>(sql`select id from tags where name = ${name}`);
  return Number(row!.id);
}

async function itemOfPost(id: number): Promise<number> {
  const [row] = await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, id));
  return row!.itemId;
}

describe("the automatic badges", () => {
  test("each rule grants the people who earned it and no one else; a re-run, or two at once, grants and notifies nothing twice", { timeout: 60_000 }, async () => {
    const space = await createSpace(t.db);
    const admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
    const hr = await createUser(t.db, {}, "hr");
    const p: Record<string, User> = {};
    for (const name of [
      "asker",
      "answerer",
      "expert",
      "nearExpert",
      "selfAccepter",
      "gone",
      "customer",
      "deletedOnly",
      "writer",
      "owner",
      "staleOwner",
      "suggester",
      "declined",
      "ideaOwner",
      "ideaAuthor",
      "giver",
      "withdrawnGiver",
      "star",
      "nine",
    ])
      p[name] = await createUser(t.db, { name });

    // Questions and answers. `answerer`'s two answers reach 10 and 25; `asker` accepts one.
    const q1 = await createQuestion(t.db, { author: p.asker!, space, tags: ["general"] });
    const a1 = await createAnswer(t.db, { author: p.answerer!, questionId: q1 });
    const q2 = await createQuestion(t.db, { author: p.asker!, space, tags: ["general"] });
    const a2 = await createAnswer(t.db, { author: p.answerer!, questionId: q2 });
    await t.db.update(posts).set({ score: 10 }).where(eq(posts.id, a1));
    await t.db.update(posts).set({ score: 30 }).where(eq(posts.id, a2));
    await t.db.update(posts).set({ acceptedAnswerId: a1 }).where(eq(posts.id, q1));
    // Accepting one's own answer earns no accepted-answer badge.
    const own = await createQuestion(t.db, { author: p.selfAccepter!, space, tags: ["general"] });
    const ownAnswer = await createAnswer(t.db, { author: p.selfAccepter!, questionId: own });
    await t.db.update(posts).set({ acceptedAnswerId: ownAnswer }).where(eq(posts.id, own));
    // Deleted content counts for nothing: a deleted question, a 100-point answer on a deleted question.
    const deletedQ = await createQuestion(t.db, { author: p.deletedOnly!, space, tags: ["general"] });
    const onDeleted = await createAnswer(t.db, { author: p.nearExpert!, questionId: deletedQ });
    await t.db.update(posts).set({ score: 100 }).where(eq(posts.id, onDeleted));
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deletedQ));
    // Ten accepted answers in "kubernetes" (and one elsewhere) make a tag specialist; nine don't.
    for (let i = 0; i < 10; i++) {
      const q = await createQuestion(t.db, { author: p.asker!, space, tags: i === 0 ? ["kubernetes", "helm"] : ["kubernetes"] });
      await t.db
        .update(posts)
        .set({ acceptedAnswerId: await createAnswer(t.db, { author: p.expert!, questionId: q }) })
        .where(eq(posts.id, q));
      if (i === 9) continue;
      const near = await createQuestion(t.db, { author: p.asker!, space, tags: ["terraform"] });
      await t.db
        .update(posts)
        .set({ acceptedAnswerId: await createAnswer(t.db, { author: p.nearExpert!, questionId: near }) })
        .where(eq(posts.id, near));
    }
    // People who did things and then left, or became customers.
    await createQuestion(t.db, { author: p.gone!, space });
    await createQuestion(t.db, { author: p.customer!, space });
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, p.gone!.id));
    await t.db.update(users).set({ kind: "customer" }).where(eq(users.id, p.customer!.id));

    // The wiki: a page, a verified one and a stale one, suggestions approved and declined.
    await createWikiPage(t.db, { author: p.writer!, space });
    const deletedPage = await createWikiPage(t.db, { author: p.deletedOnly!, space });
    await t.db.update(wikiPages).set({ deletedAt: new Date() }).where(eq(wikiPages.id, deletedPage));
    const verified = await createWikiPage(t.db, { author: p.owner!, space });
    await t.db
      .update(wikiPages)
      .set({ verifiedAt: new Date(), reviewDueAt: new Date(Date.now() + 30 * DAY) })
      .where(eq(wikiPages.id, verified));
    const stale = await createWikiPage(t.db, { author: p.staleOwner!, space });
    await t.db
      .update(wikiPages)
      .set({ verifiedAt: new Date(Date.now() - 90 * DAY), reviewDueAt: new Date(Date.now() - DAY) })
      .where(eq(wikiPages.id, stale));
    const suggestion = { pageId: verified, spaceId: space.id, baseRevision: 1, title: "t", body: "b" };
    await t.db.insert(wikiSuggestions).values([
      { ...suggestion, authorId: p.suggester!.id, status: "approved" },
      { ...suggestion, authorId: p.declined!.id, status: "declined" },
    ]);

    // Ideas: accepted (its owner), implemented (its owner, per idea), still submitted (nobody).
    const campaign = await createCampaign(t.db, { sponsor: admin, space });
    const accepted = await createIdea(t.db, { author: p.ideaOwner!, campaignId: campaign });
    const implemented = await createIdea(t.db, { author: p.ideaAuthor!, campaignId: campaign });
    await createIdea(t.db, { author: p.declined!, campaignId: campaign });
    await t.db.update(ideas).set({ status: "accepted" }).where(eq(ideas.id, accepted));
    await t.db.update(ideas).set({ status: "implemented" }).where(eq(ideas.id, implemented));
    const [implementedIdea] = await t.db.select({ itemId: ideas.itemId }).from(ideas).where(eq(ideas.id, implemented));

    // Kudos: `star` gets 25 for one value; `nine` gets ten, one of them withdrawn.
    const craft = await createValue(t.db);
    const give = (giver: User, receiver: User) => giveKudos(t.db, giver, { receiverIds: [receiver.id], message: "Thank you!", valueId: craft.id, pointsEach: 0 });
    for (let i = 0; i < 25; i++) await give(p.giver!, p.star!);
    for (let i = 0; i < 9; i++) await give(p.giver!, p.nine!);
    const withdrawn = await give(p.withdrawnGiver!, p.nine!);
    await withdrawKudos(t.db, hr, withdrawn.itemId);

    const first = await grantBadges(t.db);
    expect(Object.keys(first.byRule).sort()).toEqual(BADGE_RULES.map((r) => r.key).sort());
    const [kubernetes, helm] = [await tagId("kubernetes"), await tagId("helm")];
    const [item1, item2] = [await itemOfPost(a1), await itemOfPost(a2)];
    const held = await holdings(p);
    expect(held).toEqual({
      "first-question": ["asker", "selfAccepter"],
      "first-answer": ["answerer", "expert", "nearExpert", "selfAccepter"],
      "first-accepted-answer": ["answerer", "expert", "nearExpert"],
      "answer-score-10": [`answerer item:${item1}`, `answerer item:${item2}`],
      "answer-score-25": [`answerer item:${item2}`],
      "tag-accepted-10": [`expert tag:${kubernetes}`],
      "wiki-page": ["owner", "staleOwner", "writer"],
      "verified-page": ["owner"],
      "edit-approved": ["suggester"],
      "idea-accepted": ["ideaAuthor", "ideaOwner"],
      "idea-implemented": [`ideaAuthor item:${implementedIdea!.itemId}`],
      "first-kudos-given": ["giver"],
      "kudos-received-10": ["star"],
      "value-kudos-25": [`star value:${craft.id}`],
    });
    expect(held["tag-accepted-10"]).not.toContain(`expert tag:${helm}`);
    expect(first.byRule["answer-score-10"]).toBe(2);

    // The counts: per person by tier (awards, so two "Nice answer"s count two), per badge.
    expect(await countDrift()).toEqual({ people: 0, badges: 0 });
    const [answerer] = await t.db.select().from(users).where(eq(users.id, p.answerer!.id));
    expect([answerer!.goldBadges, answerer!.silverBadges, answerer!.bronzeBadges]).toEqual([0, 1, 4]);
    const [nice] = await t.db.select().from(badges).where(eq(badges.rule, "answer-score-10"));
    expect([nice!.holderCount, nice!.awardCount]).toEqual([1, 2]);

    // One inbox entry per badge earned, from no one ("You earned the badge …").
    const told = await badgeNotifications([p.answerer!.id, p.star!.id, p.gone!.id, p.customer!.id]);
    expect(told.filter((n) => n.userId === p.answerer!.id)).toHaveLength(4);
    expect(told.filter((n) => n.userId === p.star!.id)).toHaveLength(2);
    expect(told.every((n) => n.actorId === null)).toBe(true);
    expect(told.some((n) => n.userId === p.gone!.id || n.userId === p.customer!.id)).toBe(false);

    // A re-run grants nothing, counts nothing and tells no one again.
    const everyone = Object.values(p).map((u) => u.id);
    const before = (await badgeNotifications(everyone)).length;
    const again = await grantBadges(t.db);
    expect(again.total).toBe(0);
    expect(await holdings(p)).toEqual(held);
    expect((await badgeNotifications(everyone)).length).toBe(before);

    // New deeds, and two runs at once (two instances): each new award once, the counts exact.
    await t.db.update(posts).set({ score: 100 }).where(eq(posts.id, a1));
    await createQuestion(t.db, { author: p.answerer!, space });
    const [left, right] = await Promise.all([grantBadges(t.db), grantBadges(t.db)]);
    expect(left.total + right.total).toBe(3);
    expect((await holdings(p))["answer-score-100"]).toEqual([`answerer item:${item1}`]);
    expect(await countDrift()).toEqual({ people: 0, badges: 0 });
    expect((await badgeNotifications(everyone)).length).toBe(before + 3);

    // The catalogue follows the code: one row per rule, named as it says.
    const catalogue = await t.db
      .select({ rule: badges.rule, name: badges.name })
      .from(badges)
      .where(sql`${badges.rule} is not null`);
    expect(catalogue).toHaveLength(BADGE_RULES.length);
    for (const rule of BADGE_RULES) expect(catalogue).toContainEqual({ rule: rule.key, name: rule.name });
  });
});

describe("custom badges", () => {
  test("HR and admins create them (unique names, never an automatic one's; a double submit finds the first); no one else", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const admin = await createUser(t.db, {}, "admin");
    const made = await createBadge(t.db, hr, { name: "Release hero", description: "Shipped the big release.", tier: "silver" });
    expect(made.created).toBe(true);
    expect(await createBadge(t.db, hr, { name: "Release hero", description: "Shipped the big release.", tier: "silver" })).toEqual({ ...made, created: false });
    expect((await rejects(createBadge(t.db, admin, { name: "release HERO", description: "Another.", tier: "gold" }))).fieldErrors.name).toMatch(/already/);
    expect((await rejects(createBadge(t.db, admin, { name: "Nice answer", description: "Mine.", tier: "gold" }))).fieldErrors.name).toMatch(/automatic/);
    expect((await rejects(createBadge(t.db, admin, { name: "x".repeat(41), description: "Too long a name.", tier: "gold" }))).fieldErrors.name).toBeDefined();
    for (const who of [await createUser(t.db), await createUser(t.db, {}, "moderator"), await createUser(t.db, {}, "customer"), await createUser(t.db, {}, "hr", "deactivated")])
      expect(await thrown(createBadge(t.db, who, { name: `Not allowed ${who.id}`, description: "No.", tier: "bronze" }))).toBeInstanceOf(ForbiddenError);
    const [{ n }] = (await t.db.execute(sql`select count(*)::int as n from badges where name like 'Not allowed%' or lower(name) = 'release hero'`)) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  test("awarding: once per person with a reason, told in the inbox, counts follow; refused to customers, the deactivated, oneself, members", async () => {
    const hr = await createUser(t.db, { name: "Lena HR" }, "hr");
    const member = await createUser(t.db, { email: "sam.member@northwind.example" });
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const { id } = await createBadge(t.db, hr, { name: "Mentor of the year", description: "Mentored five newcomers.", tier: "silver" });

    const award = await awardBadge(t.db, hr, id, { person: "@sam.member", reason: "Five newcomers, all thriving." });
    expect(award.userId).toBe(member.id);
    const [row] = await t.db.select().from(badgeAwards).where(eq(badgeAwards.id, award.awardId));
    expect(row).toMatchObject({ userId: member.id, subject: "", reason: "Five newcomers, all thriving.", awardedById: hr.id });
    const [badge] = await t.db.select().from(badges).where(eq(badges.id, id));
    expect([badge!.holderCount, badge!.awardCount]).toEqual([1, 1]);
    expect(await badgeNotifications([member.id])).toEqual([{ userId: member.id, actorId: hr.id, itemId: badge!.itemId }]);

    // A double submit finds the first award; another award of it to the same person is refused.
    expect(await awardBadge(t.db, hr, id, { person: String(member.id), reason: "Five newcomers, all thriving." })).toEqual(award);
    expect((await rejects(awardBadge(t.db, hr, id, { person: String(member.id), reason: "Again." }))).fieldErrors.person).toMatch(/already/);
    expect((await rejects(awardBadge(t.db, hr, id, { person: String(customer.id), reason: "No." }))).fieldErrors.person).toMatch(/only active employees/);
    expect((await rejects(awardBadge(t.db, hr, id, { person: String(gone.id), reason: "No." }))).fieldErrors.person).toMatch(/only active employees/);
    expect((await rejects(awardBadge(t.db, hr, id, { person: "@nobody.here", reason: "No." }))).fieldErrors.person).toMatch(/No one active/);
    expect((await rejects(awardBadge(t.db, hr, id, { person: String(hr.id), reason: "Me." }))).fieldErrors.person).toMatch(/yourself/);
    expect((await rejects(awardBadge(t.db, hr, id, { person: String(customer.id), reason: "" }))).fieldErrors.reason).toBeDefined();
    expect(await thrown(awardBadge(t.db, member, id, { person: String(hr.id), reason: "Members can't." }))).toBeInstanceOf(ForbiddenError);
    const [automatic] = await t.db.select().from(badges).where(eq(badges.rule, "first-answer"));
    expect(await thrown(awardBadge(t.db, hr, automatic!.id, { person: String(member.id), reason: "By hand." }))).toBeInstanceOf(ForbiddenError);
    expect(await thrown(editBadge(t.db, hr, automatic!.id, { name: "Renamed", description: "x", tier: "gold" }))).toBeInstanceOf(ForbiddenError);

    // Archived: no new awards until restored.
    await archiveBadge(t.db, hr, id, true);
    expect(await rejects(awardBadge(t.db, hr, id, { person: String(customer.id), reason: "Archived." }))).toBeInstanceOf(InputError);
    await archiveBadge(t.db, hr, id, false);

    expect(await t.db.select({ id: badgeAwards.id }).from(badgeAwards).where(eq(badgeAwards.badgeId, id))).toHaveLength(1);
    expect(await badgeNotifications([member.id])).toHaveLength(1);
    expect(await countDrift()).toEqual({ people: 0, badges: 0 });
  });

  test("a new tier moves the holders' counts; revoking takes the award back and the counts with it; automatic awards can't be revoked", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    const { id } = await createBadge(t.db, admin, { name: "Firefighter", description: "Saved the night.", tier: "bronze" });
    const first = await awardBadge(t.db, admin, id, { person: String(a.id), reason: "The outage." });
    await awardBadge(t.db, admin, id, { person: String(b.id), reason: "The other outage." });

    await editBadge(t.db, admin, id, { name: "Firefighter", description: "Saved the night, twice.", tier: "gold" });
    const tiers = async (u: User) => {
      const [row] = await t.db.select({ gold: users.goldBadges, bronze: users.bronzeBadges }).from(users).where(eq(users.id, u.id));
      return row;
    };
    expect(await tiers(a)).toEqual({ gold: 1, bronze: 0 });

    await revokeAward(t.db, admin, id, first.awardId);
    expect(await tiers(a)).toEqual({ gold: 0, bronze: 0 });
    expect(await tiers(b)).toEqual({ gold: 1, bronze: 0 });
    const [badge] = await t.db.select().from(badges).where(eq(badges.id, id));
    expect([badge!.holderCount, badge!.awardCount]).toEqual([1, 1]);
    expect(await thrown(revokeAward(t.db, admin, id, first.awardId))).toBeInstanceOf(NotFoundError);

    await grantBadges(t.db);
    const [automatic] = await t.db
      .select({ badgeId: badgeAwards.badgeId, id: badgeAwards.id })
      .from(badgeAwards)
      .innerJoin(badges, eq(badges.id, badgeAwards.badgeId))
      .where(sql`${badges.rule} is not null`)
      .limit(1);
    expect(await thrown(revokeAward(t.db, admin, automatic!.badgeId, automatic!.id))).toBeInstanceOf(ForbiddenError);
    expect(await countDrift()).toEqual({ people: 0, badges: 0 });
  });
});
