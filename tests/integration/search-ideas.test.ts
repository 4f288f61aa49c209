import { eq, inArray } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import { beforeAll, describe, expect, test } from "vitest";
import { ideas, outbox, posts } from "#db/schema/index.ts";
import { loadCampaign } from "#app/features/ideas/access.server.ts";
import { editIdea } from "#app/features/ideas/ideas.server.ts";
import { addComment } from "#app/features/social/comments.server.ts";
import { castIdeaVote } from "#app/features/ideas/votes.server.ts";
import { changeIdeaStatus, mergeIdea } from "#app/features/ideas/workflow.server.ts";
import { deadLetters } from "#app/features/search/admin.server.ts";
import { type SearchOutcome, searchParams, type Snippet } from "#app/features/search/search-params.ts";
import { search, similarIdeas } from "#app/features/search/search.server.ts";
import { removeSpaceMember } from "#app/features/spaces/spaces.server.ts";
import { meiliErrorCode } from "#search/client.server.ts";
import { ideaDocuments } from "#search/documents.server.ts";
import { indexName } from "#search/indexes.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { reconcileIndexes } from "#search/reconcile.server.ts";
import { reindexAll } from "#search/reindex.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb } from "#tests/db.ts";
import { createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";

/**
 * Ideas in search, against the real Meilisearch of the test run: written through the idea
 * features (which queue them in the outbox), indexed by the relay into this file's own indexes,
 * found by the global search beside questions and by "similar ideas"; rebuilt and reconciled
 * with the other kinds. The routes are called in search-routes-live.test.ts.
 */

const t = setupTestDb();
const indexes = setupSearchIndexes("i");
const { prefix } = indexes;
let client: Meilisearch;
beforeAll(() => {
  client = indexes.client;
});

async function indexAll(p = prefix) {
  const r = await runRelayUntilIdle(t.db, client, { prefix: p });
  expect(r.failed + r.dead).toBe(0);
}

async function ideaDoc(id: number): Promise<Record<string, unknown> | null> {
  try {
    return await client.index(indexName("idea", prefix)).getDocument(id);
  } catch (error) {
    if (meiliErrorCode(error) === "document_not_found") return null;
    throw error;
  }
}

/** Queues ideas directly: votes change an idea's count without naming it in the outbox (see the report on votes). */
async function enqueueIdeas(ids: number[]) {
  await t.db.transaction((tx) => enqueueIndexing(tx, "idea", ids));
}

function ok(outcome: SearchOutcome) {
  if (outcome.status !== "ok") throw new Error("search was unavailable");
  return outcome;
}

const run = (actor: Parameters<typeof search>[2], query: string) => search(t.db, client, actor, searchParams(new URLSearchParams(query)), { prefix }).then(ok);
const keys = (outcome: { hits: Array<{ type: string; id: number }> }) => outcome.hits.map((h) => `${h.type}:${h.id}`);
const matched = (s: Snippet) => s.filter((r) => r.match).map((r) => r.text.toLowerCase());
const facet = (values: Array<{ value: string; label: string; count: number }>) => values.map((v) => [v.value, v.label, v.count]);

async function sponsorAndSpace(...traits: Array<"restricted">) {
  const sponsor = await createUser(t.db, {}, "admin");
  const space = await createSpace(t.db, {}, ...traits);
  return { sponsor, space };
}

describe("indexing ideas through the outbox", () => {
  test("an idea is indexed by the relay once submitted, and again after an edit, a comment, a status change and a merge", async () => {
    const { sponsor, space } = await sponsorAndSpace();
    const author = await createUser(t.db, { name: "Ida Ideator", department: "Finance" });
    const campaignId = await createCampaign(t.db, { sponsor, space, title: "Travel without the paperwork", categories: ["Travel", "Payroll"] });
    const id = await createIdea(t.db, {
      author,
      campaignId,
      title: "Book trains through the expense tool",
      body: "The expense tool could book the train and file the receipt in one go.",
      category: "travel",
      tags: ["process"],
    });
    // The write only names the idea in the outbox; the relay puts it in the index.
    expect(await ideaDoc(id)).toBeNull();
    await indexAll();
    const [row] = await t.db.select().from(ideas).where(eq(ideas.id, id));
    expect(await ideaDoc(id)).toEqual({
      id,
      type: "idea",
      spaceId: space.id,
      campaignId,
      campaignTitle: "Travel without the paperwork",
      title: "Book trains through the expense tool",
      body: "The expense tool could book the train and file the receipt in one go.",
      tags: ["process"],
      category: "Travel",
      status: "submitted",
      voteCount: 0,
      commentCount: 0,
      authorId: author.id,
      authorName: "Ida Ideator",
      authorDepartment: "Finance",
      createdAt: Math.floor(row!.createdAt.getTime() / 1000),
      version: row!.updatedAt.getTime(),
    });

    await editIdea(t.db, author, id, {
      title: "Book trains and hotels through the expense tool",
      body: "The expense tool could book the train and the hotel, and file both receipts.",
      category: "Travel",
      tags: ["process"],
      comment: "hotels too",
    });
    await addComment(t.db, await createUser(t.db), await ideaItemId(t.db, id), { body: "Hotels would save me an hour a trip.", submissionKey: undefined });
    await changeIdeaStatus(t.db, sponsor, id, { status: "under_review", reason: "" });
    await indexAll();
    const [edited] = await t.db.select().from(ideas).where(eq(ideas.id, id));
    expect(await ideaDoc(id)).toMatchObject({
      title: "Book trains and hotels through the expense tool",
      body: "The expense tool could book the train and the hotel, and file both receipts.",
      status: "under_review",
      commentCount: 1,
      version: edited!.updatedAt.getTime(),
    });

    // A merged duplicate stays in the index, as merged; the idea it went into carries its votes.
    const duplicate = await createIdea(t.db, { author: await createUser(t.db), campaignId, title: "Let the expense tool book trains", category: "Travel" });
    await castIdeaVote(t.db, await createUser(t.db), duplicate);
    await mergeIdea(t.db, sponsor, duplicate, { targetId: id, reason: "Same idea." });
    await indexAll();
    expect(await ideaDoc(duplicate)).toMatchObject({ status: "merged", voteCount: 0 });
    expect(await ideaDoc(id)).toMatchObject({ status: "under_review", voteCount: 1 });
  });

  test("ideas that no longer exist come back as deletes, in one query for the lot", async () => {
    const { sponsor, space } = await sponsorAndSpace();
    const campaignId = await createCampaign(t.db, { sponsor, space });
    const a = await createIdea(t.db, { author: await createUser(t.db), campaignId });
    const b = await createIdea(t.db, { author: await createUser(t.db), campaignId });
    const docs = await ideaDocuments(t.db, [a, 987_654, b]);
    expect(docs.upserts.map((d) => d.id).sort()).toEqual([a, b].sort());
    expect(docs.deletes).toEqual([987_654]);
    expect(docs.upserts.every((d) => d.body.length > 0 && d.type === "idea")).toBe(true);
  });
});

describe("global search", () => {
  test("ideas come back beside questions: each with its campaign, status and votes; the type facet counts both kinds", async () => {
    const { sponsor, space } = await sponsorAndSpace();
    const author = await createUser(t.db, { department: "Facilities" });
    const greener = await createCampaign(t.db, { sponsor, space, title: "Greener offices", categories: ["Energy", "Waste"] });
    const onboarding = await createCampaign(t.db, { sponsor, space, title: "Faster onboarding" });
    const solar = await createIdea(t.db, {
      author,
      campaignId: greener,
      title: "Solar panels on the zyntrax roof",
      body: "The zyntrax building gets sun all afternoon.",
      category: "Energy",
    });
    const compost = await createIdea(t.db, { author, campaignId: greener, title: "Compost bins beside the zyntrax kitchen", category: "Waste" });
    const buddy = await createIdea(t.db, { author, campaignId: onboarding, title: "A zyntrax buddy for every new hire" });
    const question = await createQuestion(t.db, { author, space, title: "How does the zyntrax badge reader work?" });
    await changeIdeaStatus(t.db, sponsor, compost, { status: "accepted", reason: "" });
    await indexAll();

    const all = await run(author, "q=zyntrax");
    expect(all.total).toBe(4);
    expect(keys(all).sort()).toEqual([`idea:${solar}`, `idea:${compost}`, `idea:${buddy}`, `question:${question}`].sort());
    expect(facet(all.facets.type)).toEqual([
      ["idea", "Ideas", 3],
      ["question", "Questions", 1],
    ]);
    expect(facet(all.facets.ideaStatus)).toEqual([
      ["submitted", "Submitted", 2],
      ["accepted", "Accepted", 1],
    ]);
    expect(facet(all.facets.campaign)).toEqual([
      [String(greener), "Greener offices", 2],
      [String(onboarding), "Faster onboarding", 1],
    ]);
    expect(facet(all.facets.category)).toEqual([
      ["Energy", "Energy", 1],
      ["Waste", "Waste", 1],
    ]);
    expect(facet(all.facets.status)).toEqual([["open", "Not yet accepted", 1]]);
    // Shared facets add both kinds up.
    expect(facet(all.facets.space)).toEqual([[space.slug, space.name, 4]]);
    expect(facet(all.facets.department)).toEqual([["Facilities", "Facilities", 4]]);

    const hit = all.hits.find((h) => h.type === "idea" && h.id === solar);
    expect(hit).toMatchObject({
      type: "idea",
      url: `/ideas/${solar}`,
      campaign: { id: greener, title: "Greener offices", url: `/campaigns/${greener}` },
      space: { slug: space.slug, name: space.name },
      status: "submitted",
      voteCount: 0,
      category: "Energy",
      author: { id: author.id, name: author.name },
    });
    expect(matched(hit!.title)).toEqual(["zyntrax"]);
    expect(matched(hit!.snippet)).toEqual(["zyntrax"]);
  });

  test("type, campaign, category and both statuses filter; sorts order both kinds together; pages run across them", async () => {
    const { sponsor, space } = await sponsorAndSpace();
    const author = await createUser(t.db);
    const greener = await createCampaign(t.db, { sponsor, space, title: "Greener plaventa offices", categories: ["Energy", "Waste"] });
    const other = await createCampaign(t.db, { sponsor, space, title: "Another campaign" });
    const solar = await createIdea(t.db, { author, campaignId: greener, title: "Plaventa solar panels", category: "Energy" });
    const compost = await createIdea(t.db, { author, campaignId: greener, title: "Plaventa compost bins", category: "Waste" });
    const buddy = await createIdea(t.db, { author, campaignId: other, title: "Plaventa buddies for new hires" });
    const question = await createQuestion(t.db, { author, space, title: "Where is the plaventa office?" });
    await changeIdeaStatus(t.db, sponsor, compost, { status: "accepted", reason: "" });
    for (const voter of [await createUser(t.db), await createUser(t.db)]) await castIdeaVote(t.db, voter, buddy);
    // Ages far apart, so "newest" has one right order: buddy, compost, the question, solar.
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    await t.db
      .update(ideas)
      .set({ createdAt: daysAgo(10) })
      .where(eq(ideas.id, solar));
    await t.db
      .update(ideas)
      .set({ createdAt: daysAgo(2) })
      .where(eq(ideas.id, compost));
    await t.db
      .update(posts)
      .set({ createdAt: daysAgo(5) })
      .where(eq(posts.id, question));
    await enqueueIdeas([solar, compost, buddy]);
    await t.db.transaction((tx) => enqueueIndexing(tx, "question", [question]));
    await indexAll();

    const ids = async (query: string) => keys(await run(author, query));
    expect((await ids("q=plaventa&type=idea")).sort()).toEqual([`idea:${solar}`, `idea:${compost}`, `idea:${buddy}`].sort());
    expect(await ids("q=plaventa&type=question")).toEqual([`question:${question}`]);
    expect((await ids(`q=plaventa&campaign=${greener}`)).sort()).toEqual([`idea:${solar}`, `idea:${compost}`].sort());
    expect(await ids("q=plaventa&category=Energy")).toEqual([`idea:${solar}`]);
    expect(await ids("q=plaventa&ideaStatus=accepted")).toEqual([`idea:${compost}`]);
    // A question's status leaves the ideas out, and an idea's filter the questions.
    expect(await ids("q=plaventa&status=open")).toEqual([`question:${question}`]);
    expect(await ids(`campaign=${other}`)).toEqual([`idea:${buddy}`]);

    // Filters of both kinds at once match nothing; the chosen campaign still shows, by its title, to be cleared.
    const none = await run(author, `q=plaventa&type=question&campaign=${greener}`);
    expect(none.total).toBe(0);
    expect(facet(none.facets.campaign)).toEqual([[String(greener), "Greener plaventa offices", 0]]);
    expect(none.facets.campaign[0]?.selected).toBe(true);

    expect(await ids("q=plaventa&sort=newest")).toEqual([`idea:${buddy}`, `idea:${compost}`, `question:${question}`, `idea:${solar}`]);
    // Votes are an idea's score: two votes outrank a question nobody voted on.
    expect((await ids("q=plaventa&sort=score"))[0]).toBe(`idea:${buddy}`);

    // 25 more of both kinds: 20 a page, none twice, none lost.
    for (let i = 0; i < 13; i += 1) await createIdea(t.db, { author, campaignId: other, title: `Grommitch idea number ${i + 1}` });
    for (let i = 0; i < 12; i += 1) await createQuestion(t.db, { author, space, title: `Grommitch question number ${i + 1}` });
    await indexAll();
    const first = await run(author, "q=grommitch&sort=newest");
    expect(first).toMatchObject({ total: 25, page: 1, totalPages: 2 });
    expect(first.hits).toHaveLength(20);
    const second = await run(author, "q=grommitch&sort=newest&page=2");
    expect(second).toMatchObject({ total: 25, page: 2, totalPages: 2 });
    expect(second.hits).toHaveLength(5);
    const seen = new Set([...keys(first), ...keys(second)]);
    expect(seen.size).toBe(25);
    expect([...seen].filter((k) => k.startsWith("idea:"))).toHaveLength(13);
    expect((await run(author, "q=grommitch&page=3")).hits).toEqual([]);
  });

  test("ideas in a restricted space never reach an outsider: not a hit, a facet count or a campaign title; a member finds them until removed", async () => {
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const admin = await createUser(t.db, {}, "admin");
    const secret = await createSpace(t.db, { name: "Project Quorvex", members: [insider] }, "restricted");
    const open = await createSpace(t.db, { name: "Everyone" });
    const hiddenCampaign = await createCampaign(t.db, { sponsor: admin, space: secret, title: "Quorvex integration ideas", categories: ["Quorvex-only"] });
    const openCampaign = await createCampaign(t.db, { sponsor: admin, space: open, title: "Office ideas" });
    const hidden = await createIdea(t.db, { author: insider, campaignId: hiddenCampaign, title: "Rename the quorvex codename before launch", category: "Quorvex-only" });
    const visible = await createIdea(t.db, { author: outsider, campaignId: openCampaign, title: "A quorvex-themed coffee corner" });
    await indexAll();

    const theirs = await run(outsider, "q=quorvex");
    expect(keys(theirs)).toEqual([`idea:${visible}`]);
    expect(facet(theirs.facets.campaign)).toEqual([[String(openCampaign), "Office ideas", 1]]);
    expect(theirs.facets.category).toEqual([]);
    expect(facet(theirs.facets.type)).toEqual([["idea", "Ideas", 1]]);
    expect(facet(theirs.facets.space)).toEqual([[open.slug, "Everyone", 1]]);
    expect(JSON.stringify(theirs)).not.toMatch(/codename|Quorvex integration|Project Quorvex|Quorvex-only/);
    // Naming the hidden campaign or category in the URL finds nothing and names nothing.
    const named = await run(outsider, `q=quorvex&campaign=${hiddenCampaign}`);
    expect(named.total).toBe(0);
    expect(named.facets.campaign).toEqual([]);
    expect((await run(outsider, "category=Quorvex-only")).total).toBe(0);
    expect((await run(outsider, "type=idea")).hits.map((h) => h.id)).not.toContain(hidden);

    expect(keys(await run(insider, "q=codename"))).toEqual([`idea:${hidden}`]);
    expect(facet((await run(insider, "q=quorvex")).facets.campaign)).toEqual(expect.arrayContaining([[String(hiddenCampaign), "Quorvex integration ideas", 1]]));
    const access = await loadCampaign(t.db, insider, hiddenCampaign);
    expect((await similarIdeas(t.db, client, insider, access.campaign, "rename the codename", { prefix }))?.map((i) => i.id)).toEqual([hidden]);

    await removeSpaceMember(t.db, admin, secret.id, insider.id);
    expect((await run(insider, "q=codename")).total).toBe(0);
    // Loaded before the removal, the campaign is still searched through the visibility clause.
    expect(await similarIdeas(t.db, client, insider, access.campaign, "rename the codename", { prefix })).toEqual([]);
  });
});

describe("similar ideas", () => {
  test("a title like an idea of the campaign finds it; merged ideas, other campaigns and unrelated titles do not", async () => {
    const { sponsor, space } = await sponsorAndSpace();
    const member = await createUser(t.db);
    const campaignId = await createCampaign(t.db, { sponsor, space, title: "Working from anywhere" });
    const otherCampaign = await createCampaign(t.db, { sponsor, space, title: "Other ideas" });
    const abroad = await createIdea(t.db, { author: await createUser(t.db), campaignId, title: "Allow remote work from abroad for two weeks a year" });
    const stipend = await createIdea(t.db, { author: await createUser(t.db), campaignId, title: "A stipend for remote work chairs" });
    const duplicate = await createIdea(t.db, { author: await createUser(t.db), campaignId, title: "Remote work from abroad in the summer" });
    const elsewhere = await createIdea(t.db, { author: await createUser(t.db), campaignId: otherCampaign, title: "Remote work from abroad for the sales team" });
    await createIdea(t.db, { author: await createUser(t.db), campaignId, title: "Free fruit on Fridays" });
    await mergeIdea(t.db, sponsor, duplicate, { targetId: abroad, reason: "Same idea." });
    await changeIdeaStatus(t.db, sponsor, stipend, { status: "in_progress", reason: "" });
    await indexAll();

    const found = await similarIdeas(t.db, client, member, { id: campaignId }, "Remote work from abroad", { prefix });
    expect(found?.[0]).toEqual({
      id: abroad,
      url: `/ideas/${abroad}`,
      title: "Allow remote work from abroad for two weeks a year",
      status: "submitted",
      statusLabel: "Submitted",
      voteCount: 0,
    });
    const ids = found!.map((i) => i.id);
    expect(ids).not.toContain(duplicate);
    expect(ids).not.toContain(elsewhere);
    expect(found!.length).toBeLessThanOrEqual(5);
    expect((await similarIdeas(t.db, client, member, { id: campaignId }, "remote work chair stipend", { prefix }))?.[0]).toMatchObject({
      id: stipend,
      status: "in_progress",
      statusLabel: "In progress",
    });
    expect(await similarIdeas(t.db, client, member, { id: campaignId }, "Quarterly tax filing deadline", { prefix })).toEqual([]);
    expect(await similarIdeas(t.db, client, member, { id: campaignId }, "ab", { prefix })).toEqual([]);
    // Only filler words: nothing is searched.
    expect(await similarIdeas(t.db, client, member, { id: campaignId }, "How can we do this?", { prefix })).toEqual([]);
  });
});

describe("rebuilding and reconciling", () => {
  test("a full rebuild includes every idea, merged ones too", async () => {
    const { sponsor, space } = await sponsorAndSpace();
    const campaignId = await createCampaign(t.db, { sponsor, space });
    const kept = await createIdea(t.db, { author: await createUser(t.db), campaignId, title: "Rebuild me: the vexilloid idea" });
    const merged = await createIdea(t.db, { author: await createUser(t.db), campaignId });
    await mergeIdea(t.db, sponsor, merged, { targetId: kept, reason: "" });

    const result = await reindexAll(t.db, client, { prefix });
    const live = (await t.db.select({ id: ideas.id }).from(ideas)).map((r) => r.id).sort((a, b) => a - b);
    expect(result.idea.documents).toBe(live.length);
    const { results } = await client.index(indexName("idea", prefix)).getDocuments({ limit: 10_000, fields: ["id", "status"] });
    expect(results.map((d) => Number(d.id)).sort((a, b) => a - b)).toEqual(live);
    expect(results.find((d) => Number(d.id) === merged)).toMatchObject({ status: "merged" });
    // The rebuilt index has the ideas' settings: its filters work.
    const found = await client.index(indexName("idea", prefix)).search("vexilloid", { filter: [`campaignId = ${campaignId}`, 'status != "merged"'] });
    expect(found.hits.map((h) => h.id)).toEqual([kept]);
  });

  test("the reconcile finds missing, stale and extra idea documents, and the relay repairs them", async () => {
    const { sponsor, space } = await sponsorAndSpace();
    const campaignId = await createCampaign(t.db, { sponsor, space });
    const a = await createIdea(t.db, { author: await createUser(t.db), campaignId, title: "Reconcile idea alpha" });
    const b = await createIdea(t.db, { author: await createUser(t.db), campaignId, title: "Reconcile idea beta" });
    await indexAll();
    const clean = await reconcileIndexes(t.db, client, { prefix });
    expect(clean.idea).toMatchObject({ missing: 0, stale: 0, extra: 0, queued: 0 });
    expect(clean.idea.checked).toBeGreaterThanOrEqual(2);

    const index = client.index(indexName("idea", prefix));
    await index.deleteDocument(a).waitTask();
    await index.updateDocuments([{ id: b, version: 1, title: "An old title" }]).waitTask();
    await index.addDocuments([{ id: 999_999, type: "idea", spaceId: space.id, title: "Written around the outbox", version: 1 }]).waitTask();

    const drift = await reconcileIndexes(t.db, client, { prefix });
    expect(drift.idea).toMatchObject({ missing: 1, stale: 1, extra: 1, queued: 3 });
    await indexAll();
    expect(await ideaDoc(a)).toMatchObject({ title: "Reconcile idea alpha" });
    expect(await ideaDoc(b)).toMatchObject({ title: "Reconcile idea beta" });
    expect(await ideaDoc(999_999)).toBeNull();
    expect((await reconcileIndexes(t.db, client, { prefix })).idea.queued).toBe(0);
  });

  test("an idea's dead letter names the idea, for admins who may see it", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const moderator = await createUser(t.db, {}, "moderator");
    const secret = await createSpace(t.db, {}, "restricted");
    const campaignId = await createCampaign(t.db, { sponsor: admin, space: secret });
    const id = await createIdea(t.db, { author: admin, campaignId, title: "An idea the index refused" });
    await indexAll();
    await enqueueIdeas([id]);
    const rows = await t.db.update(outbox).set({ status: "dead", attempts: 8 }).where(eq(outbox.status, "pending")).returning({ id: outbox.id });
    expect(rows).toHaveLength(1);
    const forAdmin = await deadLetters(t.db, admin, 1);
    expect(forAdmin.rows.find((r) => r.kind === "idea" && r.itemId === id)?.item).toEqual({ label: "An idea the index refused", url: `/ideas/${id}` });
    // A moderator who is not a member of the restricted space sees the row, not what it names.
    expect((await deadLetters(t.db, moderator, 1)).rows.find((r) => r.itemId === id)?.item).toBeNull();
    await t.db.delete(outbox).where(
      inArray(
        outbox.id,
        rows.map((r) => r.id),
      ),
    );
  });
});
