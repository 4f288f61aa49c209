import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { comments, follows, importedProfiles, outbox, reputationEvents, revisions, tags, userTagReputation, users, votes } from "#db/schema/index.ts";
import { CLAIM_MESSAGES, claimImportedProfile, claimSummary, findClaimAccount } from "#app/features/imports/claim.server.ts";
import { unclaimedImport } from "#app/features/imports/imported-profiles.server.ts";
import { setFollowing } from "#app/features/social/follows.server.ts";
import { editPost } from "#app/features/qa/edit.server.ts";
import { castVote } from "#app/features/qa/votes.server.ts";
import { recomputeReputation } from "#app/features/reputation/ledger.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createComment, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createImportedProfile, importReputation, markImported } from "#tests/factories/imports.ts";
import { rejects, reputationOf, requestAs, routeContext, storedPost, thrown, thrownStatus, postAs } from "#tests/helpers.ts";
import { action as adminUserAction, loader as adminUserLoader } from "#app/routes/admin/user.tsx";
import { loader as adminUsersLoader } from "#app/routes/admin/users.tsx";
import { loader as profileLoader } from "#app/routes/people/profile.tsx";

const t = setupTestDb();

// Each route function is typed for its own route; the tests hand it what React Router would.
const run = (fn: (args: never) => unknown, request: Request, params: Record<string, string> = {}) =>
  Promise.resolve(fn({ request, context: routeContext(t.db).context, params } as never)) as Promise<Record<string, unknown>>;

async function tagScores(userId: number) {
  const rows = await t.db
    .select({ tag: tags.name, spaceId: userTagReputation.spaceId, score: userTagReputation.score })
    .from(userTagReputation)
    .innerJoin(tags, eq(tags.id, userTagReputation.tagId))
    .where(eq(userTagReputation.userId, userId));
  return Object.fromEntries(rows.map((r) => [`${r.tag}@${r.spaceId}`, r.score]));
}

/**
 * A placeholder with a question, an answer, comments, an edit, follows, votes given and received
 * and imported reputation; an account with reputation of its own in one of the same tags.
 */
async function importedWorld() {
  const admin = await createUser(t.db, {}, "admin");
  const account = await createUser(t.db, { name: "Priya Brewer" });
  const voter = await createUser(t.db);
  const space = await createSpace(t.db);
  const profile = await createImportedProfile(t.db, { name: "hopsfan", reputation: 1234 });
  const ph = profile.user;

  const questionId = await createQuestion(t.db, { author: ph, space, tags: ["hops", "ipa"] });
  await markImported(t.db, questionId, { author: "hopsfan" });
  const othersQuestion = await createQuestion(t.db, { author: voter, space, tags: ["hops"] });
  const answerId = await createAnswer(t.db, { author: ph, questionId: othersQuestion });
  await markImported(t.db, answerId, { author: "hopsfan" });
  const commentIds = [await createComment(t.db, { author: ph, postId: othersQuestion }), await createComment(t.db, { author: ph, postId: questionId })];
  await editPost(t.db, { ...ph, reputation: 10_000 }, othersQuestion, { body: "An edit by the placeholder, long enough to be a body.", comment: "clearer" });
  await setFollowing(t.db, ph, { tagName: "ipa" }, true);

  // The account's own answer on a hops question gives it hops reputation in the same space.
  const accountAnswer = await createAnswer(t.db, { author: account, questionId: othersQuestion });
  await castVote(t.db, { ...voter, reputation: 0 }, accountAnswer, 1);
  // Votes that become votes on one's own post once merged.
  await castVote(t.db, { ...account, reputation: 0 }, questionId, 1);
  await castVote(t.db, { ...ph, reputation: 0 }, accountAnswer, 1);
  // Votes the placeholder received and imported reputation.
  await castVote(t.db, { ...voter, reputation: 0 }, answerId, 1);
  await importReputation(t.db, { userId: ph.id, delta: 100, postId: questionId });
  await importReputation(t.db, { userId: ph.id, delta: 25 });
  await setFollowing(t.db, account, { itemId: (await storedPost(t.db, questionId)).itemId }, true);

  return { admin, account, voter, space, profile, ph, questionId, othersQuestion, answerId, accountAnswer, commentIds };
}

describe("claiming an imported profile", () => {
  test("moves posts, comments, revisions, votes, follows and the ledger, and keeps every sum exact", async () => {
    const w = await importedWorld();
    const actor = w.admin;
    const [accountBefore, phBefore] = [await reputationOf(t.db, w.account.id), await reputationOf(t.db, w.ph.id)];
    const [accountTags, phTags] = [await tagScores(w.account.id), await tagScores(w.ph.id)];
    expect(phBefore).toBe(5 + 10 + 100 + 25);
    expect(accountTags[`hops@${w.space.id}`]).toBe(20);

    const summary = await claimSummary(t.db, actor, w.ph.id);
    expect(summary).toMatchObject({ questions: 1, answers: 1, comments: 2, reputation: phBefore, profile: { source: "beer.stackexchange.com", displayName: "hopsfan" } });

    const outboxBefore = (await t.db.select({ id: outbox.id }).from(outbox)).length;
    const result = await claimImportedProfile(t.db, actor, { profileUserId: w.ph.id, accountUserId: w.account.id });
    expect(result.placeholderDeleted).toBe(true);
    expect(result.moved).toMatchObject({ posts: 2, comments: 2, retractedVotes: 2 });

    // Authorship.
    expect((await storedPost(t.db, w.questionId)).authorId).toBe(w.account.id);
    expect((await storedPost(t.db, w.answerId)).authorId).toBe(w.account.id);
    expect((await storedPost(t.db, w.othersQuestion)).lastEditorId).toBe(w.account.id);
    const commentAuthors = await t.db.select({ authorId: comments.authorId }).from(comments).where(inArray(comments.id, w.commentIds));
    expect(commentAuthors.map((c) => c.authorId)).toEqual([w.account.id, w.account.id]);
    const question = await storedPost(t.db, w.questionId);
    const editors = await t.db.select({ editorId: revisions.editorId }).from(revisions).where(eq(revisions.itemId, question.itemId));
    expect(editors.every((r) => r.editorId === w.account.id)).toBe(true);

    // The votes that became votes on one's own post are gone, and the scores with them.
    const votedItems = [question.itemId, (await storedPost(t.db, w.accountAnswer)).itemId];
    expect(await t.db.select().from(votes).where(inArray(votes.itemId, votedItems))).toHaveLength(1);
    expect((await storedPost(t.db, w.questionId)).score).toBe(0);
    expect((await storedPost(t.db, w.accountAnswer)).score).toBe(1);
    expect((await storedPost(t.db, w.answerId)).score).toBe(1);

    // Reputation: both totals, less the two retracted upvotes (+5 on the question, +10 on the answer).
    expect(result.reputation).toBe(accountBefore + phBefore - 5 - 10);
    expect(await reputationOf(t.db, w.account.id)).toBe(accountBefore + phBefore - 5 - 10);
    const ledger = await t.db.execute<{ total: number }>(sql`select coalesce(sum(delta), 0)::int as total from reputation_events where user_id = ${w.account.id}`);
    expect(Number(ledger[0]!.total)).toBe(accountBefore + phBefore - 5 - 10);
    expect(await t.db.select().from(reputationEvents).where(eq(reputationEvents.userId, w.ph.id))).toHaveLength(0);
    const merged = await tagScores(w.account.id);
    const hops = `hops@${w.space.id}`;
    const ipa = `ipa@${w.space.id}`;
    expect(merged[hops]).toBe(accountTags[hops]! + phTags[hops]! - 5 - 10);
    expect(merged[ipa]).toBe(phTags[ipa]! - 5);
    const drift = await recomputeReputation(t.db, { fix: false });
    expect(drift.users).toEqual([]);
    expect(drift.tags).toEqual([]);

    // Follows: the account follows what either followed.
    expect(
      await t.db
        .select()
        .from(follows)
        .where(and(eq(follows.userId, w.account.id), isNotNull(follows.tagId))),
    ).toHaveLength(1);
    const questionFollowers = await t.db.select({ userId: follows.userId }).from(follows).where(eq(follows.itemId, question.itemId));
    expect(questionFollowers.map((f) => f.userId)).toEqual([w.account.id]);

    // The profile row follows the account; the placeholder is gone.
    const [profileRow] = await t.db.select().from(importedProfiles).where(eq(importedProfiles.importKey, w.profile.importKey));
    expect(profileRow).toMatchObject({ userId: w.account.id, claimedById: actor.id });
    expect(profileRow!.claimedAt).toBeInstanceOf(Date);
    expect(await t.db.select().from(users).where(eq(users.id, w.ph.id))).toHaveLength(0);
    expect(await unclaimedImport(t.db, w.account.id)).toBeNull();

    // Search hears about both threads and both people.
    const queued = await t.db
      .select({ kind: outbox.kind, itemId: outbox.itemId })
      .from(outbox)
      .where(sql`${outbox.id} > ${outboxBefore}`);
    const questionsQueued = new Set(queued.filter((q) => q.kind === "question").map((q) => q.itemId));
    const peopleQueued = new Set(queued.filter((q) => q.kind === "person").map((q) => q.itemId));
    expect(questionsQueued).toEqual(new Set([w.questionId, w.othersQuestion]));
    expect(peopleQueued).toContain(w.account.id);
    expect(peopleQueued).toContain(w.ph.id);
  });

  test("a profile with nothing but imported reputation moves it whole", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const account = await createUser(t.db);
    const { user: ph } = await createImportedProfile(t.db);
    await importReputation(t.db, { userId: ph.id, delta: 1234 });
    const result = await claimImportedProfile(t.db, admin, { profileUserId: ph.id, accountUserId: account.id });
    expect(result.reputation).toBe(1234);
    expect(result.moved).toMatchObject({ posts: 0, comments: 0, reputationEvents: 1 });
    expect((await recomputeReputation(t.db, { fix: false })).users).toEqual([]);
  });
});

describe("a placeholder something still refers to", () => {
  test("is deactivated instead of deleted, and its pages answer 404 like a deleted one", async () => {
    // A table of this file's own database that refers to people and that the claim does not know.
    await t.db.execute(sql`create table if not exists claim_test_refs (user_id integer not null references users(id))`);
    const admin = await createUser(t.db, {}, "admin");
    const account = await createUser(t.db);
    const { user: ph } = await createImportedProfile(t.db);
    await importReputation(t.db, { userId: ph.id, delta: 40 });
    await t.db.execute(sql`insert into claim_test_refs (user_id) values (${ph.id})`);

    const result = await claimImportedProfile(t.db, admin, { profileUserId: ph.id, accountUserId: account.id });
    expect(result.placeholderDeleted).toBe(false);
    expect(result.reputation).toBe(40);
    const [left] = await t.db.select().from(users).where(eq(users.id, ph.id));
    expect(left!.deactivatedAt).toBeInstanceOf(Date);
    expect(left!.reputation).toBe(0);
    expect(await thrownStatus(run(profileLoader, await requestAs(t.db, admin, `/people/${ph.id}`), { userId: String(ph.id) }))).toBe(404);
    expect(await claimSummary(t.db, admin, ph.id)).toBeNull();
    expect((await rejects(claimImportedProfile(t.db, admin, { profileUserId: ph.id, accountUserId: (await createUser(t.db)).id }))).message).toBe(CLAIM_MESSAGES.alreadyClaimed);
    expect((await recomputeReputation(t.db, { fix: false })).users).toEqual([]);
  });
});

describe("refused claims", () => {
  test("only admins: anyone else gets a 404 and nothing moves", async () => {
    const member = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const deactivatedAdmin = await createUser(t.db, {}, "admin", "deactivated");
    const account = await createUser(t.db);
    const { user: ph, importKey } = await createImportedProfile(t.db);
    for (const actor of [member, moderator, deactivatedAdmin]) {
      expect(await thrownStatus(claimImportedProfile(t.db, actor, { profileUserId: ph.id, accountUserId: account.id }))).toBe(404);
      expect(await thrownStatus(claimSummary(t.db, actor, ph.id))).toBe(404);
    }
    const [row] = await t.db.select().from(importedProfiles).where(eq(importedProfiles.importKey, importKey));
    expect(row).toMatchObject({ userId: ph.id, claimedAt: null });
  });

  test("claimed twice: the second claim says it was claimed already", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const [first, second] = [await createUser(t.db), await createUser(t.db)];
    const { user: ph } = await createImportedProfile(t.db);
    await claimImportedProfile(t.db, admin, { profileUserId: ph.id, accountUserId: first.id });
    const error = await rejects(claimImportedProfile(t.db, admin, { profileUserId: ph.id, accountUserId: second.id }));
    expect(error.message).toBe(CLAIM_MESSAGES.alreadyClaimed);
    expect(await claimSummary(t.db, admin, ph.id)).toBeNull();
  });

  test("the account must be an active employee who is not itself imported, and not the profile", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const deactivated = await createUser(t.db, {}, "deactivated");
    const customer = await createUser(t.db, {}, "customer");
    const { user: ph, importKey } = await createImportedProfile(t.db);
    const { user: otherImported } = await createImportedProfile(t.db);
    const cases: Array<[number, string]> = [
      [otherImported.id, CLAIM_MESSAGES.accountImported],
      [deactivated.id, CLAIM_MESSAGES.accountDeactivated],
      [customer.id, CLAIM_MESSAGES.accountCustomer],
      [ph.id, CLAIM_MESSAGES.sameUser],
      [2_000_000_000, CLAIM_MESSAGES.accountMissing],
    ];
    for (const [accountUserId, message] of cases) {
      const error = await rejects(claimImportedProfile(t.db, admin, { profileUserId: ph.id, accountUserId }));
      expect(error.fieldErrors.account).toBe(message);
    }
    // A person who was never imported cannot be "claimed" into someone else.
    const plain = await createUser(t.db);
    const account = await createUser(t.db);
    expect((await rejects(claimImportedProfile(t.db, admin, { profileUserId: plain.id, accountUserId: account.id }))).message).toBe(CLAIM_MESSAGES.notImported);
    const [row] = await t.db.select().from(importedProfiles).where(eq(importedProfiles.importKey, importKey));
    expect(row).toMatchObject({ userId: ph.id, claimedAt: null });
  });

  test("two claims of one profile at the same moment: exactly one wins", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const otherAdmin = await createUser(t.db, {}, "admin");
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    const space = await createSpace(t.db);
    const { user: ph, importKey } = await createImportedProfile(t.db);
    const questionId = await createQuestion(t.db, { author: ph, space });
    await importReputation(t.db, { userId: ph.id, delta: 50, postId: questionId });
    const results = await Promise.allSettled([
      claimImportedProfile(t.db, admin, { profileUserId: ph.id, accountUserId: a.id }),
      claimImportedProfile(t.db, otherAdmin, { profileUserId: ph.id, accountUserId: b.id }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason.message).toBe(CLAIM_MESSAGES.alreadyClaimed);
    const winner = (won[0] as PromiseFulfilledResult<{ account: { id: number } }>).value.account.id;
    expect((await storedPost(t.db, questionId)).authorId).toBe(winner);
    const [row] = await t.db.select().from(importedProfiles).where(eq(importedProfiles.importKey, importKey));
    expect(row!.userId).toBe(winner);
    expect(await reputationOf(t.db, winner)).toBe(50);
    expect(await reputationOf(t.db, winner === a.id ? b.id : a.id)).toBe(0);
    expect((await recomputeReputation(t.db, { fix: false })).users).toEqual([]);
  });
});

describe("finding the account from the form", () => {
  test("by email in any case, or by a name only one active employee has", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const person = await createUser(t.db, { name: "Unique Brewmaster Name" });
    expect((await findClaimAccount(t.db, admin, ` ${person.email.toUpperCase()} `)).id).toBe(person.id);
    expect((await findClaimAccount(t.db, admin, "unique brewmaster name")).id).toBe(person.id);
    await createUser(t.db, { name: "Shared Name Twice" });
    await createUser(t.db, { name: "Shared Name Twice" });
    expect((await rejects(findClaimAccount(t.db, admin, "Shared Name Twice"))).fieldErrors.account).toBe(CLAIM_MESSAGES.ambiguousName);
    expect((await rejects(findClaimAccount(t.db, admin, "nobody@northwind.example"))).fieldErrors.account).toBe(CLAIM_MESSAGES.accountMissing);
    const { user: ph } = await createImportedProfile(t.db);
    expect((await rejects(findClaimAccount(t.db, admin, ph.email))).fieldErrors.account).toBe(CLAIM_MESSAGES.accountImported);
    const customer = await createUser(t.db, {}, "customer");
    expect((await rejects(findClaimAccount(t.db, admin, customer.email))).fieldErrors.account).toBe(CLAIM_MESSAGES.accountCustomer);
  });
});

describe("the pages", () => {
  const post = (user: { id: number }, path: string, fields: Record<string, string>) => postAs(t.db, user, path, fields);

  test("Admin → People lists unclaimed imported profiles on their own and marks them", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const { user: ph } = await createImportedProfile(t.db, { name: "Zymurgy Listed" });
    const data = await run(adminUsersLoader, await requestAs(t.db, admin, "/admin/users?status=imported&q=Zymurgy"));
    const list = data.list as { users: Array<{ id: number; imported: boolean }> };
    expect(list.users.map((u) => [u.id, u.imported])).toEqual([[ph.id, true]]);
    const everyone = await run(adminUsersLoader, await requestAs(t.db, admin, `/admin/users?q=${encodeURIComponent(admin.email)}`));
    expect((everyone.list as { users: Array<{ imported: boolean }> }).users.map((u) => u.imported)).toEqual([false]);
  });

  test("review, then confirm: bad input comes back with the typed text; the claim lands on the account", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const account = await createUser(t.db, { name: "Claiming Person" });
    const space = await createSpace(t.db);
    const { user: ph } = await createImportedProfile(t.db, { name: "stoutlover" });
    await createQuestion(t.db, { author: ph, space });
    await importReputation(t.db, { userId: ph.id, delta: 1234 });
    const path = `/admin/users/${ph.id}`;
    const params = { userId: String(ph.id) };

    const page = await run(adminUserLoader, await requestAs(t.db, admin, path), params);
    expect(page.imported).toMatchObject({ source: "beer.stackexchange.com", displayName: "stoutlover" });
    expect(page.claim).toMatchObject({ questions: 1, answers: 0, comments: 0, reputation: 1234 });

    // A failure is data(..., { status: 400 }), returned rather than thrown.
    const bad = await run(adminUserAction, await post(admin, path, { intent: "claim-review", account: "nobody@northwind.example" }), params);
    expect(bad).toMatchObject({ init: { status: 400 }, data: { ok: false, fieldErrors: { account: CLAIM_MESSAGES.accountMissing }, values: { account: "nobody@northwind.example" } } });
    const empty = await run(adminUserAction, await post(admin, path, { intent: "claim-review", account: "  " }), params);
    expect(empty).toMatchObject({ init: { status: 400 }, data: { fieldErrors: { account: "Type the person's email address or name" } } });

    const review = await run(adminUserAction, await post(admin, path, { intent: "claim-review", account: account.email.toUpperCase() }), params);
    expect(review).toMatchObject({ ok: true, review: { account: { id: account.id, name: "Claiming Person" } } });
    // Nothing moved yet.
    expect(await reputationOf(t.db, account.id)).toBe(0);

    const done = await thrown(run(adminUserAction, await post(admin, path, { intent: "claim", account: account.email, accountUserId: String(account.id) }), params));
    expect(done).toBeInstanceOf(Response);
    expect((done as Response).headers.get("Location")).toBe(`/admin/users/${account.id}?claimed=1`);
    expect(await reputationOf(t.db, account.id)).toBe(1234);
    const accountPage = await run(adminUserLoader, await requestAs(t.db, admin, `/admin/users/${account.id}?claimed=1`), { userId: String(account.id) });
    expect(accountPage).toMatchObject({ claimed: true, imported: null, claim: null, claimedProfiles: [{ source: "beer.stackexchange.com", displayName: "stoutlover" }] });

    // The placeholder's pages are gone; the account's profile does not claim to be imported.
    expect(await thrownStatus(run(profileLoader, await requestAs(t.db, admin, `/people/${ph.id}`), { userId: String(ph.id) }))).toBe(404);
    const profile = await run(profileLoader, await requestAs(t.db, admin, `/people/${account.id}`), { userId: String(account.id) });
    expect(profile.imported).toBeNull();
  });

  test("a profile page of an unclaimed imported profile says where it came from", async () => {
    const reader = await createUser(t.db);
    const { user: ph } = await createImportedProfile(t.db, { source: "coffee.stackexchange.com" });
    const profile = await run(profileLoader, await requestAs(t.db, reader, `/people/${ph.id}`), { userId: String(ph.id) });
    expect(profile.imported).toMatchObject({ source: "coffee.stackexchange.com" });
  });
});
