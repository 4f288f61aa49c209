import { href } from "react-router";
import { slugify } from "#app/features/qa/question-url.ts";

/**
 * Wiki page URLs: `/wiki/42/onboarding-guide`. The id finds the page, so renaming or moving it
 * never breaks a link; a stale slug redirects to the current one.
 */

/**
 * Segments that are screens of a page (`/wiki/42/history`), never a slug: a page titled
 * "History" would otherwise open its own history. The governance screens' names are here too.
 */
const RESERVED = new Set(["edit", "history", "move", "suggest", "suggestions", "owners", "verify", "promote", "templates"]);

export function pageSlug(title: string): string {
  const slug = slugify(title, "page");
  return RESERVED.has(slug) ? `${slug}-page` : slug;
}

/** The canonical URL of a page, optionally at a heading or comment on it. */
export function wikiPageUrl(page: { id: number; slug: string }, anchor?: string): string {
  const path = href("/wiki/:pageId/:slug?", { pageId: String(page.id), slug: page.slug });
  return anchor ? `${path}#${anchor}` : path;
}

/** A space's wiki: its page tree and recent changes. */
export function spaceWikiUrl(space: { slug: string }): string {
  return href("/spaces/:slug/wiki", { slug: encodeURIComponent(space.slug) });
}

/** The form that writes a new page in a space's wiki, prefilled with a title or a parent. */
export function newPageUrl(space: { slug: string }, prefill: { title?: string; parentId?: number; templateId?: number } = {}): string {
  const params = new URLSearchParams();
  if (prefill.title) params.set("title", prefill.title);
  if (prefill.parentId) params.set("parent", String(prefill.parentId));
  if (prefill.templateId) params.set("template", String(prefill.templateId));
  const query = params.toString();
  return `${href("/spaces/:slug/wiki/new", { slug: encodeURIComponent(space.slug) })}${query ? `?${query}` : ""}`;
}
