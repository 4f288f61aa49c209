import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { href } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { startListenWorker } from "#db/listen-worker.ts";
import { chatConnections, spaces, users, webhookAttempts, webhookDeliveries, webhookEndpoints } from "#db/schema/index.ts";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";
import type { Logger } from "../../../server/logger.ts";
import { WEBHOOK_CHANNEL } from "./deliveries.server.ts";
import { type Allowlist, guardedLookup, loadAllowlist, parseDestination, refusedLiteral } from "./outbound.server.ts";

/**
 * The webhook worker: sends due deliveries (webhook endpoints and chat connections alike) and
 * records every attempt. Started by startCommons in every instance.
 *
 * - Claiming is one statement that pushes the rows' `available_at` a lease ahead
 *   (`FOR UPDATE SKIP LOCKED`), as the mailer does: instances share the work, and a crashed
 *   instance's rows come back when the lease ends. Only rows whose target is enabled are claimed
 *   (a test delivery goes even to a disabled endpoint, so the admin can check a fix first).
 * - Each request has a short deadline, follows no redirect, and connects only to public
 *   addresses unless allowlisted: the DNS answer is checked at connect time (outbound.server.ts).
 * - A 2xx marks the delivery done and resets its target's count of consecutive failures. Anything
 *   else is retried after 30 s, 1 min, 2 min ... (at most an hour between tries); after 10 attempts
 *   (about three hours) the delivery is dead, with Retry on the endpoint's page.
 * - A target whose delivery dies with nothing delivered to it since (10 failed attempts in a row
 *   or more) is disabled with the reason, and every active admin is mailed, once, in the same
 *   transaction as the disabling.
 */

export const WEBHOOK_DEFAULTS = {
  batchSize: 20,
  maxAttempts: 10,
  /** How long a claim holds its rows: longer than a send can take. */
  leaseMs: 60_000,
  backoffBaseMs: 30_000,
  backoffCapMs: 3_600_000,
  timeoutMs: 10_000,
} as const;

/** How much of a response body is kept on the attempt (and how much is read at most). */
const EXCERPT_CHARS = 500;
const READ_LIMIT_BYTES = 64 * 1024;

export const USER_AGENT = "Commons-Webhooks/1.0 (+https://www.standardwebhooks.com/)";

/** 30 s, 1 min, 2 min … at most an hour. */
export function webhookBackoffMs(attempts: number, baseMs: number = WEBHOOK_DEFAULTS.backoffBaseMs, capMs: number = WEBHOOK_DEFAULTS.backoffCapMs): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), capMs);
}

/** The Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 of "id.timestamp.body", keyed with the secret's base64 part. */
export function signWebhook(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${messageId}.${timestampSeconds}.${body}`).digest("base64")}`;
}

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string;
  durationMs: number;
}

/**
 * One POST: no redirects (a 3xx is a failure), a deadline for the whole exchange, at most 64 KB of
 * the answer read, and only to addresses the SSRF guard allows (checked on the very addresses
 * connected to). Never throws: everything that goes wrong is the attempt's error.
 */
export function postJson(target: string, body: string, headers: Record<string, string>, allowlist: Allowlist, timeoutMs: number): Promise<SendResult> {
  const started = Date.now();
  const done = (r: Omit<SendResult, "durationMs">): SendResult => ({ ...r, durationMs: Date.now() - started });
  const parsed = parseDestination(target);
  if (!parsed.ok) return Promise.resolve(done({ statusCode: null, error: parsed.reason, responseExcerpt: "" }));
  const url = parsed.url;
  const refused = refusedLiteral(url, allowlist);
  if (refused) return Promise.resolve(done({ statusCode: null, error: `Refused to connect: ${refused}`, responseExcerpt: "" }));

  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(done(r));
    };
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      agent: false,
      lookup: guardedLookup(allowlist) as never,
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": USER_AGENT, ...headers },
    });
    const deadline = setTimeout(() => request.destroy(Object.assign(new Error(`No answer within ${Math.round(timeoutMs / 100) / 10} s`), { code: "ETIMEDOUT" })), timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => finish({ statusCode: null, error: `${error.code ? `${error.code}: ` : ""}${error.message}`, responseExcerpt: "" }));
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = () => {
        const text = Buffer.concat(chunks).toString("utf8").slice(0, EXCERPT_CHARS);
        const error = status >= 200 && status < 300 ? null : status >= 300 && status < 400 ? `Redirect to ${response.headers.location ?? "(no location)"} not followed` : `HTTP ${status}`;
        finish({ statusCode: status, error, responseExcerpt: text });
      };
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= READ_LIMIT_BYTES) chunks.push(chunk);
        else {
          // Enough to show: stop reading a huge answer.
          answer();
          response.destroy();
        }
      });
      response.on("end", answer);
      response.on("error", answer);
      response.on("aborted", answer);
    });
    request.end(body);
  });
}

interface Claimed {
  id: number;
  endpointId: number | null;
  chatConnectionId: number | null;
  messageId: string;
  eventType: string;
  payload: unknown;
  test: boolean;
  attempts: number;
}

async function claim(db: Db, now: Date, batchSize: number, leaseMs: number): Promise<Claimed[]> {
  const at = now.toISOString();
  const rows = await db.execute<{
    id: number;
    endpoint_id: number | null;
    chat_connection_id: number | null;
    message_id: string;
    event_type: string;
    payload: unknown;
    test: boolean;
    attempts: number;
  }>(sql`
    update ${webhookDeliveries} set available_at = ${at}::timestamptz + make_interval(secs => ${leaseMs / 1000})
    where id in (
      select d.id from ${webhookDeliveries} d
      left join ${webhookEndpoints} e on e.id = d.endpoint_id
      left join ${chatConnections} c on c.id = d.chat_connection_id
      where d.status = 'pending' and d.available_at <= ${at}::timestamptz and (d.test or coalesce(e.enabled, c.enabled, false))
      order by d.available_at, d.id
      limit ${batchSize}
      for update of d skip locked
    )
    returning id, endpoint_id, chat_connection_id, message_id, event_type, payload, test, attempts`);
  return rows
    .map((r) => ({
      id: Number(r.id),
      endpointId: r.endpoint_id === null ? null : Number(r.endpoint_id),
      chatConnectionId: r.chat_connection_id === null ? null : Number(r.chat_connection_id),
      messageId: r.message_id,
      eventType: r.event_type,
      payload: r.payload,
      test: r.test,
      attempts: Number(r.attempts),
    }))
    .sort((a, b) => a.id - b.id);
}

type Target = { kind: "endpoint"; id: number; url: string; secret: string; label: string } | { kind: "chat"; id: number; url: string; label: string };

async function targetsOf(db: Db, rows: Claimed[]): Promise<Map<string, Target>> {
  const endpointIds = [...new Set(rows.flatMap((r) => (r.endpointId === null ? [] : [r.endpointId])))];
  const chatIds = [...new Set(rows.flatMap((r) => (r.chatConnectionId === null ? [] : [r.chatConnectionId])))];
  const [endpoints, chats] = await Promise.all([
    endpointIds.length > 0
      ? db
          .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, secret: webhookEndpoints.secret, description: webhookEndpoints.description })
          .from(webhookEndpoints)
          .where(inArray(webhookEndpoints.id, endpointIds))
      : [],
    chatIds.length > 0
      ? db
          .select({ id: chatConnections.id, url: chatConnections.url, label: chatConnections.label, platform: chatConnections.platform, space: spaces.name })
          .from(chatConnections)
          .innerJoin(spaces, eq(spaces.id, chatConnections.spaceId))
          .where(inArray(chatConnections.id, chatIds))
      : [],
  ]);
  const map = new Map<string, Target>();
  for (const e of endpoints) map.set(`endpoint:${e.id}`, { kind: "endpoint", id: e.id, url: e.url, secret: e.secret, label: e.description || new URL(e.url).host });
  for (const c of chats)
    map.set(`chat:${c.id}`, {
      kind: "chat",
      id: c.id,
      url: c.url,
      label: `${c.platform === "slack" ? "Slack" : "Microsoft Teams"} connection${c.label ? ` “${c.label}”` : ""} of ${c.space}`,
    });
  return map;
}

/** Every active admin is told, once, that a target was turned off (in the transaction that turns it off). */
async function mailAdmins(tx: Tx, target: Target, reason: string): Promise<void> {
  const admins = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.kind, "employee"), isNull(users.deactivatedAt)));
  const what = target.kind === "endpoint" ? `The webhook endpoint ${target.label}` : `The ${target.label}`;
  const url = appUrl(
    target.kind === "endpoint"
      ? href("/admin/integrations/webhooks/:endpointId", { endpointId: String(target.id) })
      : href("/admin/integrations/chat/:connectionId", { connectionId: String(target.id) }),
  );
  await enqueueMail(
    tx,
    ...admins.map((admin) =>
      renderMail({
        to: admin.email,
        userId: admin.id,
        template: "webhook-disabled",
        subject: target.kind === "endpoint" ? "a webhook endpoint was turned off" : "a chat connection was turned off",
        reason: "You get this because you are an admin of Commons.",
        greeting: `Hello ${admin.name},`,
        paragraphs: [
          `${what} was turned off after repeated failed deliveries. ${reason}`,
          "Nothing more is sent to it until an admin turns it back on. Deliveries that were waiting stay in line and go out then.",
        ],
        action: { label: target.kind === "endpoint" ? "Open the endpoint" : "Open the connection", url },
      }),
    ),
  );
}

type Outcome = "sent" | "failed" | "dead";

/** Records one attempt and its consequences in one transaction. */
async function record(db: Db, row: Claimed, target: Target | undefined, result: SendResult, now: Date, o: Settings): Promise<Outcome> {
  return db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({
      deliveryId: row.id,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      error: result.error?.slice(0, 2000) ?? null,
      responseExcerpt: result.responseExcerpt,
    });
    const attempts = row.attempts + 1;
    const ok = result.error === null;
    const dead = !ok && attempts >= o.maxAttempts;
    await tx
      .update(webhookDeliveries)
      .set(
        ok
          ? { status: "done", attempts, lastStatus: result.statusCode, lastError: null, deliveredAt: sql`now()` }
          : {
              status: dead ? "dead" : "pending",
              attempts,
              lastStatus: result.statusCode,
              lastError: result.error!.slice(0, 2000),
              availableAt: new Date(now.getTime() + webhookBackoffMs(attempts, o.backoffBaseMs, o.backoffCapMs)),
            },
      )
      .where(and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.status, "pending")));
    // A test says nothing about the endpoint's real traffic: it moves no counter.
    if (!target || row.test) return ok ? "sent" : dead ? "dead" : "failed";
    const table = target.kind === "endpoint" ? webhookEndpoints : chatConnections;
    if (ok) {
      await tx.update(table).set({ consecutiveFailures: 0 }).where(eq(table.id, target.id));
      return "sent";
    }
    const [counted] = await tx
      .update(table)
      .set({ consecutiveFailures: sql`${table.consecutiveFailures} + 1` })
      .where(eq(table.id, target.id))
      .returning({ failures: table.consecutiveFailures });
    // Turned off when a delivery dies and nothing got through while it was tried (as many failures in a row as it had attempts).
    if (dead && (counted?.failures ?? 0) >= o.maxAttempts) {
      const reason = `${counted!.failures} attempts in a row failed; the last one: ${result.error}.`;
      // Only the transaction that turns it off mails the admins: a second dying delivery finds it off already.
      const [turnedOff] = await tx
        .update(table)
        .set({ enabled: false, disabledAt: sql`now()`, disabledReason: reason.slice(0, 1000) })
        .where(and(eq(table.id, target.id), eq(table.enabled, true)))
        .returning({ id: table.id });
      if (turnedOff) await mailAdmins(tx, target, reason);
    }
    return dead ? "dead" : "failed";
  });
}

function requestFor(row: Claimed, target: Target): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(row.payload);
  // Slack's and Teams' incoming webhooks verify nothing: chat gets the bare payload.
  if (target.kind === "chat") return { body, headers: {} };
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: { "webhook-id": row.messageId, "webhook-timestamp": String(timestamp), "webhook-signature": signWebhook(target.secret, row.messageId, timestamp, body) },
  };
}

type Settings = { -readonly [K in keyof typeof WEBHOOK_DEFAULTS]: number };

export interface DeliverOptions {
  /** The clock for what is due and when retries come (tests move it forward). */
  now?: Date;
  /** Each request's deadline. */
  timeoutMs?: number;
  batchSize?: number;
  maxAttempts?: number;
}

/**
 * One round: claims up to a batch of due deliveries, sends them side by side and records each
 * outcome. What B2's chat tests and the worker call.
 */
export async function deliverDueOnce(db: Db, options: DeliverOptions = {}): Promise<{ sent: number; failed: number; dead: number; claimed: number }> {
  const o: Settings = { ...WEBHOOK_DEFAULTS };
  for (const key of ["timeoutMs", "batchSize", "maxAttempts"] as const) if (options[key] !== undefined) o[key] = options[key];
  const now = options.now ?? new Date();
  const rows = await claim(db, now, o.batchSize, o.leaseMs);
  const result = { sent: 0, failed: 0, dead: 0, claimed: rows.length };
  if (rows.length === 0) return result;
  const [targets, allowlist] = await Promise.all([targetsOf(db, rows), loadAllowlist(db)]);
  const outcomes = await Promise.all(
    rows.map(async (row) => {
      const target = targets.get(row.endpointId !== null ? `endpoint:${row.endpointId}` : `chat:${row.chatConnectionId}`);
      if (!target) return record(db, row, undefined, { statusCode: null, error: "The endpoint no longer exists", responseExcerpt: "", durationMs: 0 }, now, { ...o, maxAttempts: 1 });
      const { body, headers } = requestFor(row, target);
      const sent = await postJson(target.url, body, headers, allowlist, o.timeoutMs);
      return record(db, row, target, sent, now, o);
    }),
  );
  for (const outcome of outcomes) result[outcome] += 1;
  return result;
}

/** Delivers webhooks and chat messages from their outbox (issue 21). Returns its stop. */
export function startWebhookWorker(db: Db, options: { databaseUrl: string; log: Logger; pollMs?: number }): () => Promise<void> {
  return startListenWorker({
    databaseUrl: options.databaseUrl,
    channel: WEBHOOK_CHANNEL,
    pollMs: options.pollMs ?? 5000,
    name: "webhooks",
    log: options.log,
    work: async (stopped) => {
      let failed = 0;
      while (!stopped()) {
        const r = await deliverDueOnce(db);
        failed += r.failed + r.dead;
        if (r.claimed === 0) break;
      }
      if (failed > 0) options.log.warn({ failed }, "webhooks: some deliveries failed, will retry");
    },
  });
}
