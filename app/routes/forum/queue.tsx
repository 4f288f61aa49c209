import type { Route } from "./+types/queue";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { queuePage, queueTabOf } from "#app/features/forum-queue/queue.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { QUEUE_TAB_LABELS, QueueRowItem, QueueTabs } from "#app/components/forum-desk/queue-list.tsx";
import { QuestionIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Customer questions · Forum desk · Commons" }];
}

/** `/forum/queue?tab=mine|open|answered|solved&page=`: customers' questions from the public forum, with their SLA. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const now = new Date();
  const page = await queuePage(context.db, actor, { tab: queueTabOf(url.searchParams.get("tab")), page: pageParam(url), now });
  return { ...page, now: now.getTime() };
}

export default function ForumQueue({ loaderData }: Route.ComponentProps) {
  const { tab, rows, mineCount, total, offset, pageSize, isModerator, now } = loaderData;
  const current = QUEUE_TAB_LABELS.find((t) => t.tab === tab)!;
  return (
    <div className="mx-auto max-w-4xl">
      <ForumDeskNav hide={isModerator ? [] : ["moderation"]} />
      <PageHeader
        title="Customer questions"
        description="What customers ask on the public forum, routed to the SMEs and responders of its topics. Only they answer in public; anyone can suggest an answer."
      />
      <QueueTabs current={tab} mineCount={mineCount} />
      {rows.length === 0 ? (
        <EmptyState icon={<QuestionIcon className="size-5" />} title={current.empty.title}>
          {current.empty.text}
        </EmptyState>
      ) : (
        <ul className="space-y-3" aria-label={current.label}>
          {rows.map((row) => (
            <QueueRowItem key={row.threadId} row={row} now={now} />
          ))}
        </ul>
      )}
      <Pagination offset={offset} pageSize={pageSize} total={total} shown={rows.length} pageHref={(n) => `?${new URLSearchParams({ tab, page: String(n) })}`} />
    </div>
  );
}
