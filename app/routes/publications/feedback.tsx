import { Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/feedback";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { forumFeedbackQueue, hideForumComment, markFeedbackReviewed } from "#app/features/publishing/publishing.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { buttonClass } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { CheckCircleIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { FeedbackThreadCard } from "#app/components/publishing/feedback-thread.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Customer feedback · Publishing · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const cursor = new URL(request.url).searchParams.get("cursor");
  const queue = await forumFeedbackQueue(context.db, actor, { cursor });
  return { ...queue, paged: Boolean(cursor), now: Date.now() };
}

/** intent=reviewed (a thread's news is seen) or intent=hide (a customer's comment leaves the forum). */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  const threadId = idParam(form.get("threadId"));
  let result;
  if (intent === "reviewed") result = await attempt({}, () => markFeedbackReviewed(context.db, actor, threadId));
  else if (intent === "hide") result = await attempt({}, () => hideForumComment(context.db, actor, idParam(form.get("commentId"))));
  else throw data("Unknown action", { status: 400 });
  if (!result.ok) return data({ ...result, threadId: Number.isNaN(threadId) ? null : threadId }, { status: 400 });
  throw redirect(new URL(request.url).pathname + new URL(request.url).search);
}

export default function ForumFeedback({ loaderData, actionData }: Route.ComponentProps) {
  const { threads, nextCursor, paged, now } = loaderData;
  const base = href("/publications/feedback");
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[{ label: "Publishing", to: href("/publications") }]}
        title="Customer feedback"
        description="What customers said on the forum threads you proposed, wrote or whose space you moderate, since someone last marked each thread reviewed."
      />
      {threads.length === 0 ? (
        <EmptyState icon={<CheckCircleIcon className="size-5" />} title="Nothing new from customers">
          New comments and reactions on published threads you look after show up here.
        </EmptyState>
      ) : (
        <ul className="space-y-4" aria-label="Threads with news">
          {threads.map((thread) => (
            <FeedbackThreadCard key={thread.threadId} thread={thread} now={now} failure={failed && failed.threadId === thread.threadId ? (failed.formError ?? null) : null} />
          ))}
        </ul>
      )}
      {failed && failed.threadId === null && failed.formError ? (
        <p role="alert" className="mt-4 text-sm text-red-700">
          {failed.formError}
        </p>
      ) : null}
      {nextCursor || paged ? (
        <nav aria-label="Pages" className="mt-6 flex justify-between">
          {paged ? (
            <Link to={base} className={buttonClass("secondary", "sm")}>
              Back to the start
            </Link>
          ) : (
            <span />
          )}
          {nextCursor ? (
            <Link to={`${base}?${new URLSearchParams({ cursor: nextCursor })}`} className={buttonClass("secondary", "sm")} rel="next">
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
