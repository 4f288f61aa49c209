import { useFetcher, useLocation } from "react-router";
import { BellIcon } from "./icons.tsx";

/**
 * A toggle button that follows or unfollows an item (a question, an idea) or a tag. With
 * JavaScript it posts through a fetcher and shows the new state at once (optimistic), rolling
 * back if the request fails; before JavaScript it is a plain form that comes back to this page.
 * `action` is the one follow protocol's route (`/items/12/follow`, `/tags/postgres/follow`).
 */
export function FollowButton({ action, following, label = "Follow", description }: { action: string; following: boolean; label?: string; description?: string }) {
  const fetcher = useFetcher<{ following: boolean }>({ key: `follow:${action}` });
  const location = useLocation();
  const pendingIntent = fetcher.formData?.get("intent");
  const shown = pendingIntent ? pendingIntent === "follow" : (fetcher.data?.following ?? following);
  const nextIntent = shown ? "unfollow" : "follow";

  function submit(event: React.FormEvent<HTMLFormElement>) {
    // With JavaScript: stay on the page. The plain form's redirectTo is for the no-JS round trip.
    event.preventDefault();
    void fetcher.submit({ intent: nextIntent }, { method: "post", action });
  }

  return (
    <form method="post" action={action} onSubmit={submit} className="inline-flex items-center gap-2">
      <input type="hidden" name="intent" value={nextIntent} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button
        type="submit"
        aria-pressed={shown}
        title={description}
        className={`inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-semibold shadow-sm transition-colors ${
          shown ? "border border-brand-600 bg-brand-600 text-white hover:bg-brand-700" : "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50"
        }`}
      >
        <BellIcon className="size-4" />
        {label}
        {shown ? (
          <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2.25} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" className="size-4">
            <path d="m5 12.5 4.5 4.5L19 7.5" />
          </svg>
        ) : null}
      </button>
      <span role="status" className="sr-only">
        {fetcher.state === "idle" && fetcher.data ? (fetcher.data.following ? "Following. New activity will reach your inbox." : "No longer following.") : ""}
      </span>
    </form>
  );
}
