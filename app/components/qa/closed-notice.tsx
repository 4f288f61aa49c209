import { Link, href } from "react-router";
import type { DuplicateLinks } from "#app/features/qa/close.server.ts";
import { closeReasonLabel } from "#app/features/qa/close-schema.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { LockIcon } from "#app/components/icons.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

/**
 * The notice at the top of a closed question: why (and, for a duplicate, the original when the
 * reader may see it), who closed it and when, the closer's note, and a way to reopen it for
 * those allowed. Everything here is text; the note is never HTML.
 */
export function ClosedNotice({ questionId, closure, now }: { questionId: number; closure: Pick<DuplicateLinks, "closed" | "original" | "originalHidden" | "canClose">; now: number }) {
  const { closed, original, originalHidden, canClose } = closure;
  if (!closed) return null;
  return (
    <section aria-labelledby="closed-notice-heading" className="mb-6 flex items-start gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <LockIcon className="mt-0.5 shrink-0 text-amber-700" />
      <div className="min-w-0 flex-1">
        <h2 id="closed-notice-heading" className="font-semibold">
          {closed.reason === "duplicate" ? (
            original ? (
              <>
                Closed as a duplicate of{" "}
                <Link to={questionUrl(original)} className="text-brand-800 underline hover:text-brand-900">
                  {original.title}
                </Link>
              </>
            ) : (
              <>Closed as a duplicate{originalHidden ? " of a question you cannot see" : ""}</>
            )
          ) : (
            <>Closed: {closeReasonLabel(closed.reason)}</>
          )}
        </h2>
        <p className="mt-0.5 text-amber-900">
          {closed.by ? (
            <>
              by{" "}
              <Link to={href("/people/:userId", { userId: String(closed.by.id) })} className="font-medium underline">
                {closed.by.name}
              </Link>{" "}
            </>
          ) : null}
          <RelativeTime date={closed.at} now={now} />. It takes no new answers.
        </p>
        {closed.note ? <p className="mt-2 whitespace-pre-line text-amber-950">“{closed.note}”</p> : null}
      </div>
      {canClose ? (
        <Link
          to={href("/questions/:questionId/close", { questionId: String(questionId) })}
          className="shrink-0 rounded-md px-2 py-1 text-sm font-semibold text-amber-900 underline hover:bg-amber-100"
        >
          Reopen<span className="sr-only"> this question</span>
        </Link>
      ) : null}
    </section>
  );
}

/** Where the answer form would be on a closed question. */
export function ClosedAnswersNote() {
  return (
    <p role="note" className="mt-8 flex items-center gap-2 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <LockIcon className="text-amber-700" />
      This question is closed, so it takes no new answers.
    </p>
  );
}
