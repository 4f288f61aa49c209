import { href } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { sessionList } from "#app/features/live/sessions.server.ts";
import { PAST_PAGE_SIZE } from "#app/features/live/state.ts";
import { pageParam } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { DESK_STAFF_TABS, SessionList } from "#app/components/live/session-list.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Live sessions · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = pageParam(new URL(request.url));
  return { ...(await sessionList(context.db, actor, page)), page };
}

export default function Sessions({ loaderData }: Route.ComponentProps) {
  const { current, past, pastTotal, canSchedule, page } = loaderData;
  return (
    <div className="mx-auto max-w-4xl">
      <ForumDeskNav hide={canSchedule ? [] : DESK_STAFF_TABS} />
      <PageHeader
        title="Live sessions"
        description="Experts answer questions live, on the public forum or inside. Ask before, vote on what matters, and read the answers as they come; afterwards each session stays as a thread."
        actions={
          canSchedule ? (
            <ButtonLink to={href("/sessions/new")} variant="primary">
              Schedule a session
            </ButtonLink>
          ) : null
        }
      />
      <section aria-labelledby="current-title">
        <h2 id="current-title" className="mb-3 text-lg font-semibold text-slate-900">
          Live now and upcoming
        </h2>
        {current.length === 0 ? (
          <EmptyState title="No session is planned">When a moderator schedules one, it shows here and you can send your questions ahead.</EmptyState>
        ) : (
          <SessionList sessions={current} label="Live now and upcoming" />
        )}
      </section>
      <section aria-labelledby="past-title" className="mt-10">
        <h2 id="past-title" className="mb-3 text-lg font-semibold text-slate-900">
          Past sessions
        </h2>
        {past.length === 0 ? (
          <EmptyState title="No past sessions">Sessions that have ended are listed here with a link to their thread.</EmptyState>
        ) : (
          <>
            <SessionList sessions={past} label="Past sessions" />
            <div className="mt-4">
              <Pagination
                offset={(page - 1) * PAST_PAGE_SIZE}
                pageSize={PAST_PAGE_SIZE}
                total={pastTotal}
                shown={past.length}
                pageHref={(n) => `${href("/sessions")}?page=${n}`}
                label="Past sessions pages"
              />
            </div>
          </>
        )}
      </section>
    </div>
  );
}
