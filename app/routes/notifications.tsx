import { Form, Link, data, href } from "react-router";
import type { Route } from "./+types/notifications";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { type InboxItem, inbox, markRead } from "#app/features/notifications/inbox.server.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { ArrowLeftIcon, ArrowRightIcon, BellIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { readForm } from "#app/lib/forms.ts";
import { NOTIFICATION_ALONE, NOTIFICATION_VERBS } from "#app/features/notifications/wording.ts";

export function meta() {
  return [{ title: "Inbox · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const filter = url.searchParams.get("filter") === "unread" ? "unread" : "all";
  const cursor = url.searchParams.get("cursor");
  const page = await inbox(context.db, actor, { filter, cursor });
  return { ...page, filter, paged: Boolean(cursor), now: Date.now() } as const;
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const intent = (await readForm(request)).get("intent");
  if (intent !== "mark-all-read") throw data("Unknown action", { status: 400 });
  const marked = await markRead(context.db, actor, "all");
  return { marked };
}

function Notification({ item, now }: { item: InboxItem; now: number }) {
  const who = item.actor?.name ?? "Someone";
  return (
    <li className={`relative flex gap-3 px-4 py-3 sm:px-5 ${item.read ? "bg-white" : "bg-brand-50/60"}`}>
      {item.read ? null : <span aria-hidden="true" className="absolute inset-y-0 left-0 w-1 bg-brand-600" />}
      <Avatar name={who} size="sm" className="mt-0.5" />
      <div className="min-w-0 flex-1">
        <p className={`text-sm ${item.read ? "text-slate-700" : "text-slate-900"}`}>
          {/* Opening marks it read, then lands on the answer or comment (a resource route: a document load). */}
          <Link reloadDocument to={href("/notifications/:notificationId", { notificationId: String(item.id) })} className="hover:underline focus-visible:underline">
            {item.actor === null && NOTIFICATION_ALONE[item.kind] ? NOTIFICATION_ALONE[item.kind] : <span className={item.read ? "font-medium" : "font-semibold"}>{who}</span>}{" "}
            {item.actor === null && NOTIFICATION_ALONE[item.kind] ? null : NOTIFICATION_VERBS[item.kind]} <span className={item.read ? "font-medium" : "font-semibold"}>“{item.title}”</span>
          </Link>
        </p>
        <p className="mt-0.5 flex flex-wrap items-center gap-2 text-xs text-slate-500">
          <RelativeTime date={item.createdAt} now={now} />
          {item.read ? null : <Badge tone="brand">Unread</Badge>}
        </p>
      </div>
    </li>
  );
}

function filterClass(active: boolean) {
  return `rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`;
}

export default function Notifications({ loaderData, actionData }: Route.ComponentProps) {
  const { items, nextCursor, filter, paged, now } = loaderData;
  const base = href("/notifications");
  const unreadQuery = filter === "unread" ? "?filter=unread" : "";
  const hasUnread = items.some((i) => !i.read);
  return (
    <>
      <PageHeader
        title="Inbox"
        description="Answers, comments and accepts on what you wrote or follow, new questions in tags you follow, mentions, and news of ideas you own, voted for or follow."
        actions={
          hasUnread || filter === "unread" ? (
            <Form method="post">
              <Button name="intent" value="mark-all-read" variant="secondary">
                Mark all as read
              </Button>
            </Form>
          ) : null
        }
      />
      {actionData ? (
        <p role="status" className="mb-4 text-sm text-slate-600">
          {actionData.marked === 0 ? "Nothing was unread." : `Marked ${actionData.marked} as read.`}
        </p>
      ) : null}
      <nav aria-label="Filter notifications" className="mb-4 flex gap-1">
        <Link to={base} className={filterClass(filter === "all")} aria-current={filter === "all" ? "page" : undefined}>
          All
        </Link>
        <Link to={`${base}?filter=unread`} className={filterClass(filter === "unread")} aria-current={filter === "unread" ? "page" : undefined}>
          Unread
        </Link>
      </nav>
      {items.length === 0 ? (
        <EmptyState icon={<BellIcon className="size-5" />} title={filter === "unread" ? "You're all caught up" : "No notifications yet"}>
          {filter === "unread"
            ? "Nothing unread. New answers, comments and mentions will show up here."
            : "When someone answers or comments on what you asked or follow, accepts your answer or mentions you, it shows up here."}
        </EmptyState>
      ) : (
        <ul aria-label="Notifications" className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          {items.map((item) => (
            <Notification key={item.id} item={item} now={now} />
          ))}
        </ul>
      )}
      {paged || nextCursor ? (
        <nav aria-label="Pages" className="flex justify-between gap-3 py-3">
          {paged ? (
            <Link to={`${base}${unreadQuery}`} className="inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium text-brand-700 hover:bg-brand-50">
              <ArrowLeftIcon />
              Newest
            </Link>
          ) : (
            <span />
          )}
          {nextCursor ? (
            <Link
              to={`${base}?${new URLSearchParams({ ...(filter === "unread" ? { filter } : {}), cursor: nextCursor }).toString()}`}
              rel="next"
              className="inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium text-brand-700 hover:bg-brand-50"
            >
              Older
              <ArrowRightIcon />
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
