import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { auditLog } from "#db/schema/index.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import { setupTestDb } from "#tests/db.ts";
import { thrown } from "#tests/helpers.ts";

/**
 * Issue 23: no application path can change or remove an audit entry. PostgreSQL refuses it (the
 * migration's triggers and grants), and no code of the app asks for it (a static check).
 */
const t = setupTestDb();

describe("the database refuses every change to an entry", () => {
  test("UPDATE, DELETE and TRUNCATE through the app's own handle fail, and the entry stays as written", async () => {
    await recordAudit(t.db, { actorId: null, via: "system", action: "user.deactivated", details: { note: "kept" } });
    const [before] = await t.db.select().from(auditLog);
    const attempts = [
      t.db.update(auditLog).set({ action: "user.reactivated" }),
      t.db.delete(auditLog),
      t.db.execute(sql`truncate audit_log`),
      t.db.execute(sql`update audit_log set details = '{}'::jsonb`),
      t.db.execute(sql`delete from audit_log`),
    ];
    for (const attempt of attempts) {
      const error = (await thrown(attempt)) as { cause?: { code?: string }; code?: string };
      // 42501 insufficient_privilege: the trigger's error (the embedded server's role is a superuser, so grants alone don't stop it).
      expect(error.cause?.code ?? error.code).toBe("42501");
    }
    expect(await t.db.select().from(auditLog)).toEqual([before]);
  });

  test("a failed change inside a transaction rolls the transaction back", async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await recordAudit(tx, { actorId: null, via: "system", action: "user.reactivated" });
        await tx.delete(auditLog);
      }),
    ).rejects.toThrow();
    expect((await t.db.select().from(auditLog)).map((e) => e.action)).not.toContain("user.reactivated");
  });

  test("the table's owner holds INSERT and SELECT on it, nothing else; PUBLIC holds nothing", async () => {
    const rows = await t.db.execute<{ grantee: string; privilege: string }>(sql`
      select case when a.grantee = 0 then 'PUBLIC' when a.grantee = c.relowner then 'owner' else a.grantee::regrole::text end as grantee,
             a.privilege_type as privilege
        from pg_class c, aclexplode(c.relacl) a
       where c.oid = 'audit_log'::regclass
       order by 1, 2`);
    expect([...rows]).toEqual([
      { grantee: "owner", privilege: "INSERT" },
      { grantee: "owner", privilege: "SELECT" },
    ]);
  });
});

/** Every .ts and .tsx file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "node_modules" || name === "migrations" ? [] : sourceFiles(full);
    return /\.(ts|tsx|mts|mjs)$/.test(name) ? [full] : [];
  });
}

test("no code under app/, server/ or db/ (the migrations aside) updates or deletes audit entries", () => {
  const files = ["app", "server", "db"].flatMap(sourceFiles);
  expect(files.length).toBeGreaterThan(100);
  const patterns = [/\.\s*(update|delete)\(\s*auditLog\b/, /\b(update|delete\s+from|truncate(\s+table)?)\s+("?audit_log"?\b|\$\{\s*auditLog\s*\})/i];
  const offenders = files.filter((file) => {
    const text = readFileSync(file, "utf8");
    return patterns.some((p) => p.test(text));
  });
  expect(offenders).toEqual([]);
  // The check itself finds what it looks for.
  expect(patterns[0]!.test("await tx.update(auditLog).set({})")).toBe(true);
  expect(patterns[1]!.test("sql`delete from ${auditLog} where id = 1`")).toBe(true);
  expect(patterns[1]!.test('db.execute(sql`UPDATE "audit_log" SET via = 1`)')).toBe(true);
  expect(patterns[1]!.test("truncate table audit_log")).toBe(true);
});
