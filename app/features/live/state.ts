/**
 * What a live session's readers see change: its status and its questions with their answers. The
 * same shape goes into the page's loader data and into every Server-Sent Event of the app's stream
 * (`/sessions/:id/events`), so the question list renders the same way at load and live. Everything
 * in it is the same for every reader; what a reader may do is decided by the page's loader.
 */

/** Past sessions a page of the list shows. */
export const PAST_PAGE_SIZE = 20;

export type LiveStatus = "scheduled" | "live" | "ended" | "cancelled";

export interface LiveQuestionView {
  id: number;
  authorName: string;
  /** Sanitized HTML from the one markdown module. */
  bodyHtml: string;
  votes: number;
  answerHtml: string | null;
  answeredByName: string | null;
  answeredByTitle: string | null;
  /** ISO strings: the state travels as JSON. */
  answeredAt: string | null;
  createdAt: string;
}

export interface LiveState {
  status: LiveStatus;
  questions: LiveQuestionView[];
}

export const STATUS_LABELS: Record<LiveStatus, string> = {
  scheduled: "Upcoming",
  live: "Live now",
  ended: "Ended",
  cancelled: "Cancelled",
};

/** Questions and votes are taken before and during a session; answers too (experts may prepare). */
export function isOpen(status: LiveStatus): boolean {
  return status === "scheduled" || status === "live";
}

/**
 * The answers in `next` that `previous` did not have yet, oldest first: what the live region
 * announces ("New answer from Sofia Martins").
 */
export function newAnswers(previous: LiveState, next: LiveState): LiveQuestionView[] {
  const answered = new Set(previous.questions.filter((q) => q.answerHtml !== null).map((q) => q.id));
  return next.questions.filter((q) => q.answerHtml !== null && !answered.has(q.id)).sort((a, b) => (a.answeredAt ?? "").localeCompare(b.answeredAt ?? ""));
}
