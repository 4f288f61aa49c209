import { desc, eq } from "drizzle-orm";
import { diffArrays, diffWords, diffWordsWithSpace } from "diff";
import type { Db } from "#db/client.server.ts";
import { postRevisions, users } from "#db/schema/index.ts";
import { type RedactedOriginal, redactedOriginals } from "#app/features/moderation/redaction.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { loadPost, loadQuestion } from "./access.server.ts";
import { canEditPost } from "./edit.server.ts";

/**
 * A post's history: every revision, newest first, each with the word diff against the one before
 * it (markdown source, title and tags). Diffs are computed here so the browser gets plain parts.
 */

export type DiffPart = { value: string; change: "added" | "removed" | "same" };
/** null when the texts are too different to compare within the time budget: the page shows the full text instead. */
export type TextDiff = DiffPart[] | null;

export type RevisionView = {
  number: number;
  kind: "create" | "edit" | "rollback";
  rolledBackTo: number | null;
  comment: string;
  createdAt: Date;
  editor: { id: number; name: string };
  title: string | null;
  body: string;
  tags: string[];
  /** Against the previous revision; null for the first one. */
  diff: { title: TextDiff; body: TextDiff; tags: DiffPart[] } | null;
  /** A moderator replaced its title and text with the reason (which `title` and `body` now hold). */
  redacted: boolean;
  /** What it said before the redaction: for admins only, null for everyone else. */
  original: RedactedOriginal | null;
};

// Long, very different texts make the diff quadratic; past this it gives up and says so.
const DIFF_TIMEOUT_MS = 250;

function parts(changes: ReadonlyArray<{ value: string; added: boolean; removed: boolean }> | undefined): TextDiff {
  if (!changes) return null;
  return changes.map((c) => ({ value: c.value, change: c.added ? "added" : c.removed ? "removed" : "same" }));
}

export function diffRevisions(before: Pick<RevisionView, "title" | "body" | "tags">, after: Pick<RevisionView, "title" | "body" | "tags">): NonNullable<RevisionView["diff"]> {
  return {
    title: before.title === null && after.title === null ? [] : parts(diffWords(before.title ?? "", after.title ?? "", { timeout: DIFF_TIMEOUT_MS })),
    body: parts(diffWordsWithSpace(before.body, after.body, { timeout: DIFF_TIMEOUT_MS })),
    tags: diffArrays(before.tags, after.tags).flatMap((c) => c.value.map((value) => ({ value, change: c.added ? "added" : c.removed ? "removed" : "same" }) as const)),
  };
}

export async function postHistory(db: Db, actor: ReputationActor, postId: number) {
  // Moderators and the author still see the history of a deleted post, as they see the post.
  const access = await loadPost(db, actor, postId, { allowDeleted: true });
  const { post, space } = access;
  const question = post.parentId ? (await loadQuestion(db, actor, post.parentId, { allowDeleted: true })).post : post;
  const [rows, canRollback] = await Promise.all([
    db
      .select({
        id: postRevisions.id,
        number: postRevisions.number,
        kind: postRevisions.kind,
        rolledBackTo: postRevisions.rolledBackTo,
        comment: postRevisions.comment,
        createdAt: postRevisions.createdAt,
        title: postRevisions.title,
        body: postRevisions.body,
        tags: postRevisions.tags,
        redactedAt: postRevisions.redactedAt,
        editor: { id: users.id, name: users.name },
      })
      .from(postRevisions)
      .innerJoin(users, eq(users.id, postRevisions.editorId))
      .where(eq(postRevisions.postId, post.id))
      .orderBy(desc(postRevisions.number)),
    canEditPost(db, actor, access),
  ]);
  const originals = await redactedOriginals(
    db,
    actor,
    "post",
    rows.filter((r) => r.redactedAt).map((r) => r.id),
  );
  // A redacted revision holds the redaction notice, so diffs on either side of it show that, never the original.
  const revisions: RevisionView[] = rows.map(({ id, redactedAt, ...r }, i) => {
    const previous = rows[i + 1];
    return { ...r, diff: previous ? diffRevisions(previous, r) : null, redacted: redactedAt !== null, original: originals.get(id) ?? null };
  });
  return {
    post: { id: post.id, type: post.type, deleted: post.deletedAt !== null, currentRevision: post.revisionCount },
    question: { id: question.id, title: question.title ?? "" },
    space: { slug: space.slug, name: space.name },
    revisions,
    canRollback: canRollback && post.deletedAt === null,
    canRedact: access.canModerate,
  };
}
