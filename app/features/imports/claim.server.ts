import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { importedProfiles, posts, users, votes } from "#db/schema/index.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { lockUsers, reverseReputation } from "#app/features/reputation/ledger.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { isImportedEmail } from "./imported-profiles.server.ts";

/**
 * Claiming an imported profile: an admin merges the placeholder person an importer created into
 * the real account of the same person. Everything the placeholder wrote, edited, earned and did
 * moves to the account in one transaction; the ledger moves with it, so the account's totals and
 * per-tag scores stay sums of the ledger.
 *
 * The placeholder is deleted once nothing refers to it. Should some table added later still hold
 * a reference, the delete is rolled back to a savepoint and the placeholder is deactivated
 * instead (it keeps its `@import.invalid` address and has no unclaimed profile, so its pages
 * answer 404 like a deleted one).
 */

function assertAdmin(actor: Actor): void {
  if (actor.kind !== "employee" || actor.deactivatedAt || actor.role !== "admin") throw new NotFoundError();
}

export const CLAIM_MESSAGES = {
  alreadyClaimed: "This imported profile has already been claimed.",
  notImported: "Only an imported profile that has not been claimed yet can be claimed.",
  sameUser: "Choose the person's own account, not the imported profile itself.",
  accountMissing: "No active employee account matches. Type their email address.",
  accountImported: "That is another imported profile. Choose an account the person signs in with.",
  accountDeactivated: "That account is deactivated. Reactivate it first, or choose another.",
  accountCustomer: "That is a customer account. Imported profiles can only be claimed for employees.",
  ambiguousName: "Several people have that name. Type their email address instead.",
} as const;

export type ClaimSummary = {
  profile: { userId: number; name: string; source: string; sourceUrl: string; displayName: string };
  questions: number;
  answers: number;
  comments: number;
  reputation: number;
};

/** What claiming this profile would move, for the confirmation; null when it is not an unclaimed imported profile. */
export async function claimSummary(db: Db | Tx, actor: Actor, profileUserId: number): Promise<ClaimSummary | null> {
  assertAdmin(actor);
  if (!isRowId(profileUserId)) return null;
  const rows = await db.execute<{
    name: string;
    reputation: number;
    source: string;
    source_url: string;
    display_name: string;
    questions: number;
    answers: number;
    comments: number;
  }>(sql`
    select u.name, u.reputation, p.source, p.source_url, p.display_name,
      (select count(*)::int from posts where author_id = u.id and type = 'question') as questions,
      (select count(*)::int from posts where author_id = u.id and type = 'answer') as answers,
      (select count(*)::int from comments where author_id = u.id) as comments
    from users u
    join lateral (
      select source, source_url, display_name from imported_profiles
      where user_id = u.id and claimed_at is null order by imported_at limit 1
    ) p on true
    where u.id = ${profileUserId}`);
  const row = rows[0];
  if (!row) return null;
  return {
    profile: { userId: profileUserId, name: row.name, source: row.source, sourceUrl: row.source_url, displayName: row.display_name },
    questions: Number(row.questions),
    answers: Number(row.answers),
    comments: Number(row.comments),
    reputation: Number(row.reputation),
  };
}

/**
 * The account an admin typed into the claim form: an email address (exactly, any case), or a
 * name when exactly one active employee has it. Imported, deactivated and customer accounts are
 * refused with a message for the field.
 */
export async function findClaimAccount(db: Db | Tx, actor: Actor, text: string): Promise<{ id: number; name: string; email: string }> {
  assertAdmin(actor);
  const typed = text.trim().toLowerCase();
  const byEmail = typed.includes("@");
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email, kind: users.kind, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(byEmail ? eq(users.email, typed) : sql`lower(${users.name}) = ${typed}`)
    .limit(5);
  // By name, only active employees count: a namesake who left should not make the name ambiguous.
  const candidates = byEmail ? rows : rows.filter((r) => r.kind === "employee" && !r.deactivatedAt && !isImportedEmail(r.email));
  if (candidates.length > 1) throw InputError.field("account", CLAIM_MESSAGES.ambiguousName);
  const account = candidates[0];
  if (!account) throw InputError.field("account", CLAIM_MESSAGES.accountMissing);
  if (isImportedEmail(account.email)) throw InputError.field("account", CLAIM_MESSAGES.accountImported);
  if (account.kind !== "employee") throw InputError.field("account", CLAIM_MESSAGES.accountCustomer);
  if (account.deactivatedAt) throw InputError.field("account", CLAIM_MESSAGES.accountDeactivated);
  return { id: account.id, name: account.name, email: account.email };
}

export type ClaimResult = {
  account: { id: number; name: string };
  moved: { posts: number; comments: number; revisions: number; reputationEvents: number; votes: number; retractedVotes: number };
  reputation: number;
  /** Whether the placeholder row was deleted (true) or only deactivated because something still refers to it. */
  placeholderDeleted: boolean;
};

/**
 * Merges the imported profile `profileUserId` into the account `accountUserId`, in one
 * transaction. Both people's rows are locked first (in id order, as every reputation write does),
 * and then the profile's `imported_profiles` rows: a second claim of the same profile waits, then
 * finds it claimed and fails with a clear message.
 */
export async function claimImportedProfile(db: Db, actor: Actor, input: { profileUserId: number; accountUserId: number }): Promise<ClaimResult> {
  assertAdmin(actor);
  const { profileUserId, accountUserId } = input;
  if (!isRowId(profileUserId) || !isRowId(accountUserId)) throw new NotFoundError();
  if (profileUserId === accountUserId) throw InputError.field("account", CLAIM_MESSAGES.sameUser);
  return db.transaction(async (tx) => {
    const [admin] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, actor.id), eq(users.role, "admin"), eq(users.kind, "employee"), isNull(users.deactivatedAt)));
    if (!admin) throw new NotFoundError();

    await lockUsers(tx, [profileUserId, accountUserId]);
    const people = await tx
      .select({ id: users.id, name: users.name, email: users.email, kind: users.kind, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(inArray(users.id, [profileUserId, accountUserId]));
    const placeholder = people.find((p) => p.id === profileUserId);
    const account = people.find((p) => p.id === accountUserId);

    const profileRows = placeholder
      ? await tx
          .select({ importKey: importedProfiles.importKey })
          .from(importedProfiles)
          .where(and(eq(importedProfiles.userId, profileUserId), isNull(importedProfiles.claimedAt)))
          .for("update")
      : [];
    if (profileRows.length === 0) {
      // Gone, or left deactivated by an earlier claim: either way someone claimed it first.
      if (!placeholder || isImportedEmail(placeholder.email)) throw new InputError(CLAIM_MESSAGES.alreadyClaimed);
      throw new InputError(CLAIM_MESSAGES.notImported);
    }

    if (!account) throw InputError.field("account", CLAIM_MESSAGES.accountMissing);
    if (isImportedEmail(account.email)) throw InputError.field("account", CLAIM_MESSAGES.accountImported);
    const [accountProfile] = await tx
      .select({ importKey: importedProfiles.importKey })
      .from(importedProfiles)
      .where(and(eq(importedProfiles.userId, accountUserId), isNull(importedProfiles.claimedAt)))
      .limit(1);
    if (accountProfile) throw InputError.field("account", CLAIM_MESSAGES.accountImported);
    if (account.kind !== "employee") throw InputError.field("account", CLAIM_MESSAGES.accountCustomer);
    if (account.deactivatedAt) throw InputError.field("account", CLAIM_MESSAGES.accountDeactivated);

    const from = profileUserId;
    const to = accountUserId;

    // Questions whose search documents change: threads the placeholder wrote in.
    const touched = await tx.execute<{ question_id: number }>(sql`
      select distinct coalesce(parent_id, id) as question_id from posts where author_id = ${from}`);

    // Authorship and the other traces of what the placeholder did.
    const movedPosts = await tx.execute(sql`update posts set author_id = ${to} where author_id = ${from} returning id`);
    // These columns have no index of their own: one pass over the table sets all three.
    await tx.execute(sql`
      update posts set
        last_editor_id = case when last_editor_id = ${from} then ${to} else last_editor_id end,
        closed_by_id = case when closed_by_id = ${from} then ${to} else closed_by_id end,
        deleted_by_id = case when deleted_by_id = ${from} then ${to} else deleted_by_id end
      where ${from} in (last_editor_id, closed_by_id, deleted_by_id)`);
    const movedComments = await tx.execute(sql`update comments set author_id = ${to} where author_id = ${from} returning id`);
    await tx.execute(sql`update comments set deleted_by_id = ${to} where deleted_by_id = ${from}`);
    const movedRevisions = await tx.execute(sql`update revisions set editor_id = ${to} where editor_id = ${from} returning id`);
    await tx.execute(sql`update flags set reporter_id = ${to} where reporter_id = ${from}`);
    await tx.execute(sql`update flags set handled_by_id = ${to} where handled_by_id = ${from}`);
    await tx.execute(sql`update tags set created_by_id = ${to} where created_by_id = ${from}`);
    await tx.execute(sql`update site_settings set updated_by_id = ${to} where updated_by_id = ${from}`);
    await tx.execute(sql`update users set manager_id = ${to} where manager_id = ${from}`);
    await tx.execute(sql`update import_runs set started_by_id = ${to} where started_by_id = ${from}`);

    // Follows: the account follows what either followed (the placeholder's rows go with it).
    await tx.execute(sql`
      insert into follows (user_id, item_id, tag_id, created_at)
      select ${to}, item_id, tag_id, created_at from follows where user_id = ${from}
      on conflict do nothing`);
    await tx.execute(sql`delete from follows where user_id = ${from}`);
    // Notifications about the placeholder's posts now concern the account; one the account would
    // have sent itself (it commented on its own, now merged, post) is dropped.
    await tx.execute(sql`update notifications set actor_id = ${to} where actor_id = ${from}`);
    await tx.execute(sql`update notifications set user_id = ${to} where user_id = ${from}`);
    await tx.execute(sql`delete from notifications where user_id = ${to} and actor_id = ${to}`);

    // Votes. One person, one vote per post, and none on their own posts: a placeholder vote where
    // the account voted too, and any vote of either on what is now the account's own post, is
    // retracted as the voter would retract it (reputation reversed, counters corrected). Imports
    // bring votes on posts only, so the posts' counters are the ones to correct.
    const retract = await tx
      .select({ itemId: votes.itemId, postId: posts.id, userId: votes.userId, value: votes.value, authorEventId: votes.authorEventId, voterEventId: votes.voterEventId })
      .from(votes)
      .innerJoin(posts, eq(posts.itemId, votes.itemId))
      .where(
        sql`${votes.userId} in (${from}, ${to}) and (
          ${posts.authorId} = ${to}
          or (${votes.userId} = ${from} and exists (select 1 from votes mine where mine.item_id = ${votes.itemId} and mine.user_id = ${to})))`,
      );
    const retractedQuestions = new Set<number>();
    for (const vote of retract) {
      if (vote.authorEventId) await reverseReputation(tx, vote.authorEventId);
      if (vote.voterEventId) await reverseReputation(tx, vote.voterEventId);
      await tx.delete(votes).where(and(eq(votes.itemId, vote.itemId), eq(votes.userId, vote.userId)));
      const [post] = await tx
        .update(posts)
        .set({
          score: sql`${posts.score} - ${vote.value}`,
          upvoteCount: sql`${posts.upvoteCount} - ${vote.value === 1 ? 1 : 0}`,
          downvoteCount: sql`${posts.downvoteCount} - ${vote.value === -1 ? 1 : 0}`,
        })
        .where(eq(posts.id, vote.postId))
        .returning({ questionId: sql<number>`coalesce(${posts.parentId}, ${posts.id})` });
      if (post) retractedQuestions.add(Number(post.questionId));
    }
    const movedVotes = await tx.execute(sql`update votes set user_id = ${to} where user_id = ${from} returning item_id`);

    // The ledger moves as it is; the stored sums follow it exactly.
    const movedEvents = await tx.execute(sql`update reputation_events set user_id = ${to} where user_id = ${from} returning id`);
    await tx.execute(sql`update reputation_events set actor_id = ${to} where actor_id = ${from}`);
    await tx.execute(sql`
      insert into user_tag_reputation (user_id, tag_id, space_id, score)
      select ${to}, tag_id, space_id, score from user_tag_reputation where user_id = ${from}
      on conflict (user_id, tag_id, space_id) do update set score = user_tag_reputation.score + excluded.score`);
    await tx.execute(sql`delete from user_tag_reputation where user_id = ${from}`);
    const [totals] = await tx.execute<{ reputation: number }>(sql`
      update users set reputation = (select coalesce(sum(delta), 0)::int from reputation_events where user_id = ${to})
      where id = ${to} returning reputation`);
    await tx.update(users).set({ reputation: 0 }).where(eq(users.id, from));

    const now = new Date();
    await tx
      .update(importedProfiles)
      .set({ userId: to, claimedAt: now, claimedById: actor.id })
      .where(
        inArray(
          importedProfiles.importKey,
          profileRows.map((p) => p.importKey),
        ),
      );

    // Sessions, SSO links, space memberships and view marks of the placeholder go with its row
    // (it never signed in; its memberships are not the account's to inherit).
    let placeholderDeleted = true;
    try {
      await tx.transaction(async (savepoint) => {
        await savepoint.delete(users).where(eq(users.id, from));
      });
    } catch (error) {
      if (!foreignKeyViolation(error)) throw error;
      placeholderDeleted = false;
      await tx.update(users).set({ deactivatedAt: now }).where(eq(users.id, from));
    }

    await enqueueIndexing(tx, "question", [...touched.map((r) => Number(r.question_id)), ...retractedQuestions], { priority: 1 });
    await enqueueIndexing(tx, "person", [from, to], { priority: 1 });

    return {
      account: { id: account.id, name: account.name },
      moved: {
        posts: movedPosts.length,
        comments: movedComments.length,
        revisions: movedRevisions.length,
        reputationEvents: movedEvents.length,
        votes: movedVotes.length,
        retractedVotes: retract.length,
      },
      reputation: Number(totals?.reputation ?? 0),
      placeholderDeleted,
    };
  });
}

function foreignKeyViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23503") return true;
  }
  return false;
}
