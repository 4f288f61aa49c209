import { Link, href } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { listParams } from "#app/features/qa/list-params.ts";
import { questionList } from "#app/features/qa/lists.server.ts";
import { PageHeader } from "#app/components/page-header.tsx";
import { AskQuestionButton } from "#app/components/qa/ask-question-button.tsx";
import { QuestionList, SortTabs } from "#app/components/qa/question-list.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData?.state.tag ? `Questions tagged ${loaderData.state.tag} · Commons` : "Questions · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { sort, period, tag, cursor } = listParams(new URL(request.url));
  const page = await questionList(context.db, actor, { sort, period, tag, cursor });
  return { state: { sort, period, tag }, page, paged: Boolean(cursor), now: Date.now() };
}

export default function Questions({ loaderData }: Route.ComponentProps) {
  const { state, page, paged, now } = loaderData;
  const base = href("/questions");
  const ask = <AskQuestionButton />;
  return (
    <>
      <PageHeader
        title={state.tag ? `Questions tagged “${state.tag}”` : "Questions"}
        description={
          state.tag ? (
            <>
              From every space you can see.{" "}
              <Link to={href("/questions")} className="font-medium text-brand-700 hover:underline">
                Show all questions
              </Link>
            </>
          ) : (
            "Questions from every space you can see."
          )
        }
        actions={ask}
      />
      <SortTabs base={base} state={state} />
      <QuestionList base={base} state={state} page={page} now={now} paged={paged} askAction={ask} />
    </>
  );
}
