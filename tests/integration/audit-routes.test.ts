import { eq } from "drizzle-orm";
import type { ComponentType } from "react";
import { beforeAll, describe, expect, test } from "vitest";
import { auditLog, users } from "#db/schema/index.ts";
import { type AuditEntry, recordAudits } from "#app/features/audit/audit.server.ts";
import { AUDIT_CSV_BATCH, auditAboutMe } from "#app/features/audit/log.server.ts";
import { askAnonymously } from "#app/features/anonymous/ask.server.ts";
import { breakGlass } from "#app/features/anonymous/moderation.server.ts";
import AuditRoute, { loader as auditLoader } from "#app/routes/admin/audit.tsx";
import { loader as auditCsvLoader } from "#app/routes/admin/audit-csv.ts";
import { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { setupTestDb } from "#tests/db.ts";
import { redirected, requestAs, routeCaller, thrownStatus } from "#tests/helpers.ts";
import { createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { executable, parseScreen, payloads, renderRoute } from "#tests/xss-render.ts";

/**
 * Issue 23: Admin → Audit log and its CSV (admins only; the admin pages' 404 for anyone else),
 * filters and keyset pages, the CSV's quoting and formula prefix, the XSS corpus through the
 * rendered details, and the entries a person sees about themselves on their own profile.
 */
const t = setupTestDb();
const run = routeCaller(t);
type User = typeof users.$inferSelect;
let admin: User, hr: User, moderator: User, member: User, outsider: User, customer: User, deactivated: User, departed: User, formula: User;
const handle = (u: User) => u.email.split("@")[0]!;

type Page = {
  values: Record<string, string>;
  fieldErrors: Record<string, string>;
  page: {
    rows: Array<{
      id: number;
      action: string;
      label: string;
      actor: { name: string; url: string | null };
      subject: { name: string } | null;
      target: { label: string; url: string | null } | null;
      details: string;
    }>;
    newerThan: number | null;
    olderThan: number | null;
  } | null;
};

async function page(query = "", who: User = admin): Promise<Page> {
  return (await run(auditLoader, await requestAs(t.db, who, `/admin/audit${query}`))) as unknown as Page;
}

async function csv(query = ""): Promise<string> {
  const response = (await run(auditCsvLoader, await requestAs(t.db, admin, `/admin/audit.csv${query}`))) as unknown as Response;
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  // response.text() would drop the byte order mark: it is part of what is checked.
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
}

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  hr = await createUser(t.db, { name: "Hanna HR" }, "hr");
  moderator = await createUser(t.db, { name: "Mo Derator" }, "moderator");
  member = await createUser(t.db, { name: "Mia Member" });
  outsider = await createUser(t.db, { name: "Olly Outsider" });
  customer = await createUser(t.db, { name: "Carl Customer" }, "customer");
  deactivated = await createUser(t.db, { name: "Dee Activated" }, "deactivated");
  departed = await createUser(t.db, { name: "Daria Departed" });
  formula = await createUser(t.db, { name: '=HYPERLINK("http://evil.example","x"), "quoted"' });
  await t.db.update(users).set({ anonymizedAt: new Date() }).where(eq(users.id, departed.id));
  await createSpace(t.db, { slug: "inner-circle", name: "Inner circle", members: [member] }, "restricted");
  await createTags(t.db, ["general"]);
  // 120 role changes of the member by the admin, oldest first; then entries of other kinds.
  await recordAudits(
    t.db,
    Array.from({ length: 120 }, (_, i): AuditEntry => ({
      actorId: admin.id,
      action: "user.role_changed",
      subjectUserId: member.id,
      details: { from: "member", to: i % 2 ? "moderator" : "member" },
    })),
  );
  await recordAudits(t.db, [
    { actorId: departed.id, action: "token.created", subjectUserId: departed.id, target: { type: "token", id: 9 }, details: { name: "old laptop" } },
    { actorId: null, via: "scim", action: "scim.user_created", subjectUserId: outsider.id, target: { type: "user", id: outsider.id } },
    { actorId: formula.id, action: "content.redacted", subjectUserId: member.id, details: { reason: '-1+2, a "quoted" reason\nover two lines' } },
  ]);
});

describe("who may open the audit log", () => {
  // As every admin page (requireAdmin): a customer goes to the forum's home, a deactivated or signed-out browser to sign-in.
  test("admins get the page and the CSV; members, a non-member of a restricted space, HR and moderators get the 404; customers and deactivated accounts are sent away", async () => {
    expect((await page()).page!.rows).toHaveLength(50);
    for (const who of [member, outsider, hr, moderator]) {
      expect(await thrownStatus(run(auditLoader, await requestAs(t.db, who, "/admin/audit"))), who.name).toBe(404);
      expect(await thrownStatus(run(auditCsvLoader, await requestAs(t.db, who, "/admin/audit.csv"))), who.name).toBe(404);
    }
    for (const path of ["/admin/audit", "/admin/audit.csv"]) {
      const loader = path.endsWith(".csv") ? auditCsvLoader : auditLoader;
      expect(await redirected(run(loader, await requestAs(t.db, customer, path)))).toBe("/");
      expect(await redirected(run(loader, await requestAs(t.db, deactivated, path)))).toMatch(/^\/sign-in/);
      expect(await redirected(run(loader, await requestAs(t.db, null, path)))).toMatch(/^\/sign-in/);
    }
  });
});

describe("the page", () => {
  test("newest first, 50 a page, Next and Previous by id", async () => {
    const first = await page();
    const ids = first.page!.rows.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(first.page!.newerThan).toBeNull();
    expect(first.page!.olderThan).toBe(ids.at(-1));
    const second = await page(`?before=${first.page!.olderThan}`);
    expect(second.page!.rows).toHaveLength(50);
    expect(second.page!.rows[0]!.id).toBeLessThan(ids.at(-1)!);
    expect(second.page!.newerThan).toBe(second.page!.rows[0]!.id);
    const third = await page(`?before=${second.page!.olderThan}`);
    expect(third.page!.rows).toHaveLength(23);
    expect(third.page!.olderThan).toBeNull();
    const back = await page(`?after=${second.page!.newerThan}`);
    expect(back.page!.rows.map((r) => r.id)).toEqual(ids);
    expect(back.page!.newerThan).toBeNull();
  });

  test("each row says when, who, what, about whom, the target and the details; a departed person is a former employee, SCIM acts as SCIM", async () => {
    const [redacted, scim, token, role] = (await page()).page!.rows;
    expect(redacted).toMatchObject({
      label: "Revision redacted",
      actor: { name: formula.name },
      subject: { name: "Mia Member" },
      details: 'reason: -1+2, a "quoted" reason\nover two lines',
    });
    expect(scim).toMatchObject({ label: "SCIM: person created", actor: { name: "SCIM", url: null }, subject: { name: "Olly Outsider" }, target: { url: `/admin/users/${outsider.id}` } });
    expect(token).toMatchObject({ actor: { name: "former employee", url: null }, subject: { name: "former employee" }, target: { label: "API token #9", url: null } });
    expect(role).toMatchObject({ label: "Role changed", actor: { name: "Ada Admin", url: `/admin/users/${admin.id}` }, details: "from: member; to: moderator" });
  });

  test("filters by action, actor, subject and dates; an unknown handle is a field error with the text kept", async () => {
    expect((await page("?action=scim.user_created")).page!.rows.map((r) => r.action)).toEqual(["scim.user_created"]);
    const byActor = await page(`?actor=@${handle(formula)}`);
    expect(byActor.page!.rows.map((r) => r.action)).toEqual(["content.redacted"]);
    // A departed (anonymised) account is still found by its handle.
    expect((await page(`?subject=${handle(departed)}`)).page!.rows.map((r) => r.action)).toEqual(["token.created"]);
    const old = new Date("2025-03-04T10:00:00Z");
    await t.db.insert(auditLog).values({ at: old, actorId: hr.id, action: "hr.person_viewed", subjectUserId: member.id, details: { what: "analytics" } });
    expect((await page("?from=2025-03-04&to=2025-03-04")).page!.rows.map((r) => r.action)).toEqual(["hr.person_viewed"]);
    expect((await page("?from=2025-03-05&to=2025-03-31")).page!.rows).toEqual([]);
    expect((await page("?to=2025-03-03")).page!.rows).toEqual([]);

    const unknown = (await page("?actor=@nobody.at.all&action=user.role_changed")) as unknown as { data: Page; init: { status: number } };
    expect(unknown.init.status).toBe(400);
    expect(unknown.data.fieldErrors.actor).toMatch(/No one goes by @nobody\.at\.all/);
    expect(unknown.data.values).toMatchObject({ actor: "@nobody.at.all", action: "user.role_changed" });
    const bad = (await page("?action=user.exploded&from=2025-02-30&to=yesterday")) as unknown as { data: Page; init: { status: number } };
    expect(bad.init.status).toBe(400);
    expect(Object.keys(bad.data.fieldErrors).sort()).toEqual(["action", "from", "to"]);
    expect(await thrownStatus(run(auditCsvLoader, await requestAs(t.db, admin, "/admin/audit.csv?subject=nobody.at.all")))).toBe(400);
  });

  test("the empty state", async () => {
    const html = renderRoute(AuditRoute as ComponentType<never>, await page("?action=user.anonymized"), { ...admin, role: "admin" });
    expect(parseScreen(html).textContent).toContain("No entries match");
  });
});

describe("the CSV", () => {
  test("the same filter, a header row, RFC 4180 quoting, and formula-looking cells prefixed", async () => {
    const text = await csv("?action=content.redacted");
    expect(text.startsWith("\uFEFFid,when (UTC),action,what,via,actor id,actor,subject id,subject,target type,target id,space id,details,request id\r\n")).toBe(true);
    const [, line] = text.slice(1).split("\r\n");
    expect(line).toMatch(/^\d+,\d{4}-\d\d-\d\dT[^,]+Z,content\.redacted,Revision redacted,user,/);
    // The name starts with "=": an apostrophe first, and quoted for its comma and quotes.
    expect(line).toContain(`,${formula.id},"'=HYPERLINK(""http://evil.example"",""x""), ""quoted""",${member.id},Mia Member,`);
    // A line break inside a quoted field is part of it (RFC 4180), so the record ends after it.
    expect(text).toContain(`,"reason: -1+2, a ""quoted"" reason\nover two lines",\r\n`);
  });

  test("a long log comes out whole, read a batch at a time", async () => {
    const many = AUDIT_CSV_BATCH + 30;
    const start = (await t.db.select({ id: auditLog.id }).from(auditLog)).length;
    await recordAudits(
      t.db,
      Array.from({ length: many }, (): AuditEntry => ({ actorId: null, via: "system", action: "award.round_closed", details: { note: "=1+1" } })),
    );
    const text = await csv("?action=award.round_closed");
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(many + 1);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0])).size).toBe(many);
    // "note: =1+1" starts with a letter: nothing to prefix. No actor: "system".
    expect(lines[1]).toMatch(/,system,,system,,,,,,note: =1\+1,$/);
    expect((await t.db.select({ id: auditLog.id }).from(auditLog)).length).toBe(start + many);
  });
});

test("every XSS payload stored in an entry's details renders as text on the page", { timeout: 120_000 }, async () => {
  await recordAudits(
    t.db,
    payloads.map(({ payload }): AuditEntry => ({ actorId: admin.id, action: "space.visibility_changed", details: { space: payload, reason: payload } })),
  );
  let query = "?action=space.visibility_changed";
  let shown = 0;
  for (;;) {
    const data = await page(query);
    const html = renderRoute(AuditRoute as ComponentType<never>, data, { ...admin, role: "admin" });
    expect(executable(html)).toEqual([]);
    const cells = [...parseScreen(html).querySelectorAll("tbody tr td:last-child")].map((td) => td.textContent);
    // The HTML parser reads a lone carriage return as a line feed: that is not markup.
    expect(cells).toEqual(data.page!.rows.map((r) => r.details.replace(/\r\n?/g, "\n")));
    shown += data.page!.rows.length;
    if (!data.page!.olderThan) break;
    query = `?action=space.visibility_changed&before=${data.page!.olderThan}`;
  }
  expect(shown).toBe(payloads.length);
});

describe("what a person sees about themselves", () => {
  test("their own entries of the kinds they may see, newest first, on their own profile only; a break-glass on their anonymous question", async () => {
    const asker = await createUser(t.db, { name: "Ash Asker" });
    const space = await createSpace(t.db, { slug: "ask-away", name: "Ask away", anonymousQuestions: true, moderators: [moderator] });
    const { id } = await askAnonymously(t.db, asker, {
      space: space.slug,
      title: "Will the office move affect parking?",
      body: "I would like to know before I renew my permit.",
      tags: ["general"],
      submissionKey: undefined,
    });
    await recordAudits(t.db, [
      { actorId: hr.id, action: "hr.person_viewed", subjectUserId: asker.id, target: { type: "user", id: asker.id }, details: { what: "analytics" } },
      // Moderation of their content is shown on the content itself, not here.
      { actorId: moderator.id, action: "content.deleted", subjectUserId: asker.id, target: { type: "answer", id: 1 } },
      { actorId: admin.id, action: "user.role_changed", subjectUserId: asker.id, details: { from: "member", to: "moderator" } },
      // About someone else.
      { actorId: admin.id, action: "user.role_changed", subjectUserId: member.id, details: { from: "member", to: "moderator" } },
    ]);
    await breakGlass(t.db, moderator, id, { reason: "A threat was posted under this question." });
    const mine = await auditAboutMe(t.db, asker, asker.id);
    expect(mine!.map((e) => [e.action, e.actor.name, e.details])).toEqual([
      ["anonymous.asker_revealed", "Mo Derator", "reason: A threat was posted under this question."],
      ["user.role_changed", "Ada Admin", "from: member; to: moderator"],
      ["hr.person_viewed", "Hanna HR", "what: analytics"],
    ]);
    // Nobody else sees them, an admin included, and the admin's log never names the asker.
    expect(await auditAboutMe(t.db, admin, asker.id)).toBeNull();
    const reveal = (await page("?action=anonymous.asker_revealed")).page!.rows[0]!;
    expect(reveal.subject).toBeNull();
    expect(JSON.stringify(reveal)).not.toContain("Ash Asker");

    const own = (await run(profileLoader, await requestAs(t.db, asker, `/people/${asker.id}`), { userId: String(asker.id) })) as unknown as { auditEntries: unknown[] | null };
    expect(own.auditEntries).toHaveLength(3);
    const other = (await run(profileLoader, await requestAs(t.db, admin, `/people/${asker.id}`), { userId: String(asker.id) })) as unknown as { auditEntries: unknown[] | null };
    expect(other.auditEntries).toBeNull();
  });
});
