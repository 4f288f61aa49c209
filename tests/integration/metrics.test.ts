import { createServer, type Server } from "node:http";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import express, { Router } from "express";
import { pino } from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiToken } from "#app/features/api-tokens/tokens.server.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { heapAfterGc } from "#app/features/metrics/heap.server.ts";
import { createMetrics } from "#app/features/metrics/metrics.server.ts";
import { ConfigError, parseEnv } from "#app/lib/env.server.ts";
import { chatConnections, expertiseOutbox, mailOutbox, outbox, webhookAttempts, webhookDeliveries, webhookEndpoints } from "#db/schema/index.ts";
import { createMeiliClient } from "#search/client.server.ts";
import type { Logger } from "../../server/logger.ts";
import { setupTestDb, testMeili } from "../db.ts";
import { createSpace, createUser } from "../factories/index.ts";

/**
 * /metrics (issue 21): request durations by route pattern through a real Express app, the token
 * that guards the endpoint, and the gauges read from rows in a real database.
 */

const t = setupTestDb();
const TOKEN = "metrics-token-for-tests-0123456789";
/** What the metrics logged at warn and above, for the tests to read. */
const warnings: Record<string, unknown>[] = [];

/** What createMetrics is given by server/main.ts; `token: null` leaves METRICS_TOKEN unset. */
function deps(token: string | null = TOKEN) {
  const meili = testMeili();
  return {
    db: t.db,
    search: createMeiliClient(meili.url, meili.key),
    log: pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line) as Record<string, unknown>) }) as Logger,
    env: parseEnv(token === null ? {} : { METRICS_TOKEN: token }),
  };
}

type Metrics = ReturnType<typeof createMetrics>;

/**
 * An Express app laid out like server/main.ts: the timer first, /metrics, a service router
 * (standing in for /api/v1), and a catch-all standing in for React Router (it answers 404 under
 * /missing and 500 under /boom).
 */
async function serve(metrics: Metrics): Promise<{ base: string; server: Server }> {
  const app = express();
  app.use(metrics.requestTimer);
  app.get("/metrics", metrics.handler);
  const api = Router();
  api.use((req, res, next) => (req.get("x-refuse") ? void res.status(401).json({ error: "no token" }) : next()));
  api.get("/questions/:id", (req, res) => void res.json({ id: req.params.id }));
  app.use("/api/v1", api);
  app.all("/{*splat}", async (req, res) => {
    if (req.path.startsWith("/slow")) await new Promise((resolve) => setTimeout(resolve, 500));
    if (res.destroyed) return;
    const status = req.path.startsWith("/missing") ? 404 : req.path.startsWith("/boom") ? 500 : req.method === "POST" ? 303 : 200;
    res.status(status).type("text/plain").send("page");
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parseExposition(text: string): Sample[] {
  return text
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not an exposition line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, raw] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = raw!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The value of the one sample named `name` with these labels (undefined when there is none). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

async function scrape(base: string, token = TOKEN): Promise<Sample[]> {
  const response = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function started(options: { token?: string | null; queryTimeoutMs?: number } = {}) {
  const metrics = createMetrics(deps(options.token), { queryTimeoutMs: options.queryTimeoutMs });
  const running = await serve(metrics);
  servers.push(running.server);
  return running.base;
}

describe("request durations", () => {
  test("a request is counted under its route's pattern, method and status class", async () => {
    const base = await started();
    await fetch(`${base}/questions/123/some-slug`);
    await fetch(`${base}/questions/123/another-slug`);
    await fetch(`${base}/questions/456`);
    await fetch(`${base}/questions/123/close`, { method: "POST" });
    await fetch(`${base}/reset-password/a-secret-reset-token`);
    await fetch(`${base}/api/v1/questions/7`);
    await fetch(`${base}/api/v1/questions/7`, { headers: { "x-refuse": "1" } });
    await fetch(`${base}/assets/entry.client-Ab12Cd.js`);
    await fetch(`${base}/missing/thing`);
    await fetch(`${base}/boom/now`);
    const samples = await scrape(base);
    const count = (route: string, method: string, status_class: string) => valueOf(samples, "commons_http_request_duration_seconds_count", { route, method, status_class });
    expect(count("/questions/:questionId/:slug?", "GET", "2xx")).toBe(3);
    expect(count("/questions/:questionId/close", "POST", "3xx")).toBe(1);
    expect(count("/reset-password/:token", "GET", "2xx")).toBe(1);
    expect(count("/api/v1/questions/:id", "GET", "2xx")).toBe(1);
    // Refused before any endpoint took it: named by the service's mount.
    expect(count("/api/v1/*", "GET", "4xx")).toBe(1);
    expect(count("/assets/*", "GET", "2xx")).toBe(1);
    expect(count("other", "GET", "4xx")).toBe(1);
    expect(count("other", "GET", "5xx")).toBe(1);
    // The scrape itself is not traffic; a secret in a path never becomes a label.
    expect(samples.some((s) => s.labels.route === "/metrics")).toBe(false);
    expect(samples.some((s) => Object.values(s.labels).some((v) => /secret|some-slug|123|Ab12Cd/.test(v)))).toBe(false);
    // Buckets are cumulative and end at +Inf with the count.
    expect(valueOf(samples, "commons_http_request_duration_seconds_bucket", { route: "/questions/:questionId/:slug?", method: "GET", status_class: "2xx", le: "+Inf" })).toBe(3);
  });

  test("a client that leaves before any answer is counted as aborted", async () => {
    const base = await started();
    await expect(fetch(`${base}/slow/page`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await expect
      .poll(async () => valueOf(await scrape(base), "commons_http_request_duration_seconds_count", { route: "other", method: "GET", status_class: "aborted" }), { timeout: 5_000 })
      .toBe(1);
  });

  test("1,000 random paths make a handful of route labels", async () => {
    const base = await started();
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const word = () =>
      Math.random()
        .toString(36)
        .slice(2, 2 + 1 + random(12));
    const shapes = [
      () => `/questions/${random(1e6)}/${word()}`,
      () => `/questions/${random(1e6)}`,
      () => `/tags/${word()}`,
      () => `/people/${random(1e6)}`,
      () => `/reset-password/${word()}${word()}`,
      () => `/uploads/${word()}/${word()}.png`,
      () => `/assets/${word()}.js`,
      () => `/api/v1/${word()}/${random(100)}`,
      () => `/${word()}`,
      () => `/${word()}/${word()}/${word()}`,
    ];
    const paths = Array.from({ length: 1000 }, () => shapes[random(shapes.length)]!());
    // In batches, as a crawler would send them.
    for (let i = 0; i < paths.length; i += 50) await Promise.all(paths.slice(i, i + 50).map((p) => fetch(`${base}${p}`).then((r) => r.arrayBuffer())));
    const samples = await scrape(base);
    const counts = samples.filter((s) => s.name === "commons_http_request_duration_seconds_count");
    const routes = new Set(counts.map((s) => s.labels.route));
    expect(routes.size).toBeLessThanOrEqual(10);
    expect([...routes].sort()).toEqual(
      ["/api/v1/*", "/assets/*", "/people/:userId", "/questions/:questionId/:slug?", "/reset-password/:token", "/tags/:name", "/uploads/:key/:filename?", "other"].filter((r) =>
        routes.has(r),
      ),
    );
    expect(counts.reduce((sum, s) => sum + s.value, 0)).toBe(1000);
  }, 60_000);
});

describe("who may scrape", () => {
  test("without METRICS_TOKEN, /metrics is off: 404", async () => {
    const base = await started({ token: null });
    const attempts: Record<string, string>[] = [{}, { Authorization: `Bearer ${TOKEN}` }];
    for (const headers of attempts) {
      const response = await fetch(`${base}/metrics`, { headers });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("commons_");
    }
  });

  test("a missing, wrong or malformed token is a 401, and so is every session and personal access token", async () => {
    const base = await started();
    const admin = await createUser(t.db, {}, "admin");
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    await createSpace(t.db, { members: [member] }, "restricted");
    const customer = await createUser(t.db, {}, "customer");
    const deactivated = await createUser(t.db, {}, "deactivated");
    const cookies = await Promise.all([admin, member, outsider, customer, deactivated].map(async (u) => `${SESSION_COOKIE}=${(await createSession(t.db, u.id)).token}`));
    const { token: personal } = await createApiToken(t.db, admin.id, { name: "ops", scope: "write", expiresInDays: 7 });
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: "Bearer " },
      { Authorization: `Bearer ${TOKEN}x` },
      { Authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { Authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString("base64")}` },
      { Authorization: `Bearer ${TOKEN} extra` },
      { Authorization: `Bearer ${"x".repeat(6000)}` },
      { Authorization: `Bearer ${personal}` },
      ...cookies.map((cookie) => ({ Cookie: cookie })),
    ];
    for (const headers of attempts) {
      const response = await fetch(`${base}/metrics`, { headers });
      expect(response.status, JSON.stringify(headers).slice(0, 80)).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain("commons_");
    }
  });

  test("the right token gets the exposition, in the registry's content type", async () => {
    const base = await started();
    const response = await fetch(`${base}/metrics`, { headers: { Authorization: `bearer  ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8/i);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const samples = parseExposition(await response.text());
    // Node's own metrics, with the commons_ prefix.
    expect(valueOf(samples, "commons_process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(samples.some((s) => s.name.startsWith("commons_nodejs_eventloop_lag"))).toBe(true);
    expect(samples.some((s) => s.name.startsWith("commons_nodejs_heap_size_total_bytes"))).toBe(true);
  });

  test("the heap after a full collection: what the collection left, and one more collection counted", async () => {
    const base = await started();
    const before = valueOf(await scrape(base), "commons_nodejs_major_gc_total") ?? 0;
    // A full collection on demand, without starting the test process with --expose-gc.
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    // Garbage to collect, so the live set is measurably below the heap used before it: made and
    // dropped in a function of its own, so nothing here still holds it.
    const usedWithGarbage = ((garbage: string[]) => garbage.length && v8.getHeapStatistics().used_heap_size)(Array.from({ length: 200_000 }, (_, i) => `garbage ${i}`));
    const majorsBefore = heapAfterGc().majorCollections;
    gc();
    // The observer hears of it once the entries are delivered, after this turn of the loop.
    await expect.poll(() => heapAfterGc().majorCollections, { timeout: 2_000 }).toBeGreaterThan(majorsBefore);
    const samples = await scrape(base);
    const after = valueOf(samples, "commons_nodejs_heap_used_after_major_gc_bytes")!;
    expect(after).toBe(heapAfterGc().usedBytes);
    expect(after).toBeLessThan(usedWithGarbage - 5 * 1024 * 1024);
    expect(after).toBeLessThanOrEqual(valueOf(samples, "commons_nodejs_heap_size_total_bytes")!);
    expect(valueOf(samples, "commons_nodejs_major_gc_total")).toBeGreaterThan(before);
  });

  test("METRICS_TOKEN must be 16 characters or more", () => {
    expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(ConfigError);
    expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
    expect(parseEnv({ METRICS_TOKEN: "" }).METRICS_TOKEN).toBeUndefined();
  });
});

describe("gauges from the database", () => {
  const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

  beforeAll(async () => {
    // Factories queue search and expertise work; start these tables from nothing known.
    await t.db.delete(outbox);
    await t.db.delete(expertiseOutbox);
  });

  test("outbox backlogs, lag, dead letters, webhook failures, disabled targets and connections", async () => {
    const author = await createUser(t.db);
    const other = await createUser(t.db);
    const space = await createSpace(t.db, { members: [author] });
    await t.db.delete(outbox);
    await t.db.delete(expertiseOutbox);

    await t.db.insert(outbox).values([
      { kind: "question", itemId: 1, createdAt: minutesAgo(10) },
      { kind: "question", itemId: 2 },
      { kind: "person", itemId: 3, status: "dead", attempts: 8 },
      { kind: "person", itemId: 4, status: "done", createdAt: minutesAgo(600) },
    ]);
    const mail = (n: number, status: "pending" | "dead" | "done", createdAt = new Date()) => ({
      to: `p${n}@northwind.example`,
      template: "test",
      subject: "s",
      text: "t",
      html: "<p>t</p>",
      messageId: `<metrics-${n}@commons>`,
      status,
      createdAt,
    });
    await t.db.insert(mailOutbox).values([mail(1, "pending", minutesAgo(3)), mail(2, "dead"), mail(3, "dead"), mail(4, "done", minutesAgo(900))]);

    const [endpoint] = await t.db
      .insert(webhookEndpoints)
      .values({ url: "https://hooks.example.com/in", events: ["question.created"], secret: "whsec_test" })
      .returning();
    await t.db
      .insert(webhookEndpoints)
      .values({ url: "https://hooks.example.com/off", events: ["question.created"], secret: "whsec_test", enabled: false, disabledAt: new Date(), disabledReason: "failed 10 times" });
    const [connection] = await t.db
      .insert(chatConnections)
      .values({ spaceId: space.id, platform: "slack", url: "https://hooks.slack.example/T1", events: ["question.created"] })
      .returning();
    const delivery = (n: number, target: { endpointId?: number; chatConnectionId?: number }, status: "pending" | "dead" | "done", createdAt = new Date()) => ({
      ...target,
      messageId: `msg_metrics_${n}`,
      eventType: "question.created",
      payload: {},
      status,
      createdAt,
    });
    const deliveries = await t.db
      .insert(webhookDeliveries)
      .values([
        delivery(1, { endpointId: endpoint!.id }, "pending", minutesAgo(20)),
        delivery(2, { endpointId: endpoint!.id }, "pending"),
        delivery(3, { endpointId: endpoint!.id }, "dead"),
        delivery(4, { chatConnectionId: connection!.id }, "pending", minutesAgo(1)),
        delivery(5, { chatConnectionId: connection!.id }, "done"),
      ])
      .returning();
    const [d1, , d3, , d5] = deliveries;
    await t.db.insert(webhookAttempts).values([
      { deliveryId: d1!.id, statusCode: 500, durationMs: 12 },
      { deliveryId: d1!.id, statusCode: null, durationMs: 5000, error: "timed out" },
      { deliveryId: d3!.id, statusCode: 410, durationMs: 8 },
      { deliveryId: d3!.id, statusCode: 200, durationMs: 8 },
      // Older than an hour: not counted.
      { deliveryId: d3!.id, statusCode: 500, durationMs: 8, attemptedAt: minutesAgo(90) },
      { deliveryId: d5!.id, statusCode: 200, durationMs: 30 },
      { deliveryId: d5!.id, statusCode: 503, durationMs: 30 },
    ]);
    await t.db.insert(expertiseOutbox).values([
      { userId: author.id, queuedAt: minutesAgo(5) },
      { userId: other.id, queuedAt: minutesAgo(1) },
    ]);

    const samples = await scrape(await started());
    const queue = (name: string, q: string) => valueOf(samples, name, { queue: q });
    expect(queue("commons_outbox_pending", "search")).toBe(2);
    expect(queue("commons_outbox_dead", "search")).toBe(1);
    expect(queue("commons_outbox_oldest_pending_seconds", "search")).toBeGreaterThanOrEqual(599);
    expect(queue("commons_outbox_oldest_pending_seconds", "search")).toBeLessThan(700);
    expect(queue("commons_outbox_pending", "mail")).toBe(1);
    expect(queue("commons_outbox_dead", "mail")).toBe(2);
    expect(queue("commons_outbox_oldest_pending_seconds", "mail")).toBeGreaterThanOrEqual(179);
    expect(queue("commons_outbox_oldest_pending_seconds", "mail")).toBeLessThan(280);
    expect(queue("commons_outbox_pending", "webhook")).toBe(2);
    expect(queue("commons_outbox_dead", "webhook")).toBe(1);
    expect(queue("commons_outbox_oldest_pending_seconds", "webhook")).toBeGreaterThanOrEqual(1199);
    expect(queue("commons_outbox_pending", "chat")).toBe(1);
    expect(queue("commons_outbox_dead", "chat")).toBe(0);
    expect(queue("commons_outbox_oldest_pending_seconds", "chat")).toBeGreaterThanOrEqual(59);
    expect(queue("commons_outbox_pending", "expertise")).toBe(2);
    expect(queue("commons_outbox_oldest_pending_seconds", "expertise")).toBeGreaterThanOrEqual(299);
    expect(queue("commons_outbox_dead", "expertise")).toBeUndefined();

    const attempts = (target: string, outcome: string) => valueOf(samples, "commons_webhook_attempts_last_hour", { target, outcome });
    expect(attempts("webhook", "failure")).toBe(3);
    expect(attempts("webhook", "success")).toBe(1);
    expect(attempts("chat", "failure")).toBe(1);
    expect(attempts("chat", "success")).toBe(1);

    const targets = (target: string, state: string) => valueOf(samples, "commons_webhook_targets", { target, state });
    expect(targets("webhook", "enabled")).toBe(1);
    expect(targets("webhook", "disabled")).toBe(1);
    expect(targets("chat", "enabled")).toBe(1);
    expect(targets("chat", "disabled")).toBe(0);

    // This file's pool (tests/db.ts opens it with max 5), and at least the connection that asked.
    expect(valueOf(samples, "commons_db_pool_max")).toBe(5);
    expect(valueOf(samples, "commons_db_connections", { state: "active" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, "commons_db_connections", { state: "idle in transaction" })).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, "commons_metrics_scrape_errors")).toBe(0);

    // Delivered and sent: the numbers follow the rows at the next scrape.
    await t.db.update(mailOutbox).set({ status: "done" });
    const after = await scrape(await started());
    expect(valueOf(after, "commons_outbox_pending", { queue: "mail" })).toBe(0);
    expect(valueOf(after, "commons_outbox_dead", { queue: "mail" })).toBe(0);
    expect(valueOf(after, "commons_outbox_oldest_pending_seconds", { queue: "mail" })).toBe(0);
  });

  test("a query that outlasts its timeout is cancelled, its gauges left out and counted, and the scrape still answers", async () => {
    const base = await started({ queryTimeoutMs: 300 });
    // Another session holds the mail outbox locked, as a long migration would.
    const locker = postgres(t.url, { max: 1, onnotice: () => {} });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const transaction = locker.begin(async (tx) => {
      await tx`lock table mail_outbox in access exclusive mode`;
      locked();
      await held;
    });
    try {
      await isLocked;
      const started = Date.now();
      const samples = await scrape(base);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(valueOf(samples, "commons_metrics_scrape_errors")).toBe(1);
      expect(warnings.at(-1)).toMatchObject({ query: "mail", msg: "metrics: a gauge query failed; its gauges are left out of this scrape" });
      expect(valueOf(samples, "commons_outbox_pending", { queue: "mail" })).toBeUndefined();
      expect(valueOf(samples, "commons_outbox_dead", { queue: "mail" })).toBeUndefined();
      for (const queue of ["search", "webhook", "chat", "expertise"]) expect(valueOf(samples, "commons_outbox_pending", { queue }), queue).toBeTypeOf("number");
      expect(valueOf(samples, "commons_webhook_targets", { target: "webhook", state: "enabled" })).toBeTypeOf("number");
      expect(valueOf(samples, "commons_db_connections", { state: "active" })).toBeGreaterThanOrEqual(1);
      expect(valueOf(samples, "commons_http_request_duration_seconds_count", { route: "/questions/:questionId/:slug?" })).toBeUndefined();
      // Cancelled in PostgreSQL, not left waiting for the lock.
      await expect
        .poll(async () => (await t.db.execute<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0]!.n, {
          timeout: 5_000,
        })
        .toBe(0);
    } finally {
      release();
      await transaction;
      await locker.end();
    }
    // With the lock gone, the next scrape is whole again.
    const samples = await scrape(base);
    expect(valueOf(samples, "commons_metrics_scrape_errors")).toBe(0);
    expect(valueOf(samples, "commons_outbox_pending", { queue: "mail" })).toBeTypeOf("number");
  });
});
