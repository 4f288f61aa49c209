import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import {
  awardRounds,
  badges,
  chatConnections,
  forumEscalations,
  forumThreads,
  liveSessions,
  notifications,
  publications,
  shareKits,
  uploads,
  webhookEndpoints,
  wikiPages,
  wikiSuggestions,
  wikiTemplates,
} from "#db/schema/index.ts";
import type { users } from "#db/schema/index.ts";
import { issueToken, type TokenPurpose } from "#app/features/auth/tokens.server.ts";
import { unsubscribeKey, unsubscribeToken, type UnsubscribeScope } from "#app/features/mail-prefs/unsubscribe.server.ts";
import { proposePublication } from "#app/features/publishing/publishing.server.ts";
import { directoryStorage, newUploadKey } from "#app/features/uploads/storage.server.ts";
import { createCustomerThread } from "#tests/fixtures/escalations/forum-rows.ts";

/**
 * Rows for the kinds of item that had no factory: badges, award rounds, live sessions, forum
 * threads and their escalations, publications, share kits, wiki suggestions and templates,
 * notifications, uploads, webhook endpoints, chat connections and the tokens mail links carry.
 * Most are written straight to their tables, in the state asked for (a round whose results are
 * out, a session that is live): the features' own tests cover how a row gets there, and a test of
 * who may see a row needs the row, not the way to it. A publication goes through the feature, since
 * its parts and consents come with it.
 */

type Person = typeof users.$inferSelect;
type Space = { id: number };

let sequence = 0;
const next = () => `${++sequence}-${randomBytes(3).toString("hex")}`;
const DAY = 24 * 60 * 60 * 1000;
const days = (n: number) => new Date(Date.now() + n * DAY);

/** A custom badge in `space`; `archived` takes it out of the list of badges one may award. */
export async function createBadge(db: Db, attrs: { author: Person; space: Space; archived?: boolean }) {
  const [row] = await db
    .insert(badges)
    .values({
      spaceId: attrs.space.id,
      name: `Runbook hero ${next()}`,
      description: "Wrote a runbook the on-call used.",
      tier: "bronze",
      createdById: attrs.author.id,
      archivedAt: attrs.archived ? new Date() : null,
    })
    .returning({ id: badges.id });
  return row!.id;
}

/** An award round in `space`: taking nominations now, or with its results out. */
export async function createAwardRound(db: Db, attrs: { author: Person; space: Space; phase: "nominations" | "results" }) {
  // Each date after the one before, as the table's check wants.
  const at = attrs.phase === "nominations" ? [-1, 1, 2, 3, 4] : [-5, -4, -3, -2, -1];
  const [row] = await db
    .insert(awardRounds)
    .values({
      spaceId: attrs.space.id,
      title: `Colleague of the quarter ${next()}`,
      description: "Who made the quarter better?",
      descriptionHtml: "<p>Who made the quarter better?</p>",
      nominationsOpenAt: days(at[0]!),
      nominationsCloseAt: days(at[1]!),
      votingOpenAt: days(at[2]!),
      votingCloseAt: days(at[3]!),
      resultsAt: days(at[4]!),
      announcedAt: attrs.phase === "results" ? days(at[4]!) : null,
      createdById: attrs.author.id,
    })
    .returning({ id: awardRounds.id });
  return row!.id;
}

/** A live session: internal to `space`, or on the forum (no space); scheduled, live or ended. */
export async function createLiveSession(db: Db, attrs: { author: Person; space: Space | null; status: "scheduled" | "live" | "ended" }) {
  const start = { scheduled: 1, live: 0, ended: -2 }[attrs.status];
  const [row] = await db
    .insert(liveSessions)
    .values({
      title: `Ask the platform team ${next()}`,
      topic: "platform",
      audience: attrs.space ? "internal" : "forum",
      spaceId: attrs.space?.id ?? null,
      startsAt: new Date(Date.now() + start * DAY - 60 * 60 * 1000),
      endsAt: new Date(Date.now() + start * DAY + 60 * 60 * 1000),
      status: attrs.status,
      createdById: attrs.author.id,
    })
    .returning({ id: liveSessions.id });
  return row!.id;
}

/** A customer's question on the forum: visible, held for moderation, or withdrawn by the customer. */
export async function createForumThread(db: Db, attrs: { state: "visible" | "pending" | "withdrawn" }) {
  const thread = await createCustomerThread(db, { moderation: attrs.state === "pending" ? "pending" : "visible", title: `How do I export my invoices? ${next()}` });
  if (attrs.state === "withdrawn") await db.update(forumThreads).set({ withdrawnAt: new Date() }).where(eq(forumThreads.id, thread.id));
  return thread.id;
}

/** An escalation of a customer thread, open (nobody assigned) or resolved. */
export async function createEscalation(db: Db, attrs: { status: "open" | "resolved"; assignee?: Person }) {
  const threadId = await createForumThread(db, { state: "visible" });
  const [row] = await db
    .insert(forumEscalations)
    .values({
      threadId,
      rules: ["me_too"],
      reasons: ["7 customers said me too"],
      severity: "high",
      status: attrs.status,
      assigneeId: attrs.assignee?.id ?? null,
      dueAt: days(1),
      resolvedAt: attrs.status === "resolved" ? new Date() : null,
      outcome: attrs.status === "resolved" ? "Fixed in the next release." : "",
    })
    .returning({ id: forumEscalations.id });
  return row!.id;
}

/**
 * A publication of `questionId` proposed by its author (a draft), then, when asked, published or
 * withdrawn from the forum: the status and its date, as the publishing feature leaves them.
 */
export async function createPublication(db: Db, attrs: { proposer: Person; questionId: number; status?: "draft" | "published" | "withdrawn" }) {
  const { id } = await proposePublication(db, attrs.proposer, attrs.questionId);
  if (attrs.status === "published") await db.update(publications).set({ status: "published", publishedAt: new Date() }).where(eq(publications.id, id));
  if (attrs.status === "withdrawn")
    await db
      .update(publications)
      .set({ status: "withdrawn", publishedAt: days(-2), withdrawnAt: new Date() })
      .where(eq(publications.id, id));
  return id;
}

/** A share kit, active or archived. */
export async function createShareKit(db: Db, attrs: { author: Person; archived?: boolean }) {
  const [row] = await db
    .insert(shareKits)
    .values({ title: `Launch week ${next()}`, createdById: attrs.author.id, archivedAt: attrs.archived ? new Date() : null })
    .returning({ id: shareKits.id });
  return row!.id;
}

/** A suggested edit to a wiki page, waiting for review or already declined. */
export async function createWikiSuggestion(db: Db, attrs: { author: Person; pageId: number; status?: "open" | "declined" }) {
  const [page] = await db.select().from(wikiPages).where(eq(wikiPages.id, attrs.pageId));
  const [row] = await db
    .insert(wikiSuggestions)
    .values({
      pageId: page!.id,
      spaceId: page!.spaceId,
      authorId: attrs.author.id,
      baseRevision: page!.revisionCount,
      title: page!.title,
      body: `${page!.body}\n\nOne more step: restart the worker.`,
      comment: "The restart was missing.",
      status: attrs.status ?? "open",
      reviewedAt: attrs.status === "declined" ? new Date() : null,
      reviewNote: attrs.status === "declined" ? "Not needed any more." : "",
    })
    .returning({ id: wikiSuggestions.id });
  return row!.id;
}

/** A wiki template of `space` (null: a site-wide one). */
export async function createWikiTemplate(db: Db, attrs: { author: Person; space: Space | null }) {
  const [row] = await db
    .insert(wikiTemplates)
    .values({ spaceId: attrs.space?.id ?? null, name: `Postmortem ${next()}`, body: "## What happened\n\n## What we change", createdById: attrs.author.id })
    .returning({ id: wikiTemplates.id });
  return row!.id;
}

/** A notification to `user` that `actor` answered the question whose item is `itemId`. */
export async function createNotification(db: Db, attrs: { user: { id: number }; actor: Person; spaceId: number; itemId: number }) {
  const [row] = await db
    .insert(notifications)
    .values({ userId: attrs.user.id, kind: "answer", actorId: attrs.actor.id, spaceId: attrs.spaceId, itemId: attrs.itemId, mailHandledAt: new Date() })
    .returning({ id: notifications.id });
  return row!.id;
}

/** A tiny PNG (one transparent pixel): real bytes of a type uploads accept. */
const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

/**
 * An image uploaded by `uploader`, its bytes in the uploads directory under `dataDir` (the
 * server's DATA_DIR), attached to the item `itemId` or to nothing yet (null).
 */
export async function createUpload(db: Db, attrs: { uploader: Person; itemId: number | null; dataDir: string }) {
  const key = newUploadKey();
  await directoryStorage(path.resolve(attrs.dataDir, "uploads")).put(key, PIXEL, "image/png");
  await db.insert(uploads).values({
    key,
    uploaderId: attrs.uploader.id,
    itemId: attrs.itemId,
    filename: "pixel.png",
    contentType: "image/png",
    size: PIXEL.length,
    width: 1,
    height: 1,
    sha256: createHash("sha256").update(PIXEL).digest("hex"),
    attachedAt: attrs.itemId === null ? null : new Date(),
  });
  return { key, filename: "pixel.png" };
}

/** A webhook endpoint for `space`'s events, registered by `author`. */
export async function createWebhookEndpoint(db: Db, attrs: { author: Person; space: Space }) {
  const [row] = await db
    .insert(webhookEndpoints)
    .values({
      url: "https://hooks.example.com/commons",
      spaceId: attrs.space.id,
      events: ["question.created"],
      secret: `whsec_${randomBytes(32).toString("base64")}`,
      createdBy: attrs.author.id,
    })
    .returning({ id: webhookEndpoints.id });
  return row!.id;
}

/** A chat connection posting `space`'s new questions to a Slack channel, set up by `author`. */
export async function createChatConnection(db: Db, attrs: { author: Person; space: Space }) {
  const [row] = await db
    .insert(chatConnections)
    .values({ spaceId: attrs.space.id, platform: "slack", url: "https://hooks.slack.com/services/T0/B0/authz", label: "#platform", events: ["question.created"], createdBy: attrs.author.id })
    .returning({ id: chatConnections.id });
  return row!.id;
}

/** A link from a mail to confirm an address or reset a password; `expired` makes one issued two weeks ago. */
export function createMailToken(db: Db, attrs: { user: { id: number }; purpose: TokenPurpose; expired?: boolean }) {
  return issueToken(db, attrs.user.id, attrs.purpose, attrs.expired ? days(-14) : new Date());
}

/** A one-click unsubscribe token for `user`'s mail of `scope`, signed with the app's key (or, `stale`, with a key since replaced). */
export async function createUnsubscribeToken(db: Db, attrs: { user: { id: number }; scope: UnsubscribeScope; stale?: boolean }) {
  return unsubscribeToken(attrs.stale ? randomBytes(32) : await unsubscribeKey(db), attrs.user.id, attrs.scope);
}
