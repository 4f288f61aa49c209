import { sql } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { createDb } from "#db/client.server.ts";
import { setupTestDb } from "#tests/db.ts";

const t = setupTestDb();

describe("prepared statements (db/client.server.ts)", () => {
  // One connection, so its session's prepared statements are the ones every statement here made.
  const one = () => createDb(t.url, { max: 1 });
  const opened: Array<ReturnType<typeof one>> = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });

  test("a statement sent again is prepared and reused; one with its ids in the text, sent once, is not", async () => {
    const db = one();
    opened.push(db);
    const marker = `repeated_${Date.now()}`;
    for (let i = 0; i < 3; i++) {
      const [row] = await db.execute<{ n: number }>(sql`select ${i}::int + 1 as n, ${sql.raw(`'${marker}'`)} as marker`);
      expect(Number(row!.n)).toBe(i + 1);
    }
    const once = `once_${Date.now()}`;
    for (const id of [101, 102, 103]) await db.execute(sql`select ${sql.raw(String(id))} as id, ${sql.raw(`'${once}'`)} as marker, ${1}::int as one`);
    // In a transaction too, on the same connection.
    await db.transaction(async (tx) => {
      for (let i = 0; i < 2; i++) await tx.execute(sql`select ${i}::int as n, ${sql.raw(`'${marker}_tx'`)} as marker`);
    });

    const prepared = await db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`);
    const texts = prepared.map((r) => r.statement);
    expect(texts.filter((s) => s.includes(`'${marker}'`))).toHaveLength(1);
    expect(texts.filter((s) => s.includes(`'${marker}_tx'`))).toHaveLength(1);
    expect(texts.filter((s) => s.includes(once))).toEqual([]);
  });
});
