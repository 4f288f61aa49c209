import { Link, data, href, useSearchParams } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { moderationQueue, resolveFlags, type QueueStatus } from "#app/features/moderation/flags.server.ts";
import { ResolveSchema } from "#app/features/moderation/flag-schema.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { buttonClass } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Notice } from "#app/components/form.tsx";
import { CheckCircleIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { QueueItemCard } from "#app/components/moderation/queue-item.tsx";
import { breakGlassLog } from "#app/features/anonymous/moderation.server.ts";
import { BreakGlassLogSection } from "#app/components/anonymous/break-glass-log.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Moderation · Commons" }];
}

function tabOf(url: URL): QueueStatus {
  return url.searchParams.get("tab") === "handled" ? "handled" : "pending";
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  // Someone who moderates nothing gets the 404 from the queue itself.
  const queue = await moderationQueue(context.db, actor, { status: tabOf(url), cursor: url.searchParams.get("cursor") });
  // @anonymous-moderation: admins see every look-up of an anonymous asker (who, when, why; never whom).
  const breakGlass = actor.role === "admin" ? await breakGlassLog(context.db, actor, Number(url.searchParams.get("lookups") ?? "1")) : null;
  return { queue, breakGlass, now: Date.now() };
}

const DONE = { dismiss: "Flags dismissed.", delete: "Deleted; the flags are marked as acted on.", close: "Question closed; the flags are marked as acted on." } as const;

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  const parsed = parseForm(ResolveSchema, form);
  if (!parsed.ok) return data({ ...parsed, key: String(form.get("target") ?? "") }, { status: 400 });
  const { action: what, target, resolution, closeReason } = parsed.data;
  const result = await attempt(parsed.values, () => resolveFlags(context.db, actor, target, { action: what, resolution, ...(closeReason ? { closeReason } : {}) }));
  if (!result.ok) return data({ ...result, key: String(form.get("target")) }, { status: 400 });
  return { ok: true as const, notice: DONE[what] };
}

function tabClass(isActive: boolean) {
  return `-mb-px inline-flex items-center gap-2 border-b-2 px-1 pb-3 text-sm font-medium ${
    isActive ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
  }`;
}

export default function ModerationQueuePage({ loaderData, actionData }: Route.ComponentProps) {
  const { queue, now } = loaderData;
  const [params] = useSearchParams();
  const failure = actionData && !actionData.ok ? actionData : null;
  const pending = queue.status === "pending";
  const base = href("/moderation");
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title="Moderation" description="Flags from the spaces you moderate. Dismiss them, or act on what was flagged." />
      <nav aria-label="Queue" className="mb-6 border-b border-slate-200">
        <ul className="flex gap-6">
          <li>
            <Link to={base} className={tabClass(pending)} aria-current={pending ? "page" : undefined}>
              Pending
            </Link>
          </li>
          <li>
            <Link to={`${base}?tab=handled`} className={tabClass(!pending)} aria-current={pending ? undefined : "page"}>
              Handled
            </Link>
          </li>
        </ul>
      </nav>
      <Notice message={actionData?.ok ? actionData.notice : null} />
      {queue.items.length === 0 ? (
        <EmptyState icon={<CheckCircleIcon className="size-5" />} title="Nothing to review">
          {pending ? "No flags are waiting in the spaces you moderate." : "No flags have been handled yet."}
        </EmptyState>
      ) : (
        <ul className="space-y-4" aria-label={pending ? "Flagged items" : "Handled flags"}>
          {queue.items.map((item) => (
            <QueueItemCard key={`${item.key}-${item.handled?.at ?? ""}`} item={item} now={now} failure={failure && failure.key === item.key ? failure : null} />
          ))}
        </ul>
      )}
      {queue.nextCursor || params.get("cursor") ? (
        <nav aria-label="Pages" className="mt-6 flex justify-between">
          {params.get("cursor") ? (
            <Link to={pending ? base : `${base}?tab=handled`} className={buttonClass("secondary", "sm")}>
              Back to the start
            </Link>
          ) : (
            <span />
          )}
          {queue.nextCursor ? (
            <Link to={`${base}?${new URLSearchParams({ ...(pending ? {} : { tab: "handled" }), cursor: queue.nextCursor })}`} className={buttonClass("secondary", "sm")} rel="next">
              Next page
            </Link>
          ) : null}
        </nav>
      ) : null}
      {/* @anonymous-moderation */}
      {loaderData.breakGlass ? <BreakGlassLogSection log={loaderData.breakGlass} now={now} /> : null}
    </div>
  );
}
