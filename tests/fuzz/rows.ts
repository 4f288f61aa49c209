import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";

/**
 * "No half-written rows": a refused request (4xx) adds and deletes no row in any table.
 *
 * Counting the rows of all ~130 tables in one query costs about 400 ms on the test machine, too
 * much for every request; so the fuzz database gets a statement-level trigger on every table
 * (only there: nothing of this is a migration) that notes each INSERT and DELETE, with the number
 * of rows, in `fuzz_writes`. What a request wrote is what was noted while it ran. This is
 * stricter than comparing counts: a row added and another deleted do not cancel out.
 *
 * Tables a refused request may rightly write, and only these:
 */
export const MAY_CHANGE_ON_REFUSAL: Readonly<Record<string, string>> = {
  // A failed sign-in, password check or mail request is counted so that the next ones can be
  // throttled: refusing it is exactly when the row is written (app/features/auth/rate-limit.server.ts).
  sign_in_attempts: "failed attempts are counted on refusal, for the sign-in and mail limits",
  // The same for the public forum's sign-in.
  forum_attempts: "the forum's failed attempts, counted on refusal",
  // rate-limiter-flexible's store: the first request of a token in a window adds its key, whatever the answer.
  api_rate_limits: "each token's request count, kept whatever the request's answer",
  // A session that has expired, or whose account was deactivated, is deleted when it is presented
  // (app/features/auth/session.server.ts), and the request answered as signed out.
  sessions: "a dead session is deleted when presented, whatever the request",
  // Not the request's: the notification mailer writes each mail after its batching delay, for a
  // notification an earlier accepted request made (and makes the unsubscribe links' key on first
  // use), so its rows can land while a later, refused request runs. A refused request queuing mail
  // itself would be missed here; the mail tests (mail-prefs, auth) cover what each form sends.
  mail_outbox: "written by the notification mailer, after a delay, for earlier accepted writes",
  app_secrets: "the mailer's unsubscribe key, made on first use",
  // Not the request's: the digest scheduler notes each daily and weekly run on a timer of its own
  // (app/features/mail-prefs), and one may fall while a refused request runs.
  digest_runs: "written by the digest scheduler's timer, not by requests",
};

/** Puts the triggers on every table of the public schema. Run once, before the fuzzing. */
export async function watchWrites(db: Db): Promise<void> {
  await db.execute(sql`create unlogged table if not exists fuzz_writes (id bigserial primary key, table_name text not null, op text not null, n int not null)`);
  await db.execute(
    sql.raw(`create or replace function fuzz_note() returns trigger language plpgsql as $$
      begin insert into fuzz_writes (table_name, op, n) select TG_TABLE_NAME, TG_OP, count(*) from changed having count(*) > 0; return null; end $$`),
  );
  const tables = await db.execute<{ name: string }>(sql`select tablename as name from pg_tables where schemaname = 'public' and tablename <> 'fuzz_writes'`);
  for (const { name } of tables) {
    await db.execute(
      sql.raw(`create trigger fuzz_inserts after insert on public."${name}" referencing new table as changed for each statement execute function fuzz_note();
               create trigger fuzz_deletes after delete on public."${name}" referencing old table as changed for each statement execute function fuzz_note()`),
    );
  }
}

/** Where the log of writes stands now. */
export async function writeMark(db: Db): Promise<number> {
  const [row] = await db.execute<{ id: string | null }>(sql`select max(id)::text as id from fuzz_writes`);
  return Number(row?.id ?? 0);
}

/** The writes noted after `mark`, as "table: INSERT 2", leaving out the tables a refusal may change. */
export async function writesSince(db: Db, mark: number): Promise<string[]> {
  const rows = await db.execute<{ table_name: string; op: string; n: number }>(sql`select table_name, op, sum(n)::int as n from fuzz_writes where id > ${mark} group by 1, 2 order by 1, 2`);
  return rows.filter((r) => !(r.table_name in MAY_CHANGE_ON_REFUSAL)).map((r) => `${r.table_name}: ${r.op} ${r.n}`);
}

/**
 * Waits until nothing has been written for `quietMs` (at most `maxMs` in all), and answers the
 * mark then: after an accepted write, the background workers (search relay, expertise, mail and
 * webhook outboxes) act on it, and a refused request checked meanwhile would be blamed for their
 * rows. A recompute of the expertise model writes in bursts with pauses between them, hence a
 * quiet time rather than two equal readings.
 */
export async function settledMark(db: Db, { quietMs = 300, maxMs = 5000 } = {}): Promise<number> {
  const start = Date.now();
  let last = await writeMark(db);
  let quietSince = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = await writeMark(db);
    if (now !== last) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= quietMs || Date.now() - start > maxMs) return now;
  }
}
