import { slugify } from "#app/features/qa/question-url.ts";

// Segments that are pages of an article (`/articles/12/edit`), never a slug: an article titled
// "History" gets "history-article".
const RESERVED = new Set(["edit", "history"]);

/** The slug of an article's URL: its title's, kept clear of the article's own pages. */
export function articleSlug(title: string): string {
  const slug = slugify(title, "article");
  return RESERVED.has(slug) ? `${slug}-article` : slug;
}

/** Article URLs: `/articles/12/our-new-expense-policy`; the slug is decoration, a stale one redirects. */
export function articleUrl(article: { id: number; title: string }, anchor?: `comment-${number}`): string {
  const path = `/articles/${article.id}/${articleSlug(article.title)}`;
  return anchor ? `${path}#${anchor}` : path;
}
