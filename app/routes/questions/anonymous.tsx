import { Link, href } from "react-router";
import type { Route } from "./+types/anonymous";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { myAnonymousQuestions } from "#app/features/anonymous/asker.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { BreakGlassList, RelayMessageList } from "#app/components/anonymous/anonymous-records.tsx";
import { Badge } from "#app/components/badge.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { ShieldIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Your anonymous questions · Commons" }];
}

/** Only ever the reader's own: the list is read by who is signed in, and nothing else names an asker. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = await myAnonymousQuestions(context.db, actor, pageParam(new URL(request.url)));
  return { ...page, now: Date.now() };
}

export default function AnonymousQuestions({ loaderData }: Route.ComponentProps) {
  const { questions, total, offset, pageSize, now } = loaderData;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="Your anonymous questions"
        description="Only you see this page. These questions appear to everyone as asked by “Anonymous”; moderators' messages to you and any look-up of who asked are listed with each one."
      />
      {questions.length === 0 ? (
        <EmptyState icon={<ShieldIcon className="size-5" />} title="No anonymous questions" action={<ButtonLink to={href("/questions/ask")}>Ask a question</ButtonLink>}>
          In spaces that allow it, tick “Ask anonymously” on the ask form: your question appears without your name, and it is listed here for you alone.
        </EmptyState>
      ) : (
        <ul aria-label="Your anonymous questions" className="space-y-4">
          {questions.map((q) => (
            <li key={q.id} id={`question-${q.id}`}>
              <Card as="article" aria-labelledby={`question-${q.id}-title`} className="p-5">
                <h2 id={`question-${q.id}-title`} className="text-base font-semibold text-slate-900">
                  {q.url ? (
                    <Link to={q.url} className="hover:text-brand-700 hover:underline">
                      {q.title}
                    </Link>
                  ) : (
                    q.title
                  )}
                </h2>
                <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
                  <Link to={href("/spaces/:slug", { slug: q.space.slug })} className="hover:text-brand-700 hover:underline">
                    {q.space.name}
                  </Link>
                  <RelativeTime date={q.createdAt} now={now} prefix="asked" />
                  <span>{q.answerCount === 1 ? "1 answer" : `${q.answerCount} answers`}</span>
                  {q.accepted ? <Badge tone="green">Answered</Badge> : null}
                  {q.url ? null : <Badge tone="red">Deleted by a moderator</Badge>}
                </p>
                {q.messages.length > 0 ? (
                  <div className="mt-4">
                    <h3 className="mb-2 text-sm font-semibold text-slate-900">Messages from moderators</h3>
                    <RelayMessageList messages={q.messages} now={now} />
                  </div>
                ) : null}
                {q.lookups.length > 0 ? (
                  <div className="mt-4">
                    <h3 className="mb-2 text-sm font-semibold text-slate-900">Who looked up that you asked</h3>
                    <BreakGlassList records={q.lookups} now={now} />
                  </div>
                ) : null}
              </Card>
            </li>
          ))}
        </ul>
      )}
      <Pagination
        label="Pages of your anonymous questions"
        offset={offset}
        pageSize={pageSize}
        total={total}
        shown={questions.length}
        pageHref={(p) => `${href("/questions/anonymous")}?page=${p}`}
      />
    </div>
  );
}
