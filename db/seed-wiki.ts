import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { createArticle } from "../app/features/articles/articles.server.ts";
import { submitSuggestion } from "../app/features/wiki/suggestions.server.ts";
import { setPageProtection } from "../app/features/wiki/owners.server.ts";
import { createPage, savePage } from "../app/features/wiki/pages.server.ts";
import { promoteAnswer } from "../app/features/wiki/promotion.server.ts";
import { ensureDefaultTemplates } from "../app/features/wiki/templates.server.ts";
import { verifyPage } from "../app/features/wiki/verification.server.ts";
import type { Db, Tx } from "./client.server.ts";
import { articles, items, notifications, posts, revisions, type users, wikiPageOwners, wikiPages } from "./schema/index.ts";
import { SEED_ARTICLES, SEED_PAGES, SEED_PROMOTION, SEED_SUGGESTION } from "./seed-wiki-content.ts";

type User = typeof users.$inferSelect;

const DAY = 86_400_000;

export type WikiSeedResult = { pages: number; articles: number; suggestions: number; promotions: number };

/**
 * The demo company's wiki and articles (db/seed-wiki-content.ts), written through the feature
 * functions so revisions, owners, links, verification, the suggested edit, the promotion's credit
 * and reputation, notifications and the search outbox are real. Then, as the Q&A seed does, the
 * dates are moved into the past: pages were written over the last months, the travel policy's
 * review is long overdue (the hourly housekeeping tells its owners), one edit waits for review.
 */
export async function seedWiki(tx: Tx, people: Map<string, User>): Promise<WikiSeedResult> {
  // The feature functions open their own transaction; inside the seed's it becomes a savepoint.
  const db = tx as unknown as Db;
  const person = (name: string): User => {
    const found = people.get(name);
    if (!found) throw new Error(`seed: unknown person ${name}`);
    return found;
  };
  const [clock] = await tx.execute<{ now: string }>(sql`select now()::text as now`);
  const now = new Date(clock!.now).getTime();
  await ensureDefaultTemplates(tx);

  const ids = new Map<string, number>();
  const dated: Array<{ id: number; created: number; edited: number | null }> = [];
  for (const seed of SEED_PAGES) {
    const author = person(seed.by);
    const parentId = seed.parent ? (ids.get(seed.parent) ?? null) : null;
    const { id } = await createPage(db, author, seed.space, { title: seed.title, body: seed.body, tags: seed.tags ?? [], parentId, submissionKey: undefined });
    ids.set(seed.title, id);
    let revision = 1;
    for (const edit of seed.edits ?? []) {
      await savePage(db, person(edit.by), id, { title: seed.title, body: edit.body, tags: seed.tags ?? [], comment: edit.comment, baseRevision: revision });
      revision += 1;
    }
    const extra = (seed.owners ?? []).map((name) => ({ pageId: id, userId: person(name).id }));
    if (extra.length > 0) await tx.insert(wikiPageOwners).values(extra).onConflictDoNothing();
    if (seed.verified) await verifyPage(db, person(seed.verified.by), id, { intervalDays: seed.verified.interval }, new Date(now - seed.verified.daysAgo * DAY));
    if (seed.protect) await setPageProtection(db, author, id, true);
    dated.push({ id, created: now - seed.daysAgo * DAY, edited: seed.edits?.length ? now - Math.max(1, Math.floor(seed.daysAgo / 3)) * DAY : null });
  }

  // The suggested edit waiting on the protected travel policy.
  const policyId = ids.get(SEED_SUGGESTION.page)!;
  const [policy] = await tx.select({ body: wikiPages.body, title: wikiPages.title, revisionCount: wikiPages.revisionCount }).from(wikiPages).where(eq(wikiPages.id, policyId));
  await submitSuggestion(db, person(SEED_SUGGESTION.by), policyId, {
    title: policy!.title,
    body: policy!.body.replace(SEED_SUGGESTION.from, SEED_SUGGESTION.to),
    comment: SEED_SUGGESTION.comment,
    baseRevision: policy!.revisionCount,
    submissionKey: undefined,
  });

  // The accepted answer to a Q&A thread, promoted to a page.
  const [question] = await tx
    .select({ acceptedAnswerId: posts.acceptedAnswerId })
    .from(posts)
    .where(and(eq(posts.type, "question"), eq(posts.title, SEED_PROMOTION.question), isNull(posts.deletedAt)));
  if (!question?.acceptedAnswerId) throw new Error(`seed: no accepted answer to "${SEED_PROMOTION.question}"`);
  await promoteAnswer(db, person(SEED_PROMOTION.by), question.acceptedAnswerId, { mode: "page", title: SEED_PROMOTION.title, parentId: null, submissionKey: undefined });
  const [promoted] = await tx.select({ id: wikiPages.id }).from(wikiPages).where(eq(wikiPages.title, SEED_PROMOTION.title));
  dated.push({ id: promoted!.id, created: now - 6 * DAY, edited: null });

  const articleDates: Array<{ id: number; at: number; published: boolean }> = [];
  for (const seed of SEED_ARTICLES) {
    const { id } = await createArticle(db, person(seed.by), {
      space: seed.space,
      type: seed.type,
      title: seed.title,
      body: seed.body,
      tags: seed.tags ?? [],
      publishAt: null,
      intent: seed.draft ? "draft" : "publish",
      submissionKey: undefined,
    });
    articleDates.push({ id, at: now - seed.daysAgo * DAY, published: !seed.draft });
  }

  await backdate(tx, dated, articleDates);
  return { pages: dated.length, articles: SEED_ARTICLES.length, suggestions: 1, promotions: 1 };
}

/** Moves what the wiki and article steps wrote "now" to when it happened, a statement per table. */
async function backdate(tx: Tx, pages: Array<{ id: number; created: number; edited: number | null }>, written: Array<{ id: number; at: number; published: boolean }>): Promise<void> {
  const json = (rows: unknown) => JSON.stringify(rows);
  const pageRows = json(pages.map((p) => ({ id: p.id, created: new Date(p.created), edited: p.edited === null ? null : new Date(p.edited) })));
  await tx.execute(sql`
    update ${wikiPages} w set created_at = v.created, updated_at = coalesce(v.edited, v.created), last_edited_at = case when w.last_edited_at is null then null else coalesce(v.edited, v.created) end
    from jsonb_to_recordset(${pageRows}::jsonb) as v(id int, created timestamptz, edited timestamptz)
    where w.id = v.id`);
  // The first version when the page was written, later ones when it was last edited.
  await tx.execute(sql`
    update ${revisions} r set created_at = case when r.number = 1 then w.created_at else coalesce(w.last_edited_at, w.created_at) end
    from ${wikiPages} w where w.item_id = r.item_id`);
  const articleRows = json(written.map((a) => ({ id: a.id, at: new Date(a.at), published: a.published })));
  await tx.execute(sql`
    update ${articles} a set created_at = v.at, updated_at = v.at, published_at = case when v.published then v.at else null end
    from jsonb_to_recordset(${articleRows}::jsonb) as v(id int, at timestamptz, published boolean)
    where a.id = v.id`);
  await tx.execute(sql`update ${revisions} r set created_at = a.created_at from ${articles} a where a.item_id = r.item_id`);
  await tx.execute(sql`update ${items} i set created_at = w.created_at from ${wikiPages} w where w.item_id = i.id`);
  await tx.execute(sql`update ${items} i set created_at = a.created_at from ${articles} a where a.item_id = i.id`);
  // Follows from the writing, reputation from verifying (when it was verified) and from the promotion (when the page was made).
  await tx.execute(sql`
    update follows f set created_at = i.created_at from ${items} i
    where i.id = f.item_id and f.created_at = now() and i.kind in ('wiki_page', 'article')`);
  await tx.execute(sql`
    update reputation_events e set created_at = coalesce(case when e.reason = 'page_verified' then w.verified_at end, w.last_edited_at, w.created_at)
    from ${wikiPages} w where w.item_id = e.item_id and e.created_at = now()`);
  await tx.execute(sql`
    update reputation_events e set created_at = w.created_at
    from wiki_promotions p join ${wikiPages} w on w.id = p.page_id join ${posts} a on a.id = p.post_id
    where e.item_id = a.item_id and e.reason = 'answer_promoted' and e.created_at = now()`);
  // Notifications about pages and articles are as old as what they tell about; older ones were read.
  const itemIds = await tx
    .select({ id: items.id })
    .from(items)
    .where(inArray(items.kind, ["wiki_page", "article"]));
  if (itemIds.length > 0) {
    await tx.execute(sql`
      update ${notifications} n set created_at = coalesce(
        (select coalesce(w.last_edited_at, w.created_at) from ${wikiPages} w where w.item_id = n.item_id),
        (select coalesce(a.published_at, a.created_at) from ${articles} a where a.item_id = n.item_id),
        n.created_at)
      where n.created_at = now() and n.item_id in (select id from ${items} where kind in ('wiki_page', 'article'))`);
    await tx.execute(sql`update ${notifications} set read_at = created_at + interval '5 hours' where read_at is null and created_at < now() - interval '3 days'`);
  }
}
