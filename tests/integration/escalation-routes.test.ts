import type { ComponentType } from "react";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { forumEscalations, posts, siteSettings } from "#db/schema/index.ts";
import { evaluateEscalations } from "#app/features/escalations/rules.server.ts";
import { resolveEscalation } from "#app/features/escalations/escalations.server.ts";
import { ResolveSchema } from "#app/features/escalations/schemas.ts";
import { action as adminAction, loader as adminLoader } from "#app/routes/admin/forum.tsx";
import { loader as dashboardLoader } from "#app/routes/forum/dashboard.tsx";
import EscalationRoute, { action as escalationAction, loader as escalationLoader } from "#app/routes/forum/escalation.tsx";
import { loader as listLoader } from "#app/routes/forum/escalations.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createTags, createUser } from "#tests/factories/index.ts";
import { addMeToos, createCustomerThread, publicState } from "#tests/fixtures/escalations/forum-rows.ts";
import { startTestForum } from "#tests/forum.ts";
import { postAs, redirectTarget, requestAs, routeCaller, thrown, thrownStatus } from "#tests/helpers.ts";
import { executable, parseScreen, payloads, renderRoute } from "#tests/xss-render.ts";

/**
 * The forum desk's escalation pages and Admin → Forum, called as React Router calls them: who sees
 * what, the forms' errors (typed text kept, nothing written), the admin's urgent terms taking
 * effect, the internal question made from the customer's text, and every XSS payload through the
 * outcome customers read (on the escalation page and on the public forum).
 */
const t = setupTestDb();
const run = routeCaller(t);

type U = Awaited<ReturnType<typeof createUser>>;
let admin: U, moderator: U, hr: U, member: U, assignee: U, customer: U, gone: U;
let escalationId: number;
let threadId: number;

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  moderator = await createUser(t.db, { name: "Marco Moderator", email: "marco.mod@example.com" }, "moderator");
  hr = await createUser(t.db, { name: "Hana HR" }, "hr");
  member = await createUser(t.db, { name: "Mia Member" });
  assignee = await createUser(t.db, { name: "Asa Assignee", email: "asa.assignee@example.com" });
  customer = await createUser(t.db, {}, "customer");
  gone = await createUser(t.db, {}, "deactivated");
  const thread = await createCustomerThread(t.db, { title: "Outage in the billing API", body: "Every call fails with 503.\n\n@ada.admin please help", tags: ["billing", "api"] });
  threadId = thread.id;
  escalationId = (await evaluateEscalations(t.db, thread.id)).escalationId!;
});

const path = (id = escalationId) => `/forum/escalations/${id}`;
const params = (id = escalationId) => ({ escalationId: String(id) });

async function escalation(id = escalationId) {
  const [row] = await t.db.select().from(forumEscalations).where(eq(forumEscalations.id, id));
  return row!;
}

describe("who sees the escalation pages", () => {
  test("moderators and admins see the queue and the page; HR and members get a 404; HR sees the dashboard", async () => {
    for (const user of [moderator, admin]) {
      const list = (await run(listLoader, await requestAs(t.db, user, "/forum/escalations"))) as unknown as { rows: Array<{ id: number }> };
      expect(list.rows.map((r) => r.id)).toContain(escalationId);
      const page = (await run(escalationLoader, await requestAs(t.db, user, path()), params())) as unknown as { thread: { id: number; meToos: number } };
      expect(page.thread.id).toBe(threadId);
    }
    for (const user of [member, hr]) {
      expect(await thrownStatus(run(listLoader, await requestAs(t.db, user, "/forum/escalations")))).toBe(404);
      expect(await thrownStatus(run(escalationLoader, await requestAs(t.db, user, path()), params()))).toBe(404);
    }
    expect(await thrownStatus(run(escalationLoader, await requestAs(t.db, moderator, path(2_000_000_000)), params(2_000_000_000)))).toBe(404);
    expect(await thrownStatus(run(escalationLoader, await requestAs(t.db, moderator, "/forum/escalations/abc"), { escalationId: "abc" }))).toBe(404);
    for (const user of [moderator, admin, hr]) expect(await run(dashboardLoader, await requestAs(t.db, user, "/forum/dashboard"))).toHaveProperty("bySeverity");
    expect(await thrownStatus(run(dashboardLoader, await requestAs(t.db, member, "/forum/dashboard")))).toBe(404);
    expect(await thrownStatus(run(adminLoader, await requestAs(t.db, moderator, "/admin/forum")))).toBe(404);
    expect(await run(adminLoader, await requestAs(t.db, admin, "/admin/forum"))).toHaveProperty("values");
  });

  test("a customer is sent home and a deactivated account to sign-in, from every page and form, and nothing is written", async () => {
    const before = await escalation();
    for (const [user, target] of [
      [customer, /^\/$/],
      [gone, /^\/sign-in\?redirectTo=/],
    ] as const) {
      for (const [loader, p, prm] of [
        [listLoader, "/forum/escalations", {}],
        [escalationLoader, path(), params()],
        [dashboardLoader, "/forum/dashboard", {}],
        [adminLoader, "/admin/forum", {}],
      ] as const) {
        expect(redirectTarget(await thrown(run(loader, await requestAs(t.db, user, p), prm))), p).toMatch(target);
      }
      const resolve = await postAs(t.db, user, path(), { intent: "resolve", outcome: "Fixed by someone who should not." });
      expect(redirectTarget(await thrown(run(escalationAction, resolve, params())))).toMatch(target);
      const save = await postAs(t.db, user, "/admin/forum", { intent: "save-settings" });
      expect(redirectTarget(await thrown(run(adminAction, save)))).toMatch(target);
    }
    expect(await escalation()).toEqual(before);
  });

  test("an assignee who is a plain member sees and works their own escalation, and no one else's", async () => {
    const other = await createCustomerThread(t.db, { title: "Data loss after import", body: "Half the rows are gone." });
    const otherId = (await evaluateEscalations(t.db, other.id)).escalationId!;
    const assigned = await run(escalationAction, await postAs(t.db, moderator, path(), { intent: "assign", assignee: "@asa.assignee" }), params());
    expect(assigned).toMatchObject({ ok: true, notice: "Assigned to Asa Assignee." });
    expect(await escalation()).toMatchObject({ assigneeId: assignee.id });
    expect((await escalation()).firstResponseAt).not.toBeNull();
    const list = (await run(listLoader, await requestAs(t.db, assignee, "/forum/escalations"))) as unknown as { rows: Array<{ id: number }>; filter: string };
    expect(list.filter).toBe("mine");
    expect(list.rows.map((r) => r.id)).toEqual([escalationId]);
    // Even the "open" filter shows them only their own.
    const open = (await run(listLoader, await requestAs(t.db, assignee, "/forum/escalations?filter=open"))) as unknown as { rows: Array<{ id: number }> };
    expect(open.rows.map((r) => r.id)).not.toContain(otherId);
    const page = (await run(escalationLoader, await requestAs(t.db, assignee, path()), params())) as unknown as { can: Record<string, boolean> };
    expect(page.can).toEqual({ manage: false, work: true, resolve: true, dismiss: false });
    expect(await thrownStatus(run(escalationLoader, await requestAs(t.db, assignee, path(otherId)), params(otherId)))).toBe(404);
    // They work it, but may not reassign or dismiss it.
    expect(await run(escalationAction, await postAs(t.db, assignee, path(), { intent: "status", status: "investigating" }), params())).toMatchObject({ ok: true });
    expect(await thrownStatus(run(escalationAction, await postAs(t.db, assignee, path(), { intent: "dismiss" }), params()))).toBe(403);
    expect(await thrownStatus(run(escalationAction, await postAs(t.db, member, path(), { intent: "status", status: "open" }), params()))).toBe(404);
    expect(await escalation()).toMatchObject({ status: "investigating", assigneeId: assignee.id });
  });
});

describe("the forms", () => {
  test("bad input answers 400 with the message beside the field and the typed text kept; nothing changes", async () => {
    const before = await escalation();
    const long = "x".repeat(1001);
    const cases: Array<[Record<string, string>, string]> = [
      [{ intent: "resolve", outcome: "   " }, "outcome"],
      [{ intent: "resolve", outcome: long }, "outcome"],
      [{ intent: "assign", assignee: "@nobody.here" }, "assignee"],
      [{ intent: "severity", severity: "apocalyptic" }, "severity"],
      [{ intent: "status", status: "resolved" }, "status"],
      [{ intent: "open-question", space: "", tags: "billing" }, "space"],
    ];
    for (const [fields, field] of cases) {
      const reply = (await run(escalationAction, await postAs(t.db, moderator, path(), fields), params())) as unknown as {
        init: { status: number };
        data: { fieldErrors: Record<string, string>; values: Record<string, string> };
      };
      expect(reply.init.status, JSON.stringify(fields)).toBe(400);
      expect(reply.data.fieldErrors[field], JSON.stringify(fields)).toBeTruthy();
      expect(reply.data.values[field]).toBe(fields[field]);
    }
    expect(await escalation()).toEqual(before);
    expect(await thrownStatus(run(escalationAction, await postAs(t.db, moderator, path(), { intent: "explode" }), params()))).toBe(400);
  });

  test("admin: a bad number keeps the typed values and saves nothing; a new urgent term takes effect", async () => {
    const loaded = (await run(adminLoader, await requestAs(t.db, admin, "/admin/forum"))) as unknown as { values: Record<string, string> };
    const bad = await run(adminAction, await postAs(t.db, admin, "/admin/forum", { ...loaded.values, intent: "save-settings", meToo_threshold: "lots", urgent_terms: "recall\noutage" }));
    const failed = bad as unknown as { init: { status: number }; data: { fieldErrors: Record<string, string>; values: Record<string, string> } };
    expect(failed.init.status).toBe(400);
    expect(failed.data.fieldErrors.meToo_threshold).toBe("The “me too” threshold must be a whole number.");
    expect(failed.data.values.urgent_terms).toBe("recall\noutage");
    expect(await t.db.select().from(siteSettings).where(eq(siteSettings.key, "forum_escalation"))).toEqual([]);

    const recall = await createCustomerThread(t.db, { title: "Is there a product recall?", body: "I read about it." });
    expect((await evaluateEscalations(t.db, recall.id)).fired).toEqual([]);
    const fields = { ...loaded.values, intent: "save-settings", urgent_terms: "recall\nOutage\noutage\n\n" };
    expect(await run(adminAction, await postAs(t.db, admin, "/admin/forum", fields))).toMatchObject({ ok: true });
    const saved = (await run(adminLoader, await requestAs(t.db, admin, "/admin/forum"))) as unknown as { values: Record<string, string> };
    expect(saved.values.urgent_terms).toBe("recall\nOutage");
    expect((await evaluateEscalations(t.db, recall.id)).fired).toEqual(["urgent_terms"]);
    // Unticked: the rule is off.
    const off: Record<string, string> = { ...saved.values, intent: "save-settings" };
    delete off.urgent_enabled;
    expect(await run(adminAction, await postAs(t.db, admin, "/admin/forum", off))).toMatchObject({ ok: true });
    const later = await createCustomerThread(t.db, { title: "Another recall question", body: "Same here." });
    expect((await evaluateEscalations(t.db, later.id)).fired).toEqual([]);
    // Back to the defaults for the tests after this one.
    await t.db.delete(siteSettings).where(eq(siteSettings.key, "forum_escalation"));
  });

  test("the internal question quotes the customer, links both ways, and a second submit opens no second one", async () => {
    const space = await createSpace(t.db, { slug: "support-escalations" });
    // Tags that exist already: creating one takes reputation the assignee doesn't have (a field error otherwise).
    await createTags(t.db, ["billing", "api"]);
    const key = crypto.randomUUID();
    const fields = { intent: "open-question", space: space.slug, tags: "billing api", submissionKey: key };
    const reply = await run(escalationAction, await postAs(t.db, assignee, path(), fields), params()).catch((e: unknown) => e);
    const target = redirectTarget(reply);
    expect(target, JSON.stringify(reply)).not.toBeNull();
    const { questionId } = await escalation();
    expect(questionId).not.toBeNull();
    expect(target).toMatch(new RegExp(`^/questions/${questionId}/`));
    const [question] = await t.db.select().from(posts).where(eq(posts.id, questionId!));
    expect(question!.title).toBe("Escalation: Outage in the billing API");
    expect(question!.body).toContain("> Every call fails with 503.");
    expect(question!.body).toContain(`/t/${threadId}/customer-question`);
    expect(question!.body).toContain(`/forum/escalations/${escalationId}`);
    // The customer's @mention is quoted as text: it reaches no one inside.
    expect(question!.body).toContain("&#64;ada.admin");
    expect(question!.bodyHtml).toContain("<blockquote>");
    const again = redirectTarget(await thrown(run(escalationAction, await postAs(t.db, assignee, path(), { ...fields, submissionKey: crypto.randomUUID() }), params())));
    expect(again).toBe(target);
    expect(
      await t.db
        .select({ id: posts.id })
        .from(posts)
        .where(sql`${posts.title} like 'Escalation: %'`),
    ).toHaveLength(1);
    const page = (await run(escalationLoader, await requestAs(t.db, assignee, path()), params())) as unknown as { question: { id: number } | null };
    expect(page.question?.id).toBe(questionId);
  });

  test("resolving twice is harmless, and a closed escalation takes no other change", async () => {
    const thread = await createCustomerThread(t.db, { title: "Legal question about data retention", body: "Where is it written?" });
    await addMeToos(t.db, thread.id, 1);
    const id = (await evaluateEscalations(t.db, thread.id)).escalationId!;
    const fields = { intent: "resolve", outcome: "Our retention policy is now on the website." };
    expect(await run(escalationAction, await postAs(t.db, moderator, path(id), fields), params(id))).toMatchObject({
      ok: true,
      notice: "Resolved. Customers see the outcome on the thread now.",
    });
    expect(await run(escalationAction, await postAs(t.db, moderator, path(id), fields), params(id))).toMatchObject({ ok: true, notice: "It was resolved already." });
    expect(await publicState(t.db, thread.id)).toEqual({ state: "resolved", outcome: "Our retention policy is now on the website." });
    const refused = (await run(escalationAction, await postAs(t.db, moderator, path(id), { intent: "severity", severity: "low" }), params(id))) as unknown as {
      init: { status: number };
      data: { formError: string };
    };
    expect(refused.init.status).toBe(400);
    expect(refused.data.formError).toBe("This escalation was resolved already: nothing changed.");
  });
});

describe("every XSS payload through the outcome comes out as text", () => {
  test("on the escalation page and on the forum's thread page", { timeout: 180_000 }, async () => {
    const { forum, base } = await startTestForum(t);
    try {
      let checked = 0;
      for (const [i, { payload }] of payloads.entries()) {
        const parsed = ResolveSchema.safeParse({ outcome: payload });
        if (!parsed.success) continue;
        const thread = await createCustomerThread(t.db, { title: `Outage report ${i}`, body: "Down again." });
        const id = (await evaluateEscalations(t.db, thread.id)).escalationId!;
        await resolveEscalation(t.db, moderator, id, parsed.data);
        const data = await run(escalationLoader, await requestAs(t.db, moderator, path(id)), params(id));
        const html = renderRoute(EscalationRoute as ComponentType<never>, data, moderator);
        expect(executable(html), payload).toEqual([]);
        if (i % 4 === 0) {
          const page = await fetch(`${base}/t/${thread.id}/customer-question`);
          expect(page.status).toBe(200);
          // The forum's page has its JSON-LD block (data, not script); the outcome itself is one text node.
          const outcome = parseScreen(await page.text()).querySelector(".escalation-outcome");
          expect(outcome?.children.length, payload).toBe(0);
          expect(outcome?.textContent, payload).toBe(`Resolved by our team: ${parsed.data.outcome}`);
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(100);
    } finally {
      await forum.stop();
    }
  });
});
