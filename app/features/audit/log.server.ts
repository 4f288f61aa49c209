import { and, asc, desc, eq, gte, inArray, lt, gt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { href } from "react-router";
import type { Db, Tx } from "#db/client.server.ts";
import { anonymousAskers, auditLog, comments, posts, spaces, users } from "#db/schema/index.ts";
import { usersByHandle } from "#app/features/notifications/mentions.server.ts";
import { describeItems } from "#app/features/social/kinds.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { csvField } from "#app/lib/csv.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { AUDIT_ACTIONS, AUDIT_VISIBLE_TO_SUBJECT, type AuditAction } from "./audit.server.ts";

/**
 * Reading the audit log: Admin → Audit log (`/admin/audit`), its CSV (`/admin/audit.csv`), and the
 * entries a person sees about themselves on their own profile. Admins only, except `auditAboutMe`.
 */

export const AUDIT_PAGE_SIZE = 50;
/** The CSV is read this many entries at a time, so a large log is never held in memory whole. */
export const AUDIT_CSV_BATCH = 1000;
/** A person's own profile lists this many entries about them (the newest). */
export const AUDIT_ABOUT_ME_SHOWN = 20;

function assertAdmin(actor: Actor): void {
  if (actor.kind !== "employee" || actor.deactivatedAt || actor.role !== "admin") throw new NotFoundError();
}

// ---- filters -------------------------------------------------------------------------------

/** What the filter form holds, as typed (kept on an error). */
export type AuditFilterValues = { action: string; actor: string; subject: string; from: string; to: string };

export type AuditFilters = {
  action: AuditAction | null;
  actorId: number | null;
  subjectId: number | null;
  /** Inclusive UTC days: `from` 00:00 up to the end of `to`. */
  from: Date | null;
  to: Date | null;
};

export type ParsedAuditFilters = { values: AuditFilterValues; fieldErrors: Partial<Record<keyof AuditFilterValues, string>>; filters: AuditFilters };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(text: string): Date | null | undefined {
  if (!text) return null;
  if (!DAY.test(text)) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? undefined : date;
}

function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}

/**
 * The person a filter's handle names. Active employees through the handle resolver every admin form
 * uses; then deactivated and anonymised accounts too, since the log is often searched for someone
 * who has left (by their full address, or a short handle that fits one account only).
 */
async function personByHandle(db: Db | Tx, typed: string): Promise<number | null> {
  const handle = typed.trim().replace(/^@/, "").toLowerCase();
  if (!handle || handle.length > 320) return null;
  const active = (await usersByHandle(db, [handle])).get(handle);
  if (active !== undefined) return active;
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(handle.includes("@") ? eq(sql`lower(${users.email})`, handle) : eq(sql`split_part(lower(${users.email}), '@', 1)`, handle))
    .limit(2);
  return rows.length === 1 ? rows[0]!.id : null;
}

/** Reads the filters from the query string; an unknown handle or a bad date is a field error, with what was typed kept. */
export async function parseAuditFilters(db: Db | Tx, params: URLSearchParams): Promise<ParsedAuditFilters> {
  const read = (name: string, max: number) => (params.get(name) ?? "").trim().slice(0, max);
  const values: AuditFilterValues = { action: read("action", 60), actor: read("actor", 320), subject: read("subject", 320), from: read("from", 10), to: read("to", 10) };
  const fieldErrors: ParsedAuditFilters["fieldErrors"] = {};
  const filters: AuditFilters = { action: null, actorId: null, subjectId: null, from: null, to: null };
  if (values.action) {
    if (isAuditAction(values.action)) filters.action = values.action;
    else fieldErrors.action = "Choose an action from the list.";
  }
  for (const field of ["actor", "subject"] as const) {
    if (!values[field]) continue;
    const id = await personByHandle(db, values[field]);
    if (id === null)
      fieldErrors[field] = `No one goes by @${values[field].replace(/^@/, "").slice(0, 60)}: use a colleague's handle, the part of their email before the @, or their whole address.`;
    else filters[field === "actor" ? "actorId" : "subjectId"] = id;
  }
  const from = parseDay(values.from);
  const to = parseDay(values.to);
  if (from === undefined) fieldErrors.from = "Give a date as YYYY-MM-DD.";
  else filters.from = from;
  if (to === undefined) fieldErrors.to = "Give a date as YYYY-MM-DD.";
  else filters.to = to;
  if (filters.from && filters.to && filters.to < filters.from) fieldErrors.to = "The end comes before the start.";
  return { values, fieldErrors, filters };
}

function conditions(filters: AuditFilters): SQL[] {
  const where: SQL[] = [];
  if (filters.action) where.push(eq(auditLog.action, filters.action));
  if (filters.actorId !== null) where.push(eq(auditLog.actorId, filters.actorId));
  if (filters.subjectId !== null) where.push(eq(auditLog.subjectUserId, filters.subjectId));
  if (filters.from) where.push(gte(auditLog.at, filters.from));
  if (filters.to) where.push(lt(auditLog.at, new Date(filters.to.getTime() + 86_400_000)));
  return where;
}

// ---- rows ----------------------------------------------------------------------------------

const actorUser = alias(users, "audit_actor");
const subjectUser = alias(users, "audit_subject");

const rowColumns = {
  id: auditLog.id,
  at: auditLog.at,
  via: auditLog.via,
  action: auditLog.action,
  actorId: auditLog.actorId,
  actorName: actorUser.name,
  actorAnonymized: sql<boolean>`${actorUser.anonymizedAt} is not null`,
  subjectUserId: auditLog.subjectUserId,
  subjectName: subjectUser.name,
  subjectAnonymized: sql<boolean>`${subjectUser.anonymizedAt} is not null`,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  details: auditLog.details,
};

type RawRow = {
  id: number;
  at: Date;
  via: string;
  action: string;
  actorId: number | null;
  actorName: string | null;
  actorAnonymized: boolean;
  subjectUserId: number | null;
  subjectName: string | null;
  subjectAnonymized: boolean;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
};

function selectRows(db: Db | Tx) {
  return db.select(rowColumns).from(auditLog).leftJoin(actorUser, eq(actorUser.id, auditLog.actorId)).leftJoin(subjectUser, eq(subjectUser.id, auditLog.subjectUserId));
}

/** A person as the log names them: their name, "former employee" once anonymised; null for no one. */
export type AuditPerson = { id: number | null; name: string; url: string | null };

function personOf(id: number | null, name: string | null, anonymized: boolean, link: boolean): AuditPerson | null {
  if (id === null) return null;
  if (anonymized || name === null) return { id: null, name: "former employee", url: null };
  return { id, name, url: link ? href("/admin/users/:userId", { userId: String(id) }) : null };
}

/** Who acted: a person, or the system, SCIM or an API client when no person did. */
function actorOf(row: RawRow, link: boolean): AuditPerson {
  return personOf(row.actorId, row.actorName, row.actorAnonymized, link) ?? { id: null, name: row.via === "scim" ? "SCIM" : "system", url: null };
}

const TARGET_WORDS: Record<string, string> = {
  question: "Question",
  answer: "Answer",
  comment: "Comment",
  idea: "Idea",
  wiki_page: "Wiki page",
  article: "Article",
  award_round: "Award round",
  kudos: "Kudos",
  space: "Space",
  user: "Person",
  publication: "Publication",
  token: "API token",
  redemption: "Reward redemption",
  scim_group: "SCIM group",
};

/** Keys read first, in this order (jsonb keeps its own order: shorter keys first). */
const DETAIL_ORDER = ["space", "group", "from", "to", "into", "role", "revision", "capacity", "step", "what", "name", "reason"];
const rank = (key: string) => (DETAIL_ORDER.includes(key) ? DETAIL_ORDER.indexOf(key) : DETAIL_ORDER.length);

/** Details as one line of plain text: "from: member; to: moderator". Values are never HTML. */
export function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(", ") : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`)
    .join("; ");
}

export type AuditTarget = { label: string; url: string | null };

/**
 * The targets' names and links, for the rows shown: items through `describeItems` (what the admin
 * may see of them), comments through their item, spaces and people to their admin pages. One
 * query per kind present.
 */
async function resolveTargets(db: Db | Tx, actor: Actor, rows: readonly RawRow[]): Promise<Map<string, AuditTarget>> {
  const found = new Map<string, AuditTarget>();
  const idsOf = (types: readonly string[]) =>
    [...new Set(rows.filter((r) => r.targetType && types.includes(r.targetType)).map((r) => Number(r.targetId)))].filter((id) => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647);
  const itemTypes = ["question", "answer", "idea", "wiki_page", "article", "award_round", "kudos"];
  const commentIds = idsOf(["comment"]);
  const spaceIds = idsOf(["space"]);
  const [commentRows, spaceRows] = await Promise.all([
    commentIds.length ? db.select({ id: comments.id, itemId: comments.itemId }).from(comments).where(inArray(comments.id, commentIds)) : [],
    spaceIds.length ? db.select({ id: spaces.id, name: spaces.name, slug: spaces.slug }).from(spaces).where(inArray(spaces.id, spaceIds)) : [],
  ]);
  const summaries = await describeItems(db, actor, [...idsOf(itemTypes), ...commentRows.map((c) => c.itemId)]);
  for (const type of itemTypes) {
    for (const id of idsOf([type])) {
      const summary = summaries.get(id);
      if (summary) found.set(`${type}:${id}`, { label: `${TARGET_WORDS[type]}: ${summary.title}`, url: summary.url });
    }
  }
  for (const c of commentRows) {
    const summary = summaries.get(c.itemId);
    if (summary) found.set(`comment:${c.id}`, { label: `Comment on ${summary.title}`, url: summary.url });
  }
  for (const s of spaceRows) found.set(`space:${s.id}`, { label: `Space: ${s.name}`, url: href("/admin/spaces/:slug", { slug: s.slug }) });
  for (const r of rows) {
    if (r.targetType === "user" && r.targetId) found.set(`user:${r.targetId}`, { label: `Person #${r.targetId}`, url: href("/admin/users/:userId", { userId: r.targetId }) });
    if (r.targetType === "publication" && r.targetId)
      found.set(`publication:${r.targetId}`, { label: `Publication #${r.targetId}`, url: href("/publications/:publicationId", { publicationId: r.targetId }) });
  }
  return found;
}

function targetOf(row: RawRow, resolved: Map<string, AuditTarget>): AuditTarget | null {
  if (!row.targetType || !row.targetId) return null;
  return resolved.get(`${row.targetType}:${row.targetId}`) ?? { label: `${TARGET_WORDS[row.targetType] ?? row.targetType} #${row.targetId}`, url: null };
}

export type AuditRow = {
  id: number;
  at: string;
  action: string;
  label: string;
  via: string;
  actor: AuditPerson;
  subject: AuditPerson | null;
  target: AuditTarget | null;
  details: string;
};

function labelOf(action: string): string {
  return isAuditAction(action) ? AUDIT_ACTIONS[action] : action;
}

// ---- the admin page ------------------------------------------------------------------------

/** Which page: the newest, the entries older than `before`, or those newer than `after` (ids). */
export type AuditCursor = { before: number | null; after: number | null };

export function parseAuditCursor(params: URLSearchParams): AuditCursor {
  const id = (name: string) => {
    const text = params.get(name) ?? "";
    const n = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  };
  const before = id("before");
  return { before, after: before === null ? id("after") : null };
}

export type AuditPage = { rows: AuditRow[]; newerThan: number | null; olderThan: number | null };

/**
 * One page of 50, newest first, keyset-paginated by id: `olderThan` is the cursor of the Next page
 * (null on the last), `newerThan` that of Previous (null on the first). Admins only.
 */
export async function auditPage(db: Db | Tx, actor: Actor, filters: AuditFilters, cursor: AuditCursor): Promise<AuditPage> {
  assertAdmin(actor);
  const where = conditions(filters);
  const newerFirst = cursor.after === null;
  const page = (await selectRows(db)
    .where(and(...where, cursor.before !== null ? lt(auditLog.id, cursor.before) : undefined, cursor.after !== null ? gt(auditLog.id, cursor.after) : undefined))
    .orderBy(newerFirst ? desc(auditLog.id) : asc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1)) as RawRow[];
  const more = page.length > AUDIT_PAGE_SIZE;
  const rows = page.slice(0, AUDIT_PAGE_SIZE);
  if (!newerFirst) rows.reverse();
  const first = rows[0]?.id;
  const last = rows.at(-1)?.id;
  // The other direction: one look for a single entry beyond the page.
  const beyond = async (condition: SQL) =>
    (
      await db
        .select({ id: auditLog.id })
        .from(auditLog)
        .where(and(...where, condition))
        .limit(1)
    ).length > 0;
  const hasNewer = first === undefined ? false : newerFirst ? cursor.before !== null && (await beyond(gt(auditLog.id, first))) : more;
  const hasOlder = last === undefined ? false : newerFirst ? more : await beyond(lt(auditLog.id, last));
  const resolved = await resolveTargets(db, actor, rows);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      action: r.action,
      label: labelOf(r.action),
      via: r.via,
      actor: actorOf(r, true),
      subject: personOf(r.subjectUserId, r.subjectName, r.subjectAnonymized, true),
      target: targetOf(r, resolved),
      details: detailsText(r.details),
    })),
    newerThan: hasNewer ? first! : null,
    olderThan: hasOlder ? last! : null,
  };
}

// ---- CSV -----------------------------------------------------------------------------------

export const AUDIT_CSV_HEADER = ["id", "when (UTC)", "action", "what", "via", "actor id", "actor", "subject id", "subject", "target type", "target id", "space id", "details", "request id"];

/**
 * The filtered log as CSV lines, newest first, a batch of AUDIT_CSV_BATCH entries at a time (keyset
 * by id), the header first. Each line is RFC 4180 with formula-looking cells prefixed (`csvField`).
 * Names are read per batch, so an anonymised person reads "former employee" here too. Admins only.
 */
export async function* auditCsvLines(db: Db | Tx, actor: Actor, filters: AuditFilters): AsyncGenerator<string> {
  assertAdmin(actor);
  yield "\uFEFF" + AUDIT_CSV_HEADER.map(csvField).join(",") + "\r\n";
  const where = conditions(filters);
  let before: number | null = null;
  for (;;) {
    const batch = (await db
      .select({ ...rowColumns, spaceId: auditLog.spaceId, requestId: auditLog.requestId })
      .from(auditLog)
      .leftJoin(actorUser, eq(actorUser.id, auditLog.actorId))
      .leftJoin(subjectUser, eq(subjectUser.id, auditLog.subjectUserId))
      .where(and(...where, before !== null ? lt(auditLog.id, before) : undefined))
      .orderBy(desc(auditLog.id))
      .limit(AUDIT_CSV_BATCH)) as Array<RawRow & { spaceId: number | null; requestId: string | null }>;
    if (batch.length === 0) return;
    let chunk = "";
    for (const r of batch) {
      const who = actorOf(r, false);
      const subject = personOf(r.subjectUserId, r.subjectName, r.subjectAnonymized, false);
      const cells = [
        r.id,
        r.at.toISOString(),
        r.action,
        labelOf(r.action),
        r.via,
        who.id ?? "",
        who.name,
        subject?.id ?? "",
        subject?.name ?? "",
        r.targetType ?? "",
        r.targetId ?? "",
        r.spaceId ?? "",
        detailsText(r.details),
        // Matches the X-Request-Id of the access log's line for the same request.
        r.requestId ?? "",
      ];
      chunk += cells.map(csvField).join(",") + "\r\n";
    }
    yield chunk;
    if (batch.length < AUDIT_CSV_BATCH) return;
    before = batch.at(-1)!.id;
  }
}

// ---- a person's own entries ----------------------------------------------------------------

/**
 * The newest entries about the person, of the kinds AUDIT_VISIBLE_TO_SUBJECT lists, for their own
 * profile; null for anyone else's (no query is made). A break-glass reveal has no subject (admins
 * read the log and must not learn who asked): the asker finds it through their own anonymous
 * questions, as docs/anonymous-questions.md promises them.
 */
export async function auditAboutMe(db: Db | Tx, viewer: Actor, profileUserId: number): Promise<AuditRow[] | null> {
  if (viewer.id !== profileUserId || viewer.kind !== "employee" || viewer.deactivatedAt) return null;
  const mine = and(eq(auditLog.subjectUserId, viewer.id), inArray(auditLog.action, [...AUDIT_VISIBLE_TO_SUBJECT]));
  const myReveals = and(
    eq(auditLog.action, "anonymous.asker_revealed"),
    eq(auditLog.targetType, "question"),
    inArray(
      auditLog.targetId,
      db
        .select({ id: sql<string>`${posts.itemId}::text` })
        .from(anonymousAskers)
        .innerJoin(posts, eq(posts.id, anonymousAskers.questionId))
        .where(eq(anonymousAskers.userId, viewer.id)),
    ),
  );
  const rows = (await selectRows(db)
    .where(AUDIT_VISIBLE_TO_SUBJECT.includes("anonymous.asker_revealed") ? or(mine, myReveals) : mine)
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_ABOUT_ME_SHOWN)) as RawRow[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    action: r.action,
    label: labelOf(r.action),
    via: r.via,
    actor: actorOf(r, false),
    subject: null,
    target: null,
    details: detailsText(r.details),
  }));
}
