import { eq } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { articles, campaigns, outbox, wikiPageOwners, wikiPages } from "#db/schema/index.ts";
import { deletePost } from "#app/features/qa/edit.server.ts";
import { recordReputation } from "#app/features/reputation/ledger.server.ts";
import type { PersonHit, SearchOutcome } from "#app/features/search/search-params.ts";
import { liveHits } from "#app/features/search/search.server.ts";
import { updateSpace } from "#app/features/spaces/spaces.server.ts";
import { deactivateUser } from "#app/features/users/admin-users.server.ts";
import { loader as apiSearchLoader } from "#app/routes/api/search.ts";
import { loader as similarIdeasLoader } from "#app/routes/api/similar-ideas.ts";
import { loader as similarQuestionsLoader } from "#app/routes/api/similar-questions.ts";
import { loader as searchPageLoader } from "#app/routes/search.tsx";
import { createMeiliClient } from "#search/client.server.ts";
import { personDocuments } from "#search/documents.server.ts";
import { applyIndexSettings, INDEX_NAMES, type IndexedKind, indexName } from "#search/indexes.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupTestDb, testMeili } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import { requestAs, routeContext } from "#tests/helpers.ts";

/**
 * The search routes (/search, /api/search, /api/similar-questions, /api/similar-ideas) with real
 * requests against the real Meilisearch of the test run. The routes search the unprefixed index
 * names: this is the one test file that uses those names, so it gives them the run's Meilisearch
 * and removes the indexes afterwards.
 * Content is written through the features and indexed by the relay, as in the app.
 */

const t = setupTestDb();

let client: Meilisearch;
beforeAll(async () => {
  const { url, key } = testMeili();
  client = createMeiliClient(url, key, 10_000);
  await applyIndexSettings(client, "");
});
afterAll(async () => {
  for (const kind of Object.keys(INDEX_NAMES) as IndexedKind[]) await client?.deleteIndexIfExists(indexName(kind, ""));
});

async function indexAll() {
  const r = await runRelayUntilIdle(t.db, client, { prefix: "" });
  expect(r.failed + r.dead).toBe(0);
}

function ok(outcome: SearchOutcome) {
  if (outcome.status !== "ok") throw new Error("search was unavailable");
  return outcome;
}

const keys = (outcome: { hits: Array<{ type: string; id: number }> }) => outcome.hits.map((h) => `${h.type}:${h.id}`);

async function call(loader: (args: never) => unknown, user: { id: number } | null, path: string) {
  const { context, warn } = routeContext(t.db, client);
  const answer = await loader({ request: await requestAs(t.db, user, path), context, params: {} } as never);
  return { answer, warn };
}

type Page = { data: { outcome: SearchOutcome } };
const page = async (user: { id: number }, query: string) => ok(((await call(searchPageLoader, user, `/search?${query}`)).answer as Page).data.outcome);

type Instant = { status: string; questions: Array<{ id: number }>; ideas: Array<{ id: number }>; people: Array<{ id: number }> };
async function instant(user: { id: number }, q: string): Promise<Instant> {
  const response = (await call(apiSearchLoader, user, `/api/search?${new URLSearchParams({ q })}`)).answer as Response;
  expect(response.status).toBe(200);
  return (await response.json()) as Instant;
}

const personOf = (outcome: { people: PersonHit[] }, id: number) => outcome.people.find((p) => p.id === id);

/** Reputation paid in a space, through the ledger as votes and accepts pay it. */
async function earn(user: { id: number }, space: { id: number }, delta: number) {
  await t.db.transaction((tx) => recordReputation(tx, { userId: user.id, reason: "imported", delta, actorId: null, itemId: null, spaceId: space.id, tagIds: [], countsTowardCap: false }));
}

describe("people in search carry only what every employee may see", () => {
  test("a restricted space's tag neither finds a person nor shows in their hit, through /search and /api/search; each reader sees the reputation of the spaces they may see", async () => {
    const petra = await createUser(t.db, { name: "Petra Quillfeather" });
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const admin = await createUser(t.db, {}, "admin");
    const open = await createSpace(t.db);
    const secret = await createSpace(t.db, { members: [petra, insider] }, "restricted");
    await createQuestion(t.db, { author: petra, space: secret, title: "Is the zorblatt deal signed this quarter?", tags: ["zorblatt-deal"] });
    await createQuestion(t.db, { author: petra, space: secret, title: "Who reviews the zorblatt term sheet?", tags: ["zorblatt-deal"] });
    await createQuestion(t.db, { author: petra, space: open, title: "Where are the kestrel runbooks kept?", tags: ["kestrel-ops"] });
    await earn(petra, open, 10);
    await earn(petra, secret, 30);
    await indexAll();

    // The document itself: open spaces' tags and reputation only.
    expect(await client.index(indexName("person", "")).getDocument(petra.id)).toMatchObject({ topTags: ["kestrel-ops"], reputation: 10 });

    for (const reader of [outsider, insider, admin]) {
      const byTag = await page(reader, "q=zorblatt-deal");
      expect(byTag.people.map((p) => p.id)).not.toContain(petra.id);
      expect((await instant(reader, "zorblatt-deal")).people.map((p) => p.id)).not.toContain(petra.id);
    }
    expect((await page(outsider, "q=zorblatt-deal")).total).toBe(0);

    const seen = async (reader: { id: number }) => personOf(await page(reader, "q=Quillfeather"), petra.id);
    expect(await seen(outsider)).toMatchObject({ topTags: ["kestrel-ops"], reputation: 10 });
    expect(JSON.stringify(await seen(outsider))).not.toContain("zorblatt");
    // Members of the space see what it paid; so do the person and admins (the whole total).
    expect((await seen(insider))?.reputation).toBe(40);
    expect((await seen(petra))?.reputation).toBe(40);
    expect((await seen(admin))?.reputation).toBe(40);
    expect((await instant(outsider, "Quillfeather")).people.map((p) => p.id)).toEqual([petra.id]);
  });

  test("a space that becomes restricted takes its tags and reputation out of people's documents", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const author = await createUser(t.db, { name: "Hector Brambleworth" });
    const reader = await createUser(t.db);
    const space = await createSpace(t.db, { name: "Heron Project" });
    await createQuestion(t.db, { author, space, title: "When does the heron migration start?", tags: ["heron-migration"] });
    await earn(author, space, 20);
    await indexAll();
    expect((await page(reader, "q=heron-migration")).people.map((p) => p.id)).toContain(author.id);

    await updateSpace(t.db, admin, space.id, { name: space.name, slug: space.slug, description: space.description, visibility: "restricted" });
    await indexAll();
    expect((await page(reader, "q=heron-migration")).people.map((p) => p.id)).not.toContain(author.id);
    expect(await client.index(indexName("person", "")).getDocument(author.id)).toMatchObject({ topTags: [], reputation: 0 });
    expect(personOf(await page(reader, "q=Brambleworth"), author.id)?.reputation).toBe(0);
  });

  test("a pending account (address not proven) is never in the people index, nor shown if a document lingers", async () => {
    const pending = await createUser(t.db, { name: "Quentin Unproven", emailVerifiedAt: null });
    const reader = await createUser(t.db);
    expect(await personDocuments(t.db, [pending.id])).toEqual({ upserts: [], deletes: [pending.id] });
    await t.db.transaction((tx) => enqueueIndexing(tx, "person", [pending.id]));
    await indexAll();
    expect((await client.index(indexName("person", "")).search("Unproven")).hits.map((h) => h.id)).not.toContain(pending.id);

    // A document from before (an index restored from a snapshot): search checks PostgreSQL all the same.
    const task = await client
      .index(indexName("person", ""))
      .addDocuments([{ id: pending.id, name: "Quentin Unproven", title: "", department: "", location: "", topTags: [], reputation: 0, version: 0 }]);
    await client.tasks.waitForTask(task.taskUid);
    expect((await client.index(indexName("person", "")).search("Unproven")).hits.map((h) => h.id)).toContain(pending.id);
    expect((await page(reader, "q=Unproven")).people).toEqual([]);
    expect((await instant(reader, "Unproven")).people).toEqual([]);
  });
});

describe("search checks PostgreSQL before showing a hit", () => {
  test("a deleted question leaves /search, /api/search and similar questions at once, before the relay runs", async () => {
    const asker = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const id = await createQuestion(t.db, { author: asker, space, title: "How do we defrost the vortigaunt freezer safely?", tags: ["facilities"] });
    await createAnswer(t.db, { author: reader, questionId: id, body: "Unplug the vortigaunt freezer overnight first." });
    const kept = await createQuestion(t.db, { author: asker, space, title: "Who orders vortigaunt spare parts?", tags: ["facilities"] });
    await indexAll();
    expect(keys(await page(reader, "q=vortigaunt")).sort()).toEqual([`question:${id}`, `question:${kept}`].sort());

    await deletePost(t.db, moderator, id);
    // The relay has not run: the index still has the question.
    expect(await client.index(indexName("question", "")).getDocument(id)).toMatchObject({ id });
    expect((await t.db.select().from(outbox).where(eq(outbox.itemId, id))).some((r) => r.status === "pending")).toBe(true);

    expect(keys(await page(reader, "q=vortigaunt"))).toEqual([`question:${kept}`]);
    expect((await instant(reader, "vortigaunt")).questions.map((q) => q.id)).toEqual([kept]);
    const similar = (await call(similarQuestionsLoader, reader, `/api/similar-questions?${new URLSearchParams({ title: "defrost the vortigaunt freezer" })}`)).answer as Response;
    const body = (await similar.json()) as { status: string; questions: Array<{ id: number }> };
    expect(body.status).toBe("ok");
    expect(body.questions.map((q) => q.id)).not.toContain(id);
    // Admins too: deleted is deleted in search.
    expect(keys(await page(await createUser(t.db, {}, "admin"), "q=vortigaunt"))).toEqual([`question:${kept}`]);
  });

  test("a deleted answer stops matching and leaves snippets at once: a question found only through it drops out", async () => {
    const asker = await createUser(t.db);
    const moderator = await createUser(t.db, {}, "moderator");
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    // Found only through its answer, and found through its own text as well.
    const onlyThere = await createQuestion(t.db, { author: asker, space, title: "Which printer driver should we install?", body: "The laptops print blank pages." });
    const answerId = await createAnswer(t.db, { author: reader, questionId: onlyThere, body: "Install the zelkova driver from the shared drive." });
    const both = await createQuestion(t.db, { author: asker, space, title: "Is the zelkova driver signed?", body: "Security asks whether the zelkova package is signed." });
    const otherAnswer = await createAnswer(t.db, { author: reader, questionId: both, body: "The zelkova build server signs every release." });
    await indexAll();
    const before = await page(reader, "q=zelkova");
    expect(keys(before).sort()).toEqual([`question:${onlyThere}`, `question:${both}`].sort());

    await deletePost(t.db, moderator, answerId);
    await deletePost(t.db, moderator, otherAnswer);
    // The relay has not run: the index still carries both answers' text.
    expect(await client.index(indexName("question", "")).getDocument(onlyThere)).toMatchObject({ answerIds: [answerId] });

    const after = await page(reader, "q=zelkova");
    expect(keys(after)).toEqual([`question:${both}`]);
    expect(JSON.stringify(after.hits)).not.toContain("build server");
    expect((await instant(reader, "zelkova")).questions.map((q) => q.id)).toEqual([both]);
  });

  test("an idea gone with its campaign and a deactivated person leave search at once", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const person = await createUser(t.db, { name: "Wilhelmina Dustcart" });
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const campaignId = await createCampaign(t.db, { sponsor: admin, space, title: "Greener office" });
    const ideaId = await createIdea(t.db, { author: person, campaignId, title: "Compost the dustcart coffee grounds" });
    // The factory makes the account without the sign-up's outbox row.
    await t.db.transaction((tx) => enqueueIndexing(tx, "person", [person.id]));
    await indexAll();
    expect(keys(await page(reader, "q=dustcart"))).toEqual([`idea:${ideaId}`]);
    expect((await page(reader, "q=dustcart")).people.map((p) => p.id)).toEqual([person.id]);
    const similarPath = `/api/similar-ideas?${new URLSearchParams({ campaign: String(campaignId), q: "compost coffee grounds" })}`;
    expect((await ((await call(similarIdeasLoader, reader, similarPath)).answer as Response).json()) as { ideas: unknown[] }).toMatchObject({ ideas: [{ id: ideaId }] });

    await deactivateUser(t.db, admin, person.id);
    await t.db.delete(campaigns).where(eq(campaigns.id, campaignId));
    const after = await page(reader, "q=dustcart");
    expect(keys(after)).toEqual([]);
    expect(after.people).toEqual([]);
    expect((await instant(reader, "dustcart")).ideas).toEqual([]);
    expect((await instant(reader, "Wilhelmina")).people).toEqual([]);
  });
});

// Moved here from search-ideas.test.ts: one file owns the unprefixed indexes the routes use.
describe("ideas through the routes", () => {
  test("/api/similar-ideas, /api/search and /search find a restricted campaign's idea for its members only", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [insider] }, "restricted");
    const campaignId = await createCampaign(t.db, { sponsor: admin, space: secret, title: "Skunkworks" });
    const id = await createIdea(t.db, { author: insider, campaignId, title: "Ship the frobulator prototype to pilot customers" });
    const r = await runRelayUntilIdle(t.db, client, { prefix: "" });
    expect(r.failed + r.dead).toBe(0);

    const similarPath = `/api/similar-ideas?${new URLSearchParams({ campaign: String(campaignId), q: "frobulator prototype" })}`;
    const mine = await call(similarIdeasLoader, insider, similarPath);
    const mineResponse = mine.answer as Response;
    expect(mineResponse.status).toBe(200);
    expect(await mineResponse.json()).toEqual({
      status: "ok",
      ideas: [{ id, url: `/ideas/${id}`, title: "Ship the frobulator prototype to pilot customers", status: "submitted", statusLabel: "Submitted", voteCount: 0 }],
    });
    const theirs = (await call(similarIdeasLoader, outsider, similarPath)).answer as Response;
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get("Cache-Control")).toBe("no-store");
    expect(JSON.stringify(await theirs.json())).not.toContain("frobulator");
    expect(((await call(similarIdeasLoader, null, similarPath)).answer as Response).status).toBe(401);
    const short = (await call(similarIdeasLoader, insider, `/api/similar-ideas?campaign=${campaignId}&q=ab`)).answer as Response;
    expect(await short.json()).toEqual({ status: "ok", ideas: [] });

    const instant = async (user: { id: number }) => (await ((await call(apiSearchLoader, user, "/api/search?q=frobulator")).answer as Response).json()) as { ideas: Array<{ id: number }> };
    expect((await instant(insider)).ideas).toMatchObject([{ id, url: `/ideas/${id}`, campaign: { title: "Skunkworks" }, status: "submitted", voteCount: 0 }]);
    expect((await instant(outsider)).ideas).toEqual([]);

    type Page = { data: { outcome: SearchOutcome } };
    const page = async (user: { id: number }) => ok(((await call(searchPageLoader, user, "/search?q=frobulator")).answer as Page).data.outcome);
    expect(keys(await page(insider))).toEqual([`idea:${id}`]);
    expect((await page(outsider)).total).toBe(0);
  });
});

// Wiki pages and articles (issue 16): rows written straight into PostgreSQL (their features are
// built elsewhere) and named in the outbox as their writers do; search-pages-articles.test.ts has the rest.
describe("wiki pages and articles through the routes", () => {
  async function pageRow(space: { id: number }, author: { id: number }, title: string, verified = false) {
    const [row] = await t.db
      .insert(wikiPages)
      .values({
        spaceId: space.id,
        slug: title.toLowerCase().replaceAll(" ", "-"),
        title,
        body: title,
        bodyHtml: `<p>${title}</p>`,
        authorId: author.id,
        verifiedAt: verified ? new Date() : null,
        reviewDueAt: verified ? new Date(Date.now() + 30 * 86_400_000) : null,
      })
      .returning({ id: wikiPages.id });
    await t.db.insert(wikiPageOwners).values({ pageId: row!.id, userId: author.id });
    await t.db.transaction((tx) => enqueueIndexing(tx, "wiki_page", [row!.id]));
    return row!.id;
  }
  async function articleRow(space: { id: number }, author: { id: number }, title: string, status: "draft" | "published" = "published") {
    const [row] = await t.db
      .insert(articles)
      .values({ spaceId: space.id, authorId: author.id, type: "how_to", status, title, body: title, bodyHtml: `<p>${title}</p>`, publishedAt: status === "published" ? new Date() : null })
      .returning({ id: articles.id });
    await t.db.transaction((tx) => enqueueIndexing(tx, "article", [row!.id]));
    return row!.id;
  }
  type InstantContent = { pages: Array<{ id: number }>; articles: Array<{ id: number }> };
  const instantContent = async (user: { id: number }, q: string) =>
    (await ((await call(apiSearchLoader, user, `/api/search?${new URLSearchParams({ q })}`)).answer as Response).json()) as InstantContent;
  const similarPath = `/api/similar-questions?${new URLSearchParams({ title: "rotate the fennimore vault keys" })}`;

  test("a restricted space's page and article reach its members through /search, /api/search and /api/similar-questions, and nobody else", async () => {
    const insider = await createUser(t.db, { name: "Ines Insider" });
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, { members: [insider] }, "restricted");
    const open = await createSpace(t.db);
    const hiddenPage = await pageRow(secret, insider, "Fennimore vault keys rotation", true);
    const hiddenArticle = await articleRow(secret, insider, "How we rotate the fennimore vault keys");
    const openPage = await pageRow(open, outsider, "Fennimore lobby plants");
    await articleRow(open, outsider, "A fennimore draft nobody may find", "draft");
    await indexAll();

    const searchPage = async (user: { id: number }) => ok(((await call(searchPageLoader, user, "/search?q=fennimore")).answer as Page).data.outcome);
    const theirs = await searchPage(insider);
    expect(keys(theirs).sort()).toEqual([`page:${hiddenPage}`, `article:${hiddenArticle}`, `page:${openPage}`].sort());
    expect(theirs.facets.type.map((v) => [v.value, v.count])).toEqual([
      ["page", 2],
      ["article", 1],
    ]);
    const outside = await searchPage(outsider);
    expect(keys(outside)).toEqual([`page:${openPage}`]);
    expect(JSON.stringify(outside)).not.toMatch(/vault|rotate|Ines Insider/);

    const instant = await instantContent(insider, "fennimore");
    expect(instant.pages).toEqual(
      expect.arrayContaining([
        {
          id: hiddenPage,
          url: `/wiki/${hiddenPage}/fennimore-vault-keys-rotation`,
          title: [
            { text: "Fennimore", match: true },
            { text: " vault keys rotation", match: false },
          ],
          space: expect.any(Object),
          verified: true,
          reviewDueAt: expect.any(Number),
        },
      ]),
    );
    expect(instant.articles).toMatchObject([{ id: hiddenArticle, articleType: "how_to", author: { id: insider.id, name: "Ines Insider" } }]);
    const outsiderInstant = await instantContent(outsider, "fennimore");
    expect(outsiderInstant.pages.map((p) => p.id)).toEqual([openPage]);
    expect(outsiderInstant.articles).toEqual([]);

    const similar = async (user: { id: number }) =>
      (await ((await call(similarQuestionsLoader, user, similarPath)).answer as Response).json()) as { status: string; pages: Array<{ id: number }> };
    expect(await similar(insider)).toMatchObject({ status: "ok", pages: [{ id: hiddenPage }] });
    expect((await similar(outsider)).pages.map((p) => p.id)).not.toContain(hiddenPage);
  });

  test("customers and deactivated accounts get the 401 of the JSON routes and nothing from the index", async () => {
    const customer = await createUser(t.db, {}, "customer");
    const deactivated = await createUser(t.db, {}, "deactivated");
    for (const who of [customer, deactivated, null]) {
      for (const path of ["/api/search?q=fennimore", similarPath]) {
        const loader = path.startsWith("/api/search") ? apiSearchLoader : similarQuestionsLoader;
        const response = (await call(loader, who, path)).answer as Response;
        expect(response.status).toBe(401);
        expect(JSON.stringify(await response.json())).not.toMatch(/fennimore|vault/i);
      }
    }
  });
});

describe("liveHits", () => {
  test("ids PostgreSQL cannot hold (an index could carry anything) match nothing and fail nothing", async () => {
    const reader = await createUser(t.db);
    const live = await liveHits(t.db, reader, { question: [0, -1, 2 ** 40], idea: [1.5], person: [Number.NaN] });
    expect([live.question.size, live.idea.size, live.person.size]).toEqual([0, 0, 0]);
  });
});
