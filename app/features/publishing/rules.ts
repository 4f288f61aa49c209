/**
 * The publishing workflow's limits and the way a generic author is named, shared by the server
 * and the draft page's forms and preview (nothing here touches the server).
 */

export const TITLE_MIN = 10;
export const TITLE_MAX = 200;
export const BODY_MAX = 30_000;
/** An accepted flag's written reason. */
export const REASON_MIN = 5;
export const REASON_MAX = 500;
/** Why a thread is unpublished: required, for the timeline. */
export const UNPUBLISH_REASON_MAX = 500;
export const GENERIC_LABEL_MAX = 40;
/** Letters, spaces and hyphens: "engineer", "support specialist", "back-end developer". */
export const GENERIC_LABEL_PATTERN = /^[\p{L}][\p{L} -]*$/u;
export const DEFAULT_GENERIC_LABEL = "employee";

/**
 * How an author who chose not to be named appears: "A Northwind engineer". The article goes
 * with the word right after it, the company's name ("An Initech engineer").
 */
export function genericAuthorName(company: string, label: string): string {
  const article = /^[aeiou]/i.test(company) ? "An" : "A";
  return `${article} ${company} ${label || DEFAULT_GENERIC_LABEL}`;
}

/**
 * The form field names of a part in the draft's editor, and the keys of its field errors:
 * `part-12-body` and `part-12-included`.
 */
export function partBodyField(partId: number): string {
  return `part-${partId}-body`;
}

export function partIncludedField(partId: number): string {
  return `part-${partId}-included`;
}
