import { randomBytes } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { retryDeadRows } from "#db/outbox-queue.ts";
import { isRowId } from "#app/lib/ids.ts";
import { webhookAttempts, webhookDeliveries } from "#db/schema/index.ts";

/**
 * The delivery outbox of webhooks and chat (`webhook_deliveries`): rows written in the
 * transaction of the event, sent by the worker (worker.server.ts) after commit, each attempt
 * recorded in `webhook_attempts` for the delivery log.
 */

export interface DeliveryInput {
  endpointId?: number | null;
  chatConnectionId?: number | null;
  /** `msg_` + a random id; the same for every target of one event. */
  messageId: string;
  eventType: string;
  payload: unknown;
  test?: boolean;
}

/** The LISTEN/NOTIFY channel that wakes the webhook worker; notifications are delivered at commit. */
export const WEBHOOK_CHANNEL = "commons_webhooks";

/** A new `webhook-id`: `msg_` and 24 random characters (base64url of 18 bytes). */
export function newMessageId(): string {
  return `msg_${randomBytes(18).toString("base64url")}`;
}

/**
 * Writes deliveries to the outbox in the caller's transaction and wakes the worker at commit:
 * a rolled-back write sends nothing. Writing the same message to the same target twice is a no-op.
 */
export async function enqueueDeliveries(tx: Tx | Db, deliveries: DeliveryInput[]): Promise<void> {
  if (deliveries.length === 0) return;
  await tx
    .insert(webhookDeliveries)
    .values(
      deliveries.map((d) => ({
        endpointId: d.endpointId ?? null,
        chatConnectionId: d.chatConnectionId ?? null,
        messageId: d.messageId,
        eventType: d.eventType,
        payload: d.payload,
        test: d.test ?? false,
      })),
    )
    .onConflictDoNothing();
  await tx.execute(sql`select pg_notify(${WEBHOOK_CHANNEL}, '')`);
}

export type DeliveryTarget = { endpointId: number } | { chatConnectionId: number };

function targetCondition(target: DeliveryTarget) {
  return "endpointId" in target ? eq(webhookDeliveries.endpointId, target.endpointId) : eq(webhookDeliveries.chatConnectionId, target.chatConnectionId);
}

export const DELIVERY_PAGE_SIZE = 20;

export interface DeliveryAttempt {
  id: number;
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string;
}

export interface DeliveryLogRow {
  id: number;
  messageId: string;
  eventType: string;
  test: boolean;
  status: "pending" | "done" | "dead";
  attempts: number;
  availableAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  attemptLog: DeliveryAttempt[];
}

/**
 * One target's deliveries, newest first, a page at a time, each with its attempts (two queries
 * whatever the page holds). Used by the endpoint page and by a chat connection's page alike.
 */
export async function deliveryLog(db: Db, target: DeliveryTarget, page: number): Promise<{ rows: DeliveryLogRow[]; total: number; offset: number; pageSize: number }> {
  const offset = (Math.max(1, page) - 1) * DELIVERY_PAGE_SIZE;
  const [rows, total] = await Promise.all([
    db
      .select({
        id: webhookDeliveries.id,
        messageId: webhookDeliveries.messageId,
        eventType: webhookDeliveries.eventType,
        test: webhookDeliveries.test,
        status: webhookDeliveries.status,
        attempts: webhookDeliveries.attempts,
        availableAt: webhookDeliveries.availableAt,
        lastStatus: webhookDeliveries.lastStatus,
        lastError: webhookDeliveries.lastError,
        createdAt: webhookDeliveries.createdAt,
        deliveredAt: webhookDeliveries.deliveredAt,
      })
      .from(webhookDeliveries)
      .where(targetCondition(target))
      .orderBy(desc(webhookDeliveries.id))
      .limit(DELIVERY_PAGE_SIZE)
      .offset(offset),
    db.$count(webhookDeliveries, targetCondition(target)),
  ]);
  const attempts =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(webhookAttempts)
          .where(
            inArray(
              webhookAttempts.deliveryId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(webhookAttempts.id);
  const byDelivery = new Map<number, DeliveryAttempt[]>();
  for (const a of attempts) {
    const list = byDelivery.get(a.deliveryId) ?? [];
    list.push({ id: a.id, attemptedAt: a.attemptedAt, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, responseExcerpt: a.responseExcerpt });
    byDelivery.set(a.deliveryId, list);
  }
  return { rows: rows.map((r) => ({ ...r, attemptLog: byDelivery.get(r.id) ?? [] })), total, offset, pageSize: DELIVERY_PAGE_SIZE };
}

/**
 * Puts one dead delivery of this target back in line with a fresh count of attempts and wakes
 * the worker. False when it is not (or no longer) dead, or belongs to another target.
 */
export async function retryDelivery(db: Db, target: DeliveryTarget, deliveryId: number): Promise<boolean> {
  if (!isRowId(deliveryId)) return false;
  const [row] = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), targetCondition(target), eq(webhookDeliveries.status, "dead")));
  if (!row) return false;
  const moved = await retryDeadRows(db, webhookDeliveries, [row.id]);
  if (moved > 0) await db.execute(sql`select pg_notify(${WEBHOOK_CHANNEL}, '')`);
  return moved > 0;
}
