import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { beforeAll, describe, expect, test } from "vitest";
import { resolveSsoUser } from "#app/features/auth/sso.server.ts";
import { signIn } from "#app/features/auth/accounts.server.ts";
import { deactivateUser, reactivateUser } from "#app/features/users/admin-users.server.ts";
import { anonymisedEmail, anonymizeUser, FORMER_EMPLOYEE } from "#app/features/users/anonymize.server.ts";
import { getScimUser } from "#app/features/scim/users.server.ts";
import { action as adminUserAction, loader as adminUserLoader } from "#app/routes/admin/user.tsx";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { apiTokens, auditLog, forumAnswers, forumThreads, importedProfiles, mailOutbox, mailPreferences, oidcAccounts, outbox, posts, scimUsers, sessions, users } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createComment, createQuestion, createSpace, createUser, DEFAULT_PASSWORD } from "#tests/factories/index.ts";
import { createImportedProfile } from "#tests/factories/imports.ts";
import { postAs, requestAs, routeContext, thrown } from "#tests/helpers.ts";

/**
 * Anonymising a departed person: afterwards no text column of any table holds their old name or
 * address (one query over information_schema finds every text column), what they wrote is still
 * there under "Former employee", sign-in, SSO and SCIM can't bring the account back, and the
 * admin's step is in the audit log.
 */
const t = setupTestDb();
const OLD_NAME = "Zelda Quarrington-Voss";
const OLD_EMAIL = "zelda.quarrington-voss@example.com";

type User = typeof users.$inferSelect;
let admin: User;
let leaver: User;
let colleague: User;
let questionId: number;

/** Every (table, column) whose text holds `needle`, over every text, varchar and jsonb column of the public schema. */
async function columnsHolding(needle: string): Promise<string[]> {
  const columns = (await t.db.execute<{ table_name: string; column_name: string; data_type: string }>(sql`
    select c.table_name, c.column_name, c.data_type from information_schema.columns c
    join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
    where c.table_schema = 'public' and c.data_type in ('text', 'character varying', 'jsonb', 'ARRAY')`)) as unknown as Array<{ table_name: string; column_name: string }>;
  const parts = columns.map((c) => `select '${c.table_name}.${c.column_name}' as at from "${c.table_name}" where strpos(lower("${c.column_name}"::text), lower($1)) > 0`);
  const client = postgres(t.url, { max: 1, onnotice: () => {} });
  try {
    const rows = await client.unsafe<Array<{ at: string }>>(`select distinct at from (${parts.join(" union all ")}) found`, [needle]);
    return rows.map((r) => r.at).sort();
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  leaver = await createUser(t.db, { name: OLD_NAME, email: OLD_EMAIL, title: "Staff Engineer", department: "Platform", location: "Lisbon", bio: "Likes trains." });
  colleague = await createUser(t.db, { name: "Colm Colleague", managerId: leaver.id });
  const space = await createSpace(t.db, { members: [leaver, colleague] });
  questionId = await createQuestion(t.db, { author: leaver, space, title: "How do we rotate the staging database credentials?" });
  const answerId = await createAnswer(t.db, { author: colleague, questionId });
  await createComment(t.db, { author: leaver, postId: answerId, body: "Thanks, that worked for the staging cluster." });
  await createAnswer(t.db, { author: leaver, questionId, body: "Following up: the runbook is in the platform wiki." });

  // What only served them.
  const later = new Date(Date.now() + 86_400_000);
  await t.db.insert(sessions).values({ id: randomBytes(16).toString("hex"), userId: leaver.id, expiresAt: later, absoluteExpiresAt: later, userAgent: "Firefox" });
  await t.db.insert(apiTokens).values({ userId: leaver.id, name: "zelda laptop", tokenHash: randomBytes(32).toString("hex"), prefix: "cmn_zz", scope: "read" });
  await t.db.insert(oidcAccounts).values({ userId: leaver.id, issuer: "https://idp.example.com", subject: "zelda-sub" });
  await t.db.insert(scimUsers).values({ userId: leaver.id, externalId: "ext-zelda", userName: OLD_EMAIL });
  await t.db.insert(mailPreferences).values({ userId: leaver.id, category: "digest", cadence: "weekly" });
  const mail = { template: "notification", messageId: `<${randomBytes(6).toString("hex")}@commons>` };
  await t.db.insert(mailOutbox).values({ ...mail, to: OLD_EMAIL, userId: leaver.id, subject: "Your digest", text: "Hello Zelda", html: "<p>Hello Zelda</p>" });
  await t.db.insert(mailOutbox).values({
    ...mail,
    messageId: `<${randomBytes(6).toString("hex")}@commons>`,
    to: "colm@example.com",
    userId: colleague.id,
    subject: `${OLD_NAME} answered your question`,
    text: `${OLD_NAME} answered`,
    html: `<p>${OLD_NAME} answered</p>`,
  });
  // An imported profile they claimed, and a published forum thread and answer naming them.
  const profile = await createImportedProfile(t.db, { name: OLD_NAME });
  // A claim moves the profile to the account; the placeholder account it was made with is not theirs.
  await t.db.update(importedProfiles).set({ userId: leaver.id, claimedAt: new Date(), claimedById: admin.id }).where(eq(importedProfiles.importKey, profile.importKey));
  await t.db.update(users).set({ name: "Merged import" }).where(eq(users.id, profile.user.id));
  const [thread] = await t.db
    .insert(forumThreads)
    .values({ slug: "rotate-credentials", title: "Rotate credentials", bodyHtml: "<p>How?</p>", authorName: OLD_NAME, authorTitle: "Staff Engineer", authorNamed: true, askedAt: new Date() })
    .returning();
  await t.db.insert(forumAnswers).values({
    threadId: thread!.id,
    position: 1,
    bodyHtml: "<p>Like so.</p>",
    authorName: OLD_NAME,
    authorTitle: "Staff Engineer",
    authorNamed: true,
    answeredAt: new Date(),
    authorUserId: leaver.id,
  });
});

describe("anonymising a departed person", () => {
  test("an active person is refused with a message saying to deactivate first; a non-admin is forbidden", async () => {
    const refused = await thrown(anonymizeUser(t.db, admin, leaver.id));
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as Error).message).toMatch(/deactivate the account first/);
    expect(await thrown(anonymizeUser(t.db, colleague, leaver.id))).toBeInstanceOf(ForbiddenError);
    expect((await columnsHolding(OLD_NAME)).length).toBeGreaterThan(0);
  });

  test("after deactivation, the admin page's step anonymises them: nothing holds the old name or address", async () => {
    expect(await columnsHolding(OLD_EMAIL)).not.toEqual([]);
    await deactivateUser(t.db, admin, leaver.id);
    const response = await adminUserAction({
      request: await postAs(t.db, admin, `/admin/users/${leaver.id}`, { intent: "anonymize" }),
      ...routeContext(t.db),
      params: { userId: String(leaver.id) },
    } as never);
    expect(response).toMatchObject({ intent: "anonymize", ok: true });

    expect(await columnsHolding(OLD_NAME)).toEqual([]);
    expect(await columnsHolding(OLD_EMAIL)).toEqual([]);
    expect(await columnsHolding("Quarrington")).toEqual([]);

    const [row] = await t.db.select().from(users).where(eq(users.id, leaver.id));
    expect(row).toMatchObject({ name: FORMER_EMPLOYEE, email: anonymisedEmail(leaver.id), passwordHash: null, title: "", department: "", location: "", bio: "", managerId: null });
    expect(row!.anonymizedAt).toBeInstanceOf(Date);
    for (const table of [sessions, apiTokens, oidcAccounts, scimUsers, mailPreferences]) expect(await t.db.$count(table, eq(table.userId, leaver.id))).toBe(0);

    // Their content stays, theirs by id, and the search index is told to rewrite it.
    expect(await t.db.$count(posts, eq(posts.authorId, leaver.id))).toBe(2);
    const [question] = await t.db.select().from(posts).where(eq(posts.id, questionId));
    expect(question!.title).toBe("How do we rotate the staging database credentials?");
    expect(await t.db.$count(outbox, and(eq(outbox.kind, "question"), eq(outbox.itemId, questionId)))).toBeGreaterThan(0);
    // The colleague they managed keeps their own profile, with no manager.
    const [c] = await t.db.select().from(users).where(eq(users.id, colleague.id));
    expect(c!.managerId).toBeNull();

    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.anonymized"), eq(auditLog.subjectUserId, leaver.id)));
    expect(entry).toMatchObject({ actorId: admin.id });

    const page = await adminUserLoader({ request: await requestAs(t.db, admin, `/admin/users/${leaver.id}`), ...routeContext(t.db), params: { userId: String(leaver.id) } } as never);
    expect(page.user.name).toBe(FORMER_EMPLOYEE);
    expect(page.anonymizedAt).toBeInstanceOf(Date);
  });

  test("sign-in, SSO and SCIM can't bring the account back; a second anonymisation is refused", async () => {
    for (const email of [OLD_EMAIL, anonymisedEmail(leaver.id)]) {
      const result = await signIn(t.db, { email, password: DEFAULT_PASSWORD }, { address: "192.0.2.7" });
      expect(result.ok, email).toBe(false);
    }
    // The old SSO subject and address make a new, empty account, never the anonymised one.
    const sso = await resolveSsoUser(t.db, { issuer: "https://idp.example.com", subject: "zelda-sub", email: OLD_EMAIL, emailVerified: true, name: OLD_NAME });
    expect(sso).toMatchObject({ ok: true, created: true });
    expect(sso.ok && sso.user.id).not.toBe(leaver.id);
    // SCIM reaches accounts through scim_users: the anonymised one is gone for it.
    expect(await thrown(getScimUser({ db: t.db, now: new Date(), notes: {} as never }, String(leaver.id)))).toBeTruthy();
    const reactivate = await adminUserAction({
      request: await postAs(t.db, admin, `/admin/users/${leaver.id}`, { intent: "reactivate" }),
      ...routeContext(t.db),
      params: { userId: String(leaver.id) },
    } as never);
    expect(reactivate).toMatchObject({ init: { status: 400 }, data: { formError: "This account is anonymised and can't be reactivated." } });
    // The switch itself refuses, whoever calls it (the admin page, SCIM).
    expect(await thrown(reactivateUser(t.db, admin, leaver.id))).toBeInstanceOf(InputError);
    const again = await thrown(anonymizeUser(t.db, admin, leaver.id));
    expect((again as Error).message).toMatch(/already anonymised/);
    const [row] = await t.db.select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, leaver.id));
    expect(row!.deactivatedAt).not.toBeNull();
  });
});
