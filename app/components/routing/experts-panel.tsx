import { Suspense } from "react";
import { Await, Link, href, useFetcher } from "react-router";
import type { QuestionExpert } from "#app/features/routing/suggestions.server.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { buttonClass } from "#app/components/button.tsx";
import { CheckIcon } from "#app/components/icons.tsx";
import { useHydrated } from "#app/components/use-hydrated.ts";

/**
 * "People who could answer" on a question page: up to three experts, each with their evidence in
 * one line and "Ask this person". The list comes streamed (the loader does not wait for it), so
 * the page shows a quiet line until it arrives, and nothing of it when it fails.
 */
export function ExpertsPanel({ questionId, experts }: { questionId: number; experts: Promise<QuestionExpert[] | null> | null }) {
  if (!experts) return null;
  return (
    <section id="experts" aria-labelledby="experts-heading" className="mt-6 rounded-xl border border-slate-200 bg-white px-5 py-4 shadow-sm shadow-slate-900/[0.03]">
      <h2 id="experts-heading" className="text-base font-semibold text-slate-900">
        People who could answer
      </h2>
      <Suspense fallback={<p className="mt-1 text-sm text-slate-500">Looking for colleagues who know this topic…</p>}>
        <Await resolve={experts} errorElement={<p className="mt-1 text-sm text-slate-500">Suggestions are unavailable right now.</p>}>
          {(list) =>
            list && list.length > 0 ? (
              <ul className="mt-2 divide-y divide-slate-100">
                {list.map((expert) => (
                  <li key={expert.id} className="flex flex-wrap items-start gap-3 py-3">
                    <Avatar name={expert.name} size="sm" className="mt-0.5" />
                    <div className="min-w-0 flex-1">
                      <Link to={href("/people/:userId", { userId: String(expert.id) })} className="text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline">
                        {expert.name}
                      </Link>
                      {expert.title || expert.department ? <p className="text-xs text-slate-500">{[expert.title, expert.department].filter(Boolean).join(" · ")}</p> : null}
                      <p className="mt-1 text-sm text-slate-700">{expert.why}</p>
                    </div>
                    <AskButton questionId={questionId} expert={expert} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-1 text-sm text-slate-500">No one stands out for this question yet. Tags help the right people find it.</p>
            )
          }
        </Await>
      </Suspense>
    </section>
  );
}

type AskReply = { ok: true; created: boolean; name: string } | { ok: false; message: string };

/** A plain form (a fetcher once JavaScript runs) that sends the question to one expert. */
function AskButton({ questionId, expert }: { questionId: number; expert: QuestionExpert }) {
  // Keyed, so the answer outlives the list's re-render when the page revalidates.
  const fetcher = useFetcher<AskReply>({ key: `ask-${questionId}-${expert.id}` });
  const hydrated = useHydrated();
  const reply = fetcher.data;
  if (expert.askedByYou || reply?.ok) {
    return (
      <p role={reply?.ok ? "status" : undefined} className="inline-flex items-center gap-1 text-sm font-medium text-emerald-800">
        <CheckIcon className="size-4" />
        Asked<span className="sr-only"> {expert.name}</span>
      </p>
    );
  }
  return (
    <fetcher.Form method="post" action={href("/questions/:questionId/experts/ask", { questionId: String(questionId) })} preventScrollReset className="flex flex-col items-end gap-1">
      {hydrated ? <input type="hidden" name="_fetcher" value="1" /> : null}
      <input type="hidden" name="userId" value={expert.id} />
      {/* The name in the button's name: three "Ask this person" buttons would sound alike. */}
      <button type="submit" name="intent" value="ask" aria-label={`Ask this person: ${expert.name}`} disabled={fetcher.state !== "idle"} className={buttonClass("secondary", "sm")}>
        Ask this person
      </button>
      {reply && !reply.ok ? (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {reply.message}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
