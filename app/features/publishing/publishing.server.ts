import { and, asc, eq, inArray, isNull, lte, ne, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import {
  posts,
  publicationApprovals,
  publicationConsents,
  publicationEvents,
  publicationFlags,
  publicationParts,
  publications,
  spaceMembers,
  spaces,
  tagSmes,
  tags,
  users,
} from "#db/schema/index.ts";
import { anonymousAskerOf } from "#app/features/anonymous/askers.server.ts";
import { loadQuestion } from "#app/features/qa/access.server.ts";
import { notify } from "#app/features/social/notify.server.ts";
import { type Actor, inVisibleSpace } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { type FieldErrors, normalizeText } from "#app/lib/forms.ts";
import { isRowId } from "#app/lib/ids.ts";
import { MarkdownError, renderField, renderMarkdown } from "#app/lib/markdown.server.ts";
import { isActiveEmployee, loadPublication, type Publication, type PublicationAccess } from "./access.server.ts";
import { diffPublication, type DiffSide, type PartDiff } from "./diff.ts";
import { publishDraft, withdrawPublication } from "./forum-write.server.ts";
import { BODY_MAX, DEFAULT_GENERIC_LABEL, GENERIC_LABEL_MAX, GENERIC_LABEL_PATTERN, partBodyField, REASON_MAX, REASON_MIN, TITLE_MAX, TITLE_MIN, UNPUBLISH_REASON_MAX } from "./rules.ts";
import { DETECTOR_LABELS, type Detector, findingContext, redactSpan } from "./scan.ts";
import { addEvent, rescan, scanSummary, syncConsents, takeSnapshot } from "./snapshot.server.ts";
import { forumThreadUrl } from "./urls.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";

export { forumFeedbackQueue, hideForumComment, markFeedbackReviewed } from "./feedback.server.ts";
export { forumThreadUrl } from "./urls.ts";

/**
 * The publishing workflow (issue 19): an internal question becomes a public forum thread only
 * after people decided it should. Proposing makes a draft, a snapshot of the question and its
 * answers; the confidentiality scan flags what must not go out, and each flag is redacted or
 * accepted with a reason; every author is asked how to appear (named, generic, or left out); a
 * moderator of the space and an SME of the topic (an admin where the topic has none) approve, and
 * the second approval publishes. Every step is a line on the draft's timeline, and every write is
 * one transaction on the draft's locked row. docs/publishing.md tells the whole story.
 */

export type PublicationStatus = Publication["status"];
export type PublicationTab = "mine" | "review" | "consent" | "published";
export type ApprovalCapacity = "moderator" | "sme" | "admin";
export type { Detector } from "./scan.ts";

export interface PublicationSummary {
  id: number;
  status: PublicationStatus;
  title: string;
  spaceName: string;
  proposerName: string;
  updatedAt: Date;
  publishedAt: Date | null;
  threadUrl: string | null;
  blockers: string[];
}

export interface PublicationView {
  id: number;
  status: "draft" | "published" | "withdrawn" | "superseded" | "discarded";
  revision: number;
  title: string;
  tags: string[];
  expiresAt: Date | null;
  createdAt: Date;
  publishedAt: Date | null;
  withdrawnAt: Date | null;
  question: { id: number; title: string; spaceSlug: string; spaceName: string };
  proposer: { id: number; name: string };
  threadUrl: string | null;
  parts: {
    id: number;
    kind: "question" | "answer";
    postId: number | null;
    author: { id: number; name: string; title: string; deactivated: boolean };
    body: string;
    bodyHtml: string;
    included: boolean;
    accepted: boolean;
    position: number;
    writtenAt: Date;
  }[];
  flags: {
    id: number;
    partId: number | null;
    detector: Detector;
    label: string;
    match: string;
    start: number;
    end: number;
    status: "open" | "redacted" | "accepted";
    reason: string;
    resolvedBy: { id: number; name: string } | null;
    resolvedAt: Date | null;
    context: { before: string; match: string; after: string };
  }[];
  consents: { user: { id: number; name: string; title: string }; choice: "pending" | "named" | "generic" | "omit"; genericLabel: string; decidedAt: Date | null }[];
  approvals: { user: { id: number; name: string }; capacity: ApprovalCapacity; revision: number; createdAt: Date; current: boolean }[];
  events: { id: number; actor: { id: number; name: string } | null; kind: string; detail: string; createdAt: Date }[];
  can: { edit: boolean; approve: boolean; approveAs: ApprovalCapacity | null; consent: boolean; unpublish: boolean; discard: boolean };
  /** Why it can't be approved yet, in plain words: "2 flags are open", "Waiting for Sofia Martins to answer", "The asker declined". */
  blockers: string[];
  /** For a republication: the public version against this draft, line by line. */
  diff: PartDiff[] | null;
}

const STALE = "This draft changed since you opened it: reload it to see the changes, then make yours again.";
const CLOSED = "This draft is no longer open: it was published or discarded.";

// ---------------------------------------------------------------- shared rules

type BlockerInput = {
  status: PublicationStatus;
  openFlags: number;
  /** The consents that count: authors whose text is included. */
  consents: { name: string; choice: string; isAsker: boolean; deactivated: boolean }[];
  questionDeleted: boolean;
  expiresAt: Date | null;
};

function blockersOf(input: BlockerInput, now = new Date()): string[] {
  if (input.status !== "draft") return [];
  const out: string[] = [];
  if (input.questionDeleted) out.push("The internal question was deleted");
  if (input.openFlags > 0) out.push(input.openFlags === 1 ? "1 flag is open" : `${input.openFlags} flags are open`);
  const asker = input.consents.find((c) => c.isAsker);
  if (asker?.choice === "omit") out.push(asker.deactivated ? "The asker can't be asked (their account is deactivated)" : "The asker declined");
  for (const c of input.consents) if (c.choice === "pending") out.push(`Waiting for ${c.name} to answer`);
  if (input.expiresAt && input.expiresAt <= now) out.push("The expiry date has passed");
  return out;
}

const CAPACITY_WORDS: Record<ApprovalCapacity, string> = {
  moderator: "a moderator of the space",
  sme: "an SME of the topic",
  admin: "an admin (the topic has no SME)",
};

/** Which side of the two-person rule a capacity fills. */
function side(capacity: ApprovalCapacity): "moderator" | "topic" {
  return capacity === "moderator" ? "moderator" : "topic";
}

/** The capacities `actor` could approve in, the rarer first: an SME before an admin, both before a moderator. */
function capacitiesOf(actor: Actor, access: PublicationAccess): ApprovalCapacity[] {
  if (!access.seesSpace || access.isProposer) return [];
  const out: ApprovalCapacity[] = [];
  if (access.isSme) out.push("sme");
  if (actor.role === "admin" && !access.otherSme) out.push("admin");
  if (access.managesSpace) out.push("moderator");
  return out;
}

/** The capacity `actor` would approve in now: one they hold whose side nobody else filled at this revision. */
function approvalCapacity(actor: Actor, access: PublicationAccess, approvals: { userId: number; capacity: ApprovalCapacity; revision: number }[]): ApprovalCapacity | null {
  const current = approvals.filter((a) => a.revision === access.pub.revision);
  if (current.some((a) => a.userId === actor.id)) return null;
  const filled = new Set(current.map((a) => side(a.capacity)));
  return capacitiesOf(actor, access).find((c) => !filled.has(side(c))) ?? null;
}

function threadUrlOf(status: PublicationStatus, threadId: number | null, thread: { slug: string; withdrawn: boolean } | null): string | null {
  if (threadId === null || !thread || thread.withdrawn || status === "withdrawn" || status === "discarded") return null;
  return forumThreadUrl(threadId, thread.slug);
}

function safeHtml(body: string): string {
  try {
    return renderMarkdown(body);
  } catch (error) {
    // A text the module refuses is shown as such in the editor; the save says what to change.
    if (error instanceof MarkdownError) return "";
    throw error;
  }
}

/** Approvals at the current revision, voided by a change: the timeline says so. */
async function voidApprovals(tx: Tx, pub: Publication, actorId: number, why: string): Promise<boolean> {
  const [current] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(publicationApprovals)
    .where(and(eq(publicationApprovals.publicationId, pub.id), eq(publicationApprovals.revision, pub.revision)));
  if (!current || current.n === 0) return false;
  await addEvent(tx, pub.id, actorId, "approvals_voided", `The approvals of revision ${pub.revision} no longer count: ${why}`);
  return true;
}

async function bumpRevision(tx: Tx, pub: Publication): Promise<number> {
  const [row] = await tx
    .update(publications)
    .set({ revision: sql`${publications.revision} + 1`, updatedAt: sql`now()` })
    .where(eq(publications.id, pub.id))
    .returning({ revision: publications.revision });
  return row!.revision;
}

function requireDraft(access: PublicationAccess): void {
  if (access.pub.status !== "draft") throw new InputError(CLOSED);
}

function requireEditor(access: PublicationAccess): void {
  requireDraft(access);
  if (!access.canEdit) throw new ForbiddenError("Only the proposer, the space's moderators, the topic's SMEs and admins edit this draft.");
}

// ---------------------------------------------------------------- propose

/**
 * Proposes a question for the public forum: a new draft, or the open draft it already has. Anyone
 * who can see the question may propose it; anonymous questions are never published.
 */
export async function proposePublication(db: Db, actor: Actor, questionId: number): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    const { post: question } = await loadQuestion(tx, actor, questionId);
    if ((await anonymousAskerOf(tx, question.id)) !== null) throw new ForbiddenError("Anonymous questions are not published.");
    // Two proposals at once take turns here, so the second finds the first one's draft.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`publication:${question.id}`}))`);
    const [open] = await tx
      .select({ id: publications.id })
      .from(publications)
      .where(and(eq(publications.questionId, question.id), eq(publications.status, "draft")));
    if (open) return { id: open.id };
    return { id: await takeSnapshot(tx, db, actor.id, question) };
  });
}

// ---------------------------------------------------------------- read

/** A publication as its page shows it, for someone who may see it (see loadPublication). */
export async function getPublication(db: Db, actor: Actor, id: number): Promise<PublicationView> {
  const access = await loadPublication(db, actor, id);
  const { pub } = access;
  const [parts, flags, consents, approvals, events] = await Promise.all([
    db
      .select({ part: publicationParts, name: users.name, title: users.title, deactivatedAt: users.deactivatedAt })
      .from(publicationParts)
      .innerJoin(users, eq(users.id, publicationParts.authorId))
      .where(eq(publicationParts.publicationId, pub.id))
      .orderBy(asc(publicationParts.position)),
    db
      .select({ flag: publicationFlags, resolverName: users.name })
      .from(publicationFlags)
      .leftJoin(users, eq(users.id, publicationFlags.resolvedById))
      .where(eq(publicationFlags.publicationId, pub.id))
      .orderBy(asc(publicationFlags.status), sql`${publicationFlags.partId} asc nulls first`, asc(publicationFlags.start), asc(publicationFlags.id)),
    db
      .select({ consent: publicationConsents, name: users.name, title: users.title, deactivatedAt: users.deactivatedAt })
      .from(publicationConsents)
      .innerJoin(users, eq(users.id, publicationConsents.userId))
      .where(eq(publicationConsents.publicationId, pub.id))
      .orderBy(asc(users.name)),
    db
      .select({ approval: publicationApprovals, name: users.name })
      .from(publicationApprovals)
      .innerJoin(users, eq(users.id, publicationApprovals.userId))
      .where(eq(publicationApprovals.publicationId, pub.id))
      .orderBy(asc(publicationApprovals.createdAt)),
    db
      .select({ event: publicationEvents, name: users.name })
      .from(publicationEvents)
      .leftJoin(users, eq(users.id, publicationEvents.actorId))
      .where(eq(publicationEvents.publicationId, pub.id))
      .orderBy(asc(publicationEvents.id)),
  ]);

  const askerId = parts.find((p) => p.part.kind === "question")?.part.authorId;
  const includedAuthors = new Set(parts.filter((p) => p.part.included).map((p) => p.part.authorId));
  const relevant = consents.filter((c) => includedAuthors.has(c.consent.userId));
  const omitted = new Set(relevant.filter((c) => c.consent.choice === "omit").map((c) => c.consent.userId));
  const openFlags = flags.filter((f) => f.flag.status === "open").length;
  const blockers = blockersOf({
    status: pub.status,
    openFlags,
    consents: relevant.map((c) => ({ name: c.name, choice: c.consent.choice, isAsker: c.consent.userId === askerId, deactivated: c.deactivatedAt !== null })),
    questionDeleted: access.question.deleted,
    expiresAt: pub.expiresAt,
  });
  const approvalRows = approvals.map((a) => ({ userId: a.approval.userId, capacity: a.approval.capacity, revision: a.approval.revision }));
  const approveAs = pub.status === "draft" ? approvalCapacity(actor, access, approvalRows) : null;
  const isDraft = pub.status === "draft";
  const textOf = (partId: number | null) => (partId === null ? pub.title : (parts.find((p) => p.part.id === partId)?.part.body ?? ""));

  let diff: PartDiff[] | null = null;
  if (isDraft && access.seesSpace) {
    const after: DiffSide = {
      title: pub.title,
      parts: parts.filter((p) => p.part.included && !omitted.has(p.part.authorId)).map((p) => ({ key: partKey(p.part), label: partLabel(p.part.kind, p.name), body: p.part.body })),
    };
    const before = await publicSide(db, pub);
    if (before) diff = diffPublication(before, after);
  }

  const view: PublicationView = {
    id: pub.id,
    status: pub.status,
    revision: pub.revision,
    title: pub.title,
    tags: pub.tags,
    expiresAt: pub.expiresAt,
    createdAt: pub.createdAt,
    publishedAt: pub.publishedAt,
    withdrawnAt: pub.withdrawnAt,
    question: { id: access.question.id, title: access.question.title, spaceSlug: access.space.slug, spaceName: access.space.name },
    proposer: { id: pub.proposerId, name: access.proposerName },
    threadUrl: threadUrlOf(pub.status, pub.threadId, access.thread),
    parts: parts.map(({ part, name, title, deactivatedAt }) => ({
      id: part.id,
      kind: part.kind,
      postId: part.postId,
      author: { id: part.authorId, name, title, deactivated: deactivatedAt !== null },
      body: part.body,
      bodyHtml: safeHtml(part.body),
      included: part.included,
      accepted: part.accepted,
      position: part.position,
      writtenAt: part.writtenAt,
    })),
    flags: flags.map(({ flag, resolverName }) => {
      const text = textOf(flag.partId);
      const intact = flag.status !== "redacted" && text.slice(flag.start, flag.end) === flag.match;
      return {
        id: flag.id,
        partId: flag.partId,
        detector: flag.detector as Detector,
        label: DETECTOR_LABELS[flag.detector as Detector] ?? flag.detector,
        match: flag.match,
        start: flag.start,
        end: flag.end,
        status: flag.status,
        reason: flag.reason,
        resolvedBy: flag.resolvedById !== null && resolverName !== null ? { id: flag.resolvedById, name: resolverName } : null,
        resolvedAt: flag.resolvedAt,
        // A redacted flag's text is gone from the draft: it shows what was taken out.
        context: intact ? findingContext(text, flag) : { before: "", match: flag.match, after: "" },
      };
    }),
    consents: relevant.map((c) => ({
      user: { id: c.consent.userId, name: c.name, title: c.title },
      choice: c.consent.choice,
      genericLabel: c.consent.genericLabel,
      decidedAt: c.consent.decidedAt,
    })),
    approvals: approvals.map((a) => ({
      user: { id: a.approval.userId, name: a.name },
      capacity: a.approval.capacity,
      revision: a.approval.revision,
      createdAt: a.approval.createdAt,
      current: a.approval.revision === pub.revision,
    })),
    events: events.map(({ event, name }) => ({
      id: event.id,
      actor: event.actorId !== null && name !== null ? { id: event.actorId, name } : null,
      kind: event.kind,
      detail: event.detail,
      createdAt: event.createdAt,
    })),
    can: {
      edit: isDraft && access.canEdit,
      approve: approveAs !== null && blockers.length === 0,
      approveAs,
      consent: isDraft && relevant.some((c) => c.consent.userId === actor.id),
      unpublish: pub.status === "published" && access.seesSpace && (access.managesSpace || access.isProposer),
      discard: isDraft && access.seesSpace && (access.managesSpace || access.isProposer),
    },
    blockers,
    diff,
  };
  if (access.seesSpace) return view;
  // An author who can no longer see the space: their own text and consent, nothing of the rest.
  const own = new Set(view.parts.filter((p) => p.author.id === actor.id).map((p) => p.id));
  return {
    ...view,
    parts: view.parts.filter((p) => own.has(p.id)),
    flags: view.flags.filter((f) => f.partId !== null && own.has(f.partId)),
    consents: view.consents.filter((c) => c.user.id === actor.id),
    approvals: [],
    events: [],
    blockers: [],
    diff: null,
  };
}

function partKey(part: { kind: string; postId: number | null; id: number }): string {
  return part.kind === "question" ? "question" : `answer:${part.postId ?? `part-${part.id}`}`;
}

function partLabel(kind: string, authorName: string): string {
  return kind === "question" ? "Question" : `Answer by ${authorName}`;
}

/** What is public now for the draft's question (the published publication's parts as they went out), or null. */
async function publicSide(db: Db | Tx, pub: Publication): Promise<DiffSide | null> {
  const [current] = await db
    .select({ id: publications.id, title: publications.title })
    .from(publications)
    .where(and(eq(publications.questionId, pub.questionId), eq(publications.status, "published"), ne(publications.id, pub.id)))
    .limit(1);
  if (!current) return null;
  const parts = await db
    .select({ part: publicationParts, name: users.name })
    .from(publicationParts)
    .innerJoin(users, eq(users.id, publicationParts.authorId))
    .innerJoin(publicationConsents, and(eq(publicationConsents.publicationId, publicationParts.publicationId), eq(publicationConsents.userId, publicationParts.authorId)))
    .where(and(eq(publicationParts.publicationId, current.id), eq(publicationParts.included, true), inArray(publicationConsents.choice, ["named", "generic"])))
    .orderBy(asc(publicationParts.position));
  return { title: current.title, parts: parts.map((p) => ({ key: partKey(p.part), label: partLabel(p.part.kind, p.name), body: p.part.body })) };
}

// ---------------------------------------------------------------- lists

const LIST_PAGE_SIZE = 20;

function parseListCursor(cursor: string | null | undefined): { micros: string; id: number } | null {
  const match = /^(\d{1,20})\.(\d{1,10})$/.exec(cursor ?? "");
  if (!match || !isRowId(Number(match[2]))) return null;
  return { micros: match[1]!, id: Number(match[2]) };
}

/** The condition of a tab, on `publications` (and `spaces` joined). */
function tabCondition(actor: Actor, tab: PublicationTab): SQL {
  const visible = inVisibleSpace(actor, publications.spaceId);
  const authorOf = sql`exists (select 1 from publication_consents pc where pc.publication_id = ${publications.id} and pc.user_id = ${actor.id}
    and exists (select 1 from publication_parts pp where pp.publication_id = pc.publication_id and pp.author_id = pc.user_id and pp.included))`;
  switch (tab) {
    case "mine":
      return and(eq(publications.proposerId, actor.id), visible)!;
    case "review": {
      const siteWide = actor.role === "admin" || actor.role === "moderator" ? sql`true` : sql`false`;
      return and(
        eq(publications.status, "draft"),
        ne(publications.proposerId, actor.id),
        visible,
        sql`(${siteWide}
          or exists (select 1 from space_members sm where sm.space_id = ${publications.spaceId} and sm.user_id = ${actor.id} and sm.role = 'moderator')
          or exists (select 1 from tag_smes ts join tags t on t.id = ts.tag_id where ts.user_id = ${actor.id} and t.name = any(${publications.tags})))`,
        sql`not exists (select 1 from publication_approvals pa where pa.publication_id = ${publications.id} and pa.user_id = ${actor.id} and pa.revision = ${publications.revision})`,
      )!;
    }
    case "consent":
      return and(eq(publications.status, "draft"), authorOf)!;
    case "published":
      return and(eq(publications.status, "published"), visible)!;
  }
}

/**
 * One tab of /publications, twenty to a page (keyset): the actor's proposals; drafts they could
 * approve and haven't at this revision; drafts that ask for their consent; what is published from
 * spaces they see. Each row says what blocks it. Three queries.
 */
export async function listPublications(
  db: Db,
  actor: Actor,
  { tab, cursor }: { tab: PublicationTab; cursor?: string | null },
): Promise<{ rows: PublicationSummary[]; nextCursor: string | null }> {
  if (!isActiveEmployee(actor)) return { rows: [], nextCursor: null };
  const sortAt = tab === "published" ? sql`coalesce(${publications.publishedAt}, ${publications.updatedAt})` : sql`${publications.updatedAt}`;
  const sortMicros = sql<string>`floor(extract(epoch from ${sortAt}) * 1000000)::bigint`;
  const after = parseListCursor(cursor);
  const rows = await db
    .select({
      pub: publications,
      spaceName: spaces.name,
      proposerName: users.name,
      questionDeleted: sql<boolean>`${posts.deletedAt} is not null`,
      visible: sql<boolean>`${inVisibleSpace(actor, publications.spaceId)}`,
      threadSlug: sql<string | null>`(select ft.slug from forum_threads ft where ft.id = ${publications.threadId})`,
      threadWithdrawn: sql<boolean>`coalesce((select ft.withdrawn_at is not null from forum_threads ft where ft.id = ${publications.threadId}), false)`,
      sortMicros: sql<string>`${sortMicros}::text`,
    })
    .from(publications)
    .innerJoin(spaces, eq(spaces.id, publications.spaceId))
    .innerJoin(users, eq(users.id, publications.proposerId))
    .innerJoin(posts, eq(posts.id, publications.questionId))
    .where(and(tabCondition(actor, tab), after ? sql`(${sortMicros}, ${publications.id}) < (${after.micros}::bigint, ${after.id}::int)` : undefined))
    .orderBy(sql`${sortMicros} desc`, sql`${publications.id} desc`)
    .limit(LIST_PAGE_SIZE + 1);
  const page = rows.slice(0, LIST_PAGE_SIZE);
  const last = page.at(-1);
  const nextCursor = rows.length > LIST_PAGE_SIZE && last ? `${last.sortMicros}.${last.pub.id}` : null;
  const drafts = page.filter((r) => r.pub.status === "draft" && r.visible).map((r) => r.pub.id);
  const [flagCounts, consents] =
    drafts.length === 0
      ? [[], []]
      : await Promise.all([
          db
            .select({ publicationId: publicationFlags.publicationId, n: sql<number>`count(*)::int` })
            .from(publicationFlags)
            .where(and(inArray(publicationFlags.publicationId, drafts), eq(publicationFlags.status, "open")))
            .groupBy(publicationFlags.publicationId),
          db
            .select({
              publicationId: publicationConsents.publicationId,
              choice: publicationConsents.choice,
              name: users.name,
              deactivated: sql<boolean>`${users.deactivatedAt} is not null`,
              isAsker: sql<boolean>`exists (select 1 from publication_parts pp where pp.publication_id = ${publicationConsents.publicationId} and pp.author_id = ${publicationConsents.userId} and pp.kind = 'question')`,
            })
            .from(publicationConsents)
            .innerJoin(users, eq(users.id, publicationConsents.userId))
            .where(
              and(
                inArray(publicationConsents.publicationId, drafts),
                inArray(publicationConsents.choice, ["pending", "omit"]),
                sql`exists (select 1 from publication_parts pp where pp.publication_id = ${publicationConsents.publicationId} and pp.author_id = ${publicationConsents.userId} and pp.included)`,
              ),
            )
            .orderBy(asc(users.name)),
        ]);
  return {
    rows: page.map((r) => ({
      id: r.pub.id,
      status: r.pub.status,
      title: r.pub.title,
      spaceName: r.spaceName,
      proposerName: r.proposerName,
      updatedAt: r.pub.updatedAt,
      publishedAt: r.pub.publishedAt,
      threadUrl: threadUrlOf(r.pub.status, r.pub.threadId, r.threadSlug === null ? null : { slug: r.threadSlug, withdrawn: r.threadWithdrawn }),
      blockers: r.visible
        ? blockersOf({
            status: r.pub.status,
            openFlags: flagCounts.find((f) => f.publicationId === r.pub.id)?.n ?? 0,
            consents: consents.filter((c) => c.publicationId === r.pub.id),
            questionDeleted: r.questionDeleted,
            expiresAt: r.pub.expiresAt,
          })
        : [],
    })),
    nextCursor,
  };
}

// ---------------------------------------------------------------- edit

export type SaveDraftInput = { revision: number; title: string; expiresAt: Date | null; parts: { id: number; body: string; included: boolean }[] };

/**
 * Saves the draft's editor: title, expiry, each part's text and whether an answer is included.
 * A save over a newer revision than the editor's is refused with nothing saved. A change of the
 * text or of the included answers is a new revision (approvals of older ones no longer count) and
 * is scanned again; newly included authors are asked for their consent.
 */
export async function saveDraft(db: Db, actor: Actor, id: number, input: SaveDraftInput): Promise<void> {
  const title = normalizeText(input.title);
  const fieldErrors: FieldErrors = {};
  if (title.length < TITLE_MIN || title.length > TITLE_MAX) fieldErrors.title = `The title must be ${TITLE_MIN} to ${TITLE_MAX} characters long.`;
  if (input.expiresAt !== null && !(input.expiresAt.getTime() > Date.now())) fieldErrors.expiresAt = "The expiry date must be in the future.";
  const parts = input.parts.map((p) => ({ ...p, body: normalizeText(p.body) }));
  for (const part of parts) {
    const field = partBodyField(part.id);
    if (part.body.length < 1 || part.body.length > BODY_MAX) fieldErrors[field] = `The text must be 1 to ${BODY_MAX.toLocaleString("en")} characters long.`;
    else {
      try {
        renderField(part.body, field);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        fieldErrors[field] = error.message;
      }
    }
  }
  await db.transaction(async (tx) => {
    const access = await loadPublication(tx, actor, id, { forUpdate: true });
    requireEditor(access);
    const { pub } = access;
    if (input.revision !== pub.revision) throw new InputError(STALE);
    if (Object.keys(fieldErrors).length > 0) throw new InputError("Check the highlighted fields.", fieldErrors);
    const stored = await tx
      .select({ id: publicationParts.id, kind: publicationParts.kind, body: publicationParts.body, included: publicationParts.included })
      .from(publicationParts)
      .where(eq(publicationParts.publicationId, pub.id));
    const byId = new Map(stored.map((p) => [p.id, p]));
    const changes: { id: number; body: string; included: boolean }[] = [];
    let includedChanged = false;
    for (const part of parts) {
      const before = byId.get(part.id);
      if (!before) throw new InputError("A part of this form is not in this draft any more: reload the draft.");
      // The question is always published.
      const included = before.kind === "question" ? true : part.included;
      if (before.body === part.body && before.included === included) continue;
      if (before.included !== included) includedChanged = true;
      changes.push({ id: part.id, body: part.body, included });
    }
    const textChanged = title !== pub.title || changes.length > 0;
    const expiryChanged = (input.expiresAt?.getTime() ?? null) !== (pub.expiresAt?.getTime() ?? null);
    if (!textChanged && !expiryChanged) return;
    if (expiryChanged) {
      await tx
        .update(publications)
        .set({ expiresAt: input.expiresAt, updatedAt: sql`now()` })
        .where(eq(publications.id, pub.id));
      await addEvent(
        tx,
        pub.id,
        actor.id,
        "expiry",
        input.expiresAt ? `Set to leave the forum on ${input.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC.` : "Removed the expiry date.",
      );
    }
    if (!textChanged) return;
    for (const change of changes) await tx.update(publicationParts).set({ body: change.body, included: change.included }).where(eq(publicationParts.id, change.id));
    if (title !== pub.title) await tx.update(publications).set({ title }).where(eq(publications.id, pub.id));
    await voidApprovals(tx, pub, actor.id, "the text changed.");
    const revision = await bumpRevision(tx, pub);
    await addEvent(tx, pub.id, actor.id, "edited", `Edited the draft (revision ${revision}).`);
    if (includedChanged) await syncConsents(tx, { id: pub.id, spaceId: pub.spaceId, questionItemId: access.question.itemId }, actor.id);
    const open = await rescan(tx, pub.id, db);
    await addEvent(tx, pub.id, actor.id, "scanned", scanSummary(open));
  });
}

// ---------------------------------------------------------------- flags

async function loadFlag(tx: Tx, pub: Publication, flagId: number) {
  if (!isRowId(flagId)) throw InputError.field("flag", "That flag is not in this draft.");
  const [row] = await tx
    .select({ flag: publicationFlags, partBody: publicationParts.body, partKind: publicationParts.kind, authorName: users.name })
    .from(publicationFlags)
    .leftJoin(publicationParts, eq(publicationParts.id, publicationFlags.partId))
    .leftJoin(users, eq(users.id, publicationParts.authorId))
    .where(and(eq(publicationFlags.id, flagId), eq(publicationFlags.publicationId, pub.id)));
  if (!row) throw new InputError("That flag is not in this draft any more: reload the draft.");
  if (row.flag.status !== "open") throw new InputError("That flag was resolved already.");
  const where = row.flag.partId === null ? "the title" : row.partKind === "question" ? "the question" : `the answer by ${row.authorName}`;
  const label = (DETECTOR_LABELS[row.flag.detector as Detector] ?? row.flag.detector).toLowerCase();
  return { ...row, where, label };
}

/**
 * Replaces a flagged span with "[redacted]" in the draft: a new revision, scanned again (the
 * other flags' places move). Refused when the text there is no longer what was flagged.
 */
export async function redactFlag(db: Db, actor: Actor, id: number, flagId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await loadPublication(tx, actor, id, { forUpdate: true });
    requireEditor(access);
    const { pub } = access;
    const { flag, partBody, where, label } = await loadFlag(tx, pub, flagId);
    const text = flag.partId === null ? pub.title : (partBody ?? "");
    if (text.slice(flag.start, flag.end) !== flag.match) throw new InputError("The text changed; scan again");
    const redacted = redactSpan(text, flag.start, flag.end);
    if (flag.partId === null) await tx.update(publications).set({ title: redacted }).where(eq(publications.id, pub.id));
    else await tx.update(publicationParts).set({ body: redacted }).where(eq(publicationParts.id, flag.partId));
    await tx
      .update(publicationFlags)
      .set({ status: "redacted", resolvedById: actor.id, resolvedAt: sql`now()` })
      .where(eq(publicationFlags.id, flag.id));
    await voidApprovals(tx, pub, actor.id, "the text changed.");
    const revision = await bumpRevision(tx, pub);
    await addEvent(tx, pub.id, actor.id, "redacted", `Redacted ${withArticle(label)} in ${where} (revision ${revision}).`);
    await rescan(tx, pub.id, db);
  });
}

/** Keeps a flagged span as it is, for a written reason (5 to 500 characters). */
export async function acceptFlag(db: Db, actor: Actor, id: number, flagId: number, reason: string): Promise<void> {
  const why = normalizeText(reason);
  if (why.length < REASON_MIN || why.length > REASON_MAX) throw InputError.field("reason", `Say why this may be published, in ${REASON_MIN} to ${REASON_MAX} characters.`);
  await db.transaction(async (tx) => {
    const access = await loadPublication(tx, actor, id, { forUpdate: true });
    requireEditor(access);
    const { flag, where, label } = await loadFlag(tx, access.pub, flagId);
    await tx
      .update(publicationFlags)
      .set({ status: "accepted", reason: why, resolvedById: actor.id, resolvedAt: sql`now()` })
      .where(eq(publicationFlags.id, flag.id));
    await tx
      .update(publications)
      .set({ updatedAt: sql`now()` })
      .where(eq(publications.id, access.pub.id));
    await addEvent(tx, access.pub.id, actor.id, "accepted", `Kept ${withArticle(label)} in ${where}: ${why}`);
  });
}

function withArticle(label: string): string {
  return `${/^[aeiou]/i.test(label) ? "an" : "a"} ${label}`;
}

// ---------------------------------------------------------------- consent

export type ConsentInput = { choice: "named" | "generic" | "omit"; genericLabel?: string };

/**
 * An author answers for their own text: by name and title, as "A Northwind <label>", or not at
 * all (their answers are left out; the asker's "not at all" stops the draft). A change after an
 * approval voids it. The text is scanned again: a named author's name may appear.
 */
export async function setConsent(db: Db, actor: Actor, id: number, input: ConsentInput): Promise<void> {
  if (!["named", "generic", "omit"].includes(input.choice)) throw InputError.field("choice", "Choose how you want to appear.");
  const label = (input.genericLabel ?? "").trim().replace(/\s+/g, " ") || DEFAULT_GENERIC_LABEL;
  if (input.choice === "generic" && (label.length > GENERIC_LABEL_MAX || !GENERIC_LABEL_PATTERN.test(label))) {
    throw InputError.field("genericLabel", `Describe yourself in 1 to ${GENERIC_LABEL_MAX} letters, spaces or hyphens, like "engineer".`);
  }
  await db.transaction(async (tx) => {
    const access = await loadPublication(tx, actor, id, { forUpdate: true });
    requireDraft(access);
    const { pub } = access;
    const [row] = await tx
      .select({ consent: publicationConsents })
      .from(publicationConsents)
      .where(
        and(
          eq(publicationConsents.publicationId, pub.id),
          eq(publicationConsents.userId, actor.id),
          sql`exists (select 1 from publication_parts pp where pp.publication_id = ${pub.id} and pp.author_id = ${actor.id} and pp.included)`,
        ),
      );
    if (!row) throw new ForbiddenError("Only the authors whose text is in this draft answer here, each for their own text.");
    const [asker] = await tx
      .select({ authorId: publicationParts.authorId })
      .from(publicationParts)
      .where(and(eq(publicationParts.publicationId, pub.id), eq(publicationParts.kind, "question")));
    const isAsker = asker?.authorId === actor.id;
    const genericLabel = input.choice === "generic" ? label : row.consent.genericLabel;
    if (row.consent.choice === input.choice && row.consent.genericLabel === genericLabel) return;
    await tx
      .update(publicationConsents)
      .set({ choice: input.choice, genericLabel, decidedAt: sql`now()` })
      .where(and(eq(publicationConsents.publicationId, pub.id), eq(publicationConsents.userId, actor.id)));
    await tx
      .update(publications)
      .set({ updatedAt: sql`now()` })
      .where(eq(publications.id, pub.id));
    const [me] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.id));
    const detail =
      input.choice === "named"
        ? `${me!.name} agreed to appear by name and title.`
        : input.choice === "generic"
          ? `${me!.name} agreed to appear without their name, as a ${genericLabel}.`
          : isAsker
            ? `The asker declined: the question can't be published.`
            : `${me!.name} declined: their text is left out.`;
    await addEvent(tx, pub.id, actor.id, "consented", detail);
    if (await voidApprovals(tx, pub, actor.id, "an author changed how they appear.")) await bumpRevision(tx, pub);
    await rescan(tx, pub.id, db);
  });
}

// ---------------------------------------------------------------- approve

/**
 * Approves the draft at `revision` in the capacity the actor holds (see approvalCapacity). Not
 * the proposer, not twice, not while anything blocks it. The approval that completes the pair
 * (a moderator, and an SME or admin) publishes the draft in the same transaction.
 */
export async function approvePublication(db: Db, actor: Actor, id: number, revision: number): Promise<{ published: boolean }> {
  return db.transaction(async (tx) => {
    const access = await loadPublication(tx, actor, id, { forUpdate: true });
    const { pub } = access;
    if (pub.status !== "draft") throw new InputError(CLOSED);
    if (access.isProposer) throw new ForbiddenError("You proposed this draft: two other people approve it.");
    if (revision !== pub.revision) throw new InputError(STALE);
    const approvals = await tx
      .select({ userId: publicationApprovals.userId, capacity: publicationApprovals.capacity, revision: publicationApprovals.revision })
      .from(publicationApprovals)
      .where(eq(publicationApprovals.publicationId, pub.id));
    const current = approvals.filter((a) => a.revision === pub.revision);
    if (current.some((a) => a.userId === actor.id)) throw new InputError("You have approved this version already: the other approval has to come from someone else.");
    const capacities = capacitiesOf(actor, access);
    if (capacities.length === 0) throw new ForbiddenError("Drafts are approved by a moderator of the space and by an SME of the topic (an admin where the topic has none).");
    const capacity = approvalCapacity(actor, access, approvals);
    if (!capacity) {
      const missing = current.some((a) => side(a.capacity) === "moderator") ? "an SME of the topic (or an admin where it has none)" : "a moderator of the space";
      throw new InputError(`Your side of the approval is given already: this version waits for ${missing}.`);
    }
    const blockers = await draftBlockers(tx, access);
    if (blockers.length > 0) throw new InputError(`This draft can't be approved yet: ${blockers.join("; ")}.`);
    await tx
      .insert(publicationApprovals)
      .values({ publicationId: pub.id, userId: actor.id, capacity, revision: pub.revision })
      .onConflictDoUpdate({
        target: [publicationApprovals.publicationId, publicationApprovals.userId],
        set: { capacity, revision: pub.revision, createdAt: sql`now()` },
      });
    await tx
      .update(publications)
      .set({ updatedAt: sql`now()` })
      .where(eq(publications.id, pub.id));
    await addEvent(tx, pub.id, actor.id, "approved", `Approved revision ${pub.revision} as ${CAPACITY_WORDS[capacity]}.`);
    const sides = new Set([...current.map((a) => side(a.capacity)), side(capacity)]);
    const details = { revision: pub.revision, capacity: CAPACITY_WORDS[capacity], published: sides.size >= 2 };
    await recordAudit(tx, { actorId: actor.id, action: "publication.approved", subjectUserId: pub.proposerId, target: { type: "publication", id: pub.id }, spaceId: pub.spaceId, details });
    if (sides.size < 2) {
      // The other side hears that the draft waits for them.
      await notifyReviewers(tx, access, actor.id, side(capacity) === "moderator" ? "topic" : "moderator");
      return { published: false };
    }
    await publishDraft(tx, pub, actor.id, access.question.itemId);
    return { published: true };
  });
}

/** The draft's blockers, read inside a writer's transaction. */
async function draftBlockers(tx: Tx, access: PublicationAccess): Promise<string[]> {
  const { pub } = access;
  const [[flags], consents] = await Promise.all([
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(publicationFlags)
      .where(and(eq(publicationFlags.publicationId, pub.id), eq(publicationFlags.status, "open"))),
    tx
      .select({
        name: users.name,
        choice: publicationConsents.choice,
        deactivated: sql<boolean>`${users.deactivatedAt} is not null`,
        isAsker: sql<boolean>`exists (select 1 from publication_parts pp where pp.publication_id = ${pub.id} and pp.author_id = ${publicationConsents.userId} and pp.kind = 'question')`,
      })
      .from(publicationConsents)
      .innerJoin(users, eq(users.id, publicationConsents.userId))
      .where(
        and(
          eq(publicationConsents.publicationId, pub.id),
          sql`exists (select 1 from publication_parts pp where pp.publication_id = ${pub.id} and pp.author_id = ${publicationConsents.userId} and pp.included)`,
        ),
      )
      .orderBy(asc(users.name)),
  ]);
  return blockersOf({ status: pub.status, openFlags: flags?.n ?? 0, consents, questionDeleted: access.question.deleted, expiresAt: pub.expiresAt });
}

/**
 * After the first approval: the people who could give the other one hear about it (the space's
 * moderators, or the topic's SMEs; admins only where the topic has no SME), never the proposer.
 */
async function notifyReviewers(tx: Tx, access: PublicationAccess, actorId: number, wanted: "moderator" | "topic"): Promise<void> {
  const { pub } = access;
  const rows =
    wanted === "moderator"
      ? await tx
          .select({ id: spaceMembers.userId })
          .from(spaceMembers)
          .where(and(eq(spaceMembers.spaceId, pub.spaceId), eq(spaceMembers.role, "moderator")))
      : access.otherSme && pub.tags.length > 0
        ? await tx.selectDistinct({ id: tagSmes.userId }).from(tagSmes).innerJoin(tags, eq(tags.id, tagSmes.tagId)).where(inArray(tags.name, pub.tags))
        : await tx
            .select({ id: users.id })
            .from(users)
            .where(and(eq(users.role, "admin"), eq(users.kind, "employee"), isNull(users.deactivatedAt)));
  // notify() leaves out anyone who can't see the space.
  await notify(
    tx,
    rows.map((r) => r.id).filter((userId) => userId !== pub.proposerId),
    { kind: "publication", actorId, spaceId: pub.spaceId, itemId: access.question.itemId },
  );
}

// ---------------------------------------------------------------- unpublish, discard, expire

/** Takes a published thread off the forum at once (the space's moderators, admins, the proposer), with a reason for the timeline. */
export async function unpublishPublication(db: Db, actor: Actor, id: number, reason: string): Promise<void> {
  const why = normalizeText(reason);
  if (why.length < 1 || why.length > UNPUBLISH_REASON_MAX) throw InputError.field("reason", `Say why it is unpublished, in up to ${UNPUBLISH_REASON_MAX} characters.`);
  await db.transaction(async (tx) => {
    const access = await loadPublication(tx, actor, id, { forUpdate: true });
    const { pub } = access;
    if (pub.status !== "published") throw new InputError("Only a published thread can be unpublished.");
    if (!access.seesSpace || !(access.managesSpace || access.isProposer)) throw new ForbiddenError("The space's moderators, admins and the proposer unpublish a thread.");
    await withdrawPublication(tx, pub, actor.id, `Unpublished: ${why}`);
    const details = { reason: why };
    await recordAudit(tx, {
      actorId: actor.id,
      action: "publication.unpublished",
      subjectUserId: pub.proposerId,
      target: { type: "publication", id: pub.id },
      spaceId: pub.spaceId,
      details,
    });
    const authors = await tx
      .select({ userId: publicationConsents.userId })
      .from(publicationConsents)
      .where(and(eq(publicationConsents.publicationId, pub.id), inArray(publicationConsents.choice, ["named", "generic"])));
    await notify(tx, [pub.proposerId, ...authors.map((a) => a.userId)], { kind: "publication", actorId: actor.id, spaceId: pub.spaceId, itemId: access.question.itemId });
  });
}

/** Drops a draft that won't be published (the proposer, the space's moderators, admins). The question may be proposed again. */
export async function discardPublication(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await loadPublication(tx, actor, id, { forUpdate: true });
    requireDraft(access);
    if (!access.seesSpace || !(access.managesSpace || access.isProposer)) throw new ForbiddenError("The proposer, the space's moderators and admins discard a draft.");
    await tx
      .update(publications)
      .set({ status: "discarded", updatedAt: sql`now()` })
      .where(eq(publications.id, access.pub.id));
    await addEvent(tx, access.pub.id, actor.id, "discarded", "Discarded the draft.");
    const { pub } = access;
    await recordAudit(tx, { actorId: actor.id, action: "publication.rejected", subjectUserId: pub.proposerId, target: { type: "publication", id: pub.id }, spaceId: pub.spaceId });
  });
}

/**
 * Withdraws every published thread whose expiry has come (the scheduler, every minute). The forum
 * hides an expired thread by itself the moment it expires; this empties its text and answers and
 * takes it out of search. Instances share the work (SKIP LOCKED). Returns how many expired.
 */
export async function expirePublications(db: Db, now: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: publications.id, threadId: publications.threadId })
      .from(publications)
      .where(and(eq(publications.status, "published"), lte(publications.expiresAt, now)))
      .orderBy(asc(publications.id))
      .limit(100)
      .for("update", { skipLocked: true });
    for (const pub of due) await withdrawPublication(tx, pub, null, "Expired");
    return due.length;
  });
}

// ---------------------------------------------------------------- the question page

/**
 * What the question page says about publishing, in one query: the thread it is published as, the
 * open draft, and whether the actor may propose it (an employee who sees it; not anonymous; no
 * open draft).
 */
export async function publicationBanner(
  db: Db,
  actor: Actor,
  questionId: number,
): Promise<{ published: { threadUrl: string; publishedAt: Date; publicationId: number } | null; draft: { id: number } | null; canPropose: boolean }> {
  const none = { published: null, draft: null, canPropose: false };
  if (!isActiveEmployee(actor) || !isRowId(questionId)) return none;
  const [row] = await db.execute<{ published: { id: number; threadId: number; slug: string; publishedAt: string } | null; draft_id: number | null; anonymous: boolean }>(sql`
    select
      (select json_build_object('id', p.id, 'threadId', p.thread_id, 'slug', ft.slug, 'publishedAt', p.published_at)
        from publications p join forum_threads ft on ft.id = p.thread_id
        where p.question_id = q.id and p.status = 'published' limit 1) as published,
      (select p.id from publications p where p.question_id = q.id and p.status = 'draft' limit 1) as draft_id,
      exists (select 1 from anonymous_askers a where a.question_id = q.id) as anonymous
    from posts q
    where q.id = ${questionId} and q.type = 'question' and q.deleted_at is null and ${inVisibleSpace(actor, sql`q.space_id`)}`);
  if (!row) return none;
  const published = row.published
    ? { threadUrl: forumThreadUrl(Number(row.published.threadId), row.published.slug), publishedAt: new Date(row.published.publishedAt), publicationId: Number(row.published.id) }
    : null;
  const draft = row.draft_id === null ? null : { id: Number(row.draft_id) };
  return { published, draft, canPropose: !row.anonymous && draft === null };
}
