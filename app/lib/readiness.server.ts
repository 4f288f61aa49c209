import { sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import journal from "#db/migrations/meta/_journal.json";
import { meiliErrorCode } from "#search/client.server.ts";

const TIMEOUT_MS = 2000;

type Check = { ok: boolean; error?: string; ms: number };

async function timed(fn: () => Promise<string | undefined>): Promise<Check> {
  const started = performance.now();
  try {
    const error = await Promise.race([fn(), new Promise<string>((resolve) => setTimeout(() => resolve(`no answer within ${TIMEOUT_MS} ms`), TIMEOUT_MS).unref())]);
    return { ok: error === undefined, ...(error ? { error } : {}), ms: Math.round(performance.now() - started) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), ms: Math.round(performance.now() - started) };
  }
}

/** Database reachable, every committed migration applied, Meilisearch healthy. */
export async function readiness(db: Db, search: Meilisearch) {
  const latest = journal.entries.at(-1)?.when ?? 0;
  const [database, migrations, meilisearch] = await Promise.all([
    timed(async () => {
      await db.execute(sql`select 1`);
      return undefined;
    }),
    timed(async () => {
      const rows = await db.execute<{ created_at: string | null }>(sql`select max(created_at)::text as created_at from drizzle.__drizzle_migrations`);
      const applied = Number(rows[0]?.created_at ?? 0);
      return applied >= latest ? undefined : "migrations are pending: run npm run db:migrate";
    }),
    timed(async () => {
      // /version needs the key, so this also proves the configured key is accepted.
      try {
        await search.getVersion();
        return undefined;
      } catch (error) {
        const code = meiliErrorCode(error);
        if (code === "invalid_api_key" || code === "missing_authorization_header") return "MEILI_MASTER_KEY is not accepted by Meilisearch";
        throw error;
      }
    }),
  ]);
  const ok = database.ok && migrations.ok && meilisearch.ok;
  return { status: ok ? "ready" : "not ready", checks: { database, migrations, meilisearch } } as const;
}
