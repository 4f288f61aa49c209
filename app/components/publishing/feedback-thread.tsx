import { Form, Link, href } from "react-router";
import type { forumFeedbackQueue } from "#app/features/publishing/publishing.server.ts";
import { Button } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { FormError } from "#app/components/form.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { plural } from "#app/lib/plural.ts";

export type FeedbackThread = Awaited<ReturnType<typeof forumFeedbackQueue>>["threads"][number];

/**
 * One published thread's news from customers since it was last reviewed: new comments (their HTML
 * sanitized by the forum when written), each of which the owners may hide, and new reactions.
 */
export function FeedbackThreadCard({ thread, now, failure }: { thread: FeedbackThread; now: number; failure: string | null }) {
  const { helpful, notHelpful } = thread.newReactions;
  const headingId = `thread-${thread.threadId}`;
  return (
    <Card as="li" className="p-5" aria-labelledby={headingId}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            {thread.title}
          </h2>
          <p className="mt-0.5 flex flex-wrap gap-x-3 text-sm">
            <a href={thread.threadUrl} className="font-medium text-brand-700 hover:underline">
              On the forum<span className="sr-only">: {thread.title}</span>
            </a>
            <Link to={href("/publications/:publicationId", { publicationId: String(thread.publicationId) })} className="font-medium text-brand-700 hover:underline">
              Publication<span className="sr-only"> of {thread.title}</span>
            </Link>
          </p>
        </div>
        <Form method="post">
          <input type="hidden" name="intent" value="reviewed" />
          <input type="hidden" name="threadId" value={thread.threadId} />
          <Button size="sm">
            Mark as reviewed<span className="sr-only">: {thread.title}</span>
          </Button>
        </Form>
      </div>
      <FormError message={failure ?? undefined} />
      <p className="mt-3 text-sm text-slate-700">
        {helpful + notHelpful === 0
          ? "No new reactions."
          : `New reactions: ${plural(helpful, "customer found it helpful", "customers found it helpful")}, ${plural(notHelpful, "found it not helpful", "found it not helpful")}.`}
      </p>
      {thread.newComments.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No new comments.</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100 border-t border-slate-100" aria-label={`New comments on ${thread.title}`}>
          {thread.newComments.map((c) => (
            <li key={c.id} className="py-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="text-sm text-slate-600">
                  <span className="font-medium text-slate-900">{c.authorName}</span> (customer), <RelativeTime date={c.createdAt} now={now} />
                </p>
                <Form method="post">
                  <input type="hidden" name="intent" value="hide" />
                  <input type="hidden" name="threadId" value={thread.threadId} />
                  <input type="hidden" name="commentId" value={c.id} />
                  <Button size="sm" variant="dangerOutline">
                    Hide comment<span className="sr-only"> by {c.authorName}</span>
                  </Button>
                </Form>
              </div>
              <PostBody html={c.bodyHtml} className="mt-1 text-sm" />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
