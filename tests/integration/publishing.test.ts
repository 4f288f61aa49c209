import { and, asc, count, eq } from "drizzle-orm";
import postgres from "postgres";
import { beforeAll, describe, expect, test } from "vitest";
import { forumAnswers, forumThreads, notifications, outbox, posts, publicationEvents, publicationFlags, publications, spaceMembers, tagSmes, tags, users } from "#db/schema/index.ts";
import { askAnonymously } from "#app/features/anonymous/ask.server.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { editPost } from "#app/features/qa/edit.server.ts";
import {
  acceptFlag,
  approvePublication,
  type ConsentInput,
  discardPublication,
  expirePublications,
  getPublication,
  listPublications,
  proposePublication,
  publicationBanner,
  redactFlag,
  saveDraft,
  setConsent,
  unpublishPublication,
} from "#app/features/publishing/publishing.server.ts";
import { diffPublication } from "#app/features/publishing/diff.ts";
import { genericAuthorName } from "#app/features/publishing/rules.ts";
import { threadSlug } from "#app/features/publishing/urls.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { rejects, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { payloads, problems, rendersAsText } from "#tests/xss-render.ts";

/**
 * The publishing workflow (docs/publishing.md): snapshot, scan, consent, the two-person rule,
 * publishing into the forum's tables, unpublish, expiry, republish. Real PostgreSQL; the forum's
 * tables are read back as the forum would read them.
 */

const t = setupTestDb();

type User = typeof users.$inferSelect;
let asker: User, answerer: User, second: User, third: User, proposer: User, moderator: User, sme: User, admin: User, outsider: User, customer: User, gone: User;
let space: Awaited<ReturnType<typeof createSpace>>;
let secret: Awaited<ReturnType<typeof createSpace>>;

beforeAll(async () => {
  asker = await createUser(t.db, { name: "Greta Olsen", title: "Support Specialist" });
  answerer = await createUser(t.db, { name: "Sofia Marquez", title: "Backend Engineer", email: "sofia.marquez@northwind.example" });
  second = await createUser(t.db, { name: "Paul Dane", title: "Site Reliability Engineer" });
  third = await createUser(t.db, { name: "Ines Varga", title: "QA Engineer" });
  proposer = await createUser(t.db, { name: "Nils Brandt", title: "Knowledge Base Editor" });
  moderator = await createUser(t.db, { name: "Marta Riis", title: "Support Team Lead" });
  sme = await createUser(t.db, { name: "Tariq Bell", title: "Billing Engineer" });
  admin = await createUser(t.db, { name: "Ada Quist", title: "VP Engineering" }, "admin");
  outsider = await createUser(t.db, { name: "Omar Lund", title: "Accountant" });
  customer = await createUser(t.db, { name: "Carl Customer" }, "customer");
  gone = await createUser(t.db, { name: "Gil Gone", title: "Former Engineer" }, "deactivated");
  space = await createSpace(t.db, { slug: "support", name: "Support", moderators: [moderator] });
  secret = await createSpace(t.db, { slug: "secret", name: "Secret", members: [asker, answerer, proposer], moderators: [moderator] }, "restricted");
  await createTags(t.db, ["billing", "onboarding"]);
  const [billing] = await t.db.select().from(tags).where(eq(tags.name, "billing"));
  await t.db.insert(tagSmes).values({ tagId: billing!.id, userId: sme.id, source: "assigned" });
});

/** A question by the asker with answers, in the open space unless told. */
async function thread(opts: { body?: string; tags?: string[]; where?: { slug: string }; answers?: Array<{ author: User; body?: string }> } = {}) {
  const questionId = await createQuestion(t.db, {
    author: asker,
    space: opts.where ?? space,
    title: "How do we refund a duplicate card payment?",
    body: opts.body ?? "A customer was charged twice for one order. What is the right way to refund the duplicate?",
    tags: opts.tags ?? ["billing"],
  });
  const answerIds: number[] = [];
  for (const a of opts.answers ?? [{ author: answerer }]) {
    answerIds.push(await createAnswer(t.db, { author: a.author, questionId, body: a.body ?? "Refund the second charge from the payments console, then note it on the order." }));
  }
  return { questionId, answerIds };
}

async function consent(id: number, choices: Array<[User, ConsentInput]>) {
  for (const [user, input] of choices) await setConsent(t.db, user, id, input);
}

/** A draft of a fresh question with one answer, every author named: ready for approval. */
async function readyDraft(opts: Parameters<typeof thread>[0] = {}) {
  const q = await thread(opts);
  const { id } = await proposePublication(t.db, proposer, q.questionId);
  const authors = [asker, ...(opts.answers ?? [{ author: answerer }]).map((a) => a.author)];
  await consent(
    id,
    [...new Set(authors)].map((u) => [u, { choice: "named" }]),
  );
  return { ...q, id };
}

async function threadOf(publicationId: number) {
  const [pub] = await t.db.select().from(publications).where(eq(publications.id, publicationId));
  const [row] = await t.db.select().from(forumThreads).where(eq(forumThreads.id, pub!.threadId!));
  const answers = await t.db.select().from(forumAnswers).where(eq(forumAnswers.threadId, pub!.threadId!)).orderBy(asc(forumAnswers.position));
  return { pub: pub!, thread: row!, answers };
}

describe("proposing", () => {
  test("a draft is a snapshot: accepted answer first, then by score, negative ones left out; later internal edits change nothing", async () => {
    const { questionId, answerIds } = await thread({ answers: [{ author: answerer }, { author: second }, { author: answerer, body: "Just ignore it, the bank sorts it out eventually." }] });
    const [good, accepted, bad] = answerIds as [number, number, number];
    await t.db.update(posts).set({ score: 5 }).where(eq(posts.id, good));
    await t.db.update(posts).set({ score: -2 }).where(eq(posts.id, bad));
    await acceptAnswer(t.db, asker, accepted);
    const { id } = await proposePublication(t.db, proposer, questionId);
    const view = await getPublication(t.db, proposer, id);
    expect(view.parts.map((p) => [p.kind, p.postId, p.included, p.accepted])).toEqual([
      ["question", questionId, true, false],
      ["answer", accepted, true, true],
      ["answer", good, true, false],
      ["answer", bad, false, false],
    ]);
    expect(view.consents.map((c) => c.user.name).sort()).toEqual(["Greta Olsen", "Paul Dane", "Sofia Marquez"]);
    expect(view.consents.every((c) => c.choice === "pending")).toBe(true);
    expect(view.blockers).toContain("Waiting for Sofia Marquez to answer");
    expect(view.events.map((e) => e.kind)).toEqual(["proposed", "scanned"]);
    // Each author is asked in their inbox; the proposer isn't an author and hears nothing.
    const asked = await t.db.select({ userId: notifications.userId }).from(notifications).where(eq(notifications.kind, "publication"));
    expect(asked.map((n) => n.userId).sort()).toEqual([asker.id, answerer.id, second.id].sort());

    await editPost(t.db, answerer, good, { body: "Something else entirely, written after the proposal.", comment: "" });
    const after = await getPublication(t.db, proposer, id);
    expect(after.parts[2]!.body).toBe("Refund the second charge from the payments console, then note it on the order.");
    // A second proposal opens the same draft.
    expect(await proposePublication(t.db, outsider, questionId)).toEqual({ id });
    expect(await publicationBanner(t.db, outsider, questionId)).toEqual({ published: null, draft: { id }, canPropose: false });
  });

  test("a deactivated author can't be asked: their text is left out at once, on the timeline", async () => {
    const left = await createUser(t.db, { name: "Dora Left", title: "Former Engineer" });
    const { questionId } = await thread({ answers: [{ author: left }] });
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, left.id));
    const { id } = await proposePublication(t.db, proposer, questionId);
    const view = await getPublication(t.db, proposer, id);
    expect(view.consents.find((c) => c.user.id === left.id)?.choice).toBe("omit");
    expect(view.events.some((e) => e.detail.includes("Dora Left can't be asked"))).toBe(true);
  });

  test("anonymous questions are never proposed", async () => {
    const open = await createSpace(t.db, { slug: "ask-anything", anonymousQuestions: true });
    const { id: questionId } = await askAnonymously(t.db, asker, {
      space: open.slug,
      title: "Can I see the salary bands somewhere?",
      body: "Asking for a friend, really.",
      tags: ["onboarding"],
    });
    const error = await thrown(proposePublication(t.db, proposer, questionId));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toBe("Anonymous questions are not published.");
    expect((await publicationBanner(t.db, proposer, questionId)).canPropose).toBe(false);
    expect(await t.db.select({ n: count() }).from(publications).where(eq(publications.questionId, questionId))).toEqual([{ n: 0 }]);
  });
});

describe("the scan, redaction and accepted flags", () => {
  test("flags land with their offsets; redact replaces the span; accept needs a reason; a stale save writes nothing", async () => {
    const body = "Our build host build01.northwind.internal is slow. It answers on 10.20.30.40 from the office.";
    const { questionId } = await thread({ body });
    const { id } = await proposePublication(t.db, proposer, questionId);
    let view = await getPublication(t.db, proposer, id);
    const question = view.parts[0]!;
    const host = view.flags.find((f) => f.detector === "internal_host")!;
    const ip = view.flags.find((f) => f.detector === "ip")!;
    expect(host).toMatchObject({ partId: question.id, match: "build01.northwind.internal", start: body.indexOf("build01"), status: "open", label: "Internal host name" });
    expect(ip).toMatchObject({ match: "10.20.30.40", start: body.indexOf("10.20"), end: body.indexOf("10.20") + 11 });
    expect(ip.context.match).toBe("10.20.30.40");
    expect(view.blockers).toContain("2 flags are open");

    await redactFlag(t.db, proposer, id, host.id);
    view = await getPublication(t.db, proposer, id);
    const redactedBody = "Our build host [redacted] is slow. It answers on 10.20.30.40 from the office.";
    expect(view.parts[0]!.body).toBe(redactedBody);
    expect(view.revision).toBe(2);
    expect(view.flags.find((f) => f.id === host.id)).toMatchObject({ status: "redacted", resolvedBy: { id: proposer.id } });
    // The scan ran again: the address is flagged at its new place.
    const moved = view.flags.find((f) => f.detector === "ip" && f.status === "open")!;
    expect(moved.start).toBe(redactedBody.indexOf("10.20"));
    // The old flag went with the rescan.
    expect(await rejects(redactFlag(t.db, proposer, id, ip.id))).toBeInstanceOf(InputError);

    const short = await rejects(acceptFlag(t.db, proposer, id, moved.id, "ok"));
    expect(short.fieldErrors.reason).toMatch(/5 to 500/);
    await expect(acceptFlag(t.db, outsider, id, moved.id, "It is the public test address.")).rejects.toBeInstanceOf(ForbiddenError);
    await acceptFlag(t.db, proposer, id, moved.id, "Documented on our public status page.");
    view = await getPublication(t.db, proposer, id);
    expect(view.flags.find((f) => f.id === moved.id)).toMatchObject({ status: "accepted", reason: "Documented on our public status page." });
    expect(view.blockers.some((b) => b.includes("flag"))).toBe(false);

    // A stale editor: refused, nothing saved, no timeline line.
    const events = view.events.length;
    const stale = await rejects(saveDraft(t.db, proposer, id, { revision: 1, title: view.title, expiresAt: null, parts: [{ id: question.id, body: "Overwritten?", included: true }] }));
    expect(stale.message).toMatch(/changed since you opened it/);
    const bad = await rejects(saveDraft(t.db, proposer, id, { revision: 2, title: "Short", expiresAt: new Date(Date.now() - 1000), parts: [{ id: question.id, body: "", included: true }] }));
    expect(Object.keys(bad.fieldErrors).sort()).toEqual(["expiresAt", `part-${question.id}-body`, "title"]);
    view = await getPublication(t.db, proposer, id);
    expect([view.revision, view.parts[0]!.body, view.events.length]).toEqual([2, redactedBody, events]);

    // An edit elsewhere rescans; the accepted finding stays accepted, at its new place.
    await saveDraft(t.db, proposer, id, { revision: 2, title: view.title, expiresAt: null, parts: [{ id: question.id, body: `Hello. ${redactedBody}`, included: true }] });
    view = await getPublication(t.db, proposer, id);
    expect(view.flags.filter((f) => f.status === "open")).toEqual([]);
    expect(view.flags.find((f) => f.id === moved.id)).toMatchObject({ status: "accepted", start: moved.start + 7 });
    expect(view.events.map((e) => e.kind).slice(-2)).toEqual(["edited", "scanned"]);
  });
});

describe("consent", () => {
  test("named, generic with a label, and left out: the forum shows each as chosen, and a name becomes allowed once its owner agrees", async () => {
    const { questionId } = await thread({
      answers: [
        { author: answerer, body: "Greta Olsen showed me: refund from the payments console, then note it on the order." },
        { author: second, body: "Check the order first: sometimes the second charge is only an authorisation." },
        { author: third, body: "Ask the bank to reverse it." },
      ],
    });
    const { id } = await proposePublication(t.db, proposer, questionId);
    let view = await getPublication(t.db, proposer, id);
    expect(view.flags.map((f) => [f.detector, f.match])).toEqual([["person", "Greta Olsen"]]);
    await setConsent(t.db, asker, id, { choice: "named" });
    view = await getPublication(t.db, proposer, id);
    expect(view.flags).toEqual([]);

    await expect(setConsent(t.db, proposer, id, { choice: "named" })).rejects.toBeInstanceOf(ForbiddenError);
    const badLabel = await rejects(setConsent(t.db, second, id, { choice: "generic", genericLabel: "<b>boss</b>" }));
    expect(badLabel.fieldErrors.genericLabel).toBeDefined();
    await consent(id, [
      [answerer, { choice: "named" }],
      [second, { choice: "generic", genericLabel: "support engineer" }],
      [third, { choice: "omit" }],
    ]);
    view = await getPublication(t.db, moderator, id);
    expect(view.can).toMatchObject({ approve: true, approveAs: "moderator", consent: false });
    expect(await approvePublication(t.db, moderator, id, view.revision)).toEqual({ published: false });
    expect(await approvePublication(t.db, sme, id, view.revision)).toEqual({ published: true });

    const { thread: row, answers } = await threadOf(id);
    expect(row).toMatchObject({
      title: "How do we refund a duplicate card payment?",
      authorName: "Greta Olsen",
      authorTitle: "Support Specialist",
      authorNamed: true,
      answerCount: 2,
      tags: ["billing"],
    });
    expect(row.slug).toBe("how-do-we-refund-a-duplicate-card-payment");
    expect(row.summary).toBe("A customer was charged twice for one order. What is the right way to refund the duplicate?");
    expect(answers.map((a) => [a.authorName, a.authorTitle, a.authorNamed])).toEqual([
      ["Sofia Marquez", "Backend Engineer", true],
      ["A Northwind support engineer", "", false],
    ]);
    expect(answers[0]!.bodyHtml).toContain("<p>Greta Olsen showed me");
    // Nothing internal: no address of anyone, no link into the app, no user or question ids as text.
    const published = JSON.stringify([row, answers]);
    expect(published).not.toMatch(/@|\/questions\/|northwind\.example|Ines Varga|Ask the bank/);
    expect(Object.keys(row).sort()).toEqual(
      [
        "id",
        "slug",
        "title",
        "bodyHtml",
        "summary",
        "authorName",
        "authorTitle",
        "authorNamed",
        "tags",
        "answerCount",
        "solved",
        "askedAt",
        "publishedAt",
        "updatedAt",
        "expiresAt",
        "withdrawnAt",
        "version",
        // Issue 20's columns, for customers' questions and escalations: a published thread leaves them empty.
        "origin",
        "accountId",
        "body",
        "moderation",
        "escalationState",
        "escalationOutcome",
        "escalationUpdatedAt",
      ].sort(),
    );
    expect(row).toMatchObject({ origin: "published", accountId: null, body: "", moderation: "visible", escalationState: null, escalationOutcome: "", escalationUpdatedAt: null });
    const queued = await t.db
      .select({ n: count() })
      .from(outbox)
      .where(and(eq(outbox.kind, "forum_thread"), eq(outbox.itemId, row.id)));
    expect(queued[0]!.n).toBeGreaterThan(0);
    const banner = await publicationBanner(t.db, outsider, questionId);
    expect(banner).toMatchObject({ published: { publicationId: id, threadUrl: `http://localhost:3001/t/${row.id}/${row.slug}` }, draft: null, canPropose: true });
  });

  test("the asker's no stops the draft", async () => {
    const { questionId } = await thread();
    const { id } = await proposePublication(t.db, proposer, questionId);
    await consent(id, [
      [asker, { choice: "omit" }],
      [answerer, { choice: "named" }],
    ]);
    const view = await getPublication(t.db, moderator, id);
    expect(view.blockers).toEqual(["The asker declined"]);
    expect(view.can.approve).toBe(false);
    expect((await rejects(approvePublication(t.db, moderator, id, view.revision))).message).toMatch(/The asker declined/);
  });

  test("the generic label reads with the right article", () => {
    expect(genericAuthorName("Northwind", "engineer")).toBe("A Northwind engineer");
    expect(genericAuthorName("Initech", "employee")).toBe("An Initech employee");
    expect(threadSlug("¿Qué pasa con Ünïcode?")).toBe("que-pasa-con-unicode");
    expect(threadSlug("???")).toBe("thread");
  });
});

describe("the two-person rule", () => {
  test("not the proposer, not the same person twice, not an admin where the topic has an SME; moderator and SME publish", async () => {
    const { id } = await readyDraft();
    const view = await getPublication(t.db, proposer, id);
    expect(view.can.approve).toBe(false);
    await expect(approvePublication(t.db, proposer, id, 1)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(approvePublication(t.db, outsider, id, 1)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await approvePublication(t.db, moderator, id, 1)).toEqual({ published: false });
    expect((await rejects(approvePublication(t.db, moderator, id, 1))).message).toMatch(/approved this version already/);
    // The topic has an SME: an admin can only fill the moderator's side, which is taken.
    expect((await getPublication(t.db, admin, id)).can.approveAs).toBeNull();
    expect((await rejects(approvePublication(t.db, admin, id, 1))).message).toMatch(/waits for an SME/);
    expect(await approvePublication(t.db, sme, id, 1)).toEqual({ published: true });
    const after = await getPublication(t.db, proposer, id);
    expect(after.status).toBe("published");
    expect(after.approvals.map((a) => [a.user.id, a.capacity, a.current])).toEqual([
      [moderator.id, "moderator", true],
      [sme.id, "sme", true],
    ]);
    expect(after.events.map((e) => e.kind).slice(-3)).toEqual(["approved", "approved", "published"]);
  });

  test("where the topic has no SME, an admin approves in its place", async () => {
    const { id } = await readyDraft({ tags: ["onboarding"] });
    expect((await getPublication(t.db, admin, id)).can.approveAs).toBe("admin");
    await approvePublication(t.db, admin, id, 1);
    expect(await approvePublication(t.db, moderator, id, 1)).toEqual({ published: true });
  });

  test("an edit after an approval voids it", async () => {
    const { id } = await readyDraft();
    await approvePublication(t.db, moderator, id, 1);
    const draft = await getPublication(t.db, proposer, id);
    await saveDraft(t.db, proposer, id, { revision: 1, title: "How do we refund a duplicate card charge?", expiresAt: null, parts: [] });
    const view = await getPublication(t.db, proposer, id);
    expect(view.revision).toBe(2);
    expect(view.approvals.map((a) => a.current)).toEqual([false]);
    expect(view.events.some((e) => e.kind === "approvals_voided")).toBe(true);
    await expect(approvePublication(t.db, sme, id, 1)).rejects.toThrow(/changed since you opened it/);
    expect(await approvePublication(t.db, sme, id, 2)).toEqual({ published: false });
    expect(await approvePublication(t.db, moderator, id, 2)).toEqual({ published: true });
    expect(draft.title).not.toBe(view.title);
  });
});

describe("who sees a draft", () => {
  test("a non-member of a restricted space, a customer and a deactivated account get the 404 of a missing draft, and write nothing", async () => {
    const { questionId } = await thread({ where: secret });
    await expect(proposePublication(t.db, outsider, questionId)).rejects.toBeInstanceOf(NotFoundError);
    const { id } = await proposePublication(t.db, proposer, questionId);
    for (const who of [outsider, customer, gone]) {
      await expect(getPublication(t.db, who, id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(saveDraft(t.db, who, id, { revision: 1, title: "A title long enough", expiresAt: null, parts: [] })).rejects.toBeInstanceOf(NotFoundError);
      await expect(approvePublication(t.db, who, id, 1)).rejects.toBeInstanceOf(NotFoundError);
      expect(await listPublications(t.db, who, { tab: "mine" })).toEqual({ rows: [], nextCursor: null });
      expect((await publicationBanner(t.db, who, questionId)).draft).toBeNull();
    }
    await expect(proposePublication(t.db, customer, questionId)).rejects.toBeInstanceOf(NotFoundError);
    const [pub] = await t.db.select({ revision: publications.revision, updatedAt: publications.updatedAt }).from(publications).where(eq(publications.id, id));
    expect(pub!.revision).toBe(1);

    // An author who left the space still answers for their own text, and sees only that.
    await t.db.delete(spaceMembers).where(and(eq(spaceMembers.spaceId, secret.id), eq(spaceMembers.userId, answerer.id)));
    const own = await getPublication(t.db, answerer, id);
    expect(own.parts.map((p) => p.author.id)).toEqual([answerer.id]);
    expect([own.consents.length, own.events.length, own.can.consent, own.can.edit]).toEqual([1, 0, true, false]);
    expect((await listPublications(t.db, answerer, { tab: "consent" })).rows.map((r) => r.id)).toContain(id);
    await setConsent(t.db, answerer, id, { choice: "generic" });
  });
});

describe("lists", () => {
  test("each tab holds what it says, and says what blocks a draft", async () => {
    const { id } = await readyDraft({ tags: ["onboarding"] });
    const ids = async (who: User, tab: Parameters<typeof listPublications>[2]["tab"]) => (await listPublications(t.db, who, { tab })).rows.map((r) => r.id);
    expect(await ids(proposer, "mine")).toContain(id);
    expect(await ids(moderator, "review")).toContain(id);
    expect(await ids(proposer, "review")).not.toContain(id);
    expect(await ids(sme, "review")).not.toContain(id);
    expect(await ids(answerer, "consent")).toContain(id);
    expect(await ids(outsider, "consent")).not.toContain(id);
    await approvePublication(t.db, moderator, id, 1);
    expect(await ids(moderator, "review")).not.toContain(id);
    const { id: waiting } = await proposePublication(t.db, proposer, (await thread()).questionId);
    const mine = await listPublications(t.db, proposer, { tab: "mine" });
    expect(mine.rows[0]).toMatchObject({ id: waiting, status: "draft", blockers: ["Waiting for Greta Olsen to answer", "Waiting for Sofia Marquez to answer"] });
    expect(mine.rows.find((r) => r.id === id)).toMatchObject({ status: "draft", blockers: [], spaceName: "Support", proposerName: "Nils Brandt", threadUrl: null });
  });
});

describe("unpublish, expiry, discard", () => {
  test("unpublishing empties the thread at once, takes it from search and tells the forum", async () => {
    const { id, questionId } = await readyDraft();
    await approvePublication(t.db, moderator, id, 1);
    await approvePublication(t.db, sme, id, 1);
    const { thread: before } = await threadOf(id);
    expect((await rejects(unpublishPublication(t.db, proposer, id, "  "))).fieldErrors.reason).toBeDefined();
    await expect(unpublishPublication(t.db, outsider, id, "Outdated")).rejects.toBeInstanceOf(ForbiddenError);

    const listener = postgres(t.url, { max: 1, onnotice: () => {} });
    const heard = new Promise<string>((resolve) => void listener.listen("commons_forum", resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      await unpublishPublication(t.db, proposer, id, "The refund process changed.");
      expect(await heard).toBe(String(before.id));
    } finally {
      await listener.end();
    }
    const { pub, thread: after, answers } = await threadOf(id);
    expect(pub.status).toBe("withdrawn");
    expect(after).toMatchObject({ id: before.id, bodyHtml: "", summary: "" });
    expect(after.withdrawnAt).not.toBeNull();
    expect(answers).toEqual([]);
    const queued = await t.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, "forum_thread"), eq(outbox.itemId, before.id)));
    expect(queued.length).toBeGreaterThanOrEqual(2);
    const view = await getPublication(t.db, proposer, id);
    expect([view.threadUrl, view.can.unpublish]).toEqual([null, false]);
    expect(view.events.at(-1)).toMatchObject({ kind: "withdrawn", detail: "Unpublished: The refund process changed.", actor: { id: proposer.id } });
    expect((await publicationBanner(t.db, proposer, questionId)).published).toBeNull();
  });

  test("expiry withdraws a thread whose date has come", async () => {
    const { id } = await readyDraft();
    const expiresAt = new Date(Date.now() + 3_600_000);
    await saveDraft(t.db, proposer, id, { revision: 1, title: "How do we refund a duplicate card payment?", expiresAt, parts: [] });
    // The expiry is no text change: the revision stays.
    await approvePublication(t.db, moderator, id, 1);
    await approvePublication(t.db, sme, id, 1);
    const { thread } = await threadOf(id);
    expect(thread.expiresAt?.getTime()).toBe(expiresAt.getTime());
    expect(await expirePublications(t.db, new Date(Date.now() + 60_000))).toBe(0);
    expect(await expirePublications(t.db, new Date(expiresAt.getTime() + 1000))).toBe(1);
    const { pub, thread: after, answers } = await threadOf(id);
    expect([pub.status, after.bodyHtml, answers.length]).toEqual(["withdrawn", "", 0]);
    const [last] = await t.db
      .select()
      .from(publicationEvents)
      .where(and(eq(publicationEvents.publicationId, id), eq(publicationEvents.kind, "withdrawn")));
    expect(last).toMatchObject({ actorId: null, detail: "Expired" });
    expect(await expirePublications(t.db, new Date(expiresAt.getTime() + 1000))).toBe(0);
  });

  test("a discarded draft lets the question be proposed again", async () => {
    const { id, questionId } = await readyDraft();
    await expect(discardPublication(t.db, outsider, id)).rejects.toBeInstanceOf(ForbiddenError);
    await discardPublication(t.db, proposer, id);
    expect((await getPublication(t.db, proposer, id)).status).toBe("discarded");
    expect((await proposePublication(t.db, outsider, questionId)).id).not.toBe(id);
  });
});

describe("republishing", () => {
  test("a new draft shows its diff against what is public, and replaces the same thread in place", async () => {
    const { id, questionId, answerIds } = await readyDraft();
    await approvePublication(t.db, moderator, id, 1);
    await approvePublication(t.db, sme, id, 1);
    const { thread: first } = await threadOf(id);
    await editPost(t.db, answerer, answerIds[0]!, { body: "Refund the second charge from the payments console.\nThen tell the customer by mail.", comment: "" });
    const { id: again } = await proposePublication(t.db, proposer, questionId);
    await consent(again, [
      [asker, { choice: "named" }],
      [answerer, { choice: "generic", genericLabel: "engineer" }],
    ]);
    const draft = await getPublication(t.db, moderator, again);
    expect(draft.threadUrl).toContain(`/t/${first.id}/`);
    expect(draft.diff).toEqual([
      {
        part: "Answer by Sofia Marquez",
        lines: [
          { kind: "removed", text: "Refund the second charge from the payments console, then note it on the order." },
          { kind: "added", text: "Refund the second charge from the payments console." },
          { kind: "added", text: "Then tell the customer by mail." },
        ],
      },
    ]);
    await approvePublication(t.db, moderator, again, draft.revision);
    expect(await approvePublication(t.db, sme, again, draft.revision)).toEqual({ published: true });
    const { thread: second, answers } = await threadOf(again);
    expect(second).toMatchObject({ id: first.id, slug: first.slug, version: 2 });
    expect(second.publishedAt.getTime()).toBe(first.publishedAt.getTime());
    expect(answers.map((a) => a.authorName)).toEqual(["A Northwind engineer"]);
    expect((await getPublication(t.db, proposer, id)).status).toBe("superseded");
    expect(await t.db.select({ n: count() }).from(forumThreads).where(eq(forumThreads.id, first.id))).toEqual([{ n: 1 }]);
  });

  test("the diff lists only what differs, part by part", () => {
    const before = {
      title: "Old title",
      parts: [
        { key: "question", label: "Question", body: "Same" },
        { key: "answer:1", label: "Answer by A", body: "Gone" },
      ],
    };
    const after = {
      title: "Old title",
      parts: [
        { key: "question", label: "Question", body: "Same" },
        { key: "answer:2", label: "Answer by B", body: "New" },
      ],
    };
    expect(diffPublication(before, after)).toEqual([
      { part: "Answer by B", lines: [{ kind: "added", text: "New" }] },
      { part: "Answer by A", lines: [{ kind: "removed", text: "Gone" }] },
    ]);
    expect(diffPublication(before, before)).toEqual([]);
  });
});

describe("XSS", () => {
  test("every payload in a question and its answers comes out of the markdown module inert in the forum's tables", async () => {
    const chunks: string[][] = [[], [], []];
    payloads.forEach(({ payload }, i) => chunks[i % 3]!.push(payload));
    const { questionId } = await thread({ answers: [{ author: answerer }, { author: answerer }] });
    const { id } = await proposePublication(t.db, proposer, questionId);
    const draft = await getPublication(t.db, proposer, id);
    await saveDraft(t.db, proposer, id, {
      revision: 1,
      title: draft.title,
      expiresAt: null,
      parts: draft.parts.map((p, i) => ({ id: p.id, body: chunks[i]!.join("\n\n"), included: true })),
    });
    await consent(id, [
      [asker, { choice: "named" }],
      [answerer, { choice: "named" }],
    ]);
    // Whatever the scan made of the payloads is kept, with a reason, so the draft can go out.
    const open = await t.db
      .select({ id: publicationFlags.id })
      .from(publicationFlags)
      .where(and(eq(publicationFlags.publicationId, id), eq(publicationFlags.status, "open")));
    for (const flag of open) await acceptFlag(t.db, proposer, id, flag.id, "An XSS test payload, not a secret.");
    await approvePublication(t.db, moderator, id, 2);
    expect(await approvePublication(t.db, sme, id, 2)).toEqual({ published: true });
    const { thread: row, answers } = await threadOf(id);
    expect(answers).toHaveLength(2);
    for (const html of [row.bodyHtml, ...answers.map((a) => a.bodyHtml)]) {
      expect(html.length).toBeGreaterThan(100);
      expect(problems(html)).toEqual([]);
    }
    // The summary is plain text, rendered as text wherever the forum shows it.
    expect(row.summary.length).toBeGreaterThan(0);
    expect(rendersAsText(row.summary)).toBe(true);
  });
});
