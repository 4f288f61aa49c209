import { eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import type { Db } from "#db/client.server.ts";
import { spaceMembers, spaces } from "#db/schema/index.ts";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { grantBadges } from "#app/features/recognition/badges.server.ts";
import { ACTORS, type ActorName, type Outcome } from "#tests/authz/matrix.ts";
import { fillPath, leafRoutes } from "#tests/authz/routes.ts";
import { buildWorld } from "#tests/authz/world.ts";
import { WRITES, type Params, type Setup, type WriteCase, type WriteVariant } from "#tests/authz/writes.ts";
import { setupTestDb } from "#tests/db.ts";
import { createUser } from "#tests/factories/index.ts";
import { MAY_CHANGE_ON_REFUSAL } from "#tests/fuzz/rows.ts";
import { useProductionServer } from "#tests/production-server.ts";

/**
 * The authorization matrix for writes with valid bodies (tests/authz/writes.ts), against the real
 * server. Every case makes its items first; then every refusal is sent (the cases one after the
 * other, each case's requests four at a time) and checked for its answer and for every table
 * being as it was: a statement trigger on each table notes INSERT, UPDATE and DELETE (UPDATE too,
 * unlike the fuzzer's: a refused write must not change a row either). Last, each case's body is
 * sent once by an actor who may, which must succeed.
 */

const t = setupTestDb();
const server = useProductionServer(t, "authz-writes");
const routes = leafRoutes();

/**
 * Tables a refused request may change besides the fuzzer's list (tests/fuzz/rows.ts): those only
 * the background workers write, acting on the items this test made before the refusals (the
 * search relay, the expertise model, the forum desk's minute sweep). A refused request that wrote
 * to one of these alone would be missed; what a request writes there comes with a row of its own
 * elsewhere (a post, an idea, a notification), which is caught.
 */
const WORKERS_WRITE: Readonly<Record<string, string>> = {
  outbox: "the search relay marks what it indexed",
  expertise_outbox: "the expertise worker's queue",
  expertise_evidence: "the expertise worker's evidence, recomputed from the work",
  expertise_scores: "the expertise worker's scores",
  forum_queue: "the forum desk's sweep routes questions",
  forum_escalations: "the forum desk's sweep runs the escalation rules",
  forum_threads: "the forum desk's sweep notes what it routed on each customer thread",
  webhook_deliveries: "the webhook worker fans events out and notes each attempt",
  webhook_attempts: "the webhook worker's attempts",
  webhook_endpoints: "the webhook worker notes an endpoint's failures",
  chat_connections: "the webhook worker notes a chat connection's failures",
  live_sessions: "the live sessions' timer starts and ends them on schedule",
};

/**
 * Statements of the background jobs that write to tables a request writes too, known by their text
 * (the trigger notes each statement's text): they run on their own timers, whenever they fall due,
 * so one may land inside a refusal's window. Anything else in those tables is still caught.
 */
const WORKER_STATEMENTS: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  { pattern: /^\s*with candidates as \([\s\S]*insert into badge_awards/, why: "the badge job grants on its timer (15 s after start, then every 10 minutes)" },
  { pattern: /^\s*update notifications set mail_handled_at = now\(\)/, why: "the immediate mailer marks the notifications it handled" },
];

async function watchAllWrites(db: Db): Promise<void> {
  await db.execute(sql`create unlogged table if not exists authz_writes (id bigserial primary key, table_name text not null, op text not null, n int not null, query text not null)`);
  await db.execute(
    sql.raw(`create or replace function authz_note() returns trigger language plpgsql as $$
      begin insert into authz_writes (table_name, op, n, query) select TG_TABLE_NAME, TG_OP, count(*), current_query() from changed having count(*) > 0; return null; end $$`),
  );
  const tables = await db.execute<{ name: string }>(sql`select tablename as name from pg_tables where schemaname = 'public' and tablename not in ('authz_writes', 'fuzz_writes')`);
  for (const { name } of tables) {
    await db.execute(
      sql.raw(`create trigger authz_inserts after insert on public."${name}" referencing new table as changed for each statement execute function authz_note();
               create trigger authz_updates after update on public."${name}" referencing new table as changed for each statement execute function authz_note();
               create trigger authz_deletes after delete on public."${name}" referencing old table as changed for each statement execute function authz_note()`),
    );
  }
}

async function mark(db: Db): Promise<number> {
  const [row] = await db.execute<{ id: string | null }>(sql`select max(id)::text as id from authz_writes`);
  return Number(row?.id ?? 0);
}

async function writesSince(db: Db, since: number): Promise<string[]> {
  const rows = await db.execute<{ table_name: string; op: string; n: number; query: string }>(sql`select table_name, op, n, query from authz_writes where id > ${since} order by id`);
  const counts = new Map<string, number>();
  for (const r of rows) {
    if (r.table_name in MAY_CHANGE_ON_REFUSAL || r.table_name in WORKERS_WRITE || WORKER_STATEMENTS.some((w) => w.pattern.test(r.query))) continue;
    const key = `${r.table_name}: ${r.op} (by "${r.query.replace(/\s+/g, " ").trim().slice(0, 100)}")`;
    counts.set(key, (counts.get(key) ?? 0) + r.n);
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${key} ${n}`);
}

/** Waits until nothing has been written for `quietMs` (at most `maxMs`): the workers acting on the items just made (as tests/fuzz/rows.ts's settledMark). */
async function settle(db: Db, { quietMs = 500, maxMs = 20_000 } = {}): Promise<void> {
  const start = Date.now();
  let last = await mark(db);
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs && Date.now() - start < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = await mark(db);
    if (now !== last) quietSince = Date.now();
    last = now;
  }
}

function outcomeOf(status: number, location: string | null): Outcome | number {
  if (status >= 300 && status < 400) {
    const target = new URL(location ?? "", server.base);
    if (target.pathname === "/sign-in") return "sign-in";
    if (target.pathname === "/") return "home";
    return "elsewhere";
  }
  return status;
}

/** What a page says, without its markup and scripts (from its main part, where a form's errors are). */
function said(html: string): string {
  const main = html.indexOf("<main");
  return (main >= 0 ? html.slice(main) : html)
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

function encode(body: Record<string, string | string[]>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  return form.toString();
}

/** A multipart form: the fields, and the file a case sends (a fresh body for each request, as a fetch consumes it). */
function multipart(body: Record<string, string | string[]>, file: NonNullable<WriteCase["file"]>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  form.append(file.field, new Blob([file.bytes], { type: file.type }), file.name);
  return form;
}

type Made = { file: string; routePath: string; index: number; c: WriteCase; items: Partial<Record<WriteVariant, Params>> };

describe("the authorization matrix for writes with valid bodies", () => {
  const actionRoutes = routes.filter((r) => r.methods.includes("POST"));

  test("has an entry for every route with an action, and only for those", () => {
    const files = new Set(actionRoutes.map((r) => r.file));
    const missing = [...files].filter((file) => !(file in WRITES));
    expect(missing, "add a valid body for each of these routes to WRITES in tests/authz/writes.ts").toEqual([]);
    const stale = Object.keys(WRITES).filter((file) => !files.has(file));
    expect(stale, "these WRITES entries name no route with an action: remove them").toEqual([]);
  });

  test("refuses every actor who may not write, writing nothing, and lets one who may", async () => {
    const started = Date.now();
    const world = await buildWorld(t.db);
    const spaceRow = async (slug: string) => (await t.db.select({ id: spaces.id, slug: spaces.slug }).from(spaces).where(eq(spaces.slug, slug)))[0]!;
    const setup: Setup = {
      db: t.db,
      // The world's rows are whole users (the anonymous visitor's is an id of 0 and is never an author).
      users: world.users as Setup["users"],
      spaces: { open: await spaceRow(world.items.space.open!.slug!), restricted: await spaceRow(world.items.space.restricted!.slug!) },
      author: await createUser(t.db, { name: "Write Author", reputation: 100_000 }),
      colleague: await createUser(t.db, { name: "Write Colleague" }),
    };
    // The author moderates both spaces (as the world's author does), so that it may sponsor campaigns there.
    await t.db.insert(spaceMembers).values([
      { spaceId: setup.spaces.open.id, userId: setup.author.id, role: "moderator" },
      { spaceId: setup.spaces.restricted.id, userId: setup.author.id, role: "moderator" },
    ]);
    // The scheduler's first badge run writes on a timer of its own: done now, not during a refusal.
    await grantBadges(t.db);

    const made: Made[] = [];
    for (const route of actionRoutes) {
      const entry = WRITES[route.file];
      if (!entry || !("cases" in entry)) continue;
      for (const [index, c] of entry.cases.entries()) {
        const items: Made["items"] = {};
        for (const v of new Set<WriteVariant>([...(c.variants ?? ["open", "restricted"]), "open"])) items[v] = c.make ? await c.make(setup, v) : {};
        made.push({ file: route.file, routePath: route.path, index, c, items });
      }
    }
    await watchAllWrites(t.db);
    const madeAt = Date.now();

    const send = async (actor: ActorName, path: string, body: string | FormData) => {
      // A multipart body sets its own content type, with its boundary.
      const headers: Record<string, string> = { accept: "text/html", origin: server.base, ...(typeof body === "string" ? { "content-type": "application/x-www-form-urlencoded" } : {}) };
      if (actor !== "anonymous") headers.cookie = `${SESSION_COOKIE}=${(await createSession(t.db, world.users[actor].id)).token}`;
      const response = await fetch(`${server.base}${path}`, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(20_000) });
      const text = await response.text();
      return { got: outcomeOf(response.status, response.headers.get("location")), status: response.status, text };
    };
    const pathOf = (m: Made, p: Params) => (m.c.path ? m.c.path(p) : fillPath(m.routePath, p));
    const bodyOf = (m: Made, p: Params) => (m.c.file ? multipart(m.c.body(p, setup), m.c.file) : encode(m.c.body(p, setup)));
    const nameOf = (m: Made) => `POST ${m.file}${m.c.label ? ` ${m.c.label}` : ""}`;

    // Refusals: the background workers settle first, then each case's window of writes must stay empty.
    await settle(t.db);
    const mismatches: string[] = [];
    const written: string[] = [];
    let refused = 0;
    for (const m of made) {
      const attempts: Array<{ actor: ActorName; variant: WriteVariant; expected: Outcome }> = [];
      for (const variant of m.c.variants ?? (["open", "restricted"] as const))
        for (const actor of ACTORS) {
          const expected = m.c.policy(actor, variant);
          if (expected !== "may") attempts.push({ actor, variant, expected });
        }
      const before = await mark(t.db);
      const queue = [...attempts];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let a = queue.shift(); a; a = queue.shift()) {
            const p = m.items[a.variant]!;
            const r = await send(a.actor, pathOf(m, p), bodyOf(m, p));
            refused += 1;
            if (r.got !== a.expected) mismatches.push(`${nameOf(m)} [${a.variant}] as ${a.actor}: expected ${a.expected}, got ${r.got} ${r.status >= 400 ? said(r.text) : ""}`);
          }
        }),
      );
      const wrote = await writesSince(t.db, before);
      if (wrote.length > 0) written.push(`${nameOf(m)}: ${wrote.join(", ")}`);
    }
    const refusedAt = Date.now();

    // The successes: each on its own open item.
    const failures: string[] = [];
    const queue = [...made];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let m = queue.shift(); m; m = queue.shift()) {
          const p = m.items.open!;
          const r = await send(m.c.by, pathOf(m, p), bodyOf(m, p));
          const fine = m.c.ok ? m.c.ok.includes(r.got as never) || m.c.ok.includes(r.status as never) : r.status < 400 && r.got !== "sign-in";
          if (!fine) failures.push(`${nameOf(m)} as ${m.c.by}: got ${r.got} ${said(r.text)}`);
        }
      }),
    );

    const entries = Object.entries(WRITES);
    const todo = entries.filter(([, e]) => "todo" in e).map(([file]) => file);
    console.log(
      `authz writes: ${actionRoutes.length} actions (${entries.filter(([, e]) => "cases" in e).length} with valid bodies, ${entries.filter(([, e]) => "none" in e).length} without one, ${todo.length} still to do: ${todo.join(", ")}), ` +
        `${made.length} cases (${new Set(made.map((m) => `${m.file} ${m.c.label ?? ""}`)).size} intents), ${refused} refused attempts, ${made.length} successful writes; ` +
        `items ${((madeAt - started) / 1000).toFixed(1)} s, refusals ${((refusedAt - madeAt) / 1000).toFixed(1)} s, successes ${((Date.now() - refusedAt) / 1000).toFixed(1)} s`,
    );
    // All three lists in one message: a refusal that wrote is easier to read beside its answer.
    const report = [
      ...written.map((w) => `a refused write changed rows: ${w}`),
      ...mismatches.sort().map((m) => `a refusal answered otherwise than tests/authz/writes.ts says: ${m}`),
      ...failures.map((f) => `a write by an actor who may failed (its body is not valid, or the route refuses who it should let): ${f}`),
    ];
    expect(report.length, report.join("\n")).toBe(0);
  }, 600_000);
});
