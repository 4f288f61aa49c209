import { spawnSync } from "node:child_process";
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { availableSql } from "#app/features/expertise/experts.server.ts";
import { createDb, type Db, statementShape, worthPreparing } from "#db/client.server.ts";
import { intArray } from "#db/sql-params.ts";
import { users } from "#db/schema/index.ts";
import { setupTestDb } from "../db.ts";
import { createUser } from "../factories/index.ts";

/**
 * Which statements the app prepares (db/client.server.ts): a text sent a second time, unless its
 * lists of parameters vary in length. Checked against PostgreSQL's own list of the session's
 * prepared statements (pg_prepared_statements) on a one-connection pool, where postgres.js's cache
 * and the backend's hold the same statements.
 */
const t = setupTestDb();
let db: Db;

beforeAll(async () => {
  db = createDb(t.url, { max: 1 });
});
afterAll(async () => {
  await db.close();
});

async function prepared(): Promise<string[]> {
  const rows = await db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements order by prepare_time`);
  return rows.map((r) => r.statement);
}

describe("statementShape", () => {
  test("an inArray list, a multi-row insert and a single parameter in parentheses each collapse; the rest of the text stays", () => {
    expect(statementShape('select "id" from "users" where "id" in ($1, $2, $3) and "kind" = $4')).toBe(statementShape('select "id" from "users" where "id" in ($1) and "kind" = $2'));
    expect(statementShape('insert into "t" ("a", "b", "c") values ($1, default, $2), ($3, default, $4)')).toBe(statementShape('insert into "t" ("a", "b", "c") values ($1, default, $2)'));
    expect(statementShape("select $1::int[] as ids")).toBe("select $::int[] as ids");
    expect(statementShape('select "id" from "users" where "id" in ($1, $2)')).not.toBe(statementShape('select "id" from "posts" where "id" in ($1, $2)'));
  });

  test("a text is worth preparing the second time, unless another text of its shape came first or since", () => {
    const fixed = `select 1 where $1::int = ${Math.random()}`;
    expect(worthPreparing(fixed)).toBe(false);
    expect(worthPreparing(fixed)).toBe(true);
    const two = `select 2 where ${Date.now()} in ($1, $2)`;
    const three = two.replace("($1, $2)", "($1, $2, $3)");
    expect(worthPreparing(two)).toBe(false);
    expect(worthPreparing(two)).toBe(true);
    expect(worthPreparing(three)).toBe(false);
    expect([worthPreparing(two), worthPreparing(three)]).toEqual([false, false]);
    // The digest of a text decides, not its length: a text of the same shape and length is another text.
    const left = `select 3 where ${Date.now()} in ($1, $2, $3) and 7 in ($4)`;
    const right = left.replace("($1, $2, $3) and 7 in ($4)", "($1) and 7 in ($2, $3, $4)");
    expect(right).toHaveLength(left.length);
    expect([worthPreparing(left), worthPreparing(right), worthPreparing(left)]).toEqual([false, false, false]);
  });
});

describe("texts that stay the same", () => {
  test("a list of ids is one parameter: every list makes the same text, and PostgreSQL reads it, empty or not", async () => {
    const people = await Promise.all([createUser(t.db), createUser(t.db)]);
    const query = (ids: number[]) =>
      db
        .select({ id: users.id })
        .from(users)
        .where(sql`${users.id} = any(${intArray(ids)})`);
    expect(query([1]).toSQL().sql).toBe(query([1, 2, 3, 4]).toSQL().sql);
    expect((await query(people.map((p) => p.id))).map((r) => r.id).sort()).toEqual(people.map((p) => p.id).sort());
    expect(await query([])).toEqual([]);
    expect(() => intArray([1, Number.NaN])).toThrow(/not an integer id/);
    expect(() => intArray(["1); drop table users; --"])).toThrow(/not an integer id/);
  });

  test("no statement writes a list of ids into its text", () => {
    // sql.raw(`array[${…}]`) and `in ${sql.raw(`(${…})`)}` were the two ways: each list was a text of its own.
    const found = spawnSync("git", ["grep", "-n", "-E", "sql\\.raw\\(`(array\\[|\\()\\$\\{", "--", "app", "db", "server", "search"], { encoding: "utf8" });
    // git grep answers 1 when nothing matches, 0 when something does.
    expect(found.stdout).toBe("");
    expect(found.status).toBe(1);
  });

  test("availability is checked with the moment as a parameter, so its statements repeat and are prepared", () => {
    const text = (now: Date) =>
      db
        .select({ ok: availableSql(now) })
        .from(users)
        .toSQL();
    const [a, b] = [text(new Date("2026-01-01T00:00:00Z")), text(new Date("2026-06-30T12:34:56Z"))];
    expect(a.sql).toBe(b.sql);
    expect(a.sql).not.toContain("2026");
    expect(b.params).toContain("2026-06-30T12:34:56.000Z");
  });
});

describe("the connection's prepared statements", () => {
  test("a repeated fixed query is prepared once; inArray lists of 40 lengths, each sent twice, prepare nothing", async () => {
    const people = await Promise.all(Array.from({ length: 40 }, () => createUser(t.db)));
    const before = await prepared();

    for (let round = 0; round < 3; round++)
      await db
        .select({ id: users.id })
        .from(users)
        .where(sql`${users.id} = ${people[0]!.id}`);
    for (let length = 1; length <= 40; length++) {
      for (let round = 0; round < 2; round++) {
        const found = await db
          .select({ id: users.id })
          .from(users)
          .where(
            inArray(
              users.id,
              people.slice(0, length).map((p) => p.id),
            ),
          );
        expect(found).toHaveLength(length);
      }
    }

    const added = (await prepared()).filter((statement) => !before.includes(statement));
    expect(added.filter((statement) => statement.includes(" = $1"))).toHaveLength(1);
    // The first length was seen twice before the second came: the one list text that stays prepared.
    expect(added.filter((statement) => statement.includes(" in ("))).toHaveLength(1);
  });
});
