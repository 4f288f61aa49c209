import { asc, count, eq, sql } from "drizzle-orm";
import { href } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { chatConnections, spaces } from "#db/schema/index.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { enqueueDeliveries, newMessageId } from "#app/features/webhooks/deliveries.server.ts";
import type { EventType } from "#app/features/webhooks/events.ts";
import { checkDestination } from "#app/features/webhooks/outbound.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { TEST_EVENT_TYPE, describeTest, drawMessage } from "./format.ts";
import { skipUnansweredBacklog } from "./unanswered.server.ts";
import { type EditConnectionInput, type NewConnectionInput, maskUrl } from "./schemas.ts";

/**
 * Chat connections (issue 21): a Slack or Microsoft Teams incoming webhook an admin connected to
 * one space. Its URL is a secret (whoever holds it posts to the channel), so nothing here hands it
 * to a page: lists and the edit page get `maskUrl`'s host and last four characters.
 *
 * Every function is for admins: the routes require the role, and each function checks it again,
 * answering anyone else with the 404 of a page that does not exist.
 */

type Actor = { id: number; role: string; kind: string; deactivatedAt: Date | null };

function requireAdminActor(actor: Actor) {
  if (actor.role !== "admin" || actor.kind !== "employee" || actor.deactivatedAt) throw new NotFoundError("chat connections are for admins");
}

export const CONNECTIONS_PAGE_SIZE = 25;

export interface ConnectionRow {
  id: number;
  space: { id: number; slug: string; name: string; visibility: "open" | "restricted" };
  platform: "slack" | "teams";
  label: string;
  maskedUrl: string;
  events: EventType[];
  unansweredHours: number | null;
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: Date;
}

const connectionColumns = {
  id: chatConnections.id,
  platform: chatConnections.platform,
  label: chatConnections.label,
  url: chatConnections.url,
  events: chatConnections.events,
  unansweredHours: chatConnections.unansweredHours,
  enabled: chatConnections.enabled,
  disabledAt: chatConnections.disabledAt,
  disabledReason: chatConnections.disabledReason,
  consecutiveFailures: chatConnections.consecutiveFailures,
  createdAt: chatConnections.createdAt,
  spaceId: spaces.id,
  spaceSlug: spaces.slug,
  spaceName: spaces.name,
  spaceVisibility: spaces.visibility,
};

/** The connections with their spaces; callers add the order, page or id. */
function selectConnections(db: Db | Tx) {
  return db.select(connectionColumns).from(chatConnections).innerJoin(spaces, eq(spaces.id, chatConnections.spaceId));
}

function toRow(r: Awaited<ReturnType<typeof selectConnections>>[number]): ConnectionRow {
  return {
    id: r.id,
    space: { id: r.spaceId, slug: r.spaceSlug, name: r.spaceName, visibility: r.spaceVisibility },
    platform: r.platform,
    label: r.label,
    maskedUrl: maskUrl(r.url),
    events: r.events as EventType[],
    unansweredHours: r.unansweredHours,
    enabled: r.enabled,
    disabledAt: r.disabledAt,
    disabledReason: r.disabledReason,
    consecutiveFailures: r.consecutiveFailures,
    createdAt: r.createdAt,
  };
}

/** Every connection, by space then age, a page at a time (two queries). */
export async function connectionsPage(db: Db, actor: Actor, page: number): Promise<{ rows: ConnectionRow[]; total: number; offset: number; pageSize: number }> {
  requireAdminActor(actor);
  const offset = (Math.max(1, page) - 1) * CONNECTIONS_PAGE_SIZE;
  const [rows, [counted]] = await Promise.all([
    selectConnections(db).orderBy(asc(spaces.name), asc(chatConnections.id)).limit(CONNECTIONS_PAGE_SIZE).offset(offset),
    db.select({ n: count() }).from(chatConnections),
  ]);
  return { rows: rows.map(toRow), total: counted?.n ?? 0, offset, pageSize: CONNECTIONS_PAGE_SIZE };
}

/** One connection (a 404 when there is none by that id). */
export async function loadConnection(db: Db | Tx, actor: Actor, id: number): Promise<ConnectionRow> {
  requireAdminActor(actor);
  if (!isRowId(id)) throw new NotFoundError("no such chat connection");
  const [row] = await selectConnections(db).where(eq(chatConnections.id, id));
  if (!row) throw new NotFoundError("no such chat connection");
  return toRow(row);
}

/** The spaces a connection can belong to: every one (admins see them all), by name. */
export async function connectableSpaces(db: Db, actor: Actor) {
  requireAdminActor(actor);
  return db.select({ id: spaces.id, name: spaces.name, visibility: spaces.visibility }).from(spaces).orderBy(asc(spaces.name));
}

/** The SSRF guard's answer as a message beside the URL field. */
async function requireDestination(db: Db, url: string) {
  const check = await checkDestination(db, url);
  if (!check.ok) throw InputError.field("url", `Commons can't post to this address: ${check.reason}`);
}

export async function createConnection(db: Db, actor: Actor, input: NewConnectionInput): Promise<{ id: number }> {
  requireAdminActor(actor);
  // DNS before the transaction: nothing outside PostgreSQL is called inside one.
  await requireDestination(db, input.url);
  return db.transaction(async (tx) => {
    const [space] = await tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.id, input.space));
    if (!space) throw InputError.field("space", "That space no longer exists. Choose another.");
    // A double submit (or a second admin pasting the same URL) finds the first one instead of posting everything twice.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('chat-connection'), ${space.id})`);
    const [same] = await tx
      .select({ id: chatConnections.id })
      .from(chatConnections)
      .where(sql`${chatConnections.spaceId} = ${space.id} and ${chatConnections.url} = ${input.url}`);
    if (same) throw InputError.field("url", "This webhook is already connected to this space. Edit that connection instead.");
    const [row] = await tx
      .insert(chatConnections)
      .values({ spaceId: space.id, platform: input.platform, url: input.url, label: input.label, events: input.events, unansweredHours: input.unansweredHours, createdBy: actor.id })
      .returning({ id: chatConnections.id });
    return { id: row!.id };
  });
}

/** Whether a change makes the connection announce unanswered questions it did not announce before. */
function startsAnnouncing(before: ConnectionRow, after: { events: EventType[]; unansweredHours: number | null; enabled: boolean }): boolean {
  const wants = (c: { events: EventType[]; unansweredHours: number | null; enabled: boolean }) => c.enabled && c.unansweredHours !== null && c.events.includes("question.unanswered");
  if (!wants(after)) return false;
  return !wants(before) || (after.unansweredHours ?? 0) < (before.unansweredHours ?? 0);
}

export async function updateConnection(db: Db, actor: Actor, id: number, input: EditConnectionInput): Promise<void> {
  const current = await loadConnection(db, actor, id);
  if (input.url) await requireDestination(db, input.url);
  await db.transaction(async (tx) => {
    await tx
      .update(chatConnections)
      .set({
        label: input.label,
        events: input.events,
        unansweredHours: input.unansweredHours,
        ...(input.url ? { url: input.url } : {}),
        updatedAt: new Date(),
      })
      .where(eq(chatConnections.id, current.id));
    if (startsAnnouncing(current, { ...input, enabled: current.enabled })) await skipUnansweredBacklog(tx, current.id, new Date());
  });
}

/**
 * Turns a connection on or off. Turning it on also clears what the worker recorded when it gave
 * up after repeated failures, so it starts again with a clean count, and what fell due while it
 * was off is not posted as a backlog.
 */
export async function setConnectionEnabled(db: Db, actor: Actor, id: number, enabled: boolean): Promise<void> {
  const current = await loadConnection(db, actor, id);
  await db.transaction(async (tx) => {
    await tx
      .update(chatConnections)
      .set(enabled ? { enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0, updatedAt: new Date() } : { enabled: false, updatedAt: new Date() })
      .where(eq(chatConnections.id, current.id));
    if (startsAnnouncing(current, { ...current, enabled })) await skipUnansweredBacklog(tx, current.id, new Date());
  });
}

/** Deletes a connection, its deliveries and its unanswered notices (by cascade). */
export async function deleteConnection(db: Db, actor: Actor, id: number): Promise<ConnectionRow> {
  const current = await loadConnection(db, actor, id);
  await db.delete(chatConnections).where(eq(chatConnections.id, current.id));
  return current;
}

/**
 * "Send a test message": one delivery through the outbox, like any event, so the log shows
 * whether the channel took it. Allowed while the connection is off, to try a fixed URL first.
 */
export async function sendTestMessage(db: Db, actor: Actor, id: number): Promise<void> {
  const connection = await loadConnection(db, actor, id);
  const message = describeTest({ space: connection.space, label: connection.label, events: connection.events, url: appUrl(href("/spaces/:slug", { slug: connection.space.slug })) });
  await db.transaction((tx) =>
    enqueueDeliveries(tx, [{ chatConnectionId: connection.id, messageId: newMessageId(), eventType: TEST_EVENT_TYPE, payload: drawMessage(connection.platform, message), test: true }]),
  );
}
