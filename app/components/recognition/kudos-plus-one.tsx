import { href, useFetcher, useLocation } from "react-router";
import type { VoteReply } from "#app/features/social/vote-schema.ts";
import { useHydrated } from "#app/components/use-hydrated.ts";

/**
 * "+1" on a kudos, with its count: the social layer's vote protocol (`value=up|none` to the
 * kudos's item), as ideas' vote button does it. With JavaScript a fetcher moves the count at once
 * and shows the reason when the server refuses; without it, a plain form that comes back here.
 */
export function KudosPlusOne({ itemId, plusOned, count, disabledReason }: { itemId: number; plusOned: boolean; count: number; disabledReason?: string | null }) {
  const fetcher = useFetcher<VoteReply>({ key: `kudos-plus-one:${itemId}` });
  const hydrated = useHydrated();
  const location = useLocation();
  const pending = fetcher.formData?.get("value");
  const refused = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  let shownOn = plusOned;
  let shownCount = count;
  if (pending === "up" || pending === "none") {
    shownOn = pending === "up";
    shownCount = count - (plusOned ? 1 : 0) + (shownOn ? 1 : 0);
  }
  return (
    <fetcher.Form method="post" action={href("/items/:itemId/vote", { itemId: String(itemId) })} className="inline-flex items-center gap-2">
      {hydrated ? <input type="hidden" name="_fetcher" value="1" /> : null}
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button
        type="submit"
        name="value"
        value={shownOn ? "none" : "up"}
        aria-pressed={shownOn}
        disabled={Boolean(disabledReason)}
        title={disabledReason ?? (shownOn ? "Press again to take your +1 back" : "Add your +1 to this kudos")}
        className={`inline-flex items-center gap-2 rounded-md border px-3 py-1.5 text-sm font-semibold disabled:cursor-not-allowed disabled:opacity-60 ${
          shownOn ? "border-brand-600 bg-brand-600 text-white hover:bg-brand-700" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50"
        }`}
      >
        +1
        <span className="tabular-nums" aria-live="polite">
          {shownCount}
        </span>
        <span className="sr-only">{shownOn ? " (you added yours; press to take it back)" : " people agree"}</span>
      </button>
      {refused ? (
        <span role="alert" className="text-xs text-red-700">
          {refused}
        </span>
      ) : disabledReason ? (
        <span className="text-xs text-slate-500">{disabledReason}</span>
      ) : null}
    </fetcher.Form>
  );
}
