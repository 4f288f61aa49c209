import { isIP } from "node:net";
import { and, count, desc, eq, inArray, isNotNull, isNull, like } from "drizzle-orm";
import { verifyPassword } from "#app/features/auth/password.server.ts";
import { ConfigError, parseEnv } from "#app/lib/env.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { createDb, type Db } from "./client.server.ts";
import { runningEmbeddedPostgres, startEmbeddedPostgres } from "./embedded.ts";
import { ensureDatabase, runMigrations } from "./migrate.ts";
import { forumAccounts, forumSessions, sessions, users } from "./schema/index.ts";
import { startedDirectly } from "./script.ts";
import { DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SIGN_INS } from "./seed-info.ts";

/**
 * The demo company's password is published (README, banner, source): its accounts must not be
 * reachable from a network. `npm start` refuses to listen beyond loopback while they can still
 * sign in with it (`demoOnNetworkProblem`), and `npm run demo:remove` ends that
 * (`removeDemoAccounts`): it deactivates them, clears their password and signs them out, and
 * keeps what they wrote.
 */

/** Whether HOST keeps the server to this machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (h === "::1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice("::ffff:".length) : h;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

/**
 * The seed and the generator hash the demo password once and give every account that same hash,
 * so a handful of argon2 checks covers them all: the distinct hashes of the published sign-ins,
 * and the ones most shared by active accounts at the demo domain (a hash two accounts share was
 * made once for both, which only the seed and the generator do). An account that chose its own
 * password has a hash of its own and is left alone.
 */
const SHARED_HASHES_CHECKED = 5;

async function demoPasswordHashes(db: Db, options: { thorough?: boolean } = {}): Promise<string[]> {
  const active = and(like(users.email, `%@${DEMO_DOMAIN}`), isNull(users.deactivatedAt), isNotNull(users.passwordHash));
  const published = await db
    .selectDistinct({ hash: users.passwordHash })
    .from(users)
    .where(
      and(
        active,
        inArray(
          users.email,
          DEMO_SIGN_INS.map((s) => s.email),
        ),
      ),
    );
  const byUse = db.select({ hash: users.passwordHash, n: count() }).from(users).where(active).groupBy(users.passwordHash).orderBy(desc(count()));
  // demo:remove may take its time and checks every hash at the demo domain; a start checks a few.
  const others = options.thorough ? await byUse : (await byUse.limit(SHARED_HASHES_CHECKED)).filter((r) => r.n > 1);
  const candidates = [...new Set([...published, ...others].map((r) => r.hash!))];
  const matching: string[] = [];
  // A few at a time: each check holds 19 MiB.
  for (let i = 0; i < candidates.length; i += 4) {
    const batch = candidates.slice(i, i + 4);
    const results = await Promise.all(batch.map((hash) => verifyPassword(hash, DEMO_PASSWORD)));
    matching.push(...batch.filter((_, j) => results[j]));
  }
  return matching;
}

/** Active accounts that sign in with the published demo password. */
export async function demoAccountsWithDemoPassword(db: Db): Promise<Array<{ id: number; email: string; role: string }>> {
  const hashes = await demoPasswordHashes(db);
  if (hashes.length === 0) return [];
  const employees = await db
    .select({ id: users.id, email: users.email, role: users.role })
    .from(users)
    .where(and(like(users.email, `%@${DEMO_DOMAIN}`), inArray(users.passwordHash, hashes), isNull(users.deactivatedAt)))
    .orderBy(users.id);
  // The demo's customer on the public forum (issue 20) signs in with the same published password.
  const customers = await db
    .select({ id: forumAccounts.id, email: forumAccounts.email })
    .from(forumAccounts)
    .where(and(inArray(forumAccounts.passwordHash, hashes), isNull(forumAccounts.deactivatedAt)))
    .orderBy(forumAccounts.id);
  return [...employees, ...customers.map((c) => ({ ...c, role: "forum customer" }))];
}

/**
 * Why this start must not go on, as one line, or null. Only a HOST beyond loopback is checked,
 * so a start on this machine pays nothing for it.
 */
export async function demoOnNetworkProblem(db: Db, env: { HOST: string; DEMO_ON_NETWORK: "refuse" | "accept" }): Promise<string | null> {
  if (isLoopbackHost(env.HOST) || env.DEMO_ON_NETWORK === "accept") return null;
  const accounts = await demoAccountsWithDemoPassword(db);
  if (accounts.length === 0) return null;
  const who = accounts.length === 1 ? `1 demo account (${accounts[0]!.email})` : `${accounts.length} demo accounts (${accounts[0]!.email} and others)`;
  return (
    `Not serving the demo company on a network: HOST=${env.HOST} is reachable from other machines and ${who} still sign in with the published password. ` +
    "Run `npm run demo:remove` to deactivate them (their content stays), or set DEMO_ON_NETWORK=accept to serve them anyway."
  );
}

export class DemoOnNetworkError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = "DemoOnNetworkError";
  }
}

export interface DemoRemoval {
  deactivated: Array<{ id: number; email: string; role: string }>;
  sessionsRevoked: number;
  /** Active admins left afterwards: none means someone must be made admin another way. */
  adminsLeft: number;
}

/**
 * Deactivates every active account that signs in with the demo password, clears its password (a
 * later reactivation does not bring the published one back), and ends its sessions, in one
 * transaction. Questions, answers, ideas and votes stay, under a deactivated author.
 */
export async function removeDemoAccounts(db: Db): Promise<DemoRemoval> {
  const hashes = await demoPasswordHashes(db, { thorough: true });
  return db.transaction(async (tx) => {
    if (hashes.length === 0) return { deactivated: [], sessionsRevoked: 0, adminsLeft: await activeAdmins(tx) };
    const deactivated: DemoRemoval["deactivated"] = await tx
      .update(users)
      .set({ deactivatedAt: new Date(), passwordHash: null })
      .where(and(like(users.email, `%@${DEMO_DOMAIN}`), inArray(users.passwordHash, hashes), isNull(users.deactivatedAt)))
      .returning({ id: users.id, email: users.email, role: users.role });
    const ids = deactivated.map((u) => u.id);
    const revoked = ids.length === 0 ? [] : await tx.delete(sessions).where(inArray(sessions.userId, ids)).returning({ id: sessions.id });
    // The demo's forum customer too: "!" is no hash, so no password signs in again; its forum sessions end.
    const customers = await tx
      .update(forumAccounts)
      .set({ deactivatedAt: new Date(), passwordHash: "!" })
      .where(and(inArray(forumAccounts.passwordHash, hashes), isNull(forumAccounts.deactivatedAt)))
      .returning({ id: forumAccounts.id, email: forumAccounts.email });
    const forumRevoked =
      customers.length === 0
        ? []
        : await tx
            .delete(forumSessions)
            .where(
              inArray(
                forumSessions.accountId,
                customers.map((c) => c.id),
              ),
            )
            .returning({ id: forumSessions.id });
    deactivated.push(...customers.map((c) => ({ ...c, role: "forum customer" })));
    // People search shows who is active.
    if (ids.length > 0) await enqueueIndexing(tx, "person", ids, { priority: 1 });
    deactivated.sort((a, b) => a.id - b.id);
    return { deactivated, sessionsRevoked: revoked.length + forumRevoked.length, adminsLeft: await activeAdmins(tx) };
  });
}

async function activeAdmins(db: Pick<Db, "select">): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt), eq(users.kind, "employee")));
  return row?.n ?? 0;
}

export function removalSummary(result: DemoRemoval): string {
  if (result.deactivated.length === 0) return "demo:remove: no active account signs in with the demo password; nothing changed";
  const lines = [
    `demo:remove: deactivated ${result.deactivated.length} demo ${result.deactivated.length === 1 ? "account" : "accounts"} that signed in with the published password, cleared their passwords and ended ${result.sessionsRevoked} ${result.sessionsRevoked === 1 ? "session" : "sessions"}; what they wrote stays.`,
  ];
  for (const u of result.deactivated) lines.push(`  ${u.email}${u.role === "member" ? "" : ` (${u.role})`}`);
  if (result.adminsLeft === 0) lines.push("No active admin is left: give your own account the role, e.g. psql: update users set role = 'admin' where email = 'you@example.com';");
  return lines.join("\n");
}

/** `npm run demo:remove`: on DATABASE_URL, or else the embedded PostgreSQL under DATA_DIR (stop npm start first). */
export async function main(): Promise<number> {
  const stops: Array<() => Promise<void>> = [];
  try {
    const env = parseEnv(process.env);
    let url = env.DATABASE_URL;
    if (!url) {
      const running = await runningEmbeddedPostgres(env.DATA_DIR);
      if (running) {
        console.error(`demo:remove: the embedded PostgreSQL in ${env.DATA_DIR} is running (pid ${running}): stop npm start first, or set DATABASE_URL.`);
        return 2;
      }
      const pg = await startEmbeddedPostgres({ dataDir: env.DATA_DIR });
      stops.push(() => pg.stop());
      url = pg.url("commons");
    }
    await ensureDatabase(url);
    await runMigrations(url);
    const db = createDb(url, { max: 2 });
    stops.push(() => db.close());
    process.stdout.write(`${removalSummary(await removeDemoAccounts(db))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    console.error(`demo:remove failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

if (startedDirectly(import.meta.url)) {
  const code = await main();
  // The embedded PostgreSQL package's exit hook ends the process with 0 on its way out: exit with our code ourselves.
  process.exit(code);
}
