import { href, useFetcher } from "react-router";
import { useHydrated } from "#app/components/use-hydrated.ts";
import { CheckCircleIcon } from "#app/components/icons.tsx";

/**
 * The asker's (or a moderator's) button to accept an answer, or take the accept back. A fetcher
 * posts it and the page revalidates (the accepted answer moves to the top); without JavaScript
 * the form posts and the browser comes back to the answer.
 */
export function AcceptButton({ answerId, accepted }: { answerId: number; accepted: boolean }) {
  const fetcher = useFetcher();
  const hydrated = useHydrated();
  const pendingIntent = fetcher.formData?.get("intent");
  const shownAccepted = pendingIntent ? pendingIntent === "accept" : accepted;
  return (
    <fetcher.Form method="post" action={href("/posts/:postId/accept", { postId: String(answerId) })} preventScrollReset className="inline">
      {hydrated ? <input type="hidden" name="_fetcher" value="1" /> : null}
      <button
        type="submit"
        name="intent"
        value={shownAccepted ? "unaccept" : "accept"}
        aria-pressed={shownAccepted}
        className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${
          shownAccepted ? "bg-emerald-50 text-emerald-800 hover:bg-emerald-100" : "text-slate-600 hover:bg-slate-100 hover:text-emerald-800"
        }`}
      >
        <CheckCircleIcon className="size-4" />
        {shownAccepted ? "Accepted (undo)" : "Accept this answer"}
      </button>
    </fetcher.Form>
  );
}
