import { sql } from "drizzle-orm";
import { keys } from "./mapping.ts";
import { intAttr } from "./reader.ts";
import { type Context, goodRows, report, startFile, valuesList } from "./run.ts";

/** Votes.xml and PostLinks.xml: vote counts per post, and duplicate links between questions. */

/**
 * Up- and downvote counts per post from Votes.xml (VoteTypeId 2 and 3). Counted per batch into a
 * temporary table and set in one statement at the end, in one transaction: memory stays bounded
 * and the counts are absolute, so a re-run sets the same numbers. Scores stay as Posts.xml says.
 */
export async function importVotes(ctx: Context): Promise<void> {
  const file = "Votes.xml";
  const started = startFile(ctx, file);
  if (!started) return;
  const { full, counts } = started;
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`create temporary table import_votes (key text not null, up int not null, down int not null) on commit drop`);
    let batch = new Map<number, [number, number]>();
    const flush = async () => {
      if (batch.size === 0) return;
      const rows = [...batch].map(([postId, [up, down]]) => [keys.post(ctx.host, postId), up, down]);
      batch = new Map();
      await tx.execute(sql`insert into import_votes (key, up, down) select v.k, v.u::int, v.d::int from ${valuesList(rows)} as v(k, u, d)`);
    };
    for await (const item of goodRows(ctx, file, full, counts)) {
      const type = intAttr(item.attrs, "VoteTypeId");
      const postId = intAttr(item.attrs, "PostId");
      if ((type !== 2 && type !== 3) || postId === null) continue;
      const entry = batch.get(postId) ?? [0, 0];
      entry[type === 2 ? 0 : 1] += 1;
      batch.set(postId, entry);
      counts.written += 1;
      if (batch.size >= ctx.batchSize * 4) await flush();
      ctx.progress.update(counts);
    }
    await flush();
    // Statistics for the planner: the counts join the posts by key through its unique index.
    await tx.execute(sql`analyze import_votes`);
    await tx.execute(sql`
      update posts p set upvote_count = v.up, downvote_count = v.down
      from (select key, sum(up)::int as up, sum(down)::int as down from import_votes group by key) v
      where p.import_key = v.key and p.space_id = ${ctx.spaceId}
        and (p.upvote_count, p.downvote_count) is distinct from (v.up, v.down)`);
    // Posts with no votes in the file have none.
    await tx.execute(sql`
      update posts p set upvote_count = 0, downvote_count = 0
      where p.space_id = ${ctx.spaceId} and p.import_key like ${`${ctx.host}/posts/%`}
        and (p.upvote_count <> 0 or p.downvote_count <> 0)
        and not exists (select 1 from import_votes v where v.key = p.import_key)`);
  });
  counts.skipped = counts.read - counts.bad - counts.written;
  ctx.progress.finish(counts);
}

/** Duplicate links (LinkTypeId 3): the question points at its original; a closed one is closed as a duplicate. */
export async function importPostLinks(ctx: Context): Promise<void> {
  const file = "PostLinks.xml";
  const started = startFile(ctx, file);
  if (!started) return;
  const { full, counts } = started;
  await ctx.db.transaction(async (tx) => {
    const links: Array<{ line: number; from: number; to: number }> = [];
    const flush = async () => {
      if (links.length === 0) return;
      const batch = links.splice(0);
      const found = await tx.execute<{ key: string }>(sql`
        update posts p set duplicate_of_id = o.id,
          close_reason = case when p.closed_at is null then p.close_reason else 'duplicate'::close_reason end
        from ${valuesList(batch.map((l) => [keys.post(ctx.host, l.from), keys.post(ctx.host, l.to)]))} as v(dup, original)
        join posts o on o.import_key = v.original
        where p.import_key = v.dup and p.type = 'question' and o.type = 'question' and p.id <> o.id
        returning p.import_key as key`);
      const done = new Set(found.map((f) => f.key));
      for (const l of batch) {
        if (done.has(keys.post(ctx.host, l.from))) counts.written += 1;
        else report(ctx, { file, line: l.line, message: `duplicate link from ${l.from} to ${l.to}: one of the two questions is not imported` });
      }
    };
    for await (const item of goodRows(ctx, file, full, counts)) {
      const from = intAttr(item.attrs, "PostId");
      const to = intAttr(item.attrs, "RelatedPostId");
      if (intAttr(item.attrs, "LinkTypeId") !== 3 || from === null || to === null) continue;
      links.push({ line: item.line, from, to });
      if (links.length >= ctx.batchSize) await flush();
    }
    await flush();
  });
  counts.skipped = counts.read - counts.bad - counts.written;
  ctx.progress.finish(counts);
}
