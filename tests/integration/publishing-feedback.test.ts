import { eq } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { forumAccounts, forumComments, forumReactions, forumThreads, publications, tagSmes, tags, type users } from "#db/schema/index.ts";
import { approvePublication, forumFeedbackQueue, hideForumComment, markFeedbackReviewed, proposePublication, setConsent } from "#app/features/publishing/publishing.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";

/**
 * Back-sync (docs/publishing.md): what customers say on a published thread reaches its owners'
 * review queue, and "Mark as reviewed" clears it. Customers' comments and reactions are written
 * here as the forum writes them.
 */

const t = setupTestDb();

type User = typeof users.$inferSelect;
let asker: User, answerer: User, proposer: User, moderator: User, sme: User, outsider: User, customer: User;
let space: Awaited<ReturnType<typeof createSpace>>;
let accounts: number[];

beforeAll(async () => {
  asker = await createUser(t.db, { name: "Greta Olsen" });
  answerer = await createUser(t.db, { name: "Sofia Marquez" });
  proposer = await createUser(t.db, { name: "Nils Brandt" });
  moderator = await createUser(t.db, { name: "Marta Riis" });
  sme = await createUser(t.db, { name: "Tariq Bell" });
  outsider = await createUser(t.db, { name: "Omar Lund" });
  customer = await createUser(t.db, { name: "Carl Customer" }, "customer");
  space = await createSpace(t.db, { slug: "support", moderators: [moderator] });
  await createTags(t.db, ["billing"]);
  const [billing] = await t.db.select().from(tags).where(eq(tags.name, "billing"));
  await t.db.insert(tagSmes).values({ tagId: billing!.id, userId: sme.id, source: "assigned" });
  const rows = await t.db
    .insert(forumAccounts)
    .values([
      { email: "ann@customer.example", name: "Ann Buyer", passwordHash: "x", verifiedAt: new Date() },
      { email: "bob@customer.example", name: "Bob Buyer", passwordHash: "x", verifiedAt: new Date() },
    ])
    .returning({ id: forumAccounts.id });
  accounts = rows.map((r) => r.id);
});

/** A thread published through the workflow: the asker and the answerer named, a moderator and the SME approving. */
async function published(): Promise<{ threadId: number; publicationId: number }> {
  const questionId = await createQuestion(t.db, { author: asker, space, title: "How do we refund a duplicate card payment?", tags: ["billing"] });
  await createAnswer(t.db, { author: answerer, questionId, body: "Refund the second charge from the payments console." });
  const { id } = await proposePublication(t.db, proposer, questionId);
  await setConsent(t.db, asker, id, { choice: "named" });
  await setConsent(t.db, answerer, id, { choice: "generic" });
  await approvePublication(t.db, moderator, id, 1);
  await approvePublication(t.db, sme, id, 1);
  const [pub] = await t.db.select({ threadId: publications.threadId }).from(publications).where(eq(publications.id, id));
  return { threadId: pub!.threadId!, publicationId: id };
}

async function comment(threadId: number, account: number, text: string): Promise<number> {
  const [row] = await t.db
    .insert(forumComments)
    .values({ threadId, accountId: account, body: text, bodyHtml: `<p>${text}</p>` })
    .returning({ id: forumComments.id });
  return row!.id;
}

test("the owners see new comments and reactions until they mark them reviewed; others see nothing", async () => {
  const { threadId, publicationId } = await published();
  const first = await comment(threadId, accounts[0]!, "This saved me a call, thanks.");
  const removed = await comment(threadId, accounts[1]!, "Spam.");
  await t.db.update(forumComments).set({ deletedAt: new Date() }).where(eq(forumComments.id, removed));
  await t.db.insert(forumReactions).values([
    { threadId, answerId: 0, accountId: accounts[0]!, kind: "helpful" },
    { threadId, answerId: 0, accountId: accounts[1]!, kind: "not_helpful" },
  ]);

  for (const owner of [moderator, proposer, answerer]) {
    const { threads, nextCursor } = await forumFeedbackQueue(t.db, owner, {});
    expect(nextCursor).toBeNull();
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({
      threadId,
      publicationId,
      title: "How do we refund a duplicate card payment?",
      newReactions: { helpful: 1, notHelpful: 1 },
      newComments: [{ id: first, authorName: "Ann Buyer", bodyHtml: "<p>This saved me a call, thanks.</p>" }],
    });
    expect(threads[0]!.threadUrl).toMatch(new RegExp(`/t/${threadId}/how-do-we-refund-a-duplicate-card-payment$`));
  }
  // An SME approved it but doesn't own it; a customer and a stranger see nothing either.
  for (const other of [sme, outsider, customer]) expect(await forumFeedbackQueue(t.db, other, {})).toEqual({ threads: [], nextCursor: null });
  await expect(markFeedbackReviewed(t.db, outsider, threadId)).rejects.toBeInstanceOf(NotFoundError);

  await markFeedbackReviewed(t.db, moderator, threadId);
  expect((await forumFeedbackQueue(t.db, proposer, {})).threads).toEqual([]);
  const later = await comment(threadId, accounts[1]!, "What about refunds older than 90 days?");
  const again = await forumFeedbackQueue(t.db, proposer, {});
  expect(again.threads.map((x) => [x.threadId, x.newComments.map((c) => c.id), x.newReactions])).toEqual([[threadId, [later], { helpful: 0, notHelpful: 0 }]]);
});

test("an owner hides a customer's comment; no one else can", async () => {
  const { threadId } = await published();
  const rude = await comment(threadId, accounts[0]!, "Something rude.");
  await expect(hideForumComment(t.db, outsider, rude)).rejects.toBeInstanceOf(NotFoundError);
  await expect(hideForumComment(t.db, moderator, 2_000_000_000)).rejects.toBeInstanceOf(NotFoundError);
  await hideForumComment(t.db, moderator, rude);
  const [row] = await t.db.select({ deletedAt: forumComments.deletedAt }).from(forumComments).where(eq(forumComments.id, rude));
  expect(row!.deletedAt).not.toBeNull();
  const queue = await forumFeedbackQueue(t.db, moderator, {});
  expect(queue.threads.find((x) => x.threadId === threadId)).toBeUndefined();
});

test("the queue pages by the most recent feedback, ten threads at a time", async () => {
  const { publicationId } = await published();
  const [base] = await t.db.select().from(publications).where(eq(publications.id, publicationId));
  // Eleven more published threads of the same question, each with one comment, oldest feedback first.
  const made: number[] = [];
  for (let i = 0; i < 11; i++) {
    const [thread] = await t.db
      .insert(forumThreads)
      .values({ slug: `thread-${i}`, title: `Thread ${i}`, bodyHtml: "<p>x</p>", authorName: "A Northwind employee", askedAt: new Date() })
      .returning({ id: forumThreads.id });
    await t.db
      .insert(publications)
      .values({ questionId: base!.questionId, spaceId: base!.spaceId, proposerId: proposer.id, title: `Thread ${i}`, status: "published", threadId: thread!.id });
    await t.db.insert(forumComments).values({ threadId: thread!.id, accountId: accounts[0]!, body: "hi", bodyHtml: "<p>hi</p>", createdAt: new Date(Date.UTC(2030, 0, 1, 0, i)) });
    made.push(thread!.id);
  }
  const first = await forumFeedbackQueue(t.db, proposer, {});
  expect(first.threads.map((x) => x.threadId)).toEqual(made.slice(1).reverse());
  expect(first.nextCursor).not.toBeNull();
  const second = await forumFeedbackQueue(t.db, proposer, { cursor: first.nextCursor });
  expect(second.threads.map((x) => x.threadId)[0]).toBe(made[0]);
  expect(second.threads.some((x) => made.slice(1).includes(x.threadId))).toBe(false);
  // A cursor that isn't one starts at the top.
  expect((await forumFeedbackQueue(t.db, proposer, { cursor: "nonsense" })).threads).toEqual(first.threads);
});
