import { asc, eq, gt } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { renderMarkdown, MarkdownError } from "#app/lib/markdown.server.ts";
import { enqueueIndexing, type OutboxKind } from "#search/outbox.server.ts";
import { type Db, createDb } from "./client.server.ts";
import { articles, campaigns, comments, ideas, posts, tags } from "./schema/index.ts";
import { startedDirectly } from "./script.ts";

/**
 * `npm run markdown:rerender`: renders every stored markdown text again with the current markdown
 * module and writes the rows whose HTML changes. The HTML is made when a text is saved, so text
 * saved before a change to the module (math, from issue 16: imported Stack Exchange posts showed
 * their `$…$` as dollars) keeps its old HTML until this runs. Rows are read in batches of 500 by
 * id; each batch that changes something is one transaction, which also queues the search documents
 * of the questions, ideas and articles it changed. A text the module now refuses (too much math)
 * keeps its old HTML and is counted. Safe to run again, and while the app runs.
 *
 * Wiki pages are not included: their HTML carries links and heading anchors that only the wiki's
 * own renderer adds (app/features/wiki/pages.server.ts), and every page was saved with math already.
 */

type Source = {
  name: string;
  table: PgTable;
  id: AnyPgColumn;
  text: AnyPgColumn;
  html: AnyPgColumn;
  /** The search document a changed row belongs to, when it has one. */
  index?: { kind: OutboxKind; of: (row: { id: number; parentId: number | null }) => number };
  parent?: AnyPgColumn;
};

const SOURCES: Source[] = [
  { name: "posts", table: posts, id: posts.id, text: posts.body, html: posts.bodyHtml, parent: posts.parentId, index: { kind: "question", of: (row) => row.parentId ?? row.id } },
  { name: "comments", table: comments, id: comments.id, text: comments.body, html: comments.bodyHtml },
  { name: "ideas", table: ideas, id: ideas.id, text: ideas.body, html: ideas.bodyHtml, index: { kind: "idea", of: (row) => row.id } },
  { name: "campaigns", table: campaigns, id: campaigns.id, text: campaigns.brief, html: campaigns.briefHtml },
  { name: "tags", table: tags, id: tags.id, text: tags.description, html: tags.descriptionHtml },
  { name: "articles", table: articles, id: articles.id, text: articles.body, html: articles.bodyHtml, index: { kind: "article", of: (row) => row.id } },
];

export type RerenderCount = { name: string; read: number; changed: number; refused: number[] };

export const RERENDER_BATCH = 500;

export async function rerenderMarkdown(db: Db, options: { batchSize?: number; onBatch?: (count: RerenderCount) => void } = {}): Promise<RerenderCount[]> {
  const batchSize = options.batchSize ?? RERENDER_BATCH;
  const counts: RerenderCount[] = [];
  for (const source of SOURCES) {
    const count: RerenderCount = { name: source.name, read: 0, changed: 0, refused: [] };
    let after = 0;
    for (;;) {
      const rows = (await db
        .select({ id: source.id, text: source.text, html: source.html, ...(source.parent ? { parentId: source.parent } : {}) })
        .from(source.table)
        .where(gt(source.id, after))
        .orderBy(asc(source.id))
        .limit(batchSize)) as Array<{ id: number; text: string; html: string; parentId?: number | null }>;
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      count.read += rows.length;
      const changed: Array<{ id: number; html: string; parentId: number | null }> = [];
      for (const row of rows) {
        // Tags without a description keep an empty one, as their writer stores it.
        if (row.text === "") continue;
        let html: string;
        try {
          html = renderMarkdown(row.text);
        } catch (error) {
          if (!(error instanceof MarkdownError)) throw error;
          count.refused.push(row.id);
          continue;
        }
        if (html !== row.html) changed.push({ id: row.id, html, parentId: row.parentId ?? null });
      }
      if (changed.length > 0) {
        await db.transaction(async (tx) => {
          const column = htmlKey(source);
          for (const row of changed)
            await tx
              .update(source.table)
              .set({ [column]: row.html })
              .where(eq(source.id, row.id));
          if (source.index) await enqueueIndexing(tx, source.index.kind, changed.map(source.index.of), { priority: 1 });
        });
        count.changed += changed.length;
      }
      options.onBatch?.(count);
      if (rows.length < batchSize) break;
    }
    counts.push(count);
  }
  return counts;
}

/** The property name drizzle knows the HTML column by in its table. */
function htmlKey(source: Source): string {
  const columns = source.table as unknown as Record<string, unknown>;
  const key = Object.keys(columns).find((name) => columns[name] === source.html);
  if (!key) throw new Error(`no HTML column on ${source.name}`);
  return key;
}

if (startedDirectly(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("markdown:rerender needs DATABASE_URL");
    process.exit(1);
  }
  const db = createDb(url, { max: 2 });
  try {
    const counts = await rerenderMarkdown(db, {
      onBatch: (count) => process.stdout.write(`\r${count.name}: ${count.read} read, ${count.changed} changed`),
    });
    process.stdout.write("\n");
    for (const count of counts) {
      const refused =
        count.refused.length > 0
          ? `; ${count.refused.length} refused by the markdown module, kept as they were (ids ${count.refused.slice(0, 20).join(", ")}${count.refused.length > 20 ? ", …" : ""})`
          : "";
      process.stdout.write(`${count.name}: ${count.read} read, ${count.changed} re-rendered${refused}\n`);
    }
  } finally {
    await db.close();
  }
}
