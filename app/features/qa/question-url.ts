import { href } from "react-router";

/**
 * Question URLs: `/questions/42/how-do-we-restore-a-backup`. The slug is decoration for people
 * and search engines; the id alone finds the question, and a stale slug redirects to the current one.
 */

const SLUG_MAX = 80;
/** Segments that are actions on a question (`/questions/42/close`; "follow" was one, and stays so existing URLs keep their slug), never a slug. */
const RESERVED = new Set(["close", "follow"]);

/** "How do I restore a Postgres backup?" → "how-do-i-restore-a-postgres-backup"; `noun` names an untitled thing ("question", "page"). */
export function slugify(title: string, noun = "question"): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const cut = slug.length > SLUG_MAX ? slug.slice(0, SLUG_MAX).replace(/-[^-]*$/, "") : slug;
  if (!cut) return noun;
  return RESERVED.has(cut) ? `${cut}-${noun}` : cut;
}

/** The canonical URL of a question, optionally pointing at an answer or comment on its page. */
export function questionUrl(question: { id: number; title: string | null }, anchor?: `answer-${number}` | `comment-${number}`): string {
  const path = href("/questions/:questionId/:slug?", { questionId: String(question.id), slug: slugify(question.title ?? "") });
  return anchor ? `${path}#${anchor}` : path;
}

/** What a flag, close or reopen form can say on the question page it returns to (see ModerationNotice). */
export type ModerationNoticeKey = "flagged" | "closed" | "reopened";

/** `url` with `?notice=<key>` added, keeping its `#anchor`. */
export function withNotice(url: string, key: ModerationNoticeKey): string {
  const [path, anchor] = url.split("#");
  const separator = path!.includes("?") ? "&" : "?";
  return `${path}${separator}notice=${key}${anchor ? `#${anchor}` : ""}`;
}
