import { Gauge, type Registry } from "prom-client";
import type { Db } from "#db/client.server.ts";
import type { Logger } from "../../../server/logger.ts";

/**
 * The gauges read from PostgreSQL when Prometheus scrapes: the outboxes' backlogs, webhook and
 * chat failures, and the database's connections (docs/metrics.md lists them). Each is one small
 * query; they run a few at a time in parallel, and PostgreSQL cancels each after a timeout, so a
 * slow or locked database costs a scrape seconds at most and never piles up queries. A query that
 * fails or times out drops only its own series (stale numbers would look like real ones) and
 * counts in `commons_metrics_scrape_errors`; the scrape still answers with everything else.
 */

/** How many gauge queries run at once: a scrape never takes more of the app's pool than this. */
const PARALLEL_QUERIES = 4;
/** How long after the statement timeout a probe gives up waiting for PostgreSQL's answer (a connection that cannot be made). */
const BACKSTOP_MS = 1_000;

/** Queues whose backlog is measured (the `queue` label). The expertise outbox has no dead letters. */
export type QueueName = "search" | "mail" | "webhook" | "chat" | "expertise";

/** The connection states pg_stat_activity reports, always exported (0 when none) so a graph has no gaps. */
const CONNECTION_STATES = ["active", "idle", "idle in transaction", "idle in transaction (aborted)", "fastpath function call", "disabled"];

interface Probe {
  name: string;
  /** Plain SQL text with no parameters (postgres.js prepares it after its first run). */
  text: string;
  apply: (rows: Record<string, unknown>[]) => void;
  /** Removes this probe's series when its query failed. */
  clear: () => void;
}

/** Seconds, never negative, 0 when nothing waits (the age comes back null for an empty queue). */
function seconds(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? Math.max(0, n) : 0;
}

function count(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** Pending, dead and the oldest pending row's age, in the same form (and on the same partial indexes) as db/outbox-queue.ts `queueHealth`. */
function queueHealthSql(table: string): string {
  return `select count(*) filter (where status = 'pending')::int as pending,
       count(*) filter (where status = 'dead')::int as dead,
       extract(epoch from now() - min(created_at) filter (where status = 'pending'))::float8 as oldest
  from ${table} where status = 'pending' or status = 'dead'`;
}

export interface DbGauges {
  /** Runs every query and sets the gauges; resolves when all have answered, failed or timed out. */
  refresh: () => Promise<void>;
}

export function createDbGauges(db: Db, registry: Registry, log: Logger, options: { queryTimeoutMs: number }): DbGauges {
  const registers = [registry];
  const pending = new Gauge({ name: "commons_outbox_pending", help: "Rows waiting in an outbox (search, mail, webhook, chat, expertise).", labelNames: ["queue"], registers });
  const oldest = new Gauge({
    name: "commons_outbox_oldest_pending_seconds",
    help: "Age of the oldest row still waiting in an outbox: how far behind the queue is (0 when it is empty).",
    labelNames: ["queue"],
    registers,
  });
  const dead = new Gauge({ name: "commons_outbox_dead", help: "Dead letters: rows an outbox gave up on after its retries, until an admin retries them.", labelNames: ["queue"], registers });
  const attempts = new Gauge({
    name: "commons_webhook_attempts_last_hour",
    help: "Webhook and chat delivery attempts in the last hour, by outcome (failure: no answer or a status outside 2xx).",
    labelNames: ["target", "outcome"],
    registers,
  });
  const targets = new Gauge({
    name: "commons_webhook_targets",
    help: "Webhook endpoints and chat connections, enabled or disabled (after repeated failure, or by an admin).",
    labelNames: ["target", "state"],
    registers,
  });
  const connections = new Gauge({
    name: "commons_db_connections",
    help: "Connections to this database by state (pg_stat_activity), from every client: this instance's pool, other instances, the forum, scripts.",
    labelNames: ["state"],
    registers,
  });
  const poolMax = new Gauge({ name: "commons_db_pool_max", help: "The most connections this instance's pool opens to PostgreSQL.", registers });
  const errors = new Gauge({ name: "commons_metrics_scrape_errors", help: "Queries of this scrape that failed or timed out (their gauges are left out).", registers });

  const maxConnections = (db.$client as { options?: { max?: number } }).options?.max;
  if (typeof maxConnections === "number") poolMax.set(maxConnections);

  const queue = (name: QueueName, table: string): Probe => ({
    name,
    text: queueHealthSql(table),
    apply: ([row]) => {
      pending.set({ queue: name }, count(row?.pending));
      dead.set({ queue: name }, count(row?.dead));
      oldest.set({ queue: name }, seconds(row?.oldest));
    },
    clear: () => {
      for (const gauge of [pending, dead, oldest]) gauge.remove({ queue: name });
    },
  });

  const probes: Probe[] = [
    queue("search", "outbox"),
    queue("mail", "mail_outbox"),
    {
      name: "deliveries",
      // One table for both: a chat delivery names a connection, a webhook delivery an endpoint.
      text: `select case when endpoint_id is null then 'chat' else 'webhook' end as target,
       count(*) filter (where status = 'pending')::int as pending,
       count(*) filter (where status = 'dead')::int as dead,
       extract(epoch from now() - min(created_at) filter (where status = 'pending'))::float8 as oldest
  from webhook_deliveries where status <> 'done' group by 1`,
      apply: (rows) => {
        for (const target of ["webhook", "chat"] as const) {
          const row = rows.find((r) => r.target === target);
          pending.set({ queue: target }, count(row?.pending));
          dead.set({ queue: target }, count(row?.dead));
          oldest.set({ queue: target }, seconds(row?.oldest));
        }
      },
      clear: () => {
        for (const gauge of [pending, dead, oldest]) for (const target of ["webhook", "chat"]) gauge.remove({ queue: target });
      },
    },
    {
      name: "expertise",
      text: `select count(*)::int as pending, extract(epoch from now() - min(queued_at))::float8 as oldest from expertise_outbox`,
      apply: ([row]) => {
        pending.set({ queue: "expertise" }, count(row?.pending));
        oldest.set({ queue: "expertise" }, seconds(row?.oldest));
      },
      clear: () => {
        pending.remove({ queue: "expertise" });
        oldest.remove({ queue: "expertise" });
      },
    },
    {
      name: "attempts",
      text: `select case when d.endpoint_id is null then 'chat' else 'webhook' end as target,
       count(*) filter (where a.status_code between 200 and 299)::int as success,
       count(*) filter (where a.status_code is null or a.status_code not between 200 and 299)::int as failure
  from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
  where a.attempted_at > now() - interval '1 hour' group by 1`,
      apply: (rows) => {
        for (const target of ["webhook", "chat"]) {
          const row = rows.find((r) => r.target === target);
          attempts.set({ target, outcome: "success" }, count(row?.success));
          attempts.set({ target, outcome: "failure" }, count(row?.failure));
        }
      },
      clear: () => attempts.reset(),
    },
    {
      name: "targets",
      text: `select 'webhook' as target, enabled, count(*)::int as n from webhook_endpoints group by enabled
union all
select 'chat' as target, enabled, count(*)::int as n from chat_connections group by enabled`,
      apply: (rows) => {
        for (const target of ["webhook", "chat"]) {
          for (const enabled of [true, false]) {
            const row = rows.find((r) => r.target === target && r.enabled === enabled);
            targets.set({ target, state: enabled ? "enabled" : "disabled" }, count(row?.n));
          }
        }
      },
      clear: () => targets.reset(),
    },
    {
      name: "connections",
      // Without pg_read_all_stats, another role's connections show no state: they count as "unknown".
      text: `select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity where datname = current_database() group by 1`,
      apply: (rows) => {
        connections.reset();
        for (const state of CONNECTION_STATES) connections.set({ state }, 0);
        for (const row of rows) connections.set({ state: String(row.state) }, count(row.n));
      },
      clear: () => connections.reset(),
    },
  ];

  /**
   * One probe's query, in a transaction of its own with a statement timeout: PostgreSQL itself
   * cancels a query that waits too long (on a lock, say), and while it waits its connection is the
   * probe's alone, so no other query is pipelined behind it (postgres.js pipelines onto busy
   * connections, never onto one in a transaction). A timer answers for the probe even when the
   * database cannot be reached at all.
   */
  async function run(probe: Probe): Promise<boolean> {
    const ms = Math.max(1, Math.trunc(options.queryTimeoutMs));
    const query = db.$client.begin(async (tx) => {
      await tx.unsafe(`set local statement_timeout = ${ms}`);
      return tx.unsafe(probe.text);
    });
    let timer: NodeJS.Timeout | undefined;
    const backstop = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from PostgreSQL within ${ms + BACKSTOP_MS} ms`)), ms + BACKSTOP_MS);
    });
    try {
      const rows = (await Promise.race([query, backstop])) as unknown as Record<string, unknown>[];
      probe.apply(rows);
      return true;
    } catch (error) {
      probe.clear();
      log.warn({ err: error, query: probe.name }, "metrics: a gauge query failed; its gauges are left out of this scrape");
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async refresh() {
      // A few at a time: each holds a connection of the app's pool while it runs.
      const results: boolean[] = [];
      let next = 0;
      const worker = async () => {
        while (next < probes.length) {
          const i = next++;
          results[i] = await run(probes[i]!);
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL_QUERIES, probes.length) }, worker));
      errors.set(results.filter((ok) => !ok).length);
    },
  };
}
