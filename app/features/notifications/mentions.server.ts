import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { Lexer, type Token, type Tokens } from "marked";
import type { Db, Tx } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import { notify } from "./notify.server.ts";

/**
 * @mentions. People have no usernames: a person's handle is the local part of their email
 * (`@ada.lovelace` for ada.lovelace@northwind.example) while exactly one active employee has that
 * local part, and their whole address (`@ada@acme.example`) otherwise; the whole address always
 * works. See this folder's README for the rule and why.
 */

export const MAX_MENTIONS = 20;

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

const localPart = sql<string>`split_part(${users.email}, '@', 1)`;

/**
 * The active employees `text` mentions (see `mentionedHandles`); unknown handles and short handles
 * that fit more than one person are ignored. One query.
 */
export async function mentionedUserIds(tx: Db | Tx, text: string): Promise<number[]> {
  const handles = mentionedHandles(text);
  if (handles.length === 0) return [];
  const full = handles.filter((h) => h.includes("@"));
  const short = handles.filter((h) => !h.includes("@"));
  const conditions = [];
  if (full.length > 0) conditions.push(inArray(users.email, full));
  if (short.length > 0) conditions.push(inArray(localPart, short));
  const rows = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.kind, "employee"), isNull(users.deactivatedAt), or(...conditions)));
  const ids: number[] = [];
  for (const handle of handles) {
    const matches = handle.includes("@") ? rows.filter((r) => r.email === handle) : rows.filter((r) => r.email.split("@")[0] === handle);
    if (matches.length === 1 && !ids.includes(matches[0]!.id)) ids.push(matches[0]!.id);
  }
  return ids;
}

export type MentionInput = {
  actorId: number;
  spaceId: number;
  questionId: number;
  /** The post written (or commented on). */
  postId?: number | null;
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
    questionId: input.questionId,
    postId: input.postId ?? null,
    commentId: input.commentId ?? null,
  });
  return new Set(added);
}
