import { useEffect, useId, useState } from "react";
import { href } from "react-router";
import type { SimilarIdea } from "#app/features/search/search-params.ts";
import { plural } from "#app/lib/plural.ts";
import { IdeaStatusBadge } from "#app/components/search/result-list.tsx";

const DEBOUNCE_MS = 300;
const MIN_LENGTH = 3;

const normalizeTitle = (value: string) => value.replace(/\s+/g, " ").trim();

type Lookup = { state: "idle" } | { state: "ok"; ideas: SimilarIdea[] } | { state: "unavailable" };

/**
 * The ideas of this campaign that look like the title being typed, under the submission form's
 * title field, so a duplicate can become a vote instead. A pause in typing (300 ms, at least 3
 * characters) asks `GET /api/similar-ideas`; a newer title aborts the request in flight, so an
 * older answer never replaces a newer one. Only rendered once hydrated (the form works without
 * it). When search is down it says so quietly; submitting never waits for it.
 */
export function SimilarIdeas({ campaignId, title }: { campaignId: number; title: string }) {
  const headingId = useId();
  const [lookup, setLookup] = useState<Lookup>({ state: "idle" });
  const q = normalizeTitle(title);

  useEffect(() => {
    // A title too short to search hides the list (below) without asking anything.
    if (q.length < MIN_LENGTH) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      void (async () => {
        try {
          const response = await fetch(`${href("/api/similar-ideas")}?${new URLSearchParams({ campaign: String(campaignId), q })}`, {
            signal: controller.signal,
            headers: { accept: "application/json" },
          });
          // Signed out meanwhile, or the campaign is gone: nothing to suggest, and nothing is wrong with the form.
          if (response.status === 401 || response.status === 404) return setLookup({ state: "idle" });
          const body = (await response.json()) as { status?: string; ideas?: SimilarIdea[] };
          setLookup(response.ok && body.status === "ok" && Array.isArray(body.ideas) ? { state: "ok", ideas: body.ideas.slice(0, 5) } : { state: "unavailable" });
        } catch (failure) {
          if (controller.signal.aborted) return;
          // An extra, never in the way: the note says it is missing, the form works as ever.
          setLookup({ state: "unavailable" });
          if (import.meta.env.DEV) console.warn("similar ideas unavailable", failure);
        }
      })();
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [campaignId, q]);

  // Until a new answer arrives, the last one stays: the list does not flicker at every keystroke.
  const shown: Lookup = q.length < MIN_LENGTH ? { state: "idle" } : lookup;
  const ideas = shown.state === "ok" ? shown.ideas : [];
  return (
    <>
      {/* Always in the page, so screen readers hear it change. */}
      <div role="status" aria-live="polite">
        {shown.state === "unavailable" ? (
          <p className="mt-2 text-xs text-slate-500">Similar ideas are unavailable right now.</p>
        ) : ideas.length > 0 ? (
          <span className="sr-only">{plural(ideas.length, "similar idea", "similar ideas")} already in this campaign</span>
        ) : null}
      </div>
      {ideas.length > 0 ? (
        <section aria-labelledby={headingId} className="mt-3 rounded-lg border border-amber-200 bg-amber-50/60 px-4 py-3">
          <h2 id={headingId} className="text-sm font-semibold text-slate-900">
            Similar ideas already in this campaign
          </h2>
          <p className="mt-0.5 text-xs text-slate-600">If one of them is your idea, vote for it or add to it in a comment instead of submitting it again.</p>
          <ul className="mt-2 divide-y divide-amber-100">
            {ideas.map((idea) => (
              <li key={idea.id} className="py-2">
                <a href={idea.url} className="text-sm font-medium break-words text-brand-700 hover:underline">
                  {idea.title}
                </a>
                <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
                  <IdeaStatusBadge status={idea.status} />
                  <span>{plural(idea.voteCount, "vote", "votes")}</span>
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
