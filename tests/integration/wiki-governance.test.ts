import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { notifications, outbox, reputationEvents, revisions, spaceMembers, spaces, wikiPageOwners, wikiPages, wikiSuggestions } from "#db/schema/index.ts";
import { DeclineSchema, RequestChangesSchema } from "#app/features/wiki/governance-schemas.ts";
import { addOwner, removeOwner, setPageProtection } from "#app/features/wiki/owners.server.ts";
import { EditConflictError, savePage } from "#app/features/wiki/pages.server.ts";
import { notifyDueReviews, pagesToReview } from "#app/features/wiki/review.server.ts";
import {
  editSuggestion,
  pageGovernance,
  reviewSuggestion,
  setSpaceWikiProtection,
  spaceSuggestionQueue,
  submitSuggestion,
  suggestionView,
  withdrawSuggestion,
} from "#app/features/wiki/suggestions.server.ts";
import { unverifyPage, verifyPage } from "#app/features/wiki/verification.server.ts";
import { pageView } from "#app/features/wiki/view.server.ts";
import { DEFAULT_REPUTATION_RULES } from "#app/features/reputation/rules.server.ts";
import { reputationProfile } from "#app/features/reputation/profile.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { reputationOf } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";

/**
 * Wiki governance against a real database: owners, verification and its reputation, the review
 * job and the review list, protection, suggested edits (approval, conflicts, the other outcomes)
 * and the space's queue.
 */
const t = setupTestDb();
const DAY = 24 * 3600 * 1000;

async function page(id: number) {
  const [row] = await t.db.select().from(wikiPages).where(eq(wikiPages.id, id));
  return row!;
}

async function inbox(userId: number, kind: (typeof notifications.$inferSelect)["kind"]) {
  return t.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)));
}

async function events(userId: number, reason: (typeof reputationEvents.$inferSelect)["reason"]) {
  return t.db
    .select()
    .from(reputationEvents)
    .where(and(eq(reputationEvents.userId, userId), eq(reputationEvents.reason, reason)));
}

const handle = (user: { email: string }) => user.email.split("@")[0]!;

describe("owners", () => {
  test("owners add colleagues by handle or id, never someone who can't see the space, and never remove the last owner", async () => {
    const owner = await createUser(t.db);
    const colleague = await createUser(t.db, { name: "Grace Colleague" });
    const another = await createUser(t.db);
    const stranger = await createUser(t.db, { name: "Sam Stranger" });
    const member = await createUser(t.db);
    const space = await createSpace(t.db, { members: [owner, colleague, another, member] }, "restricted");
    const id = await createWikiPage(t.db, { author: owner, space });

    expect(await addOwner(t.db, owner, id, { person: handle(colleague) })).toEqual({ added: true, name: "Grace Colleague" });
    expect(await addOwner(t.db, owner, id, { person: handle(colleague) })).toMatchObject({ added: false });
    expect(await addOwner(t.db, owner, id, { person: String(another.id) })).toMatchObject({ added: true });
    const unknown = (await addOwner(t.db, owner, id, { person: "no.such.person" }).catch((e: unknown) => e)) as InputError;
    expect(unknown).toBeInstanceOf(InputError);
    expect(unknown.fieldErrors.person).toMatch(/No one active/);
    const blind = (await addOwner(t.db, owner, id, { person: handle(stranger) }).catch((e: unknown) => e)) as InputError;
    expect(blind.fieldErrors.person).toMatch(/Sam Stranger can't see this space/);
    // A member who owns nothing manages nothing.
    await expect(addOwner(t.db, member, id, { person: handle(member) })).rejects.toBeInstanceOf(ForbiddenError);

    await removeOwner(t.db, colleague, id, owner.id);
    await removeOwner(t.db, colleague, id, another.id);
    await expect(removeOwner(t.db, colleague, id, colleague.id)).rejects.toThrow(/at least one owner/);
    const left = await t.db.select({ userId: wikiPageOwners.userId }).from(wikiPageOwners).where(eq(wikiPageOwners.pageId, id));
    expect(left).toEqual([{ userId: colleague.id }]);
    // Someone outside the restricted space gets the 404 of a missing page, and nothing changes.
    await expect(addOwner(t.db, stranger, id, { person: handle(stranger) })).rejects.toBeInstanceOf(NotFoundError);
  });

  test("two owners removing each other at once leave one owner, not none", async () => {
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author: a, space });
    await addOwner(t.db, a, id, { person: String(b.id) });
    const results = await Promise.allSettled([removeOwner(t.db, a, id, b.id), removeOwner(t.db, b, id, a.id)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.select().from(wikiPageOwners).where(eq(wikiPageOwners.pageId, id))).toHaveLength(1);
  });
});

describe("verification", () => {
  test("verifying sets the review date; past it the page needs review; owners and moderators only", async () => {
    const owner = await createUser(t.db);
    const member = await createUser(t.db);
    const moderator = await createUser(t.db);
    const space = await createSpace(t.db, { members: [owner, member], moderators: [moderator] }, "restricted");
    const id = await createWikiPage(t.db, { author: owner, space });
    const now = new Date();
    const { reviewDueAt } = await verifyPage(t.db, owner, id, { intervalDays: 90 }, now);
    expect(reviewDueAt.getTime()).toBe(now.getTime() + 90 * DAY);
    const row = await page(id);
    expect({ verifiedById: row.verifiedById, reviewIntervalDays: row.reviewIntervalDays, due: row.reviewDueAt?.getTime() }).toEqual({
      verifiedById: owner.id,
      reviewIntervalDays: 90,
      due: now.getTime() + 90 * DAY,
    });
    expect((await pageView(t.db, member, id, new Date(now.getTime() + 89 * DAY))).page.verification.needsReview).toBe(false);
    expect((await pageView(t.db, member, id, new Date(now.getTime() + 91 * DAY))).page.verification.needsReview).toBe(true);
    // Search re-reads the page's document.
    expect(
      await t.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.kind, "wiki_page"), eq(outbox.itemId, id))),
    ).not.toHaveLength(0);

    await expect(verifyPage(t.db, member, id, { intervalDays: 30 })).rejects.toBeInstanceOf(ForbiddenError);
    await verifyPage(t.db, moderator, id, { intervalDays: 30 });
    expect((await page(id)).reviewIntervalDays).toBe(30);
    await unverifyPage(t.db, owner, id);
    expect(await page(id)).toMatchObject({ verifiedAt: null, reviewDueAt: null, reviewIntervalDays: null });
  });

  test("verification earns reputation once per review period: not again the same day, not by removing and verifying again", async () => {
    const owner = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createWikiPage(t.db, { author: owner, space });
    const now = new Date();
    expect((await verifyPage(t.db, owner, id, { intervalDays: 90 }, now)).earned).toBe(DEFAULT_REPUTATION_RULES.weights.pageVerified);
    expect((await verifyPage(t.db, owner, id, { intervalDays: 90 }, now)).earned).toBe(0);
    await unverifyPage(t.db, owner, id);
    expect((await verifyPage(t.db, owner, id, { intervalDays: 30 }, now)).earned).toBe(0);
    expect(await events(owner.id, "page_verified")).toHaveLength(1);
    // Once the period is over and the page is due, reviewing it earns again.
    const later = new Date(now.getTime() + 31 * DAY);
    expect((await verifyPage(t.db, owner, id, { intervalDays: 90 }, later)).earned).toBe(DEFAULT_REPUTATION_RULES.weights.pageVerified);
    expect(await events(owner.id, "page_verified")).toHaveLength(2);
    expect(await reputationOf(t.db, owner.id)).toBe(2 * DEFAULT_REPUTATION_RULES.weights.pageVerified);
    // The profile links the event to the page.
    const profile = await reputationProfile(t.db, owner, owner.id);
    const row = await page(id);
    expect(profile.events.filter((e) => e.label === "Verified a wiki page").map((e) => e.link?.to)).toEqual([`/wiki/${id}/${row.slug}`, `/wiki/${id}/${row.slug}`]);
  });
});

describe("reviews due", () => {
  test("the job tells each owner once when the review date passes; a second run, or two at once, tell no one again", async () => {
    const owner = await createUser(t.db);
    const coOwner = await createUser(t.db);
    const leaver = await createUser(t.db);
    const space = await createSpace(t.db, { members: [owner, coOwner, leaver] }, "restricted");
    const id = await createWikiPage(t.db, { author: owner, space });
    await addOwner(t.db, owner, id, { person: String(coOwner.id) });
    await addOwner(t.db, owner, id, { person: String(leaver.id) });
    // An owner who left the restricted space is not told about it.
    await t.db.delete(spaceMembers).where(and(eq(spaceMembers.spaceId, space.id), eq(spaceMembers.userId, leaver.id)));
    const now = new Date();
    await verifyPage(t.db, owner, id, { intervalDays: 30 }, now);

    await notifyDueReviews(t.db, new Date(now.getTime() + 29 * DAY));
    expect(await inbox(owner.id, "page_review")).toHaveLength(0);

    const due = new Date(now.getTime() + 31 * DAY);
    const [first, second] = await Promise.all([notifyDueReviews(t.db, due), notifyDueReviews(t.db, due)]);
    expect(first.notified + second.notified).toBe(2);
    expect(await notifyDueReviews(t.db, due)).toEqual({ pages: 0, notified: 0 });
    // The verifier is who asks, and is told too (the review date is theirs to keep).
    expect(await inbox(owner.id, "page_review")).toHaveLength(1);
    expect(await inbox(coOwner.id, "page_review")).toMatchObject([{ actorId: owner.id, spaceId: space.id }]);
    expect(await inbox(leaver.id, "page_review")).toHaveLength(0);
    expect((await page(id)).reviewNotifiedAt?.getTime()).toBe(due.getTime());

    // Verified again, the page is fresh; when that review falls due the owners hear again.
    await verifyPage(t.db, coOwner, id, { intervalDays: 30 }, due);
    expect((await page(id)).reviewNotifiedAt).toBeNull();
    await notifyDueReviews(t.db, new Date(due.getTime() + 31 * DAY));
    expect(await inbox(owner.id, "page_review")).toHaveLength(2);
  });

  test("the review list: an owner's due and soon-due pages, a moderator's overdue pages, most overdue first, nothing for outsiders", async () => {
    const owner = await createUser(t.db);
    const moderator = await createUser(t.db);
    const outsider = await createUser(t.db);
    const space = await createSpace(t.db, { members: [owner], moderators: [moderator] }, "restricted");
    const now = new Date();
    const ids: Record<string, number> = {};
    for (const [name, dueInDays] of [
      ["long overdue", -40],
      ["overdue", -3],
      ["soon", 10],
      ["later", 60],
    ] as const) {
      ids[name] = await createWikiPage(t.db, { author: owner, space, title: `Page ${name}` });
      await t.db
        .update(wikiPages)
        .set({ verifiedAt: now, reviewDueAt: new Date(now.getTime() + dueInDays * DAY) })
        .where(eq(wikiPages.id, ids[name]!));
    }
    const mine = await pagesToReview(t.db, owner, { page: 1 }, now);
    expect(mine.items.map((i) => i.title)).toEqual(["Page long overdue", "Page overdue", "Page soon"]);
    expect(mine.items.map((i) => i.daysOverdue)).toEqual([40, 3, -10]);
    expect(mine.total).toBe(3);
    const moderated = await pagesToReview(t.db, moderator, { page: 1 }, now);
    expect(moderated.items.map((i) => [i.title, i.owned])).toEqual([
      ["Page long overdue", false],
      ["Page overdue", false],
    ]);
    expect((await pagesToReview(t.db, outsider, { page: 1 }, now)).total).toBe(0);
    // Past the last page: nothing listed, the total still right.
    expect(await pagesToReview(t.db, owner, { page: 2 }, now)).toMatchObject({ items: [], total: 3 });
  });
});

describe("protection", () => {
  test("a protected page takes edits from owners and moderators only; space moderators protect the whole wiki", async () => {
    const owner = await createUser(t.db);
    const member = await createUser(t.db);
    const spaceModerator = await createUser(t.db);
    const outsider = await createUser(t.db);
    const space = await createSpace(t.db, { members: [owner, member], moderators: [spaceModerator] }, "restricted");
    const id = await createWikiPage(t.db, { author: owner, space, body: "One." });
    await expect(setPageProtection(t.db, member, id, true)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await setPageProtection(t.db, owner, id, true)).toEqual({ changed: true });
    await expect(savePage(t.db, member, id, { title: (await page(id)).title, body: "Two.", tags: [], comment: "", baseRevision: 1 })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await pageView(t.db, member, id, new Date())).permissions).toMatchObject({ canEdit: false, canSuggest: true, isProtected: true });
    await setPageProtection(t.db, owner, id, false);

    await expect(setSpaceWikiProtection(t.db, member, space.slug, true)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setSpaceWikiProtection(t.db, outsider, space.slug, true)).rejects.toBeInstanceOf(NotFoundError);
    expect(await setSpaceWikiProtection(t.db, spaceModerator, space.slug, true)).toEqual({ changed: true });
    const [row] = await t.db.select({ wikiProtected: spaces.wikiProtected }).from(spaces).where(eq(spaces.id, space.id));
    expect(row!.wikiProtected).toBe(true);
    expect((await pageView(t.db, member, id, new Date())).permissions).toMatchObject({ canEdit: false, canSuggest: true });
    expect((await pageView(t.db, owner, id, new Date())).permissions).toMatchObject({ canEdit: true });
  });
});

describe("suggested edits", () => {
  async function protectedPage() {
    const owner = await createUser(t.db, { name: "Olive Owner" });
    const suggester = await createUser(t.db, { name: "Sue Suggester" });
    const space = await createSpace(t.db, { members: [owner, suggester] }, "restricted");
    const id = await createWikiPage(t.db, { author: owner, space, title: "VPN setup", body: "Install the client.\n\nConnect to vpn.example." });
    await setPageProtection(t.db, owner, id, true);
    return { owner, suggester, space, id };
  }

  test("approving a suggestion on a protected page writes a revision by the suggester, earns them reputation and tells them", async () => {
    const { owner, suggester, id } = await protectedPage();
    const { id: suggestionId } = await submitSuggestion(t.db, suggester, id, {
      title: "VPN setup",
      body: "Install the client.\n\nConnect to vpn2.example.",
      comment: "The server moved.",
      baseRevision: 1,
      submissionKey: "suggest-key-1",
    });
    // A double submit finds the first suggestion.
    expect((await submitSuggestion(t.db, suggester, id, { title: "VPN setup", body: "Other.", comment: "again", baseRevision: 1, submissionKey: "suggest-key-1" })).id).toBe(suggestionId);
    expect(await inbox(owner.id, "suggestion")).toHaveLength(1);
    const view = await suggestionView(t.db, owner, id, suggestionId);
    expect(view.conflict).toBeNull();
    expect(view.permissions).toMatchObject({ canReview: true, isAuthor: false });
    expect(view.diff.body?.filter((p) => p.change !== "same").map((p) => [p.change, p.value])).toEqual([
      ["removed", "vpn"],
      ["added", "vpn2"],
    ]);
    // The suggester can't approve their own suggestion.
    await expect(reviewSuggestion(t.db, suggester, id, suggestionId, { kind: "approve", currentRevision: 1, note: "" })).rejects.toBeInstanceOf(ForbiddenError);

    const result = await reviewSuggestion(t.db, owner, id, suggestionId, { kind: "approve", currentRevision: 1, note: "Thanks!" });
    expect(result).toEqual({ status: "approved", revision: 2 });
    const row = await page(id);
    expect({ body: row.body, revisionCount: row.revisionCount, lastEditorId: row.lastEditorId }).toEqual({
      body: "Install the client.\n\nConnect to vpn2.example.",
      revisionCount: 2,
      lastEditorId: suggester.id,
    });
    const [revision] = await t.db
      .select()
      .from(revisions)
      .where(and(eq(revisions.itemId, row.itemId), eq(revisions.number, 2)));
    expect(revision).toMatchObject({ editorId: suggester.id, comment: "Suggested by Sue Suggester, approved by Olive Owner: The server moved." });
    const [stored] = await t.db.select().from(wikiSuggestions).where(eq(wikiSuggestions.id, suggestionId));
    expect(stored).toMatchObject({ status: "approved", reviewerId: owner.id, reviewNote: "Thanks!", resultRevision: 2 });
    expect(await events(suggester.id, "edit_approved")).toMatchObject([{ delta: DEFAULT_REPUTATION_RULES.weights.editApproved, actorId: owner.id, itemId: row.itemId }]);
    expect(await inbox(suggester.id, "suggestion_outcome")).toHaveLength(1);
    // Reviewed once: a second approval is refused and changes nothing.
    await expect(reviewSuggestion(t.db, owner, id, suggestionId, { kind: "approve", currentRevision: 2, note: "" })).rejects.toThrow(/approved meanwhile/);
    expect((await page(id)).revisionCount).toBe(2);
  });

  test("a suggestion over a page that changed meanwhile shows the conflict and is approved only with a resolved text", async () => {
    const { owner, suggester, id } = await protectedPage();
    const { id: suggestionId } = await submitSuggestion(t.db, suggester, id, {
      title: "VPN setup",
      body: "Install the client.\n\nConnect to vpn2.example.",
      comment: "The server moved.",
      baseRevision: 1,
    });
    await savePage(t.db, owner, id, { title: "VPN setup", body: "Install the client from the portal.\n\nConnect to vpn.example.", tags: [], comment: "", baseRevision: 1 });

    const view = await suggestionView(t.db, owner, id, suggestionId);
    expect(view.conflict).toMatchObject({ revision: 2, body: "Install the client from the portal.\n\nConnect to vpn.example.", editor: "Olive Owner" });
    expect(view.conflict!.meanwhile.body?.filter((p) => p.change === "added").map((p) => p.value.trim())).toEqual(["from the portal"]);

    const before = { events: (await events(suggester.id, "edit_approved")).length, outcome: (await inbox(suggester.id, "suggestion_outcome")).length };
    // Without a resolved text, nothing is merged.
    await expect(reviewSuggestion(t.db, owner, id, suggestionId, { kind: "approve", currentRevision: 2, note: "" })).rejects.toThrow(/changed since this suggestion was written/);
    // A resolution made against an older version is refused too.
    await expect(reviewSuggestion(t.db, owner, id, suggestionId, { kind: "approve", currentRevision: 1, resolvedTitle: "VPN setup", resolvedBody: "Resolved.", note: "" })).rejects.toThrow(
      /changed again/,
    );
    // A resolved text is checked like a page's.
    const bad = (await reviewSuggestion(t.db, owner, id, suggestionId, { kind: "approve", currentRevision: 2, resolvedTitle: "VPN setup", resolvedBody: "  ", note: "" }).catch(
      (e: unknown) => e,
    )) as InputError;
    expect(bad.fieldErrors.resolvedBody).toMatch(/required/);
    expect((await page(id)).revisionCount).toBe(2);
    expect((await t.db.select().from(wikiSuggestions).where(eq(wikiSuggestions.id, suggestionId)))[0]!.status).toBe("open");
    expect({ events: (await events(suggester.id, "edit_approved")).length, outcome: (await inbox(suggester.id, "suggestion_outcome")).length }).toEqual(before);

    const resolved = "Install the client from the portal.\n\nConnect to vpn2.example.";
    expect(await reviewSuggestion(t.db, owner, id, suggestionId, { kind: "approve", currentRevision: 2, resolvedTitle: "VPN setup", resolvedBody: resolved, note: "" })).toEqual({
      status: "approved",
      revision: 3,
    });
    expect(await page(id)).toMatchObject({ body: resolved, revisionCount: 3, lastEditorId: suggester.id });
  });

  test("an approval racing a save: one of them goes in, the other sees the conflict", async () => {
    const { owner, suggester, id } = await protectedPage();
    const coOwner = await createUser(t.db);
    await t.db.insert(wikiPageOwners).values({ pageId: id, userId: coOwner.id });
    const { id: suggestionId } = await submitSuggestion(t.db, suggester, id, { title: "VPN setup", body: "Suggested text.", comment: "Simpler.", baseRevision: 1 });
    const results = await Promise.allSettled([
      reviewSuggestion(t.db, owner, id, suggestionId, { kind: "approve", currentRevision: 1, note: "" }),
      savePage(t.db, owner, id, { title: "VPN setup", body: "Saved text.", tags: [], comment: "", baseRevision: 1 }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected")!.reason as Error;
    expect(refused instanceof EditConflictError || refused.message.includes("changed since this suggestion")).toBe(true);
    expect((await page(id)).revisionCount).toBe(2);
  });

  test("asking for changes and declining need a note and tell the suggester; an edit reopens it; the suggester withdraws", async () => {
    const { owner, suggester, id } = await protectedPage();
    expect(RequestChangesSchema.safeParse({ note: " " }).success).toBe(false);
    expect(DeclineSchema.safeParse({}).success).toBe(false);
    const { id: first } = await submitSuggestion(t.db, suggester, id, { title: "VPN setup", body: "Short.", comment: "Shorter is better.", baseRevision: 1 });
    await reviewSuggestion(t.db, owner, id, first, { kind: "request_changes", note: "Keep the server name." });
    expect(await inbox(suggester.id, "suggestion_outcome")).toHaveLength(1);
    const sentBack = await suggestionView(t.db, suggester, id, first);
    expect(sentBack.suggestion).toMatchObject({ status: "changes_requested", reviewNote: "Keep the server name." });
    expect(sentBack.permissions).toMatchObject({ canEdit: true, canReview: false });
    await expect(reviewSuggestion(t.db, owner, id, first, { kind: "request_changes", note: "Again." })).rejects.toBeInstanceOf(InputError);

    await editSuggestion(t.db, suggester, id, first, { title: "VPN setup", body: "Short. Server: vpn.example.", comment: "Kept the server." });
    expect((await suggestionView(t.db, owner, id, first)).suggestion.status).toBe("open");
    expect(await inbox(owner.id, "suggestion")).toHaveLength(2);
    await reviewSuggestion(t.db, owner, id, first, { kind: "decline", note: "We keep the long version." });
    expect(await inbox(suggester.id, "suggestion_outcome")).toHaveLength(2);
    expect((await suggestionView(t.db, suggester, id, first)).suggestion).toMatchObject({ status: "declined", reviewNote: "We keep the long version." });
    await expect(editSuggestion(t.db, suggester, id, first, { title: "VPN setup", body: "x", comment: "y y" })).rejects.toBeInstanceOf(InputError);

    const { id: second } = await submitSuggestion(t.db, suggester, id, { title: "VPN setup", body: "Another.", comment: "Try again.", baseRevision: 1 });
    await expect(withdrawSuggestion(t.db, owner, id, second)).rejects.toBeInstanceOf(ForbiddenError);
    await withdrawSuggestion(t.db, suggester, id, second);
    expect((await suggestionView(t.db, owner, id, second)).permissions.canReview).toBe(false);
    // A suggestion that changes nothing is refused.
    await expect(
      submitSuggestion(t.db, suggester, id, { title: "VPN setup", body: "Install the client.\n\nConnect to vpn.example.", comment: "No change.", baseRevision: 1 }),
    ).rejects.toThrow(/Nothing changed/);
  });

  test("the space's queue lists waiting suggestions oldest first with their age; outsiders get a 404", async () => {
    const { owner, suggester, space, id } = await protectedPage();
    const other = await createWikiPage(t.db, { author: owner, space, title: "Printers" });
    const outsider = await createUser(t.db);
    const now = new Date();
    const made: number[] = [];
    for (const [pageId, daysAgo] of [
      [id, 1],
      [other, 5],
      [id, 3],
    ] as const) {
      const { id: s } = await submitSuggestion(t.db, suggester, pageId, {
        title: pageId === id ? "VPN setup" : "Printers",
        body: `Text ${daysAgo}.`,
        comment: `Why ${daysAgo}.`,
        baseRevision: 1,
      });
      await t.db
        .update(wikiSuggestions)
        .set({ createdAt: new Date(now.getTime() - daysAgo * DAY) })
        .where(eq(wikiSuggestions.id, s));
      made.push(s);
    }
    const { id: declined } = await submitSuggestion(t.db, suggester, id, { title: "VPN setup", body: "Declined text.", comment: "Nope.", baseRevision: 1 });
    await reviewSuggestion(t.db, owner, id, declined, { kind: "decline", note: "No." });

    const queue = await spaceSuggestionQueue(t.db, suggester, space.slug, { page: 1 }, now);
    expect(queue.items.map((i) => [i.page.title, i.ageDays])).toEqual([
      ["Printers", 5],
      ["VPN setup", 3],
      ["VPN setup", 1],
    ]);
    expect(queue.total).toBe(3);
    expect(queue.canProtect).toBe(false);
    await expect(spaceSuggestionQueue(t.db, outsider, space.slug, { page: 1 })).rejects.toBeInstanceOf(NotFoundError);
    const governance = await pageGovernance(t.db, suggester, { id, spaceId: space.id });
    expect(governance.openSuggestions).toBe(2);
    expect(governance.mySuggestions.map((s) => s.status).sort()).toEqual(["declined", "open", "open"]);
  });

  test("someone outside a restricted space can't suggest, see or review a suggestion, and nothing is written", async () => {
    const { owner, suggester, id } = await protectedPage();
    const outsider = await createUser(t.db, {}, "admin");
    const stranger = await createUser(t.db);
    const { id: suggestionId } = await submitSuggestion(t.db, suggester, id, { title: "VPN setup", body: "Text.", comment: "Why.", baseRevision: 1 });
    const count = async () =>
      (
        await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(wikiSuggestions)
          .where(eq(wikiSuggestions.pageId, id))
      )[0]!.n;
    const before = await count();
    await expect(submitSuggestion(t.db, stranger, id, { title: "VPN setup", body: "Mine.", comment: "Why.", baseRevision: 1 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(suggestionView(t.db, stranger, id, suggestionId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(reviewSuggestion(t.db, stranger, id, suggestionId, { kind: "decline", note: "No." })).rejects.toBeInstanceOf(NotFoundError);
    // The same suggestion under another page is missing, too.
    const otherPage = await createWikiPage(t.db, {
      author: owner,
      space: (
        await t.db
          .select()
          .from(spaces)
          .where(eq(spaces.id, (await page(id)).spaceId))
      )[0]!,
    });
    await expect(suggestionView(t.db, owner, otherPage, suggestionId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await count()).toBe(before);
    // An admin sees every space, so reviews as a moderator would.
    expect((await suggestionView(t.db, outsider, id, suggestionId)).permissions.canReview).toBe(true);
    const stored = await t.db
      .select()
      .from(notifications)
      .where(inArray(notifications.userId, [stranger.id]));
    expect(stored).toHaveLength(0);
  });
});
