import type { Meilisearch, Settings } from "meilisearch";
import { settled } from "./client.server.ts";

/**
 * Index definitions. Names take an optional prefix so tests (and a reindex into a fresh index)
 * use their own indexes on a shared server.
 */
export const INDEX_NAMES = {
  question: "questions",
  person: "people",
  idea: "ideas",
  wiki_page: "pages",
  article: "articles",
  recognition: "recognition",
  // Issue 19, forum search: the public forum's own index, the only one its search key may read.
  forum_thread: "forum",
} as const;
export type IndexedKind = keyof typeof INDEX_NAMES;

export function indexName(kind: IndexedKind, prefix = ""): string {
  return `${prefix}${INDEX_NAMES[kind]}`;
}

export const INDEX_SETTINGS: Record<IndexedKind, Settings> = {
  question: {
    // Order ranks the attributes: a word in the title outranks the same word in an answer.
    searchableAttributes: ["title", "tags", "body", "answers"],
    displayedAttributes: ["*"],
    // Only what search filters or counts on (search.server.ts): each filterable field is a facet
    // database Meilisearch keeps up on every write. Not `type` (an index holds one kind) nor
    // `authorId` (nothing filters by author). `id`: the search page finds the hits it shows by id
    // to highlight only those (search.server.ts, federatedSearch), as in the four indexes below.
    filterableAttributes: ["id", "spaceId", "tags", "status", "authorDepartment", "createdAt"],
    sortableAttributes: ["score", "createdAt", "lastActivityAt"],
    // "sort" first: a chosen sort (newest, most active, highest score) orders all matches strictly;
    // without one it is a no-op and relevance decides.
    rankingRules: ["sort", "words", "typo", "proximity", "attribute", "exactness"],
    typoTolerance: { enabled: true },
    // Proximity counted within an attribute only, and no search inside facet values (nothing asks
    // for it): both make indexing markedly cheaper on a small machine.
    proximityPrecision: "byAttribute",
    facetSearch: false,
    // Facet values come back most frequent first, so the top tags are among those returned.
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "count" } },
    pagination: { maxTotalHits: 1000 },
  },
  person: {
    // The evidence text last: it names many topics and pages, so it only breaks ties between
    // people found by name, title or topic. Everything here is what open spaces show (documents.server.ts).
    searchableAttributes: ["name", "title", "topTags", "topics", "department", "location", "expertise"],
    displayedAttributes: ["*"],
    // Open to questions is `openToQuestions = true AND awayUntil < <now in ms>`: away ends by itself.
    filterableAttributes: ["department", "location", "title", "topics", "openToQuestions", "awayUntil"],
    sortableAttributes: ["reputation"],
    typoTolerance: { enabled: true },
  },
  // Searched beside the questions in one federated query: the same ranking rules, so their
  // relevance scores compare, and sortable fields the page's sorts map onto (see search.server.ts).
  idea: {
    // The campaign's title last: it is shared by every idea of the campaign, so it only breaks ties.
    searchableAttributes: ["title", "tags", "category", "body", "campaignTitle"],
    displayedAttributes: ["*"],
    filterableAttributes: ["id", "spaceId", "campaignId", "status", "category", "tags", "authorDepartment", "createdAt"],
    sortableAttributes: ["voteCount", "createdAt"],
    rankingRules: ["sort", "words", "typo", "proximity", "attribute", "exactness"],
    typoTolerance: { enabled: true },
    proximityPrecision: "byAttribute",
    facetSearch: false,
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "count" } },
    pagination: { maxTotalHits: 1000 },
  },
  // Wiki pages, searched beside questions and ideas (the same ranking rules, so scores compare).
  wiki_page: {
    // The owners' names ride along for the results but are not searched: typing a colleague's name
    // would list every page they own. Title, tags and body are all there is, so a query needs no
    // `attributesToSearchOn` (which Meilisearch refuses on an index without documents yet).
    searchableAttributes: ["title", "tags", "body"],
    displayedAttributes: ["*"],
    filterableAttributes: ["id", "spaceId", "type", "tags", "authorDepartment", "createdAt", "verified", "freshness"],
    // `score` is always 0 (pages are not voted on): the "highest score" sort needs a number to compare.
    sortableAttributes: ["createdAt", "updatedAt", "score"],
    // Freshness (2 verified and fresh, 1 never verified, 0 past its review) after every relevance
    // rule: among pages that match equally well, the verified fresh one comes first. Not earlier:
    // Meilisearch stops ranking a document once it is alone in its bucket and leaves the rules it
    // skipped out of its `_rankingScore`, so a split by freshness before proximity, attribute or
    // exactness would give poorly matching pages a perfect score, and the federated merge (which
    // goes by that score) would put them above better questions. And the ranking score itself
    // never counts custom rules, so this changes the order of pages, not their place in the merge.
    rankingRules: ["sort", "words", "typo", "proximity", "attribute", "exactness", "freshness:desc"],
    typoTolerance: { enabled: true },
    proximityPrecision: "byAttribute",
    facetSearch: false,
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "count" } },
    pagination: { maxTotalHits: 1000 },
  },
  // Published articles only (drafts and scheduled ones are not in the index).
  article: {
    searchableAttributes: ["title", "tags", "body"],
    displayedAttributes: ["*"],
    filterableAttributes: ["id", "spaceId", "type", "articleType", "tags", "authorDepartment", "publishedAt"],
    sortableAttributes: ["publishedAt", "score"],
    rankingRules: ["sort", "words", "typo", "proximity", "attribute", "exactness"],
    typoTolerance: { enabled: true },
    proximityPrecision: "byAttribute",
    facetSearch: false,
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "count" } },
    pagination: { maxTotalHits: 1000 },
  },
  // Kudos and badges together (issue 17): two small kinds in one index, so the search page asks one
  // more query, not two, when it asks for them at all (decision 004). Document ids carry the kind
  // ("kudos-12", "badge-3") and `type` tells them apart for the filter and the type facet. Badges
  // fill `name` and `body`; kudos fill the people, the value, `body` (the message) and what they
  // thank. The order ranks the attributes: a badge's name, then the people a kudos names, then
  // the words.
  recognition: {
    searchableAttributes: ["name", "receiverNames", "giverName", "valueName", "body", "subjectTitle"],
    displayedAttributes: ["*"],
    filterableAttributes: ["id", "spaceId", "type", "authorDepartment", "createdAt"],
    // `score` is a kudos's "+1"s (badges are not voted on: 0), for the "highest score" sort.
    sortableAttributes: ["createdAt", "score"],
    rankingRules: ["sort", "words", "typo", "proximity", "attribute", "exactness"],
    typoTolerance: { enabled: true },
    proximityPrecision: "byAttribute",
    facetSearch: false,
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "count" } },
    pagination: { maxTotalHits: 1000 },
  },
  // Issue 19, forum search: published forum threads only (search/forum.server.ts), searched by the
  // forum process with a key limited to this index. Nothing internal is in it: no space, no author
  // id, no department. Displayed are only the fields a results page shows; the text stays searchable
  // but is not handed back (the forum reads a thread's page from PostgreSQL).
  forum_thread: {
    searchableAttributes: ["title", "tags", "body", "answers"],
    displayedAttributes: ["id", "slug", "title", "summary", "tags", "publishedAt", "solved", "version"],
    filterableAttributes: ["tags", "publishedAt"],
    sortableAttributes: ["publishedAt"],
    typoTolerance: { enabled: true },
    proximityPrecision: "byAttribute",
    facetSearch: false,
    pagination: { maxTotalHits: 1000 },
  },
};

/** Creates the indexes (primary key `id`) and applies their settings; idempotent, waits for the tasks. */
export async function applyIndexSettings(client: Meilisearch, prefix = "", timeoutMs = 30_000): Promise<void> {
  for (const kind of Object.keys(INDEX_NAMES) as IndexedKind[]) {
    const uid = indexName(kind, prefix);
    const created = await settled(client, client.createIndex(uid, { primaryKey: "id" }), { timeoutMs });
    // "index_already_exists" is the expected failure on every start after the first.
    if (created.status === "failed" && created.error?.code !== "index_already_exists") {
      throw new Error(`creating index ${uid} failed: ${created.error?.message ?? "unknown error"}`);
    }
    const updated = await settled(client, client.index(uid).updateSettings(INDEX_SETTINGS[kind]), { timeoutMs });
    if (updated.status !== "succeeded") throw new Error(`settings of index ${uid}: ${updated.error?.message ?? updated.status}`);
  }
}

/** The two kinds the `recognition` index holds; each document's id carries its kind. */
export const RECOGNITION_KINDS = ["kudos", "badge"] as const;
export type RecognitionKind = (typeof RECOGNITION_KINDS)[number];

/** A kudos's or a badge's document id in the `recognition` index: "kudos-12", "badge-3". */
export function recognitionDocumentId(kind: RecognitionKind, id: number): string {
  return `${kind}-${id}`;
}

/** The kind and row id a `recognition` document id names, or null for anything else. */
export function parseRecognitionId(documentId: unknown): { kind: RecognitionKind; id: number } | null {
  const match = /^(kudos|badge)-([1-9][0-9]{0,9})$/.exec(String(documentId));
  if (!match) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) && id <= 2_147_483_647 ? { kind: match[1] as RecognitionKind, id } : null;
}

// Issue 19, forum search: the `forum_runtime` row through which the app hands the forum process its
// search key and index name (written by ensureForumSearchKey, read by forum/search.server.ts).
export const FORUM_SEARCH_RUNTIME_KEY = "search";
export type ForumSearchRuntime = { key: string; index: string };
