import { count, eq, inArray } from "drizzle-orm";
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, test } from "vitest";
import { badgeAwards, badges, posts } from "#db/schema/index.ts";
import { awardBadge, createBadge, grantBadges } from "#app/features/recognition/badges.server.ts";
import { questionPage } from "#app/features/qa/question-page.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { PostAuthor } from "#app/components/qa/post-author.tsx";
import BadgeRoute, { action as badgeAction, loader as badgeLoader } from "#app/routes/badges/badge.tsx";
import BadgesRoute, { loader as badgesLoader } from "#app/routes/badges/index.tsx";
import { action as newAction, loader as newLoader } from "#app/routes/badges/new.tsx";
import NotificationsRoute, { loader as inboxLoader } from "#app/routes/notifications.tsx";
import ProfileRoute, { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { setupTestDb } from "#tests/db.ts";
import { postAs, redirected, redirectTarget, requestAs, routeCaller, type RouteHandler, type RouteReply, thrown, thrownStatus } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { executable, parseScreen as parsed, payloads, renderRoute, rendersAsText } from "#tests/xss-render.ts";

/**
 * The badge routes, called as React Router calls them: a member reads and is refused HR's forms
 * and actions; HR uses them; customers and deactivated accounts are turned away; bad input comes
 * back with its text; what was earned in a restricted space is named only to those who see it; and
 * every XSS payload through a badge's name and description and an award's reason renders inert.
 */
const t = setupTestDb();

const call = routeCaller(t);

const failure = (reply: RouteReply) => reply.data as { fieldErrors: Record<string, string>; formError?: string; values: Record<string, string> };
const badgePath = (id: number | string) => ({ path: `/badges/${id}`, params: { badgeId: String(id) } });

async function awardsOf(badgeId: number) {
  const [row] = await t.db.select({ n: count() }).from(badgeAwards).where(eq(badgeAwards.badgeId, badgeId));
  return row!.n;
}

describe("who uses the badge routes", () => {
  test("a member reads the list, a badge and someone's badges; the new badge page and every action answer 403 and write nothing", async () => {
    const hr = await createUser(t.db, { name: "Hana HR" }, "hr");
    const member = await createUser(t.db);
    const customer = await createUser(t.db, {}, "customer");
    const { id } = await createBadge(t.db, hr, { name: "Launch crew", description: "Shipped the launch.", tier: "gold" });
    await awardBadge(t.db, hr, id, { person: String(member.id), reason: "The launch." });

    const list = await call(badgesLoader, await requestAs(t.db, member, "/badges"));
    expect(list.canManage).toBe(false);
    expect(list.badges).toContainEqual(expect.objectContaining({ id, name: "Launch crew", holderCount: 1, mine: 1, automatic: false }));
    const custom = await call(badgesLoader, await requestAs(t.db, member, "/badges?kind=automatic"));
    expect((custom.badges as Array<{ id: number }>).some((b) => b.id === id)).toBe(false);
    const theirs = await call(badgesLoader, await requestAs(t.db, hr, `/badges?holder=${member.id}`));
    expect(theirs.holder).toEqual({ id: member.id, name: member.name });
    expect((theirs.badges as Array<{ id: number; held: number }>).map((b) => [b.id, b.held])).toEqual([[id, 1]]);
    // Someone who is not an employee, or not an id, has no badges page: the 404 of a missing one.
    for (const holder of [String(customer.id), "abc", "99999999"])
      expect(await thrown(call(badgesLoader, await requestAs(t.db, member, `/badges?holder=${holder}`)))).toBeInstanceOf(NotFoundError);

    const page = await call(badgeLoader, await requestAs(t.db, member, badgePath(id).path), badgePath(id).params);
    expect(page).toMatchObject({ badge: { id, name: "Launch crew", automatic: false }, mine: 1, canManage: false, total: 1 });
    expect((page.holders as Array<{ person: { id: number }; reason: string; awardedBy: { id: number } }>)[0]).toMatchObject({
      person: { id: member.id },
      reason: "The launch.",
      awardedBy: { id: hr.id },
    });
    for (const missing of ["99999999", "abc", "0"])
      expect(await thrown(call(badgeLoader, await requestAs(t.db, member, `/badges/${missing}`), { badgeId: missing }))).toBeInstanceOf(NotFoundError);

    expect(await thrownStatus(call(newLoader, await requestAs(t.db, member, "/badges/new")))).toBe(403);
    expect(await thrownStatus(call(newAction, await postAs(t.db, member, "/badges/new", { name: "Mine", description: "Self-made.", tier: "gold" })))).toBe(403);
    const refused: Array<Record<string, string>> = [
      { intent: "award", person: String(customer.id), reason: "x" },
      { intent: "archive" },
      { intent: "edit", name: "x", description: "y", tier: "gold" },
    ];
    for (const fields of refused) expect(await thrownStatus(call(badgeAction, await postAs(t.db, member, badgePath(id).path, fields), badgePath(id).params))).toBe(403);
    const [made] = await t.db.select({ n: count() }).from(badges).where(eq(badges.name, "Mine"));
    expect(made!.n).toBe(0);
    expect(await awardsOf(id)).toBe(1);
  });

  test("HR creates a badge through the form, then awards, edits, archives, restores and revokes on its page", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const colleague = await createUser(t.db, { email: "kai.colleague@northwind.example" });
    expect(await call(newLoader, await requestAs(t.db, hr, "/badges/new"))).toBeNull();
    const to = await redirected(call(newAction, await postAs(t.db, hr, "/badges/new", { name: "Bug hunter", description: "Found the nastiest bug.", tier: "silver" })));
    const id = Number(/^\/badges\/(\d+)$/.exec(to)?.[1]);
    const { path, params } = badgePath(id);
    const act = async (fields: Record<string, string>) => redirected(call(badgeAction, await postAs(t.db, hr, path, fields), params));

    expect(await act({ intent: "award", person: "@kai.colleague", reason: "The memory leak." })).toBe(`${path}?done=awarded`);
    expect(await t.db.select({ userId: badgeAwards.userId, reason: badgeAwards.reason }).from(badgeAwards).where(eq(badgeAwards.badgeId, id))).toEqual([
      { userId: colleague.id, reason: "The memory leak." },
    ]);
    expect(await act({ intent: "edit", name: "Bug slayer", description: "Found the nastiest bug.", tier: "gold" })).toBe(`${path}?done=saved`);
    expect(await act({ intent: "archive" })).toBe(`${path}?done=archived`);
    expect((await call(badgeLoader, await requestAs(t.db, hr, path), params)).badge).toMatchObject({ name: "Bug slayer", tier: "gold", archived: true });
    expect(await act({ intent: "restore" })).toBe(`${path}?done=restored`);
    const [award] = await t.db.select({ id: badgeAwards.id }).from(badgeAwards).where(eq(badgeAwards.badgeId, id));
    expect(await act({ intent: "revoke", awardId: String(award!.id) })).toBe(`${path}?done=revoked`);
    expect(await awardsOf(id)).toBe(0);
  });

  test("customers are sent home and deactivated accounts to sign-in by every badge route, writing nothing", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "hr", "deactivated");
    const { id } = await createBadge(t.db, hr, { name: "Not for them", description: "x", tier: "bronze" });
    const { path, params } = badgePath(id);
    const routes: Array<[RouteHandler, string, Record<string, string> | null, Record<string, string>]> = [
      [badgesLoader, "/badges", null, {}],
      [newLoader, "/badges/new", null, {}],
      [newAction, "/badges/new", { name: "Theirs", description: "x", tier: "gold" }, {}],
      [badgeLoader, path, null, params],
      [badgeAction, path, { intent: "award", person: String(hr.id), reason: "x" }, params],
    ];
    for (const [handler, to, fields, routeParams] of routes) {
      const asCustomer = fields ? await postAs(t.db, customer, to, fields) : await requestAs(t.db, customer, to);
      expect(redirectTarget(await thrown(call(handler, asCustomer, routeParams))), to).toBe("/");
      const asGone = fields ? await postAs(t.db, gone, to, fields) : await requestAs(t.db, gone, to);
      expect(redirectTarget(await thrown(call(handler, asGone, routeParams))), to).toMatch(/^\/sign-in/);
    }
    expect(await awardsOf(id)).toBe(0);
    const [theirs] = await t.db.select({ n: count() }).from(badges).where(eq(badges.name, "Theirs"));
    expect(theirs!.n).toBe(0);
  });

  test("bad input answers 400 with the field's message and the typed text kept, or 404 for a wrong id; nothing is written", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const tooLong = "A badge name that goes on for far too long";
    const made = await call(newAction, await postAs(t.db, admin, "/badges/new", { name: tooLong, description: "Kept as typed.", tier: "gold" }));
    expect(made.init?.status).toBe(400);
    expect(failure(made)).toMatchObject({ fieldErrors: { name: expect.stringMatching(/40 characters/) }, values: { name: tooLong, description: "Kept as typed.", tier: "gold" } });
    const noTier = await call(newAction, await postAs(t.db, admin, "/badges/new", { name: "Tierless", description: "x", tier: "platinum" }));
    expect(failure(noTier).fieldErrors.tier).toBeDefined();

    const { id } = await createBadge(t.db, admin, { name: "Kept text", description: "x", tier: "bronze" });
    const { path, params } = badgePath(id);
    const unknown = await call(badgeAction, await postAs(t.db, admin, path, { intent: "award", person: "@no.such.person", reason: "Typed with care." }), params);
    expect(unknown.init?.status).toBe(400);
    expect(failure(unknown)).toMatchObject({ fieldErrors: { person: expect.stringMatching(/No one active/) }, values: { person: "@no.such.person", reason: "Typed with care." } });
    expect(unknown.data!.intent).toBe("award");
    const longReason = await call(badgeAction, await postAs(t.db, admin, path, { intent: "award", person: "@someone", reason: "r".repeat(281) }), params);
    expect(failure(longReason).fieldErrors.reason).toMatch(/280/);
    const clash = await call(badgeAction, await postAs(t.db, admin, path, { intent: "edit", name: "First answer", description: "x", tier: "gold" }), params);
    expect(failure(clash)).toMatchObject({ fieldErrors: { name: expect.stringMatching(/automatic/) }, values: { name: "First answer" } });

    expect(await thrownStatus(call(badgeAction, await postAs(t.db, admin, path, { intent: "revoke", awardId: "abc" }), params))).toBe(404);
    expect(await thrownStatus(call(badgeAction, await postAs(t.db, admin, path, { intent: "revoke", awardId: "12345" }), params))).toBe(404);
    expect(await thrownStatus(call(badgeAction, await postAs(t.db, admin, "/badges/abc", { intent: "archive" }), { badgeId: "abc" }))).toBe(404);
    expect(await thrownStatus(call(badgeAction, await postAs(t.db, admin, path, { intent: "explode" }), params))).toBe(400);
    expect(await awardsOf(id)).toBe(0);
    const [stored] = await t.db.select().from(badges).where(eq(badges.id, id));
    expect(stored).toMatchObject({ name: "Kept text", archivedAt: null });
  });
});

describe("what was earned in a restricted space", () => {
  test("a badge's page names the tag and the answer only to readers who see the space; the profile names neither", { timeout: 60_000 }, async () => {
    const expert = await createUser(t.db, { name: "Eli Expert" });
    const asker = await createUser(t.db);
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [expert, asker, insider] }, "restricted");
    let firstAnswer = 0;
    let firstQuestion = 0;
    for (let i = 0; i < 10; i++) {
      const q = await createQuestion(t.db, { author: asker, space: secret, tags: ["secret-ops"], title: `Project Nightjar question number ${i}, how do we?` });
      const a = await createAnswer(t.db, { author: expert, questionId: q });
      firstAnswer ||= a;
      firstQuestion ||= q;
      await t.db.update(posts).set({ acceptedAnswerId: a }).where(eq(posts.id, q));
    }
    await t.db.update(posts).set({ score: 12 }).where(eq(posts.id, firstAnswer));
    await grantBadges(t.db);
    const rules = await t.db
      .select({ id: badges.id, rule: badges.rule })
      .from(badges)
      .where(inArray(badges.rule, ["tag-accepted-10", "answer-score-10"]));
    const idOf = (rule: string) => rules.find((r) => r.rule === rule)!.id;

    type Holders = Array<{ person: { id: number }; evidence: unknown }>;
    const evidence = async (reader: { id: number }, rule: string) => {
      const { path, params } = badgePath(idOf(rule));
      const page = await call(badgeLoader, await requestAs(t.db, reader, path), params);
      return (page.holders as Holders).find((h) => h.person.id === expert.id)?.evidence;
    };
    expect(await evidence(insider, "tag-accepted-10")).toEqual({ kind: "tag", name: "secret-ops" });
    expect(await evidence(insider, "answer-score-10")).toEqual({
      kind: "item",
      title: "Project Nightjar question number 0, how do we?",
      url: expect.stringContaining(`#answer-${firstAnswer}`),
    });
    // The outsider sees that Eli holds both badges, and nothing of what for.
    expect(await evidence(outsider, "tag-accepted-10")).toBeNull();
    expect(await evidence(outsider, "answer-score-10")).toBeNull();
    const profile = await call(profileLoader, await requestAs(t.db, outsider, `/people/${expert.id}`), { userId: String(expert.id) });
    expect((profile.badges as { badges: Array<{ name: string }> }).badges.map((b) => b.name)).toEqual(expect.arrayContaining(["Tag specialist", "Nice answer"]));
    const theirs = await call(badgesLoader, await requestAs(t.db, outsider, `/badges?holder=${expert.id}`));
    for (const shown of [profile.badges, theirs]) {
      expect(JSON.stringify(shown)).not.toMatch(/secret-ops|Nightjar/);
    }

    // The user card on the question page: Eli's counts by tier (one silver, three bronze), read with the thread.
    const question = await questionPage(t.db, insider, firstQuestion, new Date());
    expect(question.answers[0]!.author).toMatchObject({ id: expert.id, goldBadges: 0, silverBadges: 1, bronzeBadges: 3 });
    const card = renderToStaticMarkup(
      createElement(MemoryRouter, null, createElement(PostAuthor, { person: question.answers[0]!.author, verb: "answered", date: new Date(), now: Date.now() })),
    );
    expect(parsed(card).textContent).toContain("1 silver badge");
    expect(parsed(card).textContent).toContain("3 bronze badges");
    expect(parsed(card).textContent).not.toContain("gold");
  });
});

// ---------------------------------------------------------------------------------------------
// XSS

const TIERS = ["gold", "silver", "bronze"] as const;

describe("every XSS payload through badge texts comes out inert", () => {
  test("names, descriptions and award reasons are stored as text, and the list, badges' pages, the profile and the inbox run nothing", { timeout: 120_000 }, async () => {
    const hr = await createUser(t.db, { name: "Xena HR" }, "hr");
    const holder = await createUser(t.db, { name: "Hal Holder" });
    const text = (payload: string) => (payload.trim() ? payload : `${payload}padded`);
    // Every payload as a badge's name and description; the first fifteen held by Hal (his profile and inbox show them).
    const ids: number[] = [];
    for (const [i, { payload }] of payloads.entries()) {
      try {
        const { id } = await createBadge(t.db, hr, { name: `${i} ${payload}`.slice(0, 40), description: text(payload).slice(0, 280), tier: TIERS[i % 3]! });
        ids.push(id);
        if (ids.length <= 15) await awardBadge(t.db, hr, id, { person: String(holder.id), reason: "For the test." });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
      }
    }
    expect(ids.length).toBeGreaterThan(200);
    // Every payload as the reason of an award of one badge, to as many colleagues: its holder pages show them all.
    const reasons = await createBadge(t.db, hr, { name: "Payload reasons", description: "Held for a reason.", tier: "bronze" });
    let awarded = 0;
    for (const { payload } of payloads) {
      const colleague = await createUser(t.db);
      const done = await awardBadge(t.db, hr, reasons.id, { person: String(colleague.id), reason: text(payload).slice(0, 280) }).catch((error: unknown) => {
        if (error instanceof InputError) return null;
        throw error;
      });
      if (done) awarded++;
    }
    expect(awarded).toBeGreaterThan(200);

    const rows = await t.db.select({ name: badges.name, description: badges.description }).from(badges).where(inArray(badges.id, ids));
    const given = await t.db.select({ reason: badgeAwards.reason }).from(badgeAwards).where(eq(badgeAwards.badgeId, reasons.id));
    for (const value of [...rows.flatMap((r) => [r.name, r.description]), ...given.map((g) => g.reason)]) expect(rendersAsText(value), value).toBe(true);

    const list = await call(badgesLoader, await requestAs(t.db, holder, "/badges"));
    const listed = parsed(renderRoute(BadgesRoute as ComponentType<never>, list, { ...holder, role: "member" }));
    expect(executable(listed)).toEqual([]);
    expect(listed.querySelectorAll("h3 a").length).toBeGreaterThan(200);

    // The badge page as HR sees it (its forms hold the texts too): every page of the reasons, and every tenth payload badge.
    const pages = [...Array.from({ length: Math.ceil(awarded / 30) }, (_, n) => ({ id: reasons.id, page: n + 1 })), ...ids.filter((_, i) => i % 10 === 0).map((id) => ({ id, page: 1 }))];
    for (const { id, page } of pages) {
      const { path, params } = badgePath(id);
      const data = await call(badgeLoader, await requestAs(t.db, hr, `${path}?page=${page}`), params);
      const doc = parsed(renderRoute(BadgeRoute as ComponentType<never>, data, { ...hr, role: "hr" }));
      expect(executable(doc), path).toEqual([]);
      expect(doc.querySelector("h1")?.textContent).toBe((data.badge as { name: string }).name);
    }

    const profile = await call(profileLoader, await requestAs(t.db, hr, `/people/${holder.id}`), { userId: String(holder.id) });
    expect(executable(renderRoute(ProfileRoute as ComponentType<never>, profile, { ...hr, role: "hr" }))).toEqual([]);
    const inbox = await call(inboxLoader, await requestAs(t.db, holder, "/notifications"));
    expect((inbox.items as unknown[]).length).toBe(15);
    expect(executable(renderRoute(NotificationsRoute as ComponentType<never>, inbox, { ...holder, role: "member" }))).toEqual([]);
  });
});
