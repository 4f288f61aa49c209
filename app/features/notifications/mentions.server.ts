import { type AnyColumn, and, eq, inArray, isNotNull, isNull, or, type SQL, sql } from "drizzle-orm";
import { Lexer, type Token, type Tokens } from "marked";
import type { Db, Tx } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import { type Actor, spaceBySlugForActor, userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { notify } from "#app/features/social/notify.server.ts";

/**
 * @mentions. People have no usernames: a person's handle is the local part of their email
 * (`@ada.lovelace` for ada.lovelace@northwind.example) while exactly one active employee has that
 * local part, and their whole address (`@ada@acme.example`) otherwise; the whole address always
 * works. See this folder's README for the rule and why.
 */

export const MAX_MENTIONS = 20;

function isActiveEmployee(actor: Actor): boolean {
  return actor.kind === "employee" && !actor.deactivatedAt;
}

// A handle: an email local part (letters, digits, . _ % + -), optionally followed by @domain.
// Not preceded by anything that makes the @ part of a word, an address, a path or an escape.
const MENTION = /(?<![\w.%+\-\\@/])@([a-z0-9][a-z0-9._%+-]*(?:@[a-z0-9-]+(?:\.[a-z0-9-]+)+)?)/gi;

/** The text of markdown that readers see as prose: code spans, code blocks, raw HTML and images left out. */
function prose(tokens: Token[]): string {
  let out = "";
  for (const token of tokens) {
    switch (token.type) {
      case "code":
      case "codespan":
      case "html":
      case "image":
      case "def":
        out += " ";
        break;
      case "escape":
        // `\@ada` is how a writer says "not a mention".
        out += token.text === "@" ? "\\@" : (token as Tokens.Escape).text;
        break;
      case "list":
        for (const item of (token as Tokens.List).items) out += `${prose(item.tokens)}\n`;
        break;
      case "table": {
        const table = token as Tokens.Table;
        for (const row of [table.header, ...table.rows]) for (const cell of row) out += ` ${prose(cell.tokens)} `;
        out += "\n";
        break;
      }
      default:
        if ("tokens" in token && Array.isArray(token.tokens)) out += prose(token.tokens);
        else if ("text" in token && typeof token.text === "string") out += token.text;
        if (token.type !== "text" && token.type !== "link" && token.type !== "strong" && token.type !== "em" && token.type !== "del") out += "\n";
    }
  }
  return out;
}

/**
 * The distinct handles mentioned in a markdown text, lower-cased, in order of appearance, at most
 * MAX_MENTIONS. Mentions inside code spans and code blocks do not count.
 */
export function mentionedHandles(text: string): string[] {
  if (!text.includes("@")) return [];
  const handles: string[] = [];
  for (const match of prose(Lexer.lex(text, { gfm: true })).matchAll(MENTION)) {
    let handle = match[1]!.toLowerCase();
    // "Thanks @ada." ends a sentence: trailing punctuation is not part of a local-part-only handle.
    if (!handle.includes("@")) handle = handle.replace(/[._%+-]+$/, "");
    if (handle && !handles.includes(handle)) handles.push(handle);
    if (handles.length === MAX_MENTIONS) break;
  }
  return handles;
}

/** A person's short handle: the part of their address before the @, written as users_handle_lower_idx is. */
function localPartOf(email: AnyColumn | SQL): SQL<string> {
  return sql<string>`split_part(lower(${email}), '@', 1)`;
}
const localPart = localPartOf(users.email);

/**
 * The handle that names a person in a form or a suggestion (see the README): the part of their
 * address before the @, or the whole address when another active employee shares that part.
 */
export function handleOf(person: { id: AnyColumn | SQL; email: AnyColumn | SQL }): SQL<string> {
  const local = localPartOf(person.email);
  return sql<string>`case when exists (
      select 1 from ${users} o
      where split_part(lower(o.email), '@', 1) = ${local} and o.id <> ${person.id}
        and o.kind = 'employee' and o.deactivated_at is null and o.email_verified_at is not null
    ) then lower(${person.email}) else ${local} end`;
}

/**
 * The active employees `text` mentions (see `mentionedHandles`); unknown handles and short handles
 * that fit more than one person are ignored. One query.
 */
export async function mentionedUserIds(tx: Db | Tx, text: string): Promise<number[]> {
  const found = await usersByHandle(tx, mentionedHandles(text));
  return [...new Set(found.values())];
}

/**
 * The active employees these handles name (lower-cased handles, with or without the leading @),
 * as handle → user id. Unknown handles and short handles that fit more than one person are left
 * out. One query.
 */
export async function usersByHandle(tx: Db | Tx, handles: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const wanted = [...new Set(handles.map((h) => h.replace(/^@/, "").toLowerCase()).filter(Boolean))];
  if (wanted.length === 0) return found;
  const full = wanted.filter((h) => h.includes("@"));
  const short = wanted.filter((h) => !h.includes("@"));
  const conditions = [];
  if (full.length > 0) conditions.push(inArray(users.email, full));
  if (short.length > 0) conditions.push(inArray(localPart, short));
  const rows = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    // Pending accounts (address not proven) answer to no handle: anyone could have made them.
    .where(and(eq(users.kind, "employee"), isNull(users.deactivatedAt), isNotNull(users.emailVerifiedAt), or(...conditions)));
  for (const handle of wanted) {
    const matches = handle.includes("@") ? rows.filter((r) => r.email === handle) : rows.filter((r) => r.email.toLowerCase().split("@")[0] === handle);
    if (matches.length === 1) found.set(handle, matches[0]!.id);
  }
  return found;
}

export type MentionInput = {
  actorId: number;
  spaceId: number;
  /** The item whose page the mention is seen on (a question, an idea). */
  itemId: number;
  /** The item written (or commented on) when another one on that page (an answer). */
  subjectItemId?: number | null;
  commentId?: number | null;
  text: string;
  /** On an edit, the text before it: only people it did not already mention are notified. */
  previousText?: string | null;
};

/**
 * Notifies (kind "mention") the people `text` mentions who may see the space (`notify` checks),
 * inside the caller's transaction. Returns the ids of everyone newly mentioned, so the caller can
 * leave them out of its own notification about the same write: one notification per person.
 */
export async function notifyMentions(tx: Tx, input: MentionInput): Promise<Set<number>> {
  const mentioned = await mentionedUserIds(tx, input.text);
  if (mentioned.length === 0) return new Set();
  const before = input.previousText ? new Set(await mentionedUserIds(tx, input.previousText)) : new Set<number>();
  const added = mentioned.filter((id) => id !== input.actorId && !before.has(id));
  await notify(tx, added, {
    kind: "mention",
    actorId: input.actorId,
    spaceId: input.spaceId,
    itemId: input.itemId,
    subjectItemId: input.subjectItemId ?? null,
    commentId: input.commentId ?? null,
  });
  return new Set(added);
}

async function visibleSpace(db: Db | Tx, actor: Actor, slug: string) {
  try {
    return (await spaceBySlugForActor(db, actor, slug)).space;
  } catch (error) {
    // The visibility module answers a hidden or missing space with a NotFoundError.
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

export type MentionCandidate = { id: number; name: string; handle: string; title: string };

export const MENTION_SUGGESTIONS = 8;

/**
 * People to offer after "@" + `query`: active employees whose name (any word of it) or handle
 * starts with the query, best matches first, at most MENTION_SUGGESTIONS. With `spaceSlug`, only
 * people who may see that space (the actor must see it too: otherwise a 404). Each comes with the
 * handle that names them (see the README). A space the actor may not see (or that does not exist)
 * has nobody to offer. One query, or two with a space.
 */
export async function mentionCandidates(db: Db | Tx, actor: Actor, input: { query: string; spaceSlug?: string | null }): Promise<MentionCandidate[]> {
  const query = input.query.trim().toLowerCase().replace(/^@/, "").slice(0, 100);
  if (!query || !isActiveEmployee(actor)) return [];
  const space = input.spaceSlug ? await visibleSpace(db, actor, input.spaceSlug) : null;
  if (input.spaceSlug && !space) return [];
  const like = `${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const local = localPartOf(sql`u.email`);
  const rows = await db.execute<{ id: number; name: string; title: string; handle: string }>(sql`
    select u.id, u.name, u.title, ${handleOf({ id: sql`u.id`, email: sql`u.email` })} as handle
    from users u
    ${space ? sql`join spaces s on s.id = ${space.id}` : sql``}
    where u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null and u.id <> ${actor.id}
      and (lower(u.name) like ${like} or lower(u.name) like ${`% ${like}`} or u.email like ${like})
      ${space ? sql`and ${userSeesSpaceSql}` : sql``}
    order by (${local} = ${query}) desc, (lower(u.name) like ${like}) desc, lower(u.name), u.id
    limit ${MENTION_SUGGESTIONS}`);
  return rows.map((r) => ({ id: r.id, name: r.name, title: r.title, handle: r.handle }));
}
