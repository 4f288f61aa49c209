import { href } from "react-router";
import type { Route } from "./+types/tag";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { followState } from "#app/features/social/follows.server.ts";
import { listParams } from "#app/features/qa/list-params.ts";
import { questionList } from "#app/features/qa/lists.server.ts";
import { tagPage } from "#app/features/qa/tags.server.ts";
import { TAG_WINDOW } from "#app/features/qa/list-params.ts";
import { plural } from "#app/lib/plural.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { FollowButton } from "#app/components/follow-button.tsx";
import { PencilIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PersonRow } from "#app/components/person.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { QuestionList, SortTabs } from "#app/components/qa/question-list.tsx";
import { AskQuestionButton } from "#app/components/qa/ask-question-button.tsx";
import { TagChip } from "#app/components/content/tag-list.tsx";
// @tag-smes
import { tagSmeList } from "#app/features/expertise/smes.server.ts";
import { TagSmesCard } from "#app/components/experts/sme-list.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.tag.name} · Tags · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const name = params.name.toLowerCase();
  const { sort, period, cursor } = listParams(new URL(request.url));
  // The tag decides the 404; the list, the follow state and the SMEs (each filtered by the reader's
  // spaces too) are read beside it, and what they found is dropped when the tag is hidden.
  const overview = tagPage(context.db, actor, name);
  const rest = Promise.all([
    questionList(context.db, actor, { tag: name, sort, period, cursor }),
    followState(context.db, actor.id, { tagName: name }),
    // @tag-smes: the topic's subject-matter experts (issue 18); site moderators and admins see "Manage SMEs".
    tagSmeList(context.db, actor, name),
  ]);
  rest.catch(() => {}); // awaited below once the tag is known; a hidden tag answers the 404 instead
  const tag = await overview;
  const [page, follow, smeList] = await rest;
  const smes = { list: smeList, manage: actor.role === "admin" || actor.role === "moderator" };
  return { ...tag, following: follow.tag, smes, list: { state: { sort, period }, page, paged: Boolean(cursor) }, now: Date.now() };
}

export default function TagPage({ loaderData }: Route.ComponentProps) {
  const { tag, topAskers, topAnswerers, related, canEdit, following, list, now, windowed } = loaderData;
  // A big tag's people and related tags are counted on its latest questions: say so.
  const among = windowed ? ` Among its latest ${TAG_WINDOW} questions.` : "";
  const base = href("/tags/:name", { name: encodeURIComponent(tag.name) });
  const ask = <AskQuestionButton />;
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Tags", to: href("/tags") }]}
        title={
          <>
            <span className="sr-only">Tag: </span>
            {tag.name}
          </>
        }
        description={plural(tag.questionCount, "question you can see", "questions you can see")}
        actions={
          <>
            <FollowButton action={href("/tags/:name/follow", { name: encodeURIComponent(tag.name) })} following={following} description="New questions with this tag reach your inbox" />
            {canEdit ? (
              <ButtonLink to={href("/tags/:name/edit", { name: encodeURIComponent(tag.name) })} variant="secondary">
                <PencilIcon />
                Edit description
              </ButtonLink>
            ) : null}
            {ask}
          </>
        }
      >
        {tag.descriptionHtml ? <PostBody html={tag.descriptionHtml} className="mt-4 max-w-3xl" /> : <p className="mt-3 text-sm text-slate-500">No description yet.</p>}
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="tag-questions" className="min-w-0 lg:col-span-2">
          <h2 id="tag-questions" className="mb-3 text-lg font-semibold text-slate-900">
            Questions
          </h2>
          <SortTabs base={base} state={list.state} />
          <QuestionList base={base} state={{ ...list.state, tag: undefined }} page={list.page} now={now} paged={list.paged} headingLevel={3} askAction={ask} />
        </section>
        <aside className="space-y-6" aria-label="About this tag">
          {/* @tag-smes */}
          <TagSmesCard tagName={tag.name} smes={loaderData.smes.list} manage={loaderData.smes.manage} />
          <CardSection title="Top askers" titleId="top-askers" {...(windowed ? { description: among.trim() } : {})}>
            {topAskers.length > 0 ? (
              <ul className="divide-y divide-slate-100">
                {topAskers.map((p) => (
                  <li key={p.id}>
                    <PersonRow person={p} extra={<span className="text-xs text-slate-600">{plural(p.questions, "question", "questions")}</span>} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">No questions yet.</p>
            )}
          </CardSection>
          <CardSection title="Top answerers" titleId="top-answerers" description={`By the score of their answers.${among}`}>
            {topAnswerers.length > 0 ? (
              <ul className="divide-y divide-slate-100">
                {topAnswerers.map((p) => (
                  <li key={p.id}>
                    <PersonRow
                      person={p}
                      extra={
                        <span className="text-right text-xs text-slate-600">
                          {plural(p.score, "point", "points")}
                          <br />
                          {plural(p.answers, "answer", "answers")}
                        </span>
                      }
                    />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">No answers yet.</p>
            )}
          </CardSection>
          <CardSection title="Related tags" titleId="related-tags" description={`Used on the same questions.${among}`}>
            {related.length > 0 ? (
              <ul className="space-y-2">
                {related.map((r) => (
                  <li key={r.name} className="flex items-center justify-between gap-2">
                    <TagChip name={r.name} />
                    <span className="text-xs text-slate-600">{plural(r.questions, "question", "questions")}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">None yet.</p>
            )}
          </CardSection>
        </aside>
      </div>
    </>
  );
}
