import { inArray, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { posts, revisions } from "#db/schema/index.ts";
import { closeReasonFor, keys, normalizeTagName, parseTagList, plainLine } from "./mapping.ts";
import { dateAttr, intAttr, type Row } from "./reader.ts";
import { type Context, goodRows, startFile, valuesList } from "./run.ts";
import { resolvePeople } from "./people.ts";

/** PostHistory.xml: the edit history as revisions, and the reasons questions were closed for. */

/** PostHistory type 10 (closed) carries the close reason id in Comment; the last one wins. */
async function writeCloseReasons(tx: Tx, ctx: Context, rows: Row[]): Promise<number> {
  const closes = rows
    .filter((r) => intAttr(r.attrs, "PostHistoryTypeId") === 10 && intAttr(r.attrs, "PostId") !== null)
    .map((r) => [keys.post(ctx.host, intAttr(r.attrs, "PostId")!), closeReasonFor(intAttr(r.attrs, "Comment"))]);
  if (closes.length === 0) return 0;
  // Later rows of the same post win: keep the last reason per post in this batch.
  const last = new Map(closes.map(([key, reason]) => [key!, reason!]));
  await tx.execute(sql`
    update posts p set close_reason = v.reason::close_reason
    from ${valuesList([...last])} as v(key, reason)
    where p.import_key = v.key and p.closed_at is not null and p.close_reason is distinct from v.reason::close_reason`);
  return last.size;
}

/** PostHistory types that make a revision: 1-3 the original, 4-6 edits, 7-9 rollbacks (title, body, tags). */
const REVISION_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]);

type RevisionState = { title: string | null; body: string; tags: string[] };

/**
 * PostHistory.xml: the edit history as revisions (rows grouped by RevisionGUID, numbered in file
 * order per post; PostHistory text is already markdown) and close reasons. A batch ends between
 * two revisions, and each is one transaction. A revision repeats the fields it did not change from
 * the one before, read from the database for the first revision of a post in a batch (it was
 * written by an earlier batch, or by an earlier run with the same content). Only a counter per post
 * stays in memory. The file is read again in full on a resumed run; upserts make that harmless.
 */
export async function importHistory(ctx: Context): Promise<void> {
  const file = "PostHistory.xml";
  const started = startFile(ctx, file, "not in the dump; each post keeps the one revision holding its current text");
  if (!started) return;
  const { full, counts } = started;
  const numbers = new Map<number, number>();
  let batch: Row[] = [];
  let lastGuid = "";
  const flush = async () => {
    const rows = batch;
    batch = [];
    if (rows.length === 0) return;
    counts.written += await ctx.db.transaction(async (tx) => (await writeCloseReasons(tx, ctx, rows)) + (await writeRevisions(tx, ctx, rows, numbers)));
    ctx.progress.update(counts);
  };
  for await (const item of goodRows(ctx, file, full, counts)) {
    const guid = item.attrs.RevisionGUID ?? `row-${item.line}`;
    if (batch.length >= ctx.batchSize && guid !== lastGuid) await flush();
    lastGuid = guid;
    batch.push(item);
  }
  await flush();
  // The newest revision of every imported post holds its current text, as after an edit here.
  await ctx.db.execute(sql`
    update revisions r set title = p.title, body = p.body, tags = p.tags
    from posts p
    where r.item_id = p.item_id and r.number = p.revision_count and p.space_id = ${ctx.spaceId} and p.import_key like ${`${ctx.host}/posts/%`}
      and (r.title, r.body, r.tags) is distinct from (p.title, p.body, p.tags)`);
  counts.skipped = counts.read - counts.bad - counts.written;
  ctx.progress.finish(counts);
}

async function writeRevisions(tx: Tx, ctx: Context, rows: Row[], numbers: Map<number, number>): Promise<number> {
  // Group the revision rows by GUID, in file order.
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const type = intAttr(row.attrs, "PostHistoryTypeId");
    if (type === null || !REVISION_TYPES.has(type) || intAttr(row.attrs, "PostId") === null) continue;
    const guid = row.attrs.RevisionGUID ?? `row-${row.line}`;
    const group = groups.get(guid);
    if (group) group.push(row);
    else groups.set(guid, [row]);
  }
  if (groups.size === 0) return 0;
  const sourceIds = [...new Set([...groups.values()].map((g) => intAttr(g[0]!.attrs, "PostId")!))];
  const targets = await tx
    .select({ id: posts.id, itemId: posts.itemId, key: posts.importKey, type: posts.type })
    .from(posts)
    .where(
      inArray(
        posts.importKey,
        sourceIds.map((id) => keys.post(ctx.host, id)),
      ),
    );
  const byKey = new Map(targets.map((t) => [t.key!, t]));
  // The state before this batch: the revision the previous batch (or run) left as the latest.
  const previous = new Map<number, RevisionState>();
  const wantedPrevious = sourceIds.filter((id) => (numbers.get(id) ?? 0) > 0 && byKey.has(keys.post(ctx.host, id)));
  if (wantedPrevious.length > 0) {
    const rowsBefore = await tx.execute<{ item_id: number; title: string | null; body: string; tags: string[] }>(sql`
      select r.item_id, r.title, r.body, r.tags from revisions r
      join ${valuesList(wantedPrevious.map((id) => [byKey.get(keys.post(ctx.host, id))!.itemId, numbers.get(id)!]))} as v(item_id, number)
        on r.item_id = v.item_id::int and r.number = v.number::int`);
    for (const r of rowsBefore) previous.set(Number(r.item_id), { title: r.title, body: r.body, tags: r.tags });
  }
  const people = await resolvePeople(
    tx,
    ctx,
    [...groups.values()].map((g) => ({ userId: intAttr(g[0]!.attrs, "UserId"), displayName: g[0]!.attrs.UserDisplayName })),
  );
  const values: Array<typeof revisions.$inferInsert> = [];
  for (const group of groups.values()) {
    const sourceId = intAttr(group[0]!.attrs, "PostId")!;
    const post = byKey.get(keys.post(ctx.host, sourceId));
    if (!post) continue;
    const types = group.map((r) => intAttr(r.attrs, "PostHistoryTypeId")!);
    const state: RevisionState = previous.get(post.itemId) ?? { title: post.type === "question" ? "" : null, body: "", tags: [] };
    for (const row of group) {
      const type = intAttr(row.attrs, "PostHistoryTypeId")!;
      const text = row.attrs.Text ?? "";
      if (type === 1 || type === 4 || type === 7) state.title = post.type === "question" ? plainLine(text, 300) : null;
      else if (type === 2 || type === 5 || type === 8) state.body = text.replace(/\r\n?/g, "\n");
      else
        state.tags = [
          ...new Set(
            parseTagList(text)
              .map(normalizeTagName)
              .filter((t): t is string => t !== null),
          ),
        ];
    }
    const number = (numbers.get(sourceId) ?? 0) + 1;
    numbers.set(sourceId, number);
    previous.set(post.itemId, { ...state, tags: [...state.tags] });
    const kind = types.some((t) => t <= 3) ? "create" : types.some((t) => t >= 7) ? "rollback" : "edit";
    const comment = kind === "rollback" ? "Rolled back to an earlier revision." : kind === "edit" ? plainLine(group[0]!.attrs.Comment, 300) : "";
    values.push({
      itemId: post.itemId,
      number,
      kind,
      editorId: people({ userId: intAttr(group[0]!.attrs, "UserId"), displayName: group[0]!.attrs.UserDisplayName }).userId,
      title: post.type === "question" ? state.title || null : null,
      body: state.body,
      tags: post.type === "question" ? state.tags : [],
      comment,
      createdAt: dateAttr(group[0]!.attrs, "CreationDate") ?? new Date(),
    });
  }
  if (values.length === 0) return 0;
  await tx
    .insert(revisions)
    .values(values)
    .onConflictDoUpdate({
      target: [revisions.itemId, revisions.number],
      set: {
        kind: sql`excluded.kind`,
        editorId: sql`excluded.editor_id`,
        title: sql`excluded.title`,
        body: sql`excluded.body`,
        tags: sql`excluded.tags`,
        comment: sql`excluded.comment`,
        createdAt: sql`excluded.created_at`,
      },
    });
  // The post's count follows the highest number written so far.
  await tx.execute(sql`
    update posts p set revision_count = v.n::int
    from ${valuesList([...new Map(values.map((v) => [v.itemId, v.number])).entries()])} as v(item_id, n)
    where p.item_id = v.item_id::int and p.revision_count <> v.n::int`);
  return values.length;
}
