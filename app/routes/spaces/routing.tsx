import { data, href, redirect } from "react-router";
import type { Route } from "./+types/routing";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { routingDashboard } from "#app/features/routing/dashboard.server.ts";
import { setAnswerDeadline, spaceForDeadline } from "#app/features/routing/deadline.server.ts";
import { AnswerDeadlineSchema, ROUTING_WINDOWS, windowParam } from "#app/features/routing/schemas.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Notice } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PeriodNav } from "#app/components/period-nav.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { AnswerDeadlineForm } from "#app/components/routing/answer-deadline-form.tsx";
import { AnswerTimesTable, OpenRoutedTable, RoutesTable, WeeksTable, share } from "#app/components/routing/dashboard-tables.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Routing · ${loaderData.space.name} · Commons` : "Commons" }];
}

/** Anyone who sees the space reads its routing; a space they can't see is the 404 of a missing one. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const dashboard = await routingDashboard(context.db, actor, params.slug, windowParam(url.searchParams.get("days")), pageParam(url));
  return { ...dashboard, saved: url.searchParams.has("saved") };
}

/** The answer deadline, for the space's moderators and admins (a 403 for everyone else who sees the space). */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const space = await spaceForDeadline(context.db, actor, params.slug);
  const form = await readForm(request);
  if (form.get("intent") !== "set-answer-deadline") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(AnswerDeadlineSchema, form);
  if (!parsed.ok) return data(parsed, { status: 400 });
  await setAnswerDeadline(context.db, actor, space.id, parsed.data.answerDeadlineHours);
  throw redirect(`${href("/spaces/:slug/routing", { slug: space.slug })}?saved=1`);
}

export default function SpaceRouting({ loaderData, actionData }: Route.ComponentProps) {
  const { space, days, answerTimes, weeks, routes, open, canManage } = loaderData;
  const base = href("/spaces/:slug/routing", { slug: space.slug });
  const all = answerTimes.find((r) => r.group === "all")!;
  const sent = routes.find((r) => r.reason === "all")!;
  const deadline = space.answerDeadlineHours;
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Spaces", to: href("/spaces") },
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
        ]}
        title="Routing"
        description={
          deadline === null
            ? "Routing is off in this space: questions wait for whoever reads them. The figures below still show how fast questions are answered."
            : `Unanswered questions go to the people who know their topic. After ${deadline} working ${deadline === 1 ? "hour" : "hours"} without an answer they go to the next people, and then to this space's moderators.`
        }
      />
      <Notice message={loaderData.saved ? "Answer deadline saved." : null} />
      <PeriodNav periods={ROUTING_WINDOWS} current={days} to={(d) => `${base}?days=${d}`} label={(d) => <>Last {d} days</>} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <CardSection
            title="Time to first answer"
            titleId="answer-times"
            description="From asking to the first answer, in clock time; questions without an answer are counted under Unanswered."
          >
            <AnswerTimesTable rows={answerTimes} />
            <p className="mt-3 text-sm text-slate-600">
              {all.asked === 0
                ? `No questions were asked in the last ${days} days.`
                : `${all.answered.toLocaleString("en")} of ${all.asked.toLocaleString("en")} questions asked in the last ${days} days have an answer.`}
            </p>
          </CardSection>
          <CardSection
            title="Unanswered"
            titleId="unanswered"
            description={`Questions asked each week (weeks start on Monday, UTC) that have no answer yet: ${share(all.asked - all.answered, all.asked)} over the period.`}
          >
            <WeeksTable weeks={weeks} />
          </CardSection>
          <CardSection
            title="Routed and answered"
            titleId="routed"
            description="Questions sent to people in the period, by routing or by someone's “Ask this person”, and how often one of them answered."
          >
            <RoutesTable rows={routes} />
            <p className="mt-3 text-sm text-slate-600">
              {sent.questions === 0
                ? `No questions were sent to anyone in the last ${days} days.`
                : `${sent.questionsAnswered.toLocaleString("en")} of the ${sent.questions.toLocaleString("en")} questions sent to people were answered by one of them.`}
            </p>
          </CardSection>
          <CardSection title="In routing now" titleId="open" description="Unanswered questions waiting on the people they were sent to, the most overdue first.">
            {open.rows.length > 0 ? (
              <>
                <OpenRoutedTable rows={open.rows} />
                <Pagination
                  label="Pages of questions in routing"
                  offset={open.offset}
                  pageSize={open.pageSize}
                  total={open.total}
                  shown={open.rows.length}
                  pageHref={(p) => `${base}?days=${days}&page=${p}`}
                />
              </>
            ) : (
              <EmptyState title="Nothing is waiting">{deadline === null ? "Routing is off in this space." : "Every question routed here has been answered or closed."}</EmptyState>
            )}
          </CardSection>
        </div>
        {canManage ? (
          <div>
            <AnswerDeadlineForm key={space.updatedAt.toString()} hours={deadline} failure={actionData && !actionData.ok ? actionData : null} className="" />
          </div>
        ) : null}
      </div>
    </>
  );
}
