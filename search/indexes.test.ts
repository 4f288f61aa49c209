import { describe, expect, test } from "vitest";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { DOCUMENT_FIELDS, questionDocuments } from "./documents.server.ts";
import { FORUM_DOCUMENT_FIELDS } from "./forum.server.ts";
import { INDEX_NAMES, INDEX_SETTINGS, type IndexedKind } from "./indexes.ts";

/**
 * Every field an index's settings name is a field its documents have: a setting on a field no
 * document has hides a mistake (a renamed field stops being searched or filtered without an error).
 */

const FIELDS: Record<IndexedKind, string[]> = { ...DOCUMENT_FIELDS, forum_thread: FORUM_DOCUMENT_FIELDS };

/** The fields a kind's settings name: searched, filtered, sorted, shown, and custom ranking rules ("freshness:desc"). */
function namedFields(kind: IndexedKind): string[] {
  const s = INDEX_SETTINGS[kind];
  const custom = (s.rankingRules ?? []).flatMap((rule) => {
    const match = /^(.+):(asc|desc)$/.exec(rule);
    return match ? [match[1]!] : [];
  });
  const filterable = (s.filterableAttributes ?? []).map((f) => (typeof f === "string" ? f : "")).filter(Boolean);
  return [...(s.searchableAttributes ?? []), ...filterable, ...(s.sortableAttributes ?? []), ...(s.displayedAttributes ?? []), ...custom].filter((f) => f !== "*");
}

describe("index settings", () => {
  test.each(Object.keys(INDEX_NAMES) as IndexedKind[])("%s names only fields its documents have", (kind) => {
    const named = namedFields(kind);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((f) => !FIELDS[kind].includes(f))).toEqual([]);
  });

  test("a field misspelled in a setting would be caught", () => {
    expect(FIELDS.question).not.toContain("authorID");
    expect(FIELDS.question).toContain("authorDepartment");
  });
});

describe("document fields", () => {
  const t = setupTestDb();

  test("a question's document has exactly the listed fields", async () => {
    const space = await createSpace(t.db, { slug: "fields-open" });
    const author = await createUser(t.db, { name: "Fay Fields" });
    const questionId = await createQuestion(t.db, { author, space, title: "Which fields does a question document carry?", tags: ["fields"] });
    await createAnswer(t.db, { author: await createUser(t.db), questionId, body: "Only those the search page reads, filters on or searches." });
    const { upserts } = await questionDocuments(t.db, [questionId]);
    expect(upserts).toHaveLength(1);
    expect(Object.keys(upserts[0]!).sort()).toEqual([...DOCUMENT_FIELDS.question].sort());
  });
});
