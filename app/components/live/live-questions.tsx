import { useEffect, useRef, useState } from "react";
import { Form } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { textControlClass } from "#app/components/form.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { type LiveQuestionView, type LiveState, newAnswers, STATUS_LABELS } from "#app/features/live/state.ts";

/** A failed answer or question form, to show beside the field it belongs to. */
export type LiveFormFailure = { intent: string; questionId?: string; fieldErrors: Partial<Record<string, string>>; values: Record<string, string> } | null;

const STATUS_TONES = { scheduled: "brand", live: "green", ended: "neutral", cancelled: "amber" } as const;

export function LiveStatusBadge({ status }: { status: LiveState["status"] }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}

/**
 * A session's questions, kept current while the page is open: an `EventSource` on the session's
 * events stream receives the whole state as JSON on every change, and the list re-renders from it
 * (React escapes the text; the HTML bodies were sanitized by the markdown module when written).
 * Without JavaScript the page shows the state at load and its forms still work. A polite live
 * region says when an answer arrives.
 */
export function LiveQuestions({
  sessionId,
  initial,
  now,
  myVotes,
  can,
  failed,
}: {
  sessionId: number;
  initial: LiveState;
  now: string;
  myVotes: number[];
  can: { vote: boolean; answer: boolean; moderate: boolean };
  failed: LiveFormFailure;
}) {
  // What the stream sent last, for the page data it arrived on: a form the reader sent reloads
  // the page's data, which is then the freshest state until the next event.
  const [live, setLive] = useState<{ base: LiveState; state: LiveState } | null>(null);
  const state = live && live.base === initial ? live.state : initial;
  const [announcement, setAnnouncement] = useState("");
  const shown = useRef({ initial, state });
  useEffect(() => {
    shown.current = { initial, state };
  });

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource(`/sessions/${sessionId}/events`);
    source.addEventListener("update", (event) => {
      let next: LiveState;
      try {
        next = JSON.parse((event as MessageEvent<string>).data) as LiveState;
      } catch {
        return;
      }
      const arrived = newAnswers(shown.current.state, next);
      shown.current = { initial: shown.current.initial, state: next };
      setLive({ base: shown.current.initial, state: next });
      if (arrived.length > 0) setAnnouncement(arrived.map((q) => `New answer from ${q.answeredByName ?? "an expert"}`).join(". "));
    });
    // A session that no longer exists: stop asking (the browser would reconnect for ever).
    source.addEventListener("gone", () => source.close());
    return () => source.close();
  }, [sessionId]);

  const voted = new Set(myVotes);
  return (
    <section aria-labelledby="live-questions-title" className="mt-8">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="live-questions-title" className="text-lg font-semibold text-slate-900">
          Questions <span className="text-slate-500">({state.questions.length})</span>
        </h2>
        <p className="text-sm text-slate-600">
          <span className="sr-only">Session status: </span>
          <LiveStatusBadge status={state.status} />
        </p>
      </div>
      <p role="status" aria-live="polite" className="sr-only" data-testid="live-announcement">
        {announcement}
      </p>
      {state.questions.length === 0 ? (
        <div className="mt-4">
          <EmptyState title="No questions yet">Questions appear here as people ask them, most votes first.</EmptyState>
        </div>
      ) : (
        <ol className="mt-4 space-y-4" id="live-question-list">
          {state.questions.map((q) => (
            <QuestionItem key={q.id} question={q} now={now} voted={voted.has(q.id)} can={can} open={state.status === "scheduled" || state.status === "live"} failed={failed} />
          ))}
        </ol>
      )}
    </section>
  );
}

function QuestionItem({
  question: q,
  now,
  voted,
  can,
  open,
  failed,
}: {
  question: LiveQuestionView;
  now: string;
  voted: boolean;
  can: { vote: boolean; answer: boolean; moderate: boolean };
  open: boolean;
  failed: LiveFormFailure;
}) {
  const answerFailed = failed?.intent === "answer" && failed.questionId === String(q.id) ? failed : null;
  return (
    <li id={`question-${q.id}`} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex gap-4">
        <div className="flex w-16 shrink-0 flex-col items-center text-center">
          <span className="text-lg font-semibold text-slate-900">{q.votes}</span>
          <span className="text-xs text-slate-600">{q.votes === 1 ? "vote" : "votes"}</span>
          {can.vote && open ? (
            <Form method="post" className="mt-2">
              <input type="hidden" name="intent" value="vote" />
              <input type="hidden" name="questionId" value={q.id} />
              <button
                type="submit"
                aria-pressed={voted}
                className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 aria-pressed:border-brand-600 aria-pressed:bg-brand-50 aria-pressed:text-brand-800"
              >
                {voted ? "Voted" : "Vote"}
                <span className="sr-only"> for the question from {q.authorName}</span>
              </button>
            </Form>
          ) : null}
        </div>
        <div className="min-w-0 flex-1">
          <p className="text-sm text-slate-600">
            <span className="font-medium text-slate-900">{q.authorName}</span> asked <RelativeTime date={q.createdAt} now={now} />
          </p>
          <div className="prose prose-slate mt-2 max-w-none text-sm" dangerouslySetInnerHTML={{ __html: q.bodyHtml }} />
          {q.answerHtml !== null ? (
            <div className="mt-4 rounded-lg border-l-4 border-brand-500 bg-brand-50/40 px-4 py-3">
              <p className="text-sm text-slate-700">
                <span className="font-medium text-slate-900">{q.answeredByName}</span>
                {q.answeredByTitle ? <span className="text-slate-600"> · {q.answeredByTitle}</span> : null} answered
              </p>
              <div className="prose prose-slate mt-2 max-w-none text-sm" dangerouslySetInnerHTML={{ __html: q.answerHtml }} />
            </div>
          ) : null}
          {can.answer && open ? (
            <details className="mt-4" open={answerFailed !== null}>
              <summary className="cursor-pointer text-sm font-medium text-brand-700">{q.answerHtml === null ? "Answer this question" : "Change your answer"}</summary>
              <Form method="post" className="mt-2" noValidate>
                <input type="hidden" name="intent" value="answer" />
                <input type="hidden" name="questionId" value={q.id} />
                <label htmlFor={`answer-${q.id}`} className="block text-sm font-medium text-slate-800">
                  Your answer to {q.authorName}
                </label>
                <textarea
                  id={`answer-${q.id}`}
                  name="body"
                  rows={5}
                  defaultValue={answerFailed?.values.body ?? ""}
                  aria-invalid={answerFailed?.fieldErrors.body ? true : undefined}
                  aria-describedby={answerFailed?.fieldErrors.body ? `answer-${q.id}-error` : undefined}
                  className={textControlClass(answerFailed?.fieldErrors.body)}
                />
                {answerFailed?.fieldErrors.body ? (
                  <p id={`answer-${q.id}-error`} className="mt-1 text-sm text-red-700">
                    {answerFailed.fieldErrors.body}
                  </p>
                ) : null}
                <button type="submit" className="mt-2 rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700">
                  Post the answer
                </button>
              </Form>
            </details>
          ) : null}
          {can.moderate && open ? (
            <Form method="post" className="mt-3">
              <input type="hidden" name="intent" value="hide" />
              <input type="hidden" name="questionId" value={q.id} />
              <button type="submit" className="text-xs font-medium text-red-700 hover:underline">
                Hide this question<span className="sr-only"> from {q.authorName}</span>
              </button>
            </Form>
          ) : null}
        </div>
      </div>
    </li>
  );
}
