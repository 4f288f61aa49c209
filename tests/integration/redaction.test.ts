import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { outbox, revisionRedactions, revisions, spaceMembers, users } from "#db/schema/index.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { editIdea } from "#app/features/ideas/ideas.server.ts";
import { redactRevision } from "#app/features/moderation/redaction.server.ts";
import type { RedactInput } from "#app/features/moderation/redaction-schema.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { editPost, rollbackPost } from "#app/features/qa/edit.server.ts";
import { action as historyAction, loader as historyLoader } from "#app/routes/ideas/history.tsx";
import { action as revisionsAction, loader as revisionsLoader } from "#app/routes/posts/revisions.tsx";
import { questionDocuments } from "#search/documents.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";
import { answered, rejects, routeContext, storedPost, thrownStatus, postAs } from "#tests/helpers.ts";

/**
 * A secret pasted into a question, an answer or an idea leaves its history when a moderator of
 * the space (or an admin) redacts the revision: the revision's title and text become "Redacted by
 * a moderator: <reason>", diffs show that, search is re-read, and only admins still see the
 * original. Everyone else is refused: 403 when they can see the history, 404 when they cannot.
 */

const t = setupTestDb();
const SECRET = "hunter2-Sup3rSecret-db-password";

type Reply = { data?: Record<string, unknown>; init?: { status?: number } };
const run = (fn: (args: never) => unknown, request: Request, params: Record<string, string>) =>
  Promise.resolve(fn({ request, context: routeContext(t.db).context, params } as never)) as Promise<Reply & Record<string, unknown>>;

async function session(user: { id: number }) {
  return `${SESSION_COOKIE}=${(await createSession(t.db, user.id)).token}`;
}

const post = (user: { id: number }, path: string, fields: Record<string, string>) => postAs(t.db, user, path, fields);

async function get(user: { id: number }, path: string) {
  return new Request(`http://localhost${path}`, { headers: { cookie: await session(user) } });
}

/** What a route threw: a redirect's location, or the status of a data() answer. */
async function outcome(promise: Promise<unknown>): Promise<{ location?: string; status?: number | null }> {
  const thrown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (thrown instanceof Response) return { location: thrown.headers.get("location") ?? "", status: thrown.status };
  return { status: (answered(thrown) as { init?: { status?: number } } | null)?.init?.status ?? null };
}

/** A revision of an item (a post's, an idea's) by its number, as stored now. */
async function revisionOf(itemId: number, number: number) {
  const [row] = await t.db
    .select()
    .from(revisions)
    .where(and(eq(revisions.itemId, itemId), eq(revisions.number, number)));
  return row;
}
const postRevision = async (postId: number, number: number) => revisionOf((await storedPost(t.db, postId)).itemId, number);
const ideaRevision = async (ideaId: number, number: number) => revisionOf(await ideaItemId(t.db, ideaId), number);
const redactPostRevision = async (db: typeof t.db, actor: Actor, postId: number, input: RedactInput) => redactRevision(db, actor, (await storedPost(db, postId)).itemId, input);

let admin: Awaited<ReturnType<typeof createUser>>;
let moderator: Awaited<ReturnType<typeof createUser>>;
let otherModerator: Awaited<ReturnType<typeof createUser>>;
let author: Awaited<ReturnType<typeof createUser>>;
let member: Awaited<ReturnType<typeof createUser>>;
let customer: Awaited<ReturnType<typeof createUser>>;
let deactivated: Awaited<ReturnType<typeof createUser>>;
let space: Awaited<ReturnType<typeof createSpace>>;
let restricted: Awaited<ReturnType<typeof createSpace>>;
/** A question whose first revision had the secret, which its author then edited out. */
let questionId: number;
let answerId: number;
let hiddenQuestionId: number;
let ideaId: number;
let hiddenIdeaId: number;

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  moderator = await createUser(t.db, { name: "Mona Moderator" });
  otherModerator = await createUser(t.db, { name: "Otto Elsewhere" });
  author = await createUser(t.db, { name: "Arne Author" });
  member = await createUser(t.db, { name: "Mia Member" });
  customer = await createUser(t.db, { name: "Cora Customer" }, "customer");
  deactivated = await createUser(t.db, { name: "Dina Gone" });
  space = await createSpace(t.db, { slug: "eng", moderators: [moderator] });
  await createSpace(t.db, { slug: "elsewhere", moderators: [otherModerator] });
  restricted = await createSpace(t.db, { slug: "vault", members: [author], moderators: [moderator] }, "restricted");

  questionId = await createQuestion(t.db, { author, space, title: `Connecting with ${SECRET}?`, body: `Our config says password=${SECRET} and it fails to connect.` });
  await editPost(t.db, author, questionId, {
    title: "Connecting to the reporting database fails",
    body: "Our config has the right password and it fails to connect.",
    comment: "took the password out",
  });
  await editPost(t.db, author, questionId, {
    title: "Connecting to the reporting database fails",
    body: "Our config has the right password and it still fails to connect.",
    comment: "wording",
  });
  answerId = await createAnswer(t.db, { author: member, questionId, body: `Try it with ${SECRET} quoted, that worked for us.` });
  await editPost(t.db, member, answerId, { body: "Try quoting the password, that worked for us.", comment: "no secrets" });
  hiddenQuestionId = await createQuestion(t.db, { author, space: restricted, body: `Vault text with ${SECRET} inside it.` });
  await editPost(t.db, author, hiddenQuestionId, { body: "Vault text without it, edited out.", comment: "removed" });

  const campaignId = await createCampaign(t.db, { sponsor: moderator, space });
  ideaId = await createIdea(t.db, { author, campaignId, body: `Rotate ${SECRET} every month and tell no one.` });
  await editIdea(t.db, author, ideaId, {
    title: "Rotate database passwords every month",
    body: "Rotate the database password every month, automatically.",
    category: "",
    tags: ["process"],
    comment: "took it out",
  });
  const hiddenCampaign = await createCampaign(t.db, { sponsor: moderator, space: restricted });
  hiddenIdeaId = await createIdea(t.db, { author, campaignId: hiddenCampaign, body: `A restricted idea with ${SECRET} in it.` });
  await editIdea(t.db, author, hiddenIdeaId, { title: "A restricted idea, edited", body: "A restricted idea without the secret now.", category: "", tags: ["process"], comment: "edit" });

  // The deactivated person once moderated this space and had a session; both end with deactivation.
  await t.db.insert(spaceMembers).values({ spaceId: space.id, userId: deactivated.id, role: "moderator" });
});

const reason = "a database password was posted";
const postPath = (id: number) => `/posts/${id}/revisions`;
const ideaPath = (id: number) => `/ideas/${id}/history`;

describe("who may redact a question's or an answer's revision", () => {
  test("members (the author included) and moderators of another space are refused with a 403; nothing changes", async () => {
    for (const who of [member, author, otherModerator]) {
      const result = await outcome(run(revisionsAction, await post(who, postPath(questionId), { intent: "redact", revision: "1", reason }), { postId: String(questionId) }));
      expect(result.status, who.name).toBe(403);
    }
    const rev = await postRevision(questionId, 1);
    expect(rev!.redactedAt).toBeNull();
    expect(rev!.body).toContain(SECRET);
  });

  test("someone outside a restricted space gets a 404, as for a post that does not exist", async () => {
    const result = await outcome(run(revisionsAction, await post(member, postPath(hiddenQuestionId), { intent: "redact", revision: "1", reason }), { postId: String(hiddenQuestionId) }));
    expect(result.status).toBe(404);
  });

  test("customers and deactivated accounts never reach it", async () => {
    const asCustomer = await outcome(run(revisionsAction, await post(customer, postPath(questionId), { intent: "redact", revision: "1", reason }), { postId: String(questionId) }));
    expect(asCustomer.location).toBe("/");
    const request = await post(deactivated, postPath(questionId), { intent: "redact", revision: "1", reason });
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, deactivated.id));
    const asDeactivated = await outcome(run(revisionsAction, request, { postId: String(questionId) }));
    expect(asDeactivated.location).toMatch(/^\/sign-in/);
    expect((await t.db.select().from(revisionRedactions)).length).toBe(0);
  });

  test("without a reason the form comes back with a field message and the typed text", async () => {
    const reply = await run(revisionsAction, await post(moderator, postPath(questionId), { intent: "redact", revision: "1", reason: "  pw " }), { postId: String(questionId) });
    expect(reply.init?.status).toBe(400);
    const failure = reply.data as { fieldErrors: Record<string, string>; values: Record<string, string>; redacting: number };
    expect(failure.fieldErrors.reason).toMatch(/Say why/);
    expect(failure.values.reason).toBe("  pw ");
    expect(failure.redacting).toBe(1);
  });

  test("the current revision is refused with a message saying to edit first", async () => {
    const reply = await run(revisionsAction, await post(moderator, postPath(questionId), { intent: "redact", revision: "3", reason }), { postId: String(questionId) });
    expect(reply.init?.status).toBe(400);
    expect((reply.data as { formError: string }).formError).toMatch(/current text\. Edit it first/);
    expect((reply.data as { values: Record<string, string> }).values.reason).toBe(reason);
  });

  test("a moderator of the space redacts: title and text become the notice, the original is kept for audit, search is re-read", async () => {
    const queued = await t.db.$count(outbox, and(eq(outbox.kind, "question"), eq(outbox.itemId, questionId)));
    const result = await outcome(run(revisionsAction, await post(moderator, postPath(questionId), { intent: "redact", revision: "1", reason }), { postId: String(questionId) }));
    expect(result.location).toBe(`${postPath(questionId)}#revision-1`);

    const rev = await postRevision(questionId, 1);
    expect(rev!.redactedAt).not.toBeNull();
    expect(rev!.title).toBe(`Redacted by a moderator: ${reason}`);
    expect(rev!.body).toBe(`Redacted by a moderator: ${reason}`);
    const [kept] = await t.db.select().from(revisionRedactions).where(eq(revisionRedactions.revisionId, rev!.id));
    expect(kept!.originalBody).toContain(SECRET);
    expect(kept!.originalTitle).toContain(SECRET);
    expect(kept!.reason).toBe(reason);
    expect(kept!.redactedById).toBe(moderator.id);
    expect(await t.db.$count(outbox, and(eq(outbox.kind, "question"), eq(outbox.itemId, questionId)))).toBe(queued + 1);

    // Twice is refused with a message, not a 500 from the unique key.
    const again = await rejects(redactPostRevision(t.db, moderator, questionId, { revision: 1, reason }));
    expect(again.message).toMatch(/redacted already/);
  });

  test("the edit summary goes with the text: it can name the secret too; admins still read it", async () => {
    const id = await createQuestion(t.db, { author, space, body: "First text, no secret in it." });
    await editPost(t.db, author, id, { body: "Second text, still nothing.", comment: `replaced ${SECRET} in the config` });
    await editPost(t.db, author, id, { body: "Third text, the current one.", comment: "wording" });
    await redactPostRevision(t.db, moderator, id, { revision: 2, reason });
    const rev = await postRevision(id, 2);
    expect(rev!.comment).toBe("");
    const [kept] = await t.db.select().from(revisionRedactions).where(eq(revisionRedactions.revisionId, rev!.id));
    expect(kept!.originalComment).toContain(SECRET);
    const asAuthor = await run(revisionsLoader, await get(author, postPath(id)), { postId: String(id) });
    expect(JSON.stringify(asAuthor)).not.toContain(SECRET);
    const asAdmin = await run(revisionsLoader, await get(admin, postPath(id)), { postId: String(id) });
    const second = (asAdmin.revisions as Array<{ number: number; original: { comment: string } | null }>).find((r) => r.number === 2)!;
    expect(second.original!.comment).toContain(SECRET);
  });

  test("an admin redacts an answer's revision", async () => {
    const result = await outcome(
      run(revisionsAction, await post(admin, postPath(answerId), { intent: "redact", revision: "1", reason: "a password in the answer" }), { postId: String(answerId) }),
    );
    expect(result.location).toBe(`${postPath(answerId)}#revision-1`);
    const rev = await postRevision(answerId, 1);
    expect(rev!.title).toBeNull();
    expect(rev!.body).toBe("Redacted by a moderator: a password in the answer");
  });
});

describe("the original appears nowhere but in the admin's view", () => {
  test("history pages and diffs of non-admins, the moderator who redacted and the author included, hold only the notice", async () => {
    for (const who of [member, author, moderator]) {
      for (const id of [questionId, answerId]) {
        const page = await run(revisionsLoader, await get(who, postPath(id)), { postId: String(id) });
        const serialized = JSON.stringify(page);
        expect(serialized, `${who.name} on post ${id}`).not.toContain(SECRET);
        expect(serialized).toContain("Redacted by a moderator");
        const first = (page.revisions as Array<{ number: number; redacted: boolean; original: unknown; diff: unknown }>).find((r) => r.number === 1)!;
        expect(first.redacted).toBe(true);
        expect(first.original).toBeNull();
      }
    }
    // The diff of revision 2 is against the notice.
    const page = await run(revisionsLoader, await get(member, postPath(questionId)), { postId: String(questionId) });
    const second = (page.revisions as Array<{ number: number; diff: { body: Array<{ value: string; change: string }> } }>).find((r) => r.number === 2)!;
    const removed = second.diff.body.filter((p) => p.change === "removed").map((p) => p.value);
    expect(removed).toEqual(expect.arrayContaining(["Redacted", "moderator:"]));
  });

  test("an admin sees the original, with who redacted it and why", async () => {
    const page = await run(revisionsLoader, await get(admin, postPath(questionId)), { postId: String(questionId) });
    const first = (page.revisions as Array<{ number: number; original: { body: string; reason: string; redactedBy: { name: string } } | null }>).find((r) => r.number === 1)!;
    expect(first.original!.body).toContain(SECRET);
    expect(first.original!.reason).toBe(reason);
    expect(first.original!.redactedBy.name).toBe("Mona Moderator");
  });

  test("a rollback to the redacted revision brings back the notice, not the secret", async () => {
    await rollbackPost(t.db, moderator, answerId, 1);
    const page = await run(revisionsLoader, await get(member, postPath(answerId)), { postId: String(answerId) });
    expect(JSON.stringify(page)).not.toContain(SECRET);
  });

  test("the search documents hold no trace of it", async () => {
    const docs = await questionDocuments(t.db, [questionId]);
    expect(docs.upserts).toHaveLength(1);
    expect(JSON.stringify(docs.upserts)).not.toContain(SECRET);
  });
});

describe("an idea's versions", () => {
  test("members, the author, moderators of another space are refused; outsiders of a restricted space get a 404", async () => {
    for (const who of [member, author, otherModerator]) {
      const result = await outcome(run(historyAction, await post(who, ideaPath(ideaId), { intent: "redact", revision: "1", reason }), { ideaId: String(ideaId) }));
      expect(result.status, who.name).toBe(403);
    }
    const hidden = await outcome(run(historyAction, await post(member, ideaPath(hiddenIdeaId), { intent: "redact", revision: "1", reason }), { ideaId: String(hiddenIdeaId) }));
    expect(hidden.status).toBe(404);
    const asCustomer = await outcome(run(historyAction, await post(customer, ideaPath(ideaId), { intent: "redact", revision: "1", reason }), { ideaId: String(ideaId) }));
    expect(asCustomer.location).toBe("/");
    const rev = await ideaRevision(ideaId, 1);
    expect(rev!.body).toContain(SECRET);
  });

  test("the current version is refused; an empty reason is a field message", async () => {
    const current = await run(historyAction, await post(moderator, ideaPath(ideaId), { intent: "redact", revision: "2", reason }), { ideaId: String(ideaId) });
    expect(current.init?.status).toBe(400);
    expect((current.data as { formError: string }).formError).toMatch(/Edit it first/);
    const empty = await run(historyAction, await post(moderator, ideaPath(ideaId), { intent: "redact", revision: "1", reason: "" }), { ideaId: String(ideaId) });
    expect((empty.data as { fieldErrors: Record<string, string> }).fieldErrors.reason).toMatch(/Say why/);
  });

  test("a moderator redacts; the history shows the notice to everyone and the original to admins only; search is re-read", async () => {
    const queued = await t.db.$count(outbox, and(eq(outbox.kind, "idea"), eq(outbox.itemId, ideaId)));
    const result = await outcome(run(historyAction, await post(moderator, ideaPath(ideaId), { intent: "redact", revision: "1", reason }), { ideaId: String(ideaId) }));
    expect(result.location).toBe(`${ideaPath(ideaId)}#revision-1`);
    expect(await t.db.$count(outbox, and(eq(outbox.kind, "idea"), eq(outbox.itemId, ideaId)))).toBe(queued + 1);

    for (const who of [member, author, moderator]) {
      const page = await run(historyLoader, await get(who, ideaPath(ideaId)), { ideaId: String(ideaId) });
      expect(JSON.stringify(page), who.name).not.toContain(SECRET);
      expect(JSON.stringify(page)).toContain(`Redacted by a moderator: ${reason}`);
    }
    const asAdmin = await run(historyLoader, await get(admin, ideaPath(ideaId)), { ideaId: String(ideaId) });
    const first = (asAdmin.revisions as Array<{ number: number; original: { body: string } | null }>).find((r) => r.number === 1)!;
    expect(first.original!.body).toContain(SECRET);
  });

  test("the route's refusals are statuses, never a 500", async () => {
    expect(await thrownStatus(run(historyAction, await post(moderator, ideaPath(ideaId), { intent: "shred" }), { ideaId: String(ideaId) }))).toBe(400);
    const missing = await outcome(run(historyAction, await post(moderator, ideaPath(ideaId), { intent: "redact", revision: "99", reason }), { ideaId: String(ideaId) }));
    expect(missing.status).toBe(404);
  });
});
