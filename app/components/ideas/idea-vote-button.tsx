import { href, useFetcher, useLocation } from "react-router";
import type { VoteReply } from "#app/features/social/vote-schema.ts";
import { useHydrated } from "#app/components/use-hydrated.ts";

/**
 * The vote toggle of an idea, with its count. A fetcher posts `value=up|none` to the item's vote
 * route (ideas take support votes: up, or none to take it back) and the count moves at once
 * (optimistic); when the server refuses (budget spent, campaign closed, own idea) the count goes
 * back and the reason shows beside it. Without JavaScript it is a plain form that comes back to
 * this page.
 */
export function IdeaVoteButton({
  itemId,
  voted,
  voteCount,
  disabledReason,
  size = "md",
}: {
  /** The idea's item in the social layer. */
  itemId: number;
  voted: boolean;
  voteCount: number;
  /** Set when voting is not possible here (closed campaign, own idea...): the button is disabled and this says why. */
  disabledReason?: string | null;
  size?: "sm" | "md";
}) {
  const fetcher = useFetcher<VoteReply>({ key: `idea-vote:${itemId}` });
  const hydrated = useHydrated();
  const location = useLocation();
  const pending = fetcher.formData?.get("value");
  const refused = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  let shownVoted = voted;
  let shownCount = voteCount;
  if (pending === "up" || pending === "none") {
    shownVoted = pending === "up";
    shownCount = voteCount - (voted ? 1 : 0) + (shownVoted ? 1 : 0);
  }
  const label = shownVoted ? "Voted" : "Vote";
  return (
    <fetcher.Form method="post" action={href("/items/:itemId/vote", { itemId: String(itemId) })} className="flex flex-col items-center gap-1">
      {hydrated ? <input type="hidden" name="_fetcher" value="1" /> : null}
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button
        type="submit"
        name="value"
        value={shownVoted ? "none" : "up"}
        aria-pressed={shownVoted}
        disabled={Boolean(disabledReason)}
        title={disabledReason ?? (shownVoted ? "Press again to take your vote back" : "Vote for this idea")}
        className={`flex flex-col items-center rounded-lg border font-semibold transition-colors disabled:cursor-not-allowed disabled:opacity-60 ${
          size === "sm" ? "w-16 px-2 py-1.5" : "w-20 px-3 py-2"
        } ${shownVoted ? "border-brand-600 bg-brand-600 text-white hover:bg-brand-700" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50"}`}
      >
        <span className={`${size === "sm" ? "text-lg" : "text-2xl"} tabular-nums`} aria-live="polite">
          {shownCount}
        </span>
        <span className="text-xs font-medium">
          {label}
          <span className="sr-only">{shownVoted ? " (press to take your vote back)" : " for this idea"}</span>
        </span>
      </button>
      {refused ? (
        <span role="alert" className="w-40 text-center text-xs text-red-700">
          {refused}
        </span>
      ) : disabledReason ? (
        <span className="sr-only">{disabledReason}</span>
      ) : null}
    </fetcher.Form>
  );
}
