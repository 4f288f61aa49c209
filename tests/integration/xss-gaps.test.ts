import { eq } from "drizzle-orm";
import { createElement, Fragment, type ComponentType, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, test } from "vitest";
import {
  awardRounds,
  flags,
  ideaEvents,
  ideaScores,
  ideas,
  importedProfiles,
  kudosAllowanceRules,
  liveSessionQuestions,
  posts,
  publicationConsents,
  revisions,
  shareClicks,
  shareKitItems,
  shareKits,
  shareLinks,
} from "#db/schema/index.ts";
import { QuestionList } from "#forum/live/views.tsx";
import { forumSessionQuestions } from "#forum/live/live.server.ts";
import { SessionSchema } from "#app/features/live/schemas.ts";
import { moveSession, scheduleSession } from "#app/features/live/sessions.server.ts";
import { proposePublication } from "#app/features/publishing/publishing.server.ts";
import { createRound } from "#app/features/recognition/awards.server.ts";
import { RoundSchema } from "#app/features/recognition/award-schemas.ts";
import { datetimeLocalValue } from "#app/features/articles/schemas.ts";
import { closeQuestion, duplicateLinks } from "#app/features/qa/close.server.ts";
import { claimedImports, unclaimedImport } from "#app/features/imports/imported-profiles.server.ts";
import { myReach } from "#app/features/share/reach.server.ts";
import { ClaimProfile } from "#app/components/admin/claim-profile.tsx";
import { ClosedNotice } from "#app/components/qa/closed-notice.tsx";
import { MyReach } from "#app/components/share/reach.tsx";
import AdminRecognitionRoute, { loader as recognitionLoader } from "#app/routes/admin/recognition.tsx";
import AdminUserRoute, { loader as adminUserLoader } from "#app/routes/admin/user.tsx";
import * as editRoundRoute from "#app/routes/awards/edit.tsx";
import * as roundRoute from "#app/routes/awards/round.tsx";
import * as publicationRoute from "#app/routes/publications/publication.tsx";
import * as resultsRoute from "#app/routes/campaigns/results.tsx";
import * as roadmapRoute from "#app/routes/campaigns/roadmap.tsx";
import * as historyRoute from "#app/routes/ideas/history.tsx";
import * as ideaRoute from "#app/routes/ideas/idea.tsx";
import * as moderationRoute from "#app/routes/moderation/index.tsx";
import * as sessionRoute from "#app/routes/sessions/session.tsx";
import { CRITERIA_MAX, LABEL_MAX } from "#app/features/ideas/schemas.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createImportedProfile } from "#tests/factories/imports.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import { requestAs, routeCaller } from "#tests/helpers.ts";
import { executable, parseScreen, payloads, renderRoute } from "#tests/xss-render.ts";

/**
 * The XSS corpus through the fields tests/xss-fields.ts listed as gaps: rendered user text that no
 * test had run the corpus through. Each field gets every payload as rows, written straight to the
 * database (several of these fields only take words through their forms; the screen must hold
 * whatever is stored), and the place it renders (a route's loader data through its component, or
 * the component a page puts it in, fed by the function its loader calls) is rendered once a screen:
 * nothing in it runs, and each payload is on it as the text that was typed. A field a screen shows
 * one of (a closed question's note, an idea's status reason, a round's department, a consent's
 * label) holds every payload in one value: plain text is one text node, escaped character by
 * character, so one render says as much as 223.
 */

const t = setupTestDb();
const call = routeCaller(t);
type User = Awaited<ReturnType<typeof createUser>>;
let admin: User;
let space: Awaited<ReturnType<typeof createSpace>>;

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Xena Admin" }, "admin");
  space = await createSpace(t.db, { moderators: [admin] });
});

/** Every distinct payload, as stored text (PostgreSQL's text holds no NUL). */
const texts = [...new Set(payloads.map((p) => p.payload.replaceAll("\0", "")))];
/** What a browser's parser makes of text: a carriage return becomes a line feed. */
const parsed = (text: string) => text.replace(/\r\n?/g, "\n");
const person = () => ({ id: admin.id, name: admin.name, role: "admin" });

/** A component rendered inside a data router (links and forms need one), as the app renders it. */
const screenOf = (element: ReactElement) => renderRoute((() => element) as ComponentType<never>, null, person());

/** Nothing in `html` runs, and every one of `shown` is in what it says, as text. */
function inert(html: string, shown: string[], what: string) {
  expect(executable(html), what).toEqual([]);
  const said = parseScreen(html).textContent ?? "";
  expect(
    shown.filter((s) => !said.includes(parsed(s))),
    `${what}: not shown as typed`,
  ).toEqual([]);
}

describe("the corpus through the fields that lacked it", () => {
  test("kudos_allowance_rules.department: Admin → Recognition lists every rule's department as text", async () => {
    await t.db.insert(kudosAllowanceRules).values(texts.map((department) => ({ department, points: 5 })));
    const data = await call(recognitionLoader as never, await requestAs(t.db, admin, "/admin/recognition"));
    const html = renderRoute(AdminRecognitionRoute as ComponentType<never>, data, person());
    inert(
      html,
      texts.filter((s) => s.trim()),
      "the allowance rules",
    );
  });

  test("posts.closeNote: a closed question's notice says the closer's note as text", async () => {
    const id = await createQuestion(t.db, { author: admin, space });
    await closeQuestion(t.db, admin, id, { reason: "off_topic", note: "first" });
    // Plain text in one text node: every payload in one note, one render.
    await t.db
      .update(posts)
      .set({ closeNote: texts.join("\n\n") })
      .where(eq(posts.id, id));
    const closure = await duplicateLinks(t.db, admin, id);
    inert(screenOf(createElement(ClosedNotice, { questionId: id, closure, now: Date.now() })), texts, "the closed notice");
  });

  test("imported_profiles.displayName: the admin's page of an account (its claimed imports) and the claim panel say it as text", { timeout: 60_000 }, async () => {
    const owner = await createUser(t.db, { name: "Claire Claimer" });
    await t.db.insert(importedProfiles).values(
      texts.map((displayName, i) => ({
        importKey: `gaps.example.com/users/${i}`,
        userId: owner.id,
        source: "gaps.example.com",
        sourceUrl: `https://gaps.example.com/users/${i}`,
        displayName,
        claimedAt: new Date(),
      })),
    );
    const data = await call(adminUserLoader as never, await requestAs(t.db, admin, `/admin/users/${owner.id}`), { userId: String(owner.id) });
    inert(
      renderRoute(AdminUserRoute as ComponentType<never>, data, person()),
      texts.filter((s) => s.trim()),
      "claimed imports",
    );
    // An unclaimed placeholder's page shows one at a time, as its loader reads it: its panel, for every payload.
    const { user } = await createImportedProfile(t.db, { name: "Placeholder" });
    const [first] = await t.db.select().from(importedProfiles).where(eq(importedProfiles.userId, user.id));
    const imported = (await unclaimedImport(t.db, user.id))!;
    expect(imported.displayName).toBe(first!.displayName);
    const summary = { questions: 1, answers: 2, comments: 3, reputation: 4 };
    // Every payload's panel on one screen.
    const panels = (await claimedImports(t.db, owner.id)).map(({ displayName }, i) =>
      createElement(ClaimProfile, { key: i, imported: { ...imported, displayName }, summary, review: null, failure: null, selfUrl: `/admin/users/${user.id}` }),
    );
    expect(panels.length).toBe(texts.length);
    inert(
      screenOf(createElement(Fragment, null, panels)),
      texts.filter((s) => s.trim()),
      "the claim panels",
    );
  });

  test("share_clicks.referrerHost: a person's reach lists the sites clicks came from as text", { timeout: 60_000 }, async () => {
    const [kit] = await t.db.insert(shareKits).values({ title: "Gaps kit", createdById: admin.id }).returning();
    const [item] = await t.db.insert(shareKitItems).values({ kitId: kit!.id, kind: "article", url: "https://example.com/a", title: "An article" }).returning();
    // The reach shows a person's five busiest hosts: five hosts a person, each on their own link.
    const hosts = texts.filter((s) => s.trim());
    for (let i = 0; i < hosts.length; i += 5) {
      const sharer = await createUser(t.db);
      const code = `gaps${i}`;
      await t.db.insert(shareLinks).values({ code, userId: sharer.id, itemId: item!.id, target: "https://example.com/a" });
      const batch = hosts.slice(i, i + 5);
      await t.db.insert(shareClicks).values(batch.map((referrerHost) => ({ code, day: new Date().toISOString().slice(0, 10), referrerHost, clicks: 1 })));
      const reach = await myReach(t.db, sharer);
      expect(reach.hosts.length).toBe(batch.length);
      inert(screenOf(createElement(MyReach, { reach, shown: 5 })), batch, `hosts ${i}`);
    }
  });

  test("live_session_questions.answeredByName and answeredByTitle: the session's page, on the app and the forum, says who answered as text", async () => {
    const expert = await createUser(t.db, { name: "Eva Expert" });
    const parsedInput = SessionSchema.parse({
      title: "Ask the gaps team",
      topic: "platform",
      audience: "forum",
      startsAt: "2026-05-01T15:00",
      endsAt: "2026-05-01T16:00",
      experts: `@${expert.email.split("@")[0]}`,
      space: space.slug,
    });
    const { id } = await scheduleSession(t.db, admin, parsedInput);
    await moveSession(t.db, admin, id, "start");
    await t.db.insert(liveSessionQuestions).values(
      texts.map((name, i) => ({
        sessionId: id,
        authorName: "Quentin Asker",
        body: "q",
        bodyHtml: "<p>q</p>",
        answer: "a",
        answerHtml: "<p>a</p>",
        answeredById: expert.id,
        answeredByName: name,
        answeredByTitle: texts[(i + 1) % texts.length],
        answeredAt: new Date(),
      })),
    );
    const data = await call(sessionRoute.loader as never, await requestAs(t.db, admin, `/sessions/${id}`), { sessionId: String(id) });
    const shown = texts.filter((s) => s.trim());
    inert(renderRoute(sessionRoute.default as ComponentType<never>, data, person()), shown, "the app's session page");
    const questions = await forumSessionQuestions(t.db, id);
    expect(questions.length).toBe(texts.length);
    inert(renderToStaticMarkup(createElement(QuestionList, { sessionId: id, questions, open: true })), shown, "the forum's session page");
  });

  test("flags.resolution: the moderation queue's handled tab says each moderator's note as text", async () => {
    const id = await createQuestion(t.db, { author: admin, space });
    const [post] = await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, id));
    const reporter = await createUser(t.db, { name: "Rhea Reporter" });
    // Handled one after another: the handled tab groups flags by decision, newest first.
    const start = Date.now();
    await t.db.insert(flags).values(
      texts.map((resolution, i) => ({
        itemId: post!.itemId,
        spaceId: space.id,
        reporterId: reporter.id,
        reason: "spam" as const,
        status: "dismissed" as const,
        handledById: admin.id,
        handledAt: new Date(start - i * 1000),
        resolution,
      })),
    );
    const resolutions = texts.filter((s) => s.trim());
    let said = "";
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const data = await call(moderationRoute.loader as never, await requestAs(t.db, admin, `/moderation?tab=handled${cursor ? `&cursor=${cursor}` : ""}`));
      const html = renderRoute(moderationRoute.default as ComponentType<never>, data, person());
      expect(executable(html), `handled page ${pages}`).toEqual([]);
      said += parseScreen(html).textContent ?? "";
      cursor = (data as unknown as { queue: { nextCursor: string | null } }).queue.nextCursor;
      pages++;
    }
    expect(pages).toBeGreaterThan(10);
    expect(resolutions.filter((r) => !said.includes(parsed(r)))).toEqual([]);
  });

  test(
    "campaigns.criteria, idea_scores.criterion, ideas.category, ideas.statusReason, idea_events.reason and revisions.category: an idea's page and history, and a campaign's results and roadmap",
    { timeout: 60_000 },
    async () => {
      const evaluator = await createUser(t.db, { name: "Eve Evaluator" });
      // Criteria and categories are labels of at most 40 characters: the payloads that short are each one.
      const labels = [...new Set(payloads.map((p) => p.payload.trim()).filter((p) => p.length > 0 && p.length <= LABEL_MAX && !/[\r\n\0]/.test(p)))];
      expect(labels.length).toBeGreaterThan(10);
      const made: number[] = [];
      for (let i = 0; i < labels.length; i += CRITERIA_MAX) {
        const chunk = labels.slice(i, i + CRITERIA_MAX);
        const campaignId = await createCampaign(t.db, { sponsor: admin, space, categories: chunk, criteria: chunk, evaluators: [evaluator] });
        const ideaIds = [];
        // An idea in each category (the roadmap and the results name each idea's), scored by the evaluator on every criterion.
        for (const category of chunk) ideaIds.push(await createIdea(t.db, { author: admin, campaignId, category }));
        await t.db.insert(ideaScores).values(ideaIds.flatMap((ideaId) => chunk.map((criterion) => ({ ideaId, evaluatorId: evaluator.id, criterion, score: 3 }))));
        made.push(ideaIds[0]!);
        const campaignParams = { campaignId: String(campaignId) };
        for (const route of [resultsRoute, roadmapRoute]) {
          const path = `/campaigns/${campaignId}/${route === resultsRoute ? "results" : "roadmap"}`;
          const data = await call(route.loader as never, await requestAs(t.db, admin, path), campaignParams);
          inert(renderRoute(route.default as ComponentType<never>, data, person()), chunk, path);
        }
        // An idea's page: the sponsor sees the averages per criterion, the evaluator the form with each criterion.
        for (const viewer of [admin, evaluator]) {
          const data = await call(ideaRoute.loader as never, await requestAs(t.db, viewer, `/ideas/${ideaIds[0]}`), { ideaId: String(ideaIds[0]) });
          inert(renderRoute(ideaRoute.default as ComponentType<never>, data, { id: viewer.id, name: viewer.name, role: viewer.role }), chunk, `idea ${ideaIds[0]} as ${viewer.name}`);
        }
      }

      // One idea with every payload as a status change's reason and as a version's category, and all of them as why its status changed.
      const ideaId = made[0]!;
      const [idea] = await t.db.select({ itemId: ideas.itemId }).from(ideas).where(eq(ideas.id, ideaId));
      await t.db
        .update(ideas)
        .set({ status: "under_review", statusReason: texts.join("\n\n") })
        .where(eq(ideas.id, ideaId));
      await t.db
        .insert(ideaEvents)
        .values(texts.map((reason) => ({ ideaId, kind: "status" as const, actorId: admin.id, fromStatus: "submitted" as const, toStatus: "under_review" as const, reason })));
      await t.db
        .insert(revisions)
        .values(texts.map((category, i) => ({ itemId: idea!.itemId, number: i + 2, kind: "edit" as const, editorId: admin.id, title: "An idea", body: "Its text.", category, comment: "" })));
      const shown = texts.filter((s) => s.trim());
      const page = await call(ideaRoute.loader as never, await requestAs(t.db, admin, `/ideas/${ideaId}`), { ideaId: String(ideaId) });
      inert(renderRoute(ideaRoute.default as ComponentType<never>, page, person()), shown, "the idea's page");
      const history = await call(historyRoute.loader as never, await requestAs(t.db, admin, `/ideas/${ideaId}/history`), { ideaId: String(ideaId) });
      inert(renderRoute(historyRoute.default as ComponentType<never>, history, person()), shown, "the idea's history");
    },
  );

  test("award_rounds.nomineeDepartment: a round's page and its edit form say the department as text", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const local = (ms: number) => datetimeLocalValue(new Date(Date.now() + ms));
    const day = 24 * 3600 * 1000;
    const fields = {
      title: "Customer hero of the quarter",
      description: "Who went out of their way for a customer?",
      reward: "Dinner for two",
      nomineeScope: "everyone",
      votesPerVoter: "1",
      winnerCount: "1",
      nominationsOpenAt: local(-60_000),
      nominationsCloseAt: local(7 * day),
      votingOpenAt: local(7 * day),
      votingCloseAt: local(14 * day),
      resultsAt: local(14 * day),
    };
    const { id } = await createRound(t.db, hr, RoundSchema.parse(fields));
    // The form only takes a department someone works in (users.department has its own corpus test); plain text in one text node: every payload at once.
    await t.db
      .update(awardRounds)
      .set({ nomineeScope: "department", nomineeDepartment: texts.join("\n\n") })
      .where(eq(awardRounds.id, id));
    const user = { id: hr.id, name: hr.name, role: hr.role };
    for (const [route, path] of [
      [roundRoute, `/awards/${id}`],
      [editRoundRoute, `/awards/${id}/edit`],
    ] as const) {
      const data = await call(route.loader as never, await requestAs(t.db, hr, path), { roundId: String(id) });
      const html = renderRoute(route.default as ComponentType<never>, data, user);
      if (route === roundRoute) inert(html, texts, path);
      else {
        // The form holds the department as its field's value, an attribute.
        expect(executable(html), path).toEqual([]);
        const field = parseScreen(html).querySelector<HTMLInputElement>('input[name="nomineeDepartment"]');
        expect(field?.getAttribute("value")).toBe(parsed(texts.join("\n\n")));
      }
    }
  });

  test("publication_consents.genericLabel: a publication's page says how each person appears as text", async () => {
    const answerer = await createUser(t.db, { name: "Arne Answerer" });
    const questionId = await createQuestion(t.db, { author: admin, space, title: "A question for the payloads to replace", body: "A body for the payloads to replace, long enough." });
    await createAnswer(t.db, { author: answerer, questionId, body: "An answer long enough to be one." });
    const { id } = await proposePublication(t.db, admin, questionId);
    // The form takes letters, spaces and hyphens only; plain text in one text node: every payload at once.
    await t.db
      .update(publicationConsents)
      .set({ choice: "generic", genericLabel: texts.join("\n\n") })
      .where(eq(publicationConsents.publicationId, id));
    const data = await call(publicationRoute.loader as never, await requestAs(t.db, admin, `/publications/${id}`), { publicationId: String(id) });
    inert(renderRoute(publicationRoute.default as ComponentType<never>, data, person()), texts, "the publication's page");
  });
});
