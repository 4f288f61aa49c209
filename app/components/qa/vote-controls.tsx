import { href, useFetcher } from "react-router";
import { useHydrated } from "#app/components/use-hydrated.ts";
import type { action } from "#app/routes/items/vote.tsx";

type Vote = 1 | -1 | 0;
const CHOICE_VALUE = { up: 1, down: -1, none: 0 } as const;

function Arrow({ down = false }: { down?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" className={`size-7 ${down ? "rotate-180" : ""}`} fill="currentColor" aria-hidden="true">
      <path d="M12 5.5 20 16H4z" />
    </svg>
  );
}

/**
 * Up and down vote buttons with the score between them. A fetcher posts the vote and the score
 * moves at once (optimistic); if the server refuses (own post, no downvote privilege), the score
 * goes back and the reason shows under it. Without JavaScript the buttons post a plain form.
 * Pressing a pressed button retracts the vote.
 */
export function VoteControls({
  itemId,
  type,
  score,
  myVote,
  disabledReason,
}: {
  /** The post's item: votes go to `/items/:itemId/vote`, the social layer's one vote protocol. */
  itemId: number;
  /** What the labels call it ("Vote up (this article is useful)"). */
  type: "question" | "answer" | "article";
  score: number;
  myVote: Vote;
  /** Set when the viewer may not vote here (their own post): the buttons are disabled and this says why. */
  disabledReason?: string | null;
}) {
  const fetcher = useFetcher<typeof action>();
  const hydrated = useHydrated();
  const pending = fetcher.formData?.get("value");
  const refused = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  let shownVote = myVote;
  let shownScore = score;
  if (typeof pending === "string" && pending in CHOICE_VALUE) {
    shownVote = CHOICE_VALUE[pending as keyof typeof CHOICE_VALUE];
    shownScore = score - myVote + shownVote;
  }
  const button = (direction: "up" | "down") => {
    const value = direction === "up" ? 1 : -1;
    const pressed = shownVote === value;
    const label = direction === "up" ? `Vote up (this ${type} is useful)` : `Vote down (this ${type} is not useful)`;
    return (
      <button
        type="submit"
        name="value"
        value={pressed ? "none" : direction}
        aria-pressed={pressed}
        aria-label={label}
        title={disabledReason ?? (pressed ? `${label}: press again to take your vote back` : label)}
        disabled={Boolean(disabledReason)}
        className={`rounded-full p-1 transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-40 ${
          pressed ? (direction === "up" ? "bg-brand-50 text-brand-700" : "bg-red-50 text-red-700") : "text-slate-500 hover:bg-slate-100 hover:text-slate-800"
        }`}
      >
        <Arrow down={direction === "down"} />
      </button>
    );
  };
  return (
    <fetcher.Form method="post" action={href("/items/:itemId/vote", { itemId: String(itemId) })} className="flex flex-col items-center gap-0.5">
      {hydrated ? <input type="hidden" name="_fetcher" value="1" /> : null}
      {button("up")}
      <p aria-live="polite" className="flex flex-col items-center text-slate-800">
        <span className="text-xl font-semibold tabular-nums">{shownScore}</span>
        <span className="text-xs text-slate-500">{Math.abs(shownScore) === 1 ? "vote" : "votes"}</span>
        {refused ? (
          <span role="alert" className="mt-1 w-28 text-center text-xs text-red-700">
            {refused}
          </span>
        ) : null}
      </p>
      {button("down")}
      {disabledReason ? <span className="sr-only">{disabledReason}</span> : null}
    </fetcher.Form>
  );
}
