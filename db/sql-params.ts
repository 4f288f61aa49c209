import { type SQL, sql } from "drizzle-orm";

/**
 * A list of integer ids as one statement parameter, `$n::int[]`, sent as PostgreSQL's array text
 * (`{4,8,15}`): `= any(…)`, `<> all(…)` and `unnest(…)` read it. The statement's text is then the
 * same for every list, so it is prepared once and planned like any other (db/client.server.ts).
 * Written into the text instead, each list made a statement of its own, never prepared, and a
 * list sent twice was prepared and kept by every connection for good.
 */
export function intArray(ids: readonly (number | string)[]): SQL {
  const numbers = ids.map(Number);
  const bad = numbers.find((n) => !Number.isSafeInteger(n));
  if (bad !== undefined) throw new TypeError(`intArray: ${String(bad)} is not an integer id`);
  return sql`${`{${numbers.join(",")}}`}::int[]`;
}
