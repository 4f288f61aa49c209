import { and, eq, gt, max } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { outbox } from "#db/schema/index.ts";
import { signUp } from "#app/features/auth/accounts.server.ts";
import { flagItem, resolveFlags } from "#app/features/moderation/flags.server.ts";
import { acceptAnswer, unacceptAnswer } from "#app/features/qa/accept.server.ts";
import { closeQuestion, reopenQuestion } from "#app/features/qa/close.server.ts";
import { deletePost, editPost, rollbackPost, undeletePost } from "#app/features/qa/edit.server.ts";
import { askQuestion, postAnswer } from "#app/features/qa/posts.server.ts";
import { castVote } from "#app/features/qa/votes.server.ts";
import { deleteComment } from "#app/features/social/comments.server.ts";
import { deactivateUser, reactivateUser } from "#app/features/users/admin-users.server.ts";
import { updateOwnProfile } from "#app/features/users/profiles.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects, storedPost } from "#tests/helpers.ts";
import { createAnswer, createComment, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";

/**
 * Every write that changes a search document names the item in the outbox, in the same
 * transaction as the change: a write that fails or rolls back leaves no row behind.
 */

const t = setupTestDb();

async function mark(): Promise<number> {
  const [row] = await t.db.select({ id: max(outbox.id) }).from(outbox);
  return row?.id ?? 0;
}

/** The (kind, itemId) pairs enqueued since `since`, deduplicated and sorted. */
async function enqueuedSince(since: number): Promise<string[]> {
  const rows = await t.db.select({ kind: outbox.kind, itemId: outbox.itemId, status: outbox.status }).from(outbox).where(gt(outbox.id, since));
  for (const r of rows) expect(r.status).toBe("pending");
  return [...new Set(rows.map((r) => `${r.kind}:${r.itemId}`))].sort();
}

/** What `write` enqueued. */
async function enqueuedBy(write: () => Promise<unknown>): Promise<string[]> {
  const since = await mark();
  await write();
  return enqueuedSince(since);
}

const q = (id: number) => `question:${id}`;
const p = (id: number) => `person:${id}`;
const sorted = (...keys: string[]) => [...keys].sort();

async function world() {
  const asker = await createUser(t.db);
  const answerer = await createUser(t.db);
  const voter = await createUser(t.db, { reputation: 1000 });
  const moderator = await createUser(t.db, {}, "moderator");
  const space = await createSpace(t.db);
  const questionId = await createQuestion(t.db, { author: asker, space, tags: ["outbox"] });
  const answerId = await createAnswer(t.db, { author: answerer, questionId });
  return { asker, answerer, voter, moderator, space, questionId, answerId };
}

describe("questions and answers enqueue their question", () => {
  test("asking, answering and commenting", async () => {
    const asker = await createUser(t.db);
    const answerer = await createUser(t.db);
    const space = await createSpace(t.db);
    await createTags(t.db, ["outbox"]);
    let questionId = 0;
    expect(
      await enqueuedBy(async () => {
        ({ id: questionId } = await askQuestion(t.db, asker, {
          space: space.slug,
          title: "How does the outbox keep search in step?",
          body: "Some details about the outbox, enough words to pass.",
          tags: ["outbox"],
          submissionKey: undefined,
        }));
      }),
    ).toEqual(sorted(q(questionId), p(asker.id)));
    // A person's top tags come from what they ask and answer.
    expect(await enqueuedBy(() => postAnswer(t.db, answerer, questionId, { body: "It writes a row in the same transaction.", submissionKey: undefined }))).toEqual(
      sorted(q(questionId), p(answerer.id)),
    );
    // A comment moves the question's activity time, a sort key of its document.
    expect(await enqueuedBy(() => createComment(t.db, { author: answerer, postId: questionId }))).toEqual([q(questionId)]);
  });

  test("editing and rolling back a question or an answer", async () => {
    const { asker, answerer, questionId, answerId } = await world();
    expect(
      await enqueuedBy(() => editPost(t.db, asker, questionId, { title: "A better title for the outbox question", body: "New body words for the question.", tags: ["outbox"], comment: "" })),
    ).toEqual([q(questionId)]);
    // New tags change the top tags of the asker and of everyone who answered.
    await createTags(t.db, ["relay"]);
    expect(await enqueuedBy(() => editPost(t.db, asker, questionId, { body: "New body words for the question.", tags: ["outbox", "relay"], comment: "" }))).toEqual(
      sorted(q(questionId), p(asker.id), p(answerer.id)),
    );
    expect(await enqueuedBy(() => editPost(t.db, answerer, answerId, { body: "An answer, edited with more words.", comment: "" }))).toEqual([q(questionId)]);
    expect(await enqueuedBy(() => rollbackPost(t.db, asker, questionId, 1))).toEqual(sorted(q(questionId), p(asker.id), p(answerer.id)));
    expect(await enqueuedBy(() => rollbackPost(t.db, answerer, answerId, 1))).toEqual([q(questionId)]);
  });

  test("deleting and undeleting an answer or a question; comments are not indexed", async () => {
    const { asker, answerer, questionId, answerId } = await world();
    expect(await enqueuedBy(() => deletePost(t.db, answerer, answerId))).toEqual(sorted(q(questionId), p(answerer.id)));
    // Deleting what is already deleted changes nothing.
    expect(await enqueuedBy(() => deletePost(t.db, answerer, answerId))).toEqual([]);
    expect(await enqueuedBy(() => undeletePost(t.db, answerer, answerId))).toEqual(sorted(q(questionId), p(answerer.id)));
    expect(await enqueuedBy(() => deletePost(t.db, asker, questionId))).toEqual(sorted(q(questionId), p(asker.id)));
    expect(await enqueuedBy(() => undeletePost(t.db, asker, questionId))).toEqual(sorted(q(questionId), p(asker.id)));
    const commentId = await createComment(t.db, { author: answerer, postId: answerId });
    expect(await enqueuedBy(() => deleteComment(t.db, answerer, commentId))).toEqual([]);
  });

  test("closing and reopening", async () => {
    const { moderator, questionId } = await world();
    expect(await enqueuedBy(() => closeQuestion(t.db, moderator, questionId, { reason: "off_topic" }))).toEqual([q(questionId)]);
    expect(await enqueuedBy(() => reopenQuestion(t.db, moderator, questionId))).toEqual([q(questionId)]);
  });

  test("accepting and unaccepting: the question and the people whose reputation moved", async () => {
    const { asker, answerer, questionId, answerId } = await world();
    expect(await enqueuedBy(() => acceptAnswer(t.db, asker, answerId))).toEqual(sorted(q(questionId), p(answerer.id), p(asker.id)));
    expect(await enqueuedBy(() => unacceptAnswer(t.db, asker, questionId))).toEqual(sorted(q(questionId), p(answerer.id), p(asker.id)));
  });

  test("a vote on an answer enqueues its question and the people whose reputation moved", async () => {
    const { answerer, voter, questionId, answerId } = await world();
    expect(await enqueuedBy(() => castVote(t.db, voter, answerId, 1))).toEqual(sorted(q(questionId), p(answerer.id)));
    // A downvote on an answer costs the voter too.
    expect(await enqueuedBy(() => castVote(t.db, voter, answerId, -1))).toEqual(sorted(q(questionId), p(answerer.id), p(voter.id)));
    expect(await enqueuedBy(() => castVote(t.db, voter, answerId, 0))).toEqual(sorted(q(questionId), p(answerer.id), p(voter.id)));
    // The same vote again changes nothing.
    expect(await enqueuedBy(() => castVote(t.db, voter, answerId, 0))).toEqual([]);
  });

  test("a vote on a question enqueues it and its author", async () => {
    const { asker, voter, questionId } = await world();
    expect(await enqueuedBy(() => castVote(t.db, voter, questionId, 1))).toEqual(sorted(q(questionId), p(asker.id)));
  });
});

describe("the moderation queue acts through the same functions", () => {
  test("deleting a flagged answer enqueues its question; a refused close leaves nothing", async () => {
    const { answerer, voter, moderator, questionId, answerId } = await world();
    const { itemId } = await storedPost(t.db, answerId);
    await flagItem(t.db, voter, itemId, { reason: "spam", details: "" });
    const since = await mark();
    await rejects(resolveFlags(t.db, moderator, { itemId }, { action: "close", resolution: "" }));
    expect(await enqueuedSince(since)).toEqual([]);
    expect(await enqueuedBy(() => resolveFlags(t.db, moderator, { itemId }, { action: "delete", resolution: "" }))).toEqual(sorted(q(questionId), p(answerer.id)));
  });
});

describe("a write that fails leaves no outbox row", () => {
  test("a new tag the asker may not create", async () => {
    const asker = await createUser(t.db);
    const space = await createSpace(t.db);
    const since = await mark();
    await rejects(
      askQuestion(t.db, asker, {
        space: space.slug,
        title: "A question with a brand new tag",
        body: "Enough words in the body here.",
        tags: ["never-seen-before"],
        submissionKey: undefined,
      }),
    );
    expect(await enqueuedSince(since)).toEqual([]);
  });

  test("a refused vote, an edit that changes nothing, an answer to a closed question, closing a closed one", async () => {
    const { asker, answerer, moderator, questionId, answerId } = await world();
    const lowRep = await createUser(t.db);
    const since = await mark();
    await rejects(castVote(t.db, asker, questionId, 1)); // one's own post
    await rejects(castVote(t.db, lowRep, answerId, -1)); // no downvote privilege yet
    const answer = await storedPost(t.db, answerId);
    await rejects(editPost(t.db, answerer, answerId, { body: answer.body, comment: "" }));
    expect(await enqueuedSince(since)).toEqual([]);

    await closeQuestion(t.db, moderator, questionId, { reason: "off_topic" });
    const afterClose = await mark();
    await rejects(postAnswer(t.db, answerer, questionId, { body: "Too late for this question.", submissionKey: undefined }));
    await rejects(closeQuestion(t.db, moderator, questionId, { reason: "unclear" }));
    expect(await enqueuedSince(afterClose)).toEqual([]);
  });

  test("a profile edit with an invalid manager", async () => {
    const person = await createUser(t.db);
    const since = await mark();
    await rejects(updateOwnProfile(t.db, person, { name: "Someone", title: "", department: "", location: "", bio: "", manager: person.email }));
    expect(await enqueuedSince(since)).toEqual([]);
  });

  test("a transaction that rolls back takes its rows with it", async () => {
    const since = await mark();
    await expect(
      t.db.transaction(async (tx) => {
        await enqueueIndexing(tx, "question", [1, 2, 2]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await enqueuedSince(since)).toEqual([]);
  });
});

describe("people enqueue their person document", () => {
  test("sign-up, profile edits, deactivate and reactivate", async () => {
    let userId = 0;
    expect(
      await enqueuedBy(async () => {
        const result = await signUp(t.db, { name: "New Person", email: `new-${Date.now()}@northwind.example`, password: "a long enough password 1" }, { allowedDomains: ["*"] });
        if (!result.ok) throw new Error("sign-up failed");
        userId = result.userId!;
      }),
    ).toEqual([p(userId)]);
    const person = await createUser(t.db);
    const space = await createSpace(t.db);
    const asked = await createQuestion(t.db, { author: person, space });
    // Question documents carry their author's name and department.
    expect(await enqueuedBy(() => updateOwnProfile(t.db, person, { name: "Renamed Person", title: "Lead", department: "Support", location: "Lisbon", bio: "", manager: "" }))).toEqual(
      sorted(p(person.id), q(asked)),
    );
    expect(await enqueuedBy(() => updateOwnProfile(t.db, person, { name: "Renamed Person", title: "Lead", department: "Support", location: "Porto", bio: "", manager: "" }))).toEqual([
      p(person.id),
    ]);
    const admin = await createUser(t.db, {}, "admin");
    expect(await enqueuedBy(() => deactivateUser(t.db, admin, person.id))).toEqual([p(person.id)]);
    expect(await enqueuedBy(() => reactivateUser(t.db, admin, person.id))).toEqual([p(person.id)]);
    // Reactivating an active account changes nothing.
    expect(await enqueuedBy(() => reactivateUser(t.db, admin, person.id))).toEqual([]);
  });

  test("rows are pending and name the item, not its content", async () => {
    const { questionId } = await world();
    const rows = await t.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, "question"), eq(outbox.itemId, questionId)));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ status: "pending", attempts: 0, lastError: null, processedAt: null });
  });
});
