import { Form, useSearchParams } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { SubmitButton } from "#app/components/form.tsx";
import { CheckCircleIcon } from "#app/components/icons.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import type { FlaggedPost, PendingPost } from "#app/features/forum-queue/moderation.server.ts";

/** The two lists of /forum/moderation: first posts waiting, and flagged posts. */

// The server's shapes, with dates as the loader's JSON may carry them (a type-only import: erased in the client build).
type Pending = Omit<PendingPost, "createdAt"> & { createdAt: Date | string };
type Flagged = Omit<FlaggedPost, "lastFlaggedAt"> & { lastFlaggedAt: Date | string };

const REASONS: Record<string, string> = { spam: "Spam", abuse: "Abuse", off_topic: "Off topic", other: "Other" };

function usePageHref(name: string) {
  const [params] = useSearchParams();
  return (n: number) => {
    const next = new URLSearchParams(params);
    next.set(name, String(n));
    return `?${next}`;
  };
}

export function PendingList({ rows, total, offset, pageSize, now }: { rows: Pending[]; total: number; offset: number; pageSize: number; now: number }) {
  const pageHref = usePageHref("pending");
  return (
    <CardSection title="First posts waiting" titleId="pending-posts" description="Letting a post through trusts its customer from now on; a question is then routed.">
      {rows.length === 0 ? (
        <EmptyState icon={<CheckCircleIcon className="size-5" />} title="No posts waiting">
          New customers' first questions and comments wait here.
        </EmptyState>
      ) : (
        <ul className="space-y-3 p-4" aria-label="Posts waiting">
          {rows.map((p) => (
            <Card as="li" key={`${p.kind}-${p.id}`} className="p-4">
              <p className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                <Badge>{p.kind === "thread" ? "Question" : "Comment"}</Badge>
                <span className="font-medium text-slate-900">{p.customerName}</span>
                <RelativeTime date={p.createdAt} now={now} />
                {p.kind === "comment" ? <span>on “{p.title}”</span> : null}
              </p>
              {p.kind === "thread" ? <h3 className="mb-1 font-semibold text-slate-900">{p.title}</h3> : null}
              <PostBody html={p.html} />
              <Form method="post" className="mt-3 flex flex-wrap gap-2">
                <input type="hidden" name="kind" value={p.kind} />
                <input type="hidden" name="id" value={p.id} />
                <SubmitButton name="intent" value="let-through">
                  Let through
                </SubmitButton>
                <SubmitButton name="intent" value="remove-pending" variant="danger">
                  Remove
                </SubmitButton>
              </Form>
            </Card>
          ))}
        </ul>
      )}
      <div className="px-4">
        <Pagination offset={offset} pageSize={pageSize} total={total} shown={rows.length} pageHref={pageHref} label="Pages of posts waiting" />
      </div>
    </CardSection>
  );
}

export function FlaggedList({ rows, total, offset, pageSize, now }: { rows: Flagged[]; total: number; offset: number; pageSize: number; now: number }) {
  const pageHref = usePageHref("flags");
  return (
    <CardSection title="Flagged posts" titleId="flagged-posts" description="Deciding resolves every open flag of the post at once." className="mt-8">
      {rows.length === 0 ? (
        <EmptyState icon={<CheckCircleIcon className="size-5" />} title="No open flags">
          When customers flag a question, an answer or a comment, it shows here.
        </EmptyState>
      ) : (
        <ul className="space-y-3 p-4" aria-label="Flagged posts">
          {rows.map((f) => (
            <Card as="li" key={`${f.threadId}-${f.answerId ?? 0}-${f.commentId ?? 0}`} className="p-4">
              <p className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                <Badge>{f.kind === "thread" ? "Question" : f.kind === "answer" ? "Answer" : "Comment"}</Badge>
                <span className="font-medium text-slate-900">{f.authorName}</span>
                <span>on “{f.threadTitle}”</span>
                <Badge tone="red">
                  {f.count} {f.count === 1 ? "flag" : "flags"}
                </Badge>
                <span>{f.reasons.map((r) => REASONS[r] ?? r).join(", ")}</span>
                <RelativeTime date={f.lastFlaggedAt} now={now} prefix="last" />
              </p>
              <PostBody html={f.html} />
              {f.notes.length > 0 ? (
                <ul aria-label="Notes from the flags" className="mt-2 list-disc pl-5 text-sm text-slate-700">
                  {f.notes.map((note, i) => (
                    <li key={i}>{note}</li>
                  ))}
                </ul>
              ) : null}
              <Form method="post" className="mt-3 flex flex-wrap items-center gap-2">
                <input type="hidden" name="threadId" value={f.threadId} />
                <input type="hidden" name="answerId" value={f.answerId ?? ""} />
                <input type="hidden" name="commentId" value={f.commentId ?? ""} />
                {f.removable ? (
                  <SubmitButton name="intent" value="remove-post" variant="danger">
                    Remove the post
                  </SubmitButton>
                ) : (
                  <span className="text-sm text-slate-600">Published from inside: withdraw it through publishing.</span>
                )}
                <SubmitButton name="intent" value="dismiss-flags" variant="secondary">
                  Dismiss
                </SubmitButton>
              </Form>
            </Card>
          ))}
        </ul>
      )}
      <div className="px-4">
        <Pagination offset={offset} pageSize={pageSize} total={total} shown={rows.length} pageHref={pageHref} label="Pages of flagged posts" />
      </div>
    </CardSection>
  );
}
