import { eq, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { spaces } from "#db/schema/index.ts";
import { chatPayload } from "#app/features/chat/format.ts";
import { type DeliveryInput, enqueueDeliveries, newMessageId } from "./deliveries.server.ts";
import type { CommonsEvent, EventDataMap, EventType, WebhookBody } from "./events.ts";

/**
 * Turning an event into deliveries, inside the transaction of the write that caused it (a
 * rolled-back write sends nothing). Who gets an event:
 * - enabled webhook endpoints that chose its type, registered for its space, or for "all open
 *   spaces" (space null) when its space is open: a restricted space's events reach only endpoints
 *   an admin registered for that very space;
 * - enabled chat connections of its space that chose its type, except `question.unanswered`,
 *   which the chat sweep enqueues per connection (app/features/chat).
 */

export type EventTarget = { kind: "endpoint"; id: number; platform: null } | { kind: "chat"; id: number; platform: "slack" | "teams" };

/** Who takes an event of this type in this space: one indexed query, and the only cost of a write when nobody does. */
export async function eventTargets(tx: Tx, type: EventType, spaceId: number): Promise<EventTarget[]> {
  const rows = await tx.execute<{ kind: "endpoint" | "chat"; id: number; platform: "slack" | "teams" | null }>(sql`
    select 'endpoint' as kind, e.id, null::text as platform
    from webhook_endpoints e join spaces s on s.id = ${spaceId}
    where e.enabled and ${type} = any(e.events) and (e.space_id = s.id or (e.space_id is null and s.visibility = 'open'))
    union all
    select 'chat' as kind, c.id, c.platform::text as platform
    from chat_connections c
    where c.enabled and c.space_id = ${spaceId} and ${type} = any(c.events) and ${type} <> 'question.unanswered'`);
  return rows.map((r) => (r.kind === "chat" ? { kind: "chat", id: Number(r.id), platform: r.platform! } : { kind: "endpoint", id: Number(r.id), platform: null }));
}

/** The body every target of an event is made from (endpoints get it as is, chat gets it formatted). */
async function webhookBody(tx: Tx, event: CommonsEvent): Promise<WebhookBody | null> {
  const [space] = await tx.select({ id: spaces.id, slug: spaces.slug, name: spaces.name, visibility: spaces.visibility }).from(spaces).where(eq(spaces.id, event.spaceId));
  if (!space) return null;
  return { type: event.type, timestamp: event.occurredAt.toISOString(), space, data: event.data } as WebhookBody;
}

async function deliver(tx: Tx, targets: EventTarget[], event: CommonsEvent): Promise<void> {
  const body = await webhookBody(tx, event);
  if (!body) return;
  const messageId = newMessageId();
  const deliveries: DeliveryInput[] = targets.map((t) =>
    t.kind === "endpoint"
      ? { endpointId: t.id, messageId, eventType: event.type, payload: body }
      : { chatConnectionId: t.id, messageId, eventType: event.type, payload: chatPayload(t.platform, body) },
  );
  await enqueueDeliveries(tx, deliveries);
}

/**
 * Records an event inside the transaction of the write that caused it: one delivery per webhook
 * endpoint and chat connection that takes it (issue 21). A rolled-back write sends nothing.
 */
export async function emitEvent(tx: Tx, event: CommonsEvent): Promise<void> {
  const targets = await eventTargets(tx, event.type, event.spaceId);
  if (targets.length > 0) await deliver(tx, targets, event);
}

/**
 * `emitEvent` for the features' write paths: asks who takes the event first and builds its data
 * (titles, names, links: a few queries) only when someone does. `build` answers null when the
 * event should not go out after all (a private kudos).
 */
export async function emitWhenWanted<T extends EventType>(tx: Tx, type: T, spaceId: number, build: () => Promise<EventDataMap[T] | null>): Promise<void> {
  const targets = await eventTargets(tx, type, spaceId);
  if (targets.length === 0) return;
  const data = await build();
  if (!data) return;
  await deliver(tx, targets, { type, spaceId, occurredAt: new Date(), data } as CommonsEvent);
}
