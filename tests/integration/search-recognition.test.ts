import { eq } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { beforeAll, describe, expect, test } from "vitest";
import { badges, kudos, posts } from "#db/schema/index.ts";
import "#app/features/social/kinds.server.ts";
import { companySpaceId } from "#app/features/recognition/company-space.server.ts";
import { giveKudos, withdrawKudos } from "#app/features/recognition/kudos.server.ts";
import { type BadgeHit, type KudosHit, type SearchOutcome, searchParams, type Snippet } from "#app/features/search/search-params.ts";
import { liveHits, search, searchedKinds } from "#app/features/search/search.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { SearchResultList } from "#app/components/search/result-list.tsx";
import { meiliErrorCode, settled } from "#search/client.server.ts";
import { badgeDocuments, kudosDocuments } from "#search/documents.server.ts";
import { indexName, parseRecognitionId } from "#search/indexes.ts";
import { reconcileIndexes } from "#search/reconcile.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { reindexAll } from "#search/reindex.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser, createValue } from "#tests/factories/index.ts";
import { parseScreen, payloads } from "#tests/xss-render.ts";

/**
 * Kudos and badges in search (issue 17), against the run's real Meilisearch: kudos given and
 * withdrawn through the kudos feature (which names them in the outbox), badges written as the
 * badges feature writes them, indexed by the real relay into this file's own `recognition` index,
 * then found by the global search beside the other kinds, rebuilt and reconciled.
 */

const t = setupTestDb();
const indexes = setupSearchIndexes("r");
const { prefix } = indexes;
let client: Meilisearch;
beforeAll(() => {
  client = indexes.client;
});

type Person = Awaited<ReturnType<typeof createUser>>;

async function indexAll() {
  const r = await runRelayUntilIdle(t.db, client, { prefix });
  expect(r.failed + r.dead).toBe(0);
}

async function doc(documentId: string): Promise<Record<string, unknown> | null> {
  try {
    return await client.index(indexName("recognition", prefix)).getDocument(documentId);
  } catch (error) {
    if (meiliErrorCode(error) === "document_not_found") return null;
    throw error;
  }
}

let valueId: number | undefined;
async function value() {
  valueId ??= (await createValue(t.db, { name: "Teamwork", emoji: "🙌" })).id;
  return valueId;
}

/** Kudos through the feature (allowance, ledger, outbox are real); 0 points so no test runs out of allowance. */
async function thank(giver: Person, receivers: Person[], message: string, extra: { subjectItemId?: number; private?: boolean; valueId?: number; pointsEach?: number } = {}) {
  const { id } = await giveKudos(t.db, giver, {
    receiverIds: receivers.map((r) => r.id),
    message,
    valueId: extra.valueId ?? (await value()),
    pointsEach: extra.pointsEach ?? 0,
    subjectItemId: extra.subjectItemId ?? null,
    private: extra.private ?? false,
  });
  return id;
}

/** A badge as the badges feature writes one (in the company space; its item made by the trigger). */
async function createBadge(attrs: { name: string; description?: string; tier?: "bronze" | "silver" | "gold"; holderCount?: number; archived?: boolean }) {
  const [row] = await t.db
    .insert(badges)
    .values({
      spaceId: await companySpaceId(t.db),
      name: attrs.name,
      description: attrs.description ?? `Awarded for ${attrs.name}.`,
      tier: attrs.tier ?? "bronze",
      holderCount: attrs.holderCount ?? 0,
      archivedAt: attrs.archived ? new Date() : null,
    })
    .returning({ id: badges.id });
  await t.db.transaction((tx) => enqueueIndexing(tx, "badge", [row!.id]));
  return row!.id;
}

/** Waits for a write made around the outbox (a hand-made drift) to be applied. */
async function written(task: Parameters<typeof settled>[1]) {
  expect((await settled(client, task, { timeoutMs: 60_000 })).status).toBe("succeeded");
}

function ok(outcome: SearchOutcome) {
  if (outcome.status !== "ok") throw new Error("search was unavailable");
  return outcome;
}
const run = (actor: Parameters<typeof search>[2], query: string, hitsPerPage?: number) =>
  search(t.db, client, actor, searchParams(new URLSearchParams(query)), { prefix, ...(hitsPerPage ? { hitsPerPage } : {}) }).then(ok);
const keys = (outcome: { hits: Array<{ type: string; id: number }> }) => outcome.hits.map((h) => `${h.type}:${h.id}`);
const text = (s: Snippet) => s.map((r) => r.text).join("");
const matched = (s: Snippet) => s.filter((r) => r.match).map((r) => r.text.toLowerCase());
const facet = (values: Array<{ value: string; label: string; count: number }>) => values.map((v) => [v.value, v.label, v.count]);
const render = (element: React.ReactElement) => renderToStaticMarkup(createElement(MemoryRouter, null, element));

describe("documents", () => {
  test("a kudos's document: the message's text, giver and receivers, value, and the title of the answer it thanks", async () => {
    const giver = await createUser(t.db, { name: "Gita Giver", department: "Support" });
    const ana = await createUser(t.db, { name: "Ana Zeta" });
    const ben = await createUser(t.db, { name: "Ben Alpha" });
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: ana, space, title: "How do we rotate the staging certificates?" });
    const answerId = await createAnswer(t.db, { author: ben, questionId });
    const [answer] = await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, answerId));
    const id = await thank(giver, [ana, ben], "Your **runbook** & the `deploy.sh` fix saved the night", { subjectItemId: answer!.itemId, pointsEach: 5 });
    // Giving only names the kudos in the outbox; the relay puts it in the index.
    expect(await doc(`kudos-${id}`)).toBeNull();
    await indexAll();
    const [row] = await t.db.select().from(kudos).where(eq(kudos.id, id));
    expect(await doc(`kudos-${id}`)).toEqual({
      id: `kudos-${id}`,
      type: "kudos",
      spaceId: space.id,
      body: "Your runbook & the deploy.sh fix saved the night",
      giverId: giver.id,
      giverName: "Gita Giver",
      authorDepartment: "Support",
      receiverNames: ["Ana Zeta", "Ben Alpha"],
      receiverIds: [ana.id, ben.id],
      valueName: "Teamwork",
      valueEmoji: "🙌",
      subjectTitle: "How do we rotate the staging certificates?",
      points: 10,
      score: 0,
      createdAt: Math.floor(row!.createdAt.getTime() / 1000),
      version: row!.updatedAt.getTime(),
    });
  });

  test("private, withdrawn and missing kudos, and archived or missing badges, come back as deletes; badges carry name, description, tier and holders", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const giver = await createUser(t.db);
    const receiver = await createUser(t.db);
    const open = await thank(giver, [receiver], "Public thanks");
    const secret = await thank(giver, [receiver], "Private thanks", { private: true });
    const withdrawn = await thank(giver, [receiver], "Withdrawn thanks");
    const [w] = await t.db.select({ itemId: kudos.itemId }).from(kudos).where(eq(kudos.id, withdrawn));
    await withdrawKudos(t.db, admin, w!.itemId, "Posted twice");
    const docs = await kudosDocuments(t.db, [open, secret, withdrawn, 987_654]);
    expect(docs.upserts.map((d) => d.id)).toEqual([`kudos-${open}`]);
    expect(docs.upserts[0]).toMatchObject({ subjectTitle: "", spaceId: await companySpaceId(t.db) });
    expect(docs.deletes.sort()).toEqual([secret, withdrawn, 987_654].sort());

    const live = await createBadge({ name: "Night owl", description: "Answered after midnight.", tier: "silver", holderCount: 3 });
    const archived = await createBadge({ name: "Retired badge", archived: true });
    const badgeDocs = await badgeDocuments(t.db, [live, archived, 987_654]);
    expect(badgeDocs.upserts).toEqual([
      expect.objectContaining({ id: `badge-${live}`, type: "badge", name: "Night owl", body: "Answered after midnight.", tier: "silver", holderCount: 3, score: 0 }),
    ]);
    expect(badgeDocs.deletes.sort()).toEqual([archived, 987_654].sort());
  });

  test("document ids name their kind; anything else names nothing", () => {
    expect(parseRecognitionId("kudos-12")).toEqual({ kind: "kudos", id: 12 });
    expect(parseRecognitionId("badge-3")).toEqual({ kind: "badge", id: 3 });
    for (const bad of ["12", "kudos-0", "kudos-", "award-1", "badge-99999999999", " kudos-1", 7]) expect(parseRecognitionId(bad)).toBeNull();
  });
});

describe("the relay keeps the index in step", () => {
  test("withdrawing a kudos and archiving a badge take them out of the index; a private kudos never goes in", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const giver = await createUser(t.db);
    const receiver = await createUser(t.db);
    const kept = await thank(giver, [receiver], "Thanks for the quuxplorer demo");
    const withdrawn = await thank(giver, [receiver], "Thanks for the quuxplorer slides");
    const secret = await thank(giver, [receiver], "Thanks for the quuxplorer secret", { private: true });
    const badge = await createBadge({ name: "Quuxplorer" });
    await indexAll();
    expect(await doc(`kudos-${kept}`)).not.toBeNull();
    expect(await doc(`kudos-${withdrawn}`)).not.toBeNull();
    expect(await doc(`kudos-${secret}`)).toBeNull();
    expect(await doc(`badge-${badge}`)).not.toBeNull();

    const [w] = await t.db.select({ itemId: kudos.itemId }).from(kudos).where(eq(kudos.id, withdrawn));
    await withdrawKudos(t.db, hr, w!.itemId);
    await t.db.update(badges).set({ archivedAt: new Date() }).where(eq(badges.id, badge));
    // Until the relay runs the index still has both; PostgreSQL's check keeps them off the page.
    expect(keys(await run(giver, "q=quuxplorer"))).toEqual([`kudos:${kept}`]);
    await t.db.transaction((tx) => enqueueIndexing(tx, "badge", [badge]));
    await indexAll();
    expect(await doc(`kudos-${withdrawn}`)).toBeNull();
    expect(await doc(`badge-${badge}`)).toBeNull();
    expect(await doc(`kudos-${kept}`)).not.toBeNull();
  });
});

describe("who finds what", () => {
  test("a kudos in a restricted space is found by its members only; a private kudos by nobody, not even its giver; badges by every employee, not customers or deactivated accounts", async () => {
    const giver = await createUser(t.db, { name: "Gale Giver" });
    const receiver = await createUser(t.db, { name: "Rita Receiver" });
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    const customer = await createUser(t.db, {}, "customer");
    const gone = await createUser(t.db, {}, "deactivated");
    const secretSpace = await createSpace(t.db, { members: [giver, receiver, member] }, "restricted");
    const questionId = await createQuestion(t.db, { author: receiver, space: secretSpace, title: "Where is the zorbulon key kept?" });
    const [question] = await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, questionId));
    const inSecret = await thank(giver, [receiver], "Thanks for finding the zorbulon key", { subjectItemId: question!.itemId });
    const privately = await thank(giver, [receiver], "A quiet zorbulon thank-you", { private: true });
    const badge = await createBadge({ name: "Zorbulon finder", tier: "gold" });
    await indexAll();

    const forMember = await run(member, "q=zorbulon&type=kudos");
    expect(keys(forMember)).toEqual([`kudos:${inSecret}`]);
    // The title of what it thanks rides along, for those who may see it.
    expect(text((forMember.hits[0] as KudosHit).subject)).toBe("Where is the zorbulon key kept?");
    const recognition = (outcome: SearchOutcome) => keys(ok(outcome)).filter((k) => !k.startsWith("question:"));
    expect(recognition(await run(outsider, "q=zorbulon"))).toEqual([`badge:${badge}`]);
    for (const concerned of [giver, receiver]) expect(recognition(await run(concerned, "q=zorbulon")).sort()).toEqual([`badge:${badge}`, `kudos:${inSecret}`].sort());
    expect(keys(await run(giver, "q=quiet"))).toEqual([]);

    // Even a private kudos's document left in the index (written around the outbox) shows to nobody.
    const [stale] = (await kudosDocuments(t.db, [inSecret])).upserts;
    await written(client.index(indexName("recognition", prefix)).addDocuments([{ ...stale!, id: `kudos-${privately}`, body: "A quiet zorbulon thank-you" }]));
    expect((await client.index(indexName("recognition", prefix)).search("quiet")).hits).toHaveLength(1);
    for (const reader of [giver, receiver, member]) expect(keys(await run(reader, "q=quiet"))).toEqual([]);
    const live = await liveHits(t.db, giver, { question: [], idea: [], person: [], kudos: [privately, inSecret] });
    expect([...live.kudos.keys()]).toEqual([inSecret]);

    for (const reader of [customer, gone]) expect(keys(await run(reader, "q=zorbulon"))).toEqual([]);
    expect((await liveHits(t.db, customer, { question: [], idea: [], person: [], badge: [badge] })).badge.size).toBe(0);
    await written(client.index(indexName("recognition", prefix)).deleteDocument(`kudos-${privately}`));
  });
});

describe("on the search page", () => {
  test("kudos and badges beside the other kinds: the type facet counts them, filters and sorts apply, and their hits say who thanked whom for what", async () => {
    const giver = await createUser(t.db, { name: "Gwen Garply", department: "Support" });
    const other = await createUser(t.db, { name: "Olaf Other", department: "Sales" });
    const receiver = await createUser(t.db, { name: "Rolf Receiver" });
    const space = await createSpace(t.db);
    await createQuestion(t.db, { author: receiver, space, title: "Who owns the garply service?", tags: ["garply"] });
    const fromSupport = await thank(giver, [receiver], "Thanks for untangling the garply outage", { pointsEach: 3 });
    const fromSales = await thank(other, [receiver], "Great garply demo for the customer", { pointsEach: 2 });
    const badge = await createBadge({ name: "Garply guru", description: "Ten accepted answers about garply.", tier: "gold", holderCount: 2 });
    await indexAll();

    const all = await run(receiver, "q=garply");
    expect(all.total).toBe(4);
    expect(facet(all.facets.type).sort()).toEqual(
      [
        ["badge", "Badges", 1],
        ["kudos", "Kudos", 2],
        ["question", "Questions", 1],
      ].sort(),
    );
    expect(keys(await run(receiver, "q=garply&type=badge"))).toEqual([`badge:${badge}`]);
    expect(keys(await run(receiver, "q=garply&type=kudos")).sort()).toEqual([`kudos:${fromSales}`, `kudos:${fromSupport}`].sort());
    // Kudos and badges have no tags, badges no author: those filters leave them out, as a question's status does.
    expect(keys(await run(receiver, "q=garply&tag=garply")).every((k) => k.startsWith("question:"))).toBe(true);
    expect(keys(await run(receiver, "q=garply&department=Support"))).toEqual([`kudos:${fromSupport}`]);
    expect(keys(await run(receiver, "q=garply&status=open")).every((k) => k.startsWith("question:"))).toBe(true);
    expect(searchedKinds(searchParams(new URLSearchParams("q=garply")), { recognition: false })).toEqual(["question", "idea", "page", "article"]);
    // Every sort has a field to read in the recognition index.
    for (const sort of ["newest", "active", "score"]) expect((await run(receiver, `q=garply&sort=${sort}`)).total).toBe(4);

    // Found through a person's name: the kudos that name them, the name highlighted.
    const byName = await run(other, "q=Rolf&type=kudos");
    expect(byName.hits).toHaveLength(2);
    const hit = byName.hits.find((h) => h.id === fromSupport) as KudosHit;
    expect(hit).toMatchObject({ url: `/kudos/${fromSupport}`, points: 3, space: { slug: "company" } });
    expect(text(hit.giver.name)).toBe("Gwen Garply");
    expect(matched(hit.receivers[0]!.name)).toEqual(["rolf"]);
    expect(text(hit.value.name)).toBe("Teamwork");

    const badgeHit = (await run(other, "q=guru")).hits[0] as BadgeHit;
    expect(badgeHit).toMatchObject({ type: "badge", id: badge, url: `/badges/${badge}`, tier: "gold", holderCount: 2 });
    expect(matched(badgeHit.title)).toEqual(["guru"]);

    // Many receivers: three named, the rest counted.
    const crowd = await Promise.all(["Ada", "Bea", "Cy", "Dot", "Eve"].map((name) => createUser(t.db, { name: `${name} Plinth` })));
    await thank(giver, crowd, "Thanks to the whole plinth team");
    await indexAll();
    expect(text((await run(giver, "q=whole+plinth+team&type=kudos")).hits[0]!.title)).toBe("Gwen Garply thanked Ada Plinth, Bea Plinth, Cy Plinth and 2 others");

    const html = render(createElement(SearchResultList, { hits: [hit, badgeHit], now: Date.now() }));
    const page = parseScreen(html);
    const [kudosResult, badgeResult] = [...page.querySelectorAll("article")];
    expect(kudosResult!.querySelector("h3")?.textContent).toBe("KudosGwen Garply thanked Rolf Receiver");
    expect(kudosResult!.querySelector("a")?.getAttribute("href")).toBe(`/kudos/${fromSupport}`);
    expect(kudosResult!.textContent).toContain("Value: Teamwork");
    expect(kudosResult!.textContent).toContain("3 points · in Company");
    expect(badgeResult!.querySelector("h3")?.textContent).toBe("BadgeGarply guru");
    expect(badgeResult!.textContent).toContain("Gold");
    expect(badgeResult!.textContent).toContain("Held by 2 people");
  });
});

describe("reindex and reconcile", () => {
  test("a full reindex builds the recognition index from public live kudos and badges; the reconcile finds drift of either kind", { timeout: 60_000 }, async () => {
    const admin = await createUser(t.db, {}, "admin");
    const giver = await createUser(t.db);
    const receiver = await createUser(t.db);
    const kept = await thank(giver, [receiver], "Reindexed thanks");
    await thank(giver, [receiver], "Reindexed private thanks", { private: true });
    const withdrawn = await thank(giver, [receiver], "Reindexed withdrawn thanks");
    const [w] = await t.db.select({ itemId: kudos.itemId }).from(kudos).where(eq(kudos.id, withdrawn));
    await withdrawKudos(t.db, admin, w!.itemId);
    const badge = await createBadge({ name: "Reindexed badge" });
    await createBadge({ name: "Reindexed archived badge", archived: true });
    await indexAll();

    const publicKudos = (await t.db.select({ id: kudos.id, private: kudos.private, deletedAt: kudos.deletedAt }).from(kudos)).filter((k) => !k.private && !k.deletedAt);
    const liveBadges = (await t.db.select({ id: badges.id, archivedAt: badges.archivedAt }).from(badges)).filter((b) => !b.archivedAt);
    const result = await reindexAll(t.db, client, { prefix, kinds: ["recognition"] });
    expect(result.recognition.documents).toBe(publicKudos.length + liveBadges.length);
    const { results } = await client.index(indexName("recognition", prefix)).getDocuments({ limit: 10_000, fields: ["id"] });
    expect(results.map((d) => String(d.id)).sort()).toEqual([...publicKudos.map((k) => `kudos-${k.id}`), ...liveBadges.map((b) => `badge-${b.id}`)].sort());
    expect(await doc(`kudos-${kept}`)).toMatchObject({ body: "Reindexed thanks" });
    // Writes of the last minute are queued again after the swap (they may have raced the rebuild).
    await indexAll();

    const clean = await reconcileIndexes(t.db, client, { prefix, kinds: ["recognition"] });
    expect(clean.recognition).toMatchObject({ checked: publicKudos.length + liveBadges.length, missing: 0, stale: 0, extra: 0, queued: 0 });
    const index = client.index(indexName("recognition", prefix));
    await written(index.deleteDocument(`kudos-${kept}`));
    await written(index.updateDocuments([{ id: `badge-${badge}`, version: 1 }]));
    await written(index.addDocuments([{ id: `kudos-${withdrawn}`, type: "kudos", version: 1 }]));
    const drift = await reconcileIndexes(t.db, client, { prefix, kinds: ["recognition"] });
    expect(drift.recognition).toMatchObject({ missing: 1, stale: 1, extra: 1, queued: 3 });
    await indexAll();
    expect(await doc(`kudos-${kept}`)).toMatchObject({ body: "Reindexed thanks" });
    expect(await doc(`badge-${badge}`)).toMatchObject({ name: "Reindexed badge" });
    expect(await doc(`kudos-${withdrawn}`)).toBeNull();
    expect((await reconcileIndexes(t.db, client, { prefix, kinds: ["recognition"] })).recognition.queued).toBe(0);
  });
});

/** Elements the result list itself renders; anything else would have come from the text. */
const RESULT_ELEMENTS = new Set(["div", "ul", "li", "article", "h3", "span", "a", "p", "mark", "time"]);

describe("XSS: every payload in a kudos's message and value and a badge's name and description comes out of search as text", () => {
  test("found, highlighted and rendered: only the list's own elements, no handler, links only to our pages; names read back as written", { timeout: 120_000 }, async () => {
    const giver = await createUser(t.db, { name: "Xena Giver" });
    const receiver = await createUser(t.db, { name: "Xavi Receiver" });
    const given: number[] = [];
    const values = new Map<number, string>();
    for (const [i, { payload }] of payloads.entries()) {
      const name = `${i} ${payload}`;
      const v = await createValue(t.db, { name, emoji: "" });
      try {
        given.push(await thank(giver, [receiver], `xylophant ${payload}`, { valueId: v.id }));
        values.set(given.at(-1)!, name);
      } catch (error) {
        // Refused by the markdown module: the kudos form would not have stored it.
        if (!(error instanceof InputError)) throw error;
      }
    }
    const spaceId = await companySpaceId(t.db);
    const made = await t.db
      .insert(badges)
      .values(payloads.map(({ payload }, i) => ({ spaceId, name: `xylophant ${i} ${payload}`, description: payload, tier: "silver" as const })))
      .returning({ id: badges.id, name: badges.name });
    await t.db.transaction((tx) =>
      enqueueIndexing(
        tx,
        "badge",
        made.map((b) => b.id),
      ),
    );
    const badgeNames = new Map(made.map((b) => [b.id, b.name]));
    expect(given.length).toBeGreaterThan(payloads.length * 0.9);
    await indexAll();

    const found = await run(giver, "q=xylophant", 1000);
    expect(found.hits).toHaveLength(given.length + payloads.length);
    const html = render(createElement(SearchResultList, { hits: found.hits, now: Date.now() }));
    const screen = parseScreen(html);
    for (const el of screen.querySelectorAll("*")) {
      expect(RESULT_ELEMENTS.has(el.localName), `<${el.localName}>`).toBe(true);
      for (const attr of el.attributes) expect(attr.name.startsWith("on"), `${attr.name} on <${el.localName}>`).toBe(false);
      if (el.localName === "a") expect(el.getAttribute("href")).toMatch(/^\/[a-z]/);
    }
    // One <article> per hit, in order; each badge's name and kudos's value read back exactly as
    // written (the HTML parser reads a carriage return as a line feed, which is not markup).
    const results = [...screen.querySelectorAll("article")];
    expect(results).toHaveLength(found.hits.length);
    for (const [i, hit] of found.hits.entries()) {
      if (hit.type === "badge") expect(results[i]!.querySelector("h3")?.textContent?.replace(/^Badge/, "")).toBe(badgeNames.get(hit.id)?.replace(/\r\n?/g, "\n"));
      else expect(results[i]!.textContent).toContain(`Value: ${values.get(hit.id)?.replace(/\r\n?/g, "\n")}`);
    }
  });
});
