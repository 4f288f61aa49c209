import { randomBytes } from "node:crypto";
import { asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { spaces, webhookDeliveries, webhookEndpoints } from "#db/schema/index.ts";
import { canAdministerSpaces, type Actor } from "#app/features/spaces/visibility.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { WEBHOOK_CHANNEL, enqueueDeliveries, newMessageId } from "./deliveries.server.ts";
import { TEST_EVENT_TYPE, type WebhookTestBody } from "./events.ts";
import { checkDestination } from "./outbound.server.ts";
import type { EndpointInput } from "./schemas.ts";

/**
 * Admin → Integrations → Outgoing webhooks: endpoints an admin registers, their secrets, turning
 * them on and off, and the test event. Every function here is for admins only; the routes check
 * the role and these check it again, so no other caller can reach them by mistake.
 */

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

function requireAdminActor(actor: Actor): void {
  if (!canAdministerSpaces(actor)) throw new NotFoundError();
}

/** A new signing secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** Every space, for the endpoint form's select (admins see them all). */
export async function spaceChoices(db: Db): Promise<Array<{ id: number; name: string; visibility: "open" | "restricted" }>> {
  return db.select({ id: spaces.id, name: spaces.name, visibility: spaces.visibility }).from(spaces).orderBy(asc(spaces.name));
}

export const ENDPOINT_PAGE_SIZE = 25;

export interface EndpointSummary {
  id: number;
  url: string;
  host: string;
  description: string;
  space: { id: number; name: string; visibility: "open" | "restricted" } | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  waiting: number;
  dead: number;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The endpoints, newest first, a page at a time, with how many deliveries wait and how many died. */
export async function endpointList(db: Db, actor: Actor, page: number): Promise<{ rows: EndpointSummary[]; total: number; offset: number; pageSize: number }> {
  requireAdminActor(actor);
  const offset = (Math.max(1, page) - 1) * ENDPOINT_PAGE_SIZE;
  const [rows, total] = await Promise.all([
    db
      .select({
        endpoint: webhookEndpoints,
        space: { id: spaces.id, name: spaces.name, visibility: spaces.visibility },
        waiting: sql<number>`(select count(*)::int from ${webhookDeliveries} d where d.endpoint_id = ${webhookEndpoints.id} and d.status = 'pending')`,
        dead: sql<number>`(select count(*)::int from ${webhookDeliveries} d where d.endpoint_id = ${webhookEndpoints.id} and d.status = 'dead')`,
      })
      .from(webhookEndpoints)
      .leftJoin(spaces, eq(spaces.id, webhookEndpoints.spaceId))
      .orderBy(desc(webhookEndpoints.id))
      .limit(ENDPOINT_PAGE_SIZE)
      .offset(offset),
    db.$count(webhookEndpoints),
  ]);
  return {
    rows: rows.map(({ endpoint: e, space, waiting, dead }) => ({
      id: e.id,
      url: e.url,
      host: hostOf(e.url),
      description: e.description,
      space: space?.id ? space : null,
      events: e.events,
      enabled: e.enabled,
      disabledReason: e.disabledReason,
      consecutiveFailures: e.consecutiveFailures,
      waiting: Number(waiting),
      dead: Number(dead),
    })),
    total,
    offset,
    pageSize: ENDPOINT_PAGE_SIZE,
  };
}

/** One endpoint with its space, or a 404. */
export async function loadEndpoint(db: Db, actor: Actor, endpointId: number): Promise<{ endpoint: WebhookEndpoint; space: { id: number; name: string } | null }> {
  requireAdminActor(actor);
  if (!isRowId(endpointId)) throw new NotFoundError();
  const [row] = await db
    .select({ endpoint: webhookEndpoints, space: { id: spaces.id, name: spaces.name } })
    .from(webhookEndpoints)
    .leftJoin(spaces, eq(spaces.id, webhookEndpoints.spaceId))
    .where(eq(webhookEndpoints.id, endpointId));
  if (!row) throw new NotFoundError();
  return { endpoint: row.endpoint, space: row.space?.id ? row.space : null };
}

/** The URL must pass the SSRF guard, the space must exist: field errors otherwise. */
async function checkInput(db: Db, input: EndpointInput): Promise<void> {
  const destination = await checkDestination(db, input.url);
  if (!destination.ok) throw InputError.field("url", destination.reason);
  if (input.space !== null) {
    const [space] = await db.select({ id: spaces.id }).from(spaces).where(eq(spaces.id, input.space));
    if (!space) throw InputError.field("space", "That space no longer exists. Choose another.");
  }
}

export async function createEndpoint(db: Db, actor: Actor, input: EndpointInput): Promise<{ id: number }> {
  requireAdminActor(actor);
  await checkInput(db, input);
  const [row] = await db
    .insert(webhookEndpoints)
    .values({ url: input.url, description: input.description, spaceId: input.space, events: input.events, secret: newWebhookSecret(), createdBy: actor.id })
    .returning({ id: webhookEndpoints.id });
  return { id: row!.id };
}

export async function updateEndpoint(db: Db, actor: Actor, endpointId: number, input: EndpointInput): Promise<void> {
  await loadEndpoint(db, actor, endpointId);
  await checkInput(db, input);
  await db.update(webhookEndpoints).set({ url: input.url, description: input.description, spaceId: input.space, events: input.events }).where(eq(webhookEndpoints.id, endpointId));
}

/**
 * Turns an endpoint on (its failures forgotten, what waited goes out) or off (nothing more is
 * written for it; what waits stays in line until it is on again).
 */
export async function setEndpointEnabled(db: Db, actor: Actor & { name: string }, endpointId: number, enabled: boolean): Promise<void> {
  await loadEndpoint(db, actor, endpointId);
  await db
    .update(webhookEndpoints)
    .set(
      enabled
        ? { enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0 }
        : { enabled: false, disabledAt: sql`now()`, disabledReason: `Turned off by ${actor.name}.` },
    )
    .where(eq(webhookEndpoints.id, endpointId));
  if (enabled) await db.execute(sql`select pg_notify(${WEBHOOK_CHANNEL}, '')`);
}

/** A new secret: the old one stops working at once (receivers must take the new one). */
export async function rotateEndpointSecret(db: Db, actor: Actor, endpointId: number): Promise<void> {
  await loadEndpoint(db, actor, endpointId);
  await db.update(webhookEndpoints).set({ secret: newWebhookSecret() }).where(eq(webhookEndpoints.id, endpointId));
}

/** Deletes an endpoint and its delivery log. */
export async function deleteEndpoint(db: Db, actor: Actor, endpointId: number): Promise<void> {
  await loadEndpoint(db, actor, endpointId);
  await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
}

/** "Send test event": a `webhook.test` delivery, signed like the rest, sent even when the endpoint is off. */
export async function sendTestEvent(db: Db, actor: Actor, endpointId: number): Promise<void> {
  const { endpoint } = await loadEndpoint(db, actor, endpointId);
  const body: WebhookTestBody = {
    type: TEST_EVENT_TYPE,
    timestamp: new Date().toISOString(),
    data: { endpoint: { id: endpoint.id, description: endpoint.description }, message: "A test event from Commons: if you can read this, deliveries reach you." },
  };
  await enqueueDeliveries(db, [{ endpointId: endpoint.id, messageId: newMessageId(), eventType: TEST_EVENT_TYPE, payload: body, test: true }]);
}
