import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import { href } from "react-router";
import type { Db } from "#db/client.server.ts";
import { articles, ideas, outbox, posts, users, wikiPages } from "#db/schema/index.ts";
import { articleUrl } from "#app/features/articles/article-url.ts";
import { ideaUrl } from "#app/features/ideas/idea-url.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { plural } from "#app/lib/plural.ts";
import { INDEX_NAMES, type IndexedKind, indexName } from "#search/indexes.ts";
import { OUTBOX_CHANNEL } from "#search/outbox.server.ts";
import { type ReconcileReport, reconcileIndexes } from "#search/reconcile.server.ts";
import { type OutboxHealth, outboxHealth, retryDead } from "#search/relay.server.ts";

/**
 * The admin's view of search: how far the relay is behind, whether Meilisearch answers and what
 * its indexes hold, the outbox rows that gave up (dead letters) and putting them back in line,
 * and a reconcile on demand. Callers check that the actor is an admin.
 */

export const DEAD_PAGE_SIZE = 20;
const KINDS = Object.keys(INDEX_NAMES) as IndexedKind[];

export type IndexStatus = {
  kind: IndexedKind;
  uid: string;
  documents: number;
  indexing: boolean;
  exists: boolean;
};
export type MeiliStatus = { reachable: true; version: string; indexes: IndexStatus[] } | { reachable: false; error: string };

/**
 * Meilisearch's version and, for each of our indexes, its document count and whether it is
 * indexing. Never throws: an unreachable or slow server (the client's timeout bounds the wait)
 * comes back as `{ reachable: false }` with the reason, so the page still renders.
 */
export async function meiliStatus(client: Meilisearch, options: { prefix?: string } = {}): Promise<MeiliStatus> {
  try {
    const [version, stats] = await Promise.all([client.getVersion(), client.getStats()]);
    const indexes = KINDS.map((kind) => {
      const uid = indexName(kind, options.prefix);
      const index = stats.indexes[uid];
      return {
        kind,
        uid,
        documents: index?.numberOfDocuments ?? 0,
        indexing: index?.isIndexing ?? false,
        exists: index !== undefined,
      };
    });
    return { reachable: true, version: version.pkgVersion, indexes };
  } catch (error) {
    return {
      reachable: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export type OutboxSummary = {
  tone: "ok" | "busy" | "warning" | "failing";
  text: string;
};

/** A relay this far behind (or further) is worth a warning: it normally catches up in seconds. */
export const BEHIND_WARNING_SECONDS = 5 * 60;

/** "The index is up to date", "42 changes waiting, the oldest 3 minutes ago", with how worried to look. */
export function outboxSummary(health: OutboxHealth): OutboxSummary {
  const dead = health.dead > 0 ? ` ${plural(health.dead, "change", "changes")} failed for good and ${health.dead === 1 ? "waits" : "wait"} for a retry.` : "";
  if (health.pending === 0) {
    return health.dead > 0 ? { tone: "failing", text: `Nothing is waiting.${dead}` } : { tone: "ok", text: "The index is up to date." };
  }
  const waiting = `${plural(health.pending, "change", "changes")} waiting, the oldest ${ago(health.oldestPendingSeconds)}.`;
  const tone = health.dead > 0 ? "failing" : health.oldestPendingSeconds >= BEHIND_WARNING_SECONDS ? "warning" : "busy";
  return { tone, text: `${waiting}${dead}` };
}

function ago(seconds: number): string {
  if (seconds < 60) return plural(seconds, "second ago", "seconds ago");
  if (seconds < 3600) return plural(Math.floor(seconds / 60), "minute ago", "minutes ago");
  if (seconds < 86_400) return plural(Math.floor(seconds / 3600), "hour ago", "hours ago");
  return plural(Math.floor(seconds / 86_400), "day ago", "days ago");
}

export type DeadLetter = {
  id: number;
  kind: string;
  itemId: number;
  attempts: number;
  lastError: string;
  createdAt: Date;
  /** The question, idea, page, article or person the row names, when it still exists (and the admin may see it). */
  item: { label: string; url: string } | null;
};

/** Dead outbox rows, newest first, one page of them, with what each one names. Two queries. */
export async function deadLetters(
  db: Db,
  actor: Actor,
  page: number,
): Promise<{
  rows: DeadLetter[];
  total: number;
  offset: number;
  pageSize: number;
}> {
  const offset = (Math.max(1, page) - 1) * DEAD_PAGE_SIZE;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: outbox.id,
        kind: outbox.kind,
        itemId: outbox.itemId,
        attempts: outbox.attempts,
        lastError: outbox.lastError,
        createdAt: outbox.createdAt,
        questionTitle: posts.title,
        ideaTitle: ideas.title,
        pageTitle: wikiPages.title,
        pageSlug: wikiPages.slug,
        articleTitle: articles.title,
        personName: users.name,
      })
      .from(outbox)
      .leftJoin(posts, and(eq(outbox.kind, "question"), eq(posts.id, outbox.itemId), eq(posts.type, "question"), isNull(posts.deletedAt), inVisibleSpace(actor, posts.spaceId)))
      .leftJoin(ideas, and(eq(outbox.kind, "idea"), eq(ideas.id, outbox.itemId), inVisibleSpace(actor, ideas.spaceId)))
      .leftJoin(wikiPages, and(eq(outbox.kind, "wiki_page"), eq(wikiPages.id, outbox.itemId), isNull(wikiPages.deletedAt), inVisibleSpace(actor, wikiPages.spaceId)))
      // A draft is its author's alone: the row names it only once it is published.
      .leftJoin(
        articles,
        and(eq(outbox.kind, "article"), eq(articles.id, outbox.itemId), eq(articles.status, "published"), isNull(articles.deletedAt), inVisibleSpace(actor, articles.spaceId)),
      )
      .leftJoin(users, and(eq(outbox.kind, "person"), eq(users.id, outbox.itemId)))
      .where(eq(outbox.status, "dead"))
      .orderBy(desc(outbox.id))
      .limit(DEAD_PAGE_SIZE)
      .offset(offset),
    db.select({ n: count() }).from(outbox).where(eq(outbox.status, "dead")),
  ]);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      itemId: r.itemId,
      attempts: r.attempts,
      lastError: r.lastError ?? "",
      createdAt: r.createdAt,
      item:
        r.questionTitle !== null
          ? {
              label: r.questionTitle,
              url: questionUrl({ id: r.itemId, title: r.questionTitle }),
            }
          : r.ideaTitle !== null
            ? { label: r.ideaTitle, url: ideaUrl({ id: r.itemId }) }
            : r.pageTitle !== null && r.pageSlug !== null
              ? { label: r.pageTitle, url: wikiPageUrl({ id: r.itemId, slug: r.pageSlug }) }
              : r.articleTitle !== null
                ? { label: r.articleTitle, url: articleUrl({ id: r.itemId, title: r.articleTitle }) }
                : r.personName !== null
                  ? {
                      label: r.personName,
                      url: href("/people/:userId", { userId: String(r.itemId) }),
                    }
                  : null,
    })),
    total: total?.n ?? 0,
    offset,
    pageSize: DEAD_PAGE_SIZE,
  };
}

export type SearchHealth = {
  outbox: OutboxHealth;
  summary: OutboxSummary;
  meili: MeiliStatus;
};

/** The outbox and Meilisearch, checked side by side. */
export async function searchHealth(db: Db, client: Meilisearch, options: { prefix?: string } = {}): Promise<SearchHealth> {
  const [health, meili] = await Promise.all([outboxHealth(db), meiliStatus(client, options)]);
  return { outbox: health, summary: outboxSummary(health), meili };
}

/**
 * Puts dead rows (these ids, or all) back in line with a fresh count of attempts and wakes the
 * relay, which otherwise finds them at its next poll. Returns how many rows went back.
 */
export async function retryDeadLetters(db: Db, ids?: number[]): Promise<number> {
  const retried = await retryDead(db, ids);
  if (retried > 0) await db.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
  return retried;
}

export type IndexCheck = { ok: true; report: ReconcileReport; message: string } | { ok: false; message: string };

/** Runs the reconcile now; Meilisearch being unreachable is an answer, not an error. */
export async function checkIndexes(db: Db, client: Meilisearch, options: { prefix?: string; onError?: (error: unknown) => void } = {}): Promise<IndexCheck> {
  try {
    const report = await reconcileIndexes(db, client, {
      prefix: options.prefix,
    });
    return { ok: true, report, message: describeReconcile(report) };
  } catch (error) {
    options.onError?.(error);
    return {
      ok: false,
      message: "Meilisearch is not reachable, so the indexes could not be checked. Try again when it is back.",
    };
  }
}

const CHECKED_NOUNS: Record<IndexedKind, [string, string]> = {
  question: ["question", "questions"],
  person: ["person", "people"],
  idea: ["idea", "ideas"],
  wiki_page: ["wiki page", "wiki pages"],
  article: ["article", "articles"],
  recognition: ["kudos or badge", "kudos and badges"],
  // Issue 19, forum search: the forum's index is checked with the others.
  forum_thread: ["forum thread", "forum threads"],
};

/**
 * "Checked 51 questions, 14 people, 9 ideas, 3 wiki pages and 2 articles: 2 missing, 0 stale,
 * 1 extra; 3 queued for the relay." Only the kinds the report has (a reconcile of some kinds).
 */
export function describeReconcile(report: Partial<ReconcileReport>): string {
  const kinds = KINDS.filter((kind) => report[kind] !== undefined);
  const sum = (key: "missing" | "stale" | "extra" | "queued") => kinds.reduce((n, kind) => n + (report[kind]?.[key] ?? 0), 0);
  const counts = kinds.map((kind) => plural(report[kind]?.checked ?? 0, ...CHECKED_NOUNS[kind]));
  const checked = `Checked ${counts.length > 1 ? `${counts.slice(0, -1).join(", ")} and ` : ""}${counts.at(-1) ?? "nothing"}`;
  const drift = `${sum("missing")} missing, ${sum("stale")} stale, ${sum("extra")} extra`;
  const queued = sum("queued");
  return queued === 0 ? `${checked}: ${drift}. The indexes match the database.` : `${checked}: ${drift}; ${queued} queued for the relay.`;
}
