import { slugify } from "#app/features/qa/question-url.ts";
import { env } from "#app/lib/env.server.ts";

/**
 * Addresses on the public forum, for the internal pages' "published as" links. The forum serves a
 * thread at `/t/<id>/<slug>`; the id is the stable part (a republication keeps it), the slug is
 * decoration the forum redirects to when it is wrong.
 */

/** The forum's public address without a trailing slash: FORUM_URL, else http://localhost:<forum port>. */
export function forumBaseUrl(): string {
  const e = env();
  return (e.FORUM_URL ?? `http://localhost:${e.FORUM_PORT ?? 3001}`).replace(/\/+$/, "");
}

export function forumThreadUrl(threadId: number, slug: string): string {
  return `${forumBaseUrl()}/t/${threadId}/${encodeURIComponent(slug)}`;
}

/** A thread's slug from its title: lower-case ascii words joined by "-", at most 80 characters, "thread" when nothing is left. */
export function threadSlug(title: string): string {
  return slugify(title, "thread");
}

/** The internal page of a publication. */
export function publicationUrl(id: number): string {
  return `/publications/${id}`;
}
