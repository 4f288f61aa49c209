import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server.ts";
import { comments, posts, questionTags, revisions, tags } from "#db/schema/index.ts";
import { TAG_DESCRIPTION_MAX } from "#app/features/qa/tag-schema.ts";
import { MarkdownError, renderMarkdown } from "#app/lib/markdown.server.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";
import { closeReasonFor, convertHtml, DEFAULT_LICENSE, htmlToMarkdown, keys, normalizeTagName, parseTagList, plainLine, urls } from "./mapping.ts";
import { dateAttr, intAttr, readRows, type Row } from "./reader.ts";
import { type Context, report, valuesList } from "./run.ts";
import { resolvePeople } from "./people.ts";

/** Tags, questions, answers and comments, and the pass that links answers and accepted answers. */

// ---- tags --------------------------------------------------------------------------------------

export async function writeTags(tx: Tx, ctx: Context, rows: Row[]): Promise<number> {
  const names: string[] = [];
  for (const row of rows) {
    const raw = row.attrs.TagName;
    const name = raw === undefined ? null : normalizeTagName(raw);
    if (name === null) {
      report(ctx, { file: "Tags.xml", line: row.line, message: `the tag "${raw ?? ""}" cannot be mapped to a tag name here (lower-case letters, digits and + # . -, at most 35)` });
      continue;
    }
    names.push(name);
    const excerpt = intAttr(row.attrs, "ExcerptPostId");
    const wiki = intAttr(row.attrs, "WikiPostId");
    if (excerpt !== null) ctx.tagTexts.set(excerpt, { tag: name, kind: "excerpt" });
    if (wiki !== null) ctx.tagTexts.set(wiki, { tag: name, kind: "wiki" });
  }
  if (names.length > 0)
    await tx
      .insert(tags)
      .values(names.map((name) => ({ name })))
      .onConflictDoNothing();
  return names.length;
}

/** A tag's description: paragraphs up to the limit, rendered; null when empty or unrenderable. */
function tagDescription(markdown: string): { description: string; descriptionHtml: string } | null {
  let text = markdown.trim();
  if (text === "") return null;
  if (text.length > TAG_DESCRIPTION_MAX) {
    const paragraphs = text.split(/\n{2,}/);
    text = "";
    for (const p of paragraphs) {
      if (text.length + p.length + 2 > TAG_DESCRIPTION_MAX) break;
      text = text ? `${text}\n\n${p}` : p;
    }
    if (text === "") return null;
  }
  try {
    return { description: text, descriptionHtml: renderMarkdown(text) };
  } catch (error) {
    if (error instanceof MarkdownError) return null;
    throw error;
  }
}

/**
 * Writes tag descriptions: the excerpt (PostTypeId 4) when it says something, else the wiki body
 * (PostTypeId 5) for a tag whose description is still empty.
 */
async function writeTagTexts(tx: Tx, ctx: Context, rows: Row[]): Promise<number> {
  let written = 0;
  for (const row of rows) {
    const id = intAttr(row.attrs, "Id")!;
    const target = ctx.tagTexts.get(id);
    if (!target) continue;
    const text = tagDescription(htmlToMarkdown(row.attrs.Body ?? ""));
    if (!text) continue;
    const where = target.kind === "excerpt" ? eq(tags.name, target.tag) : and(eq(tags.name, target.tag), eq(tags.description, ""));
    await tx
      .update(tags)
      .set({ ...text, updatedAt: new Date() })
      .where(where);
    written += 1;
  }
  return written;
}

// ---- posts -------------------------------------------------------------------------------------

type PostItem = {
  row: Row;
  id: number;
  type: "question" | "answer";
  parentSourceId: number | null;
  title: string | null;
  body: string;
  bodyHtml: string;
  tagNames: string[];
};

export async function writePosts(tx: Tx, ctx: Context, rows: Row[], opts: { final: boolean }): Promise<number> {
  const items: PostItem[] = [];
  const tagRows: Row[] = [];
  for (const row of rows) {
    const id = intAttr(row.attrs, "Id");
    const typeId = intAttr(row.attrs, "PostTypeId");
    if (id === null || typeId === null) {
      report(ctx, { file: "Posts.xml", line: row.line, message: "the row has no Id or PostTypeId" });
      continue;
    }
    if (typeId === 4 || typeId === 5) {
      tagRows.push(row);
      continue;
    }
    if (typeId !== 1 && typeId !== 2) continue;
    const type = typeId === 1 ? "question" : "answer";
    const parentSourceId = type === "answer" ? intAttr(row.attrs, "ParentId") : null;
    if (type === "answer" && parentSourceId === null) {
      report(ctx, { file: "Posts.xml", line: row.line, message: `answer ${id} has no ParentId` });
      continue;
    }
    const title = type === "question" ? plainLine(row.attrs.Title, 300) : null;
    if (type === "question" && !title) {
      report(ctx, { file: "Posts.xml", line: row.line, message: `question ${id} has no title` });
      continue;
    }
    const { markdown: body, asText } = convertHtml(row.attrs.Body ?? "");
    if (asText) report(ctx, { file: "Posts.xml", line: row.line, message: `post ${id}: its HTML could not be converted; imported as plain text` });
    let bodyHtml: string;
    try {
      bodyHtml = renderMarkdown(body);
    } catch (error) {
      if (!(error instanceof MarkdownError)) throw error;
      report(ctx, { file: "Posts.xml", line: row.line, message: `post ${id}: ${error.message}` });
      continue;
    }
    const tagNames: string[] = [];
    for (const raw of parseTagList(row.attrs.Tags)) {
      const name = normalizeTagName(raw);
      if (name === null) report(ctx, { file: "Posts.xml", line: row.line, message: `question ${id}: the tag "${raw}" cannot be mapped; left off` });
      else if (!tagNames.includes(name)) tagNames.push(name);
    }
    items.push({ row, id, type, parentSourceId, title, body, bodyHtml, tagNames });
  }
  let written = await writeTagTexts(tx, ctx, tagRows);
  if (items.length === 0) return written;

  // Answers whose question is not written yet wait for the fix-up pass.
  const parentKeys = [...new Set(items.filter((i) => i.parentSourceId !== null).map((i) => keys.post(ctx.host, i.parentSourceId!)))];
  const parents =
    parentKeys.length === 0
      ? []
      : await tx
          .select({ id: posts.id, key: posts.importKey })
          .from(posts)
          .where(and(inArray(posts.importKey, parentKeys), eq(posts.type, "question")));
  const parentIds = new Map(parents.map((p) => [p.key!, p.id]));
  // Questions of this same batch are written first, so an answer right behind its question finds it.
  const questions = items.filter((i) => i.type === "question");
  const answers = items.filter((i) => i.type === "answer");
  const people = await resolvePeople(
    tx,
    ctx,
    items.flatMap((i) => [
      { userId: intAttr(i.row.attrs, "OwnerUserId"), displayName: i.row.attrs.OwnerDisplayName },
      ...(i.row.attrs.LastEditorUserId !== undefined || i.row.attrs.LastEditorDisplayName !== undefined
        ? [{ userId: intAttr(i.row.attrs, "LastEditorUserId"), displayName: i.row.attrs.LastEditorDisplayName }]
        : []),
    ]),
  );
  const allTagNames = [...new Set(questions.flatMap((q) => q.tagNames))];
  const tagIds = new Map<string, number>();
  if (allTagNames.length > 0) {
    await tx
      .insert(tags)
      .values(allTagNames.map((name) => ({ name })))
      .onConflictDoNothing();
    for (const t of await tx.select({ id: tags.id, name: tags.name }).from(tags).where(inArray(tags.name, allTagNames))) tagIds.set(t.name, t.id);
  }

  const writeGroup = async (group: PostItem[]) => {
    const values = group.map((i) => {
      const a = i.row.attrs;
      const owner = people({ userId: intAttr(a, "OwnerUserId"), displayName: a.OwnerDisplayName });
      const editor =
        a.LastEditorUserId !== undefined || a.LastEditorDisplayName !== undefined ? people({ userId: intAttr(a, "LastEditorUserId"), displayName: a.LastEditorDisplayName }) : null;
      const created = dateAttr(a, "CreationDate") ?? new Date();
      const closedAt = i.type === "question" ? dateAttr(a, "ClosedDate") : null;
      return {
        type: i.type,
        spaceId: ctx.spaceId,
        parentId: i.parentSourceId === null ? null : parentIds.get(keys.post(ctx.host, i.parentSourceId))!,
        authorId: owner.userId,
        title: i.title,
        body: i.body,
        bodyHtml: i.bodyHtml,
        tags: i.tagNames,
        score: intAttr(a, "Score") ?? 0,
        viewCount: intAttr(a, "ViewCount") ?? 0,
        closedAt,
        closeReason: closedAt ? closeReasonFor(null) : null,
        createdAt: created,
        lastActivityAt: dateAttr(a, "LastActivityDate") ?? created,
        lastEditedAt: dateAttr(a, "LastEditDate"),
        lastEditorId: editor?.userId ?? null,
        importKey: keys.post(ctx.host, i.id),
        sourceUrl: i.type === "question" ? urls.question(ctx.host, i.id) : urls.answer(ctx.host, i.id),
        sourceAuthor: owner.displayName,
        sourceLicense: a.ContentLicense?.trim() || DEFAULT_LICENSE,
      };
    });
    const out = await tx
      .insert(posts)
      .values(values)
      .onConflictDoUpdate({
        target: posts.importKey,
        set: {
          spaceId: sql`excluded.space_id`,
          parentId: sql`excluded.parent_id`,
          authorId: sql`excluded.author_id`,
          title: sql`excluded.title`,
          body: sql`excluded.body`,
          bodyHtml: sql`excluded.body_html`,
          tags: sql`excluded.tags`,
          score: sql`excluded.score`,
          viewCount: sql`excluded.view_count`,
          closedAt: sql`excluded.closed_at`,
          // A reason set by a later pass (PostHistory, PostLinks) stays while the question stays closed.
          closeReason: sql`case when excluded.closed_at is null then null else coalesce(${posts.closeReason}, excluded.close_reason) end`,
          createdAt: sql`excluded.created_at`,
          lastActivityAt: sql`excluded.last_activity_at`,
          lastEditedAt: sql`excluded.last_edited_at`,
          lastEditorId: sql`excluded.last_editor_id`,
          sourceUrl: sql`excluded.source_url`,
          sourceAuthor: sql`excluded.source_author`,
          sourceLicense: sql`excluded.source_license`,
          updatedAt: sql`now()`,
        },
      })
      .returning({ id: posts.id, itemId: posts.itemId, key: posts.importKey, parentId: posts.parentId });
    const ids = new Map(out.map((o) => [o.key!, o]));
    for (const i of group) if (i.type === "question") parentIds.set(keys.post(ctx.host, i.id), ids.get(keys.post(ctx.host, i.id))!.id);
    // Revision 1 holds the current text (see decision 005); the question's tags in its order.
    await tx
      .insert(revisions)
      .values(
        group.map((i, n) => ({
          itemId: ids.get(keys.post(ctx.host, i.id))!.itemId,
          number: 1,
          kind: "create" as const,
          editorId: values[n]!.authorId,
          title: i.title,
          body: i.body,
          tags: i.tagNames,
          createdAt: values[n]!.createdAt,
        })),
      )
      .onConflictDoUpdate({
        target: [revisions.itemId, revisions.number],
        set: { editorId: sql`excluded.editor_id`, title: sql`excluded.title`, body: sql`excluded.body`, tags: sql`excluded.tags`, createdAt: sql`excluded.created_at` },
      });
    return out;
  };

  const writtenQuestions = questions.length > 0 ? await writeGroup(questions) : [];
  if (writtenQuestions.length > 0) {
    const questionIds = writtenQuestions.map((q) => q.id);
    await tx.delete(questionTags).where(inArray(questionTags.postId, questionIds));
    const links = questions.flatMap((q) => {
      const postId = parentIds.get(keys.post(ctx.host, q.id))!;
      return q.tagNames.map((name) => ({ postId, tagId: tagIds.get(name)! }));
    });
    if (links.length > 0) await tx.insert(questionTags).values(links).onConflictDoNothing();
  }
  const ready = answers.filter((a) => parentIds.has(keys.post(ctx.host, a.parentSourceId!)));
  for (const a of answers) {
    if (ready.includes(a)) continue;
    if (opts.final) report(ctx, { file: "Posts.xml", line: a.row.line, message: `answer ${a.id}: its question ${a.parentSourceId} is not in the dump or was skipped` });
  }
  const writtenAnswers = ready.length > 0 ? await writeGroup(ready) : [];
  await enqueueIndexing(tx, "question", [...writtenQuestions.map((q) => q.id), ...writtenAnswers.map((a) => a.parentId!)], { priority: 1 });
  written += writtenQuestions.length + writtenAnswers.length;
  return written;
}

// ---- comments ----------------------------------------------------------------------------------

export async function writeComments(tx: Tx, ctx: Context, rows: Row[]): Promise<number> {
  const items: Array<{ row: Row; id: number; postSourceId: number; body: string; bodyHtml: string }> = [];
  for (const row of rows) {
    const id = intAttr(row.attrs, "Id");
    const postSourceId = intAttr(row.attrs, "PostId");
    if (id === null || postSourceId === null) {
      report(ctx, { file: "Comments.xml", line: row.line, message: "the row has no Id or PostId" });
      continue;
    }
    const body = (row.attrs.Text ?? "").trim();
    if (body === "") {
      report(ctx, { file: "Comments.xml", line: row.line, message: `comment ${id} is empty` });
      continue;
    }
    try {
      items.push({ row, id, postSourceId, body, bodyHtml: renderMarkdown(body) });
    } catch (error) {
      if (!(error instanceof MarkdownError)) throw error;
      report(ctx, { file: "Comments.xml", line: row.line, message: `comment ${id}: ${error.message}` });
    }
  }
  if (items.length === 0) return 0;
  const targets = await tx
    .select({ itemId: posts.itemId, key: posts.importKey, spaceId: posts.spaceId })
    .from(posts)
    .where(inArray(posts.importKey, [...new Set(items.map((i) => keys.post(ctx.host, i.postSourceId)))]));
  const byKey = new Map(targets.map((t) => [t.key!, t]));
  // Comments on tag wikis and on posts that were skipped have nothing to hang on (counted as skipped).
  const kept = items.filter((i) => byKey.has(keys.post(ctx.host, i.postSourceId)));
  if (kept.length === 0) return 0;
  const people = await resolvePeople(
    tx,
    ctx,
    kept.map((i) => ({ userId: intAttr(i.row.attrs, "UserId"), displayName: i.row.attrs.UserDisplayName })),
  );
  await tx
    .insert(comments)
    .values(
      kept.map((i) => {
        const post = byKey.get(keys.post(ctx.host, i.postSourceId))!;
        return {
          itemId: post.itemId,
          spaceId: post.spaceId,
          authorId: people({ userId: intAttr(i.row.attrs, "UserId"), displayName: i.row.attrs.UserDisplayName }).userId,
          body: i.body,
          bodyHtml: i.bodyHtml,
          importKey: keys.comment(ctx.host, i.id),
          createdAt: dateAttr(i.row.attrs, "CreationDate") ?? new Date(),
        };
      }),
    )
    .onConflictDoUpdate({
      target: comments.importKey,
      set: {
        itemId: sql`excluded.item_id`,
        spaceId: sql`excluded.space_id`,
        authorId: sql`excluded.author_id`,
        body: sql`excluded.body`,
        bodyHtml: sql`excluded.body_html`,
        createdAt: sql`excluded.created_at`,
        updatedAt: sql`now()`,
      },
    });
  return kept.length;
}

/**
 * Right after Posts.xml, Posts.xml once more (attributes only, nothing rendered): answers that
 * came before their question are written now, and accepted answers (which usually come after
 * their question) are linked. Comments and history, read next, find every post.
 */
export async function linkAnswers(ctx: Context): Promise<void> {
  const file = "Posts.xml";
  const full = path.join(ctx.folder, file);
  ctx.progress.start("fix-up (answers, accepted answers)");
  const counts = { read: 0, written: 0, skipped: 0, bad: 0 };
  let late: Row[] = [];
  let accepts: Array<[string, string]> = [];
  let acceptedTotal = 0;
  const flushLate = async (rows: Row[]) => {
    const keysOf = rows.map((r) => keys.post(ctx.host, intAttr(r.attrs, "Id")!));
    const present = new Set((await ctx.db.select({ key: posts.importKey }).from(posts).where(inArray(posts.importKey, keysOf))).map((p) => p.key));
    const missing = rows.filter((r, n) => !present.has(keysOf[n]!));
    if (missing.length > 0) counts.written += await ctx.db.transaction((tx) => writePosts(tx, ctx, missing, { final: true }));
  };
  const flushAccepts = async (pairs: Array<[string, string]>) => {
    const updated = await ctx.db.execute<{ id: number }>(sql`
      update posts q set accepted_answer_id = a.id
      from ${valuesList(pairs)} as v(question, answer)
      join posts a on a.import_key = v.answer
      where q.import_key = v.question and a.parent_id = q.id
      returning q.id`);
    acceptedTotal += updated.length;
  };
  for await (const item of readRows(full)) {
    if (item.kind === "bad") continue;
    counts.read += 1;
    const typeId = intAttr(item.attrs, "PostTypeId");
    const id = intAttr(item.attrs, "Id");
    if (id === null) continue;
    if (typeId === 2) late.push(item);
    const accepted = typeId === 1 ? intAttr(item.attrs, "AcceptedAnswerId") : null;
    if (accepted !== null) accepts.push([keys.post(ctx.host, id), keys.post(ctx.host, accepted)]);
    if (late.length >= ctx.batchSize) {
      await flushLate(late);
      late = [];
    }
    if (accepts.length >= ctx.batchSize) {
      // Answers of these questions may still be in `late`: write them first.
      await flushLate(late);
      late = [];
      await flushAccepts(accepts);
      accepts = [];
    }
    ctx.progress.update(counts);
  }
  if (late.length > 0) await flushLate(late);
  if (accepts.length > 0) await flushAccepts(accepts);
  ctx.counts.acceptedAnswers = acceptedTotal;
  ctx.counts.lateAnswers = counts.written;
  ctx.progress.finish(counts);
}
