import { data, href, redirect } from "react-router";
import type { Route } from "./+types/question";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { deletePost, undeletePost } from "#app/features/qa/edit.server.ts";
import { postAnswer } from "#app/features/qa/posts.server.ts";
import { questionPage } from "#app/features/qa/question-page.server.ts";
import { questionUrl, slugify } from "#app/features/qa/question-url.ts";
import { idParam } from "#app/lib/ids.ts";
import { AnswerSchema } from "#app/features/qa/schemas.ts";
import { commentAction } from "#app/features/social/comment-actions.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { type FormFailure, parseForm, readForm } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { commentFailureFor } from "#app/components/content/comment-list.tsx";
import { FollowButton } from "#app/components/follow-button.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { AnswerForm } from "#app/components/qa/answer-form.tsx";
import { askQuestionHref } from "#app/components/qa/ask-question-button.tsx";
import { ClosedAnswersNote, ClosedNotice } from "#app/components/qa/closed-notice.tsx";
import { FlagLink } from "#app/components/qa/flag-link.tsx";
import { LinkedDuplicates } from "#app/components/qa/linked-duplicates.tsx";
import { ModerationNotice } from "#app/components/qa/moderation-notice.tsx";
import { AcceptButton } from "#app/components/qa/accept-button.tsx";
import { PostScore } from "#app/components/qa/post-score.tsx";
import { RelatedTags } from "#app/components/qa/related-tags.tsx";
import { TagList } from "#app/components/content/tag-list.tsx";
import { ThreadPost } from "#app/components/qa/thread-post.tsx";
import { VoteControls } from "#app/components/qa/vote-controls.tsx";
import { PromotedNote, PromoteLink } from "#app/components/wiki/promotion-note.tsx";
import { kudosOnRecord } from "#app/features/recognition/feeds.server.ts";
import { KudosStrip } from "#app/components/recognition/kudos-strip.tsx";
import { anonymousPanel } from "#app/features/anonymous/asker.server.ts";
import { AnonymousQuestionPanel } from "#app/components/anonymous/anonymous-question-panel.tsx";
import { questionExperts } from "#app/features/routing/suggestions.server.ts";
import { ExpertsPanel } from "#app/components/routing/experts-panel.tsx";
// @publishing-question
import { publicationBanner } from "#app/features/publishing/publishing.server.ts";
import { ProposeButton, PublicationBanner } from "#app/components/publishing/publication-banner.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.question.title} · ${loaderData.space.name} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = await questionPage(context.db, actor, idParam(params.questionId), new Date());
  // The id finds the question; an old or missing slug goes to the current URL.
  if (params.slug !== slugify(page.question.title)) throw redirect(questionUrl({ id: page.question.id, title: page.question.title }) + new URL(request.url).search);
  // @experts-loader: "People who could answer" while the question has no accepted answer, streamed: the promise is not
  // awaited, so the page renders at once and the list follows (app/features/routing, docs/routing.md).
  const { question: q } = page;
  const experts =
    q.acceptedAnswerId === null && !q.deleted && !q.closedAt
      ? questionExperts(context.db, context.search, actor, q.id, { onError: (error) => context.log.warn({ err: error }, "experts: search unavailable, topics only") }).catch(
          (error: unknown) => {
            context.log.warn({ err: error }, "experts: no suggestions on the question page");
            return null;
          },
        )
      : null;
  // Kudos on the question and every answer, in one query; @publishing-question: beside it, the public forum banner (one query);
  // @anonymous-loader: and for an anonymous question, whether the reader asked it (their note, their accept) and may reach its asker.
  const [kudos, publication, anonymous] = await Promise.all([
    kudosOnRecord(context.db, actor, [page.question.itemId, ...page.answers.map((a) => a.itemId)]),
    publicationBanner(context.db, actor, page.question.id),
    anonymousPanel(context.db, actor, { id: page.question.id, space: page.space }),
  ]);
  return { ...page, kudos, anonymous, experts, publication, viewerId: actor.id, now: Date.now(), submissionKey: crypto.randomUUID() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const db = context.db;
  const questionId = idParam(params.questionId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const here = href("/questions/:questionId/:slug?", { questionId: String(questionId), slug: params.slug });
  if (intent === "answer") {
    const parsed = parseForm(AnswerSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => postAnswer(db, actor, questionId, parsed.data)) : parsed;
    if (!result.ok) return data({ intent, itemId: null, ...result }, { status: 400 });
    throw redirect(`${here}#answer-${result.result.id}`);
  }
  // Comments on the question and its answers: the social layer's intents, as on every page.
  const comment = await commentAction(db, actor, form);
  if (comment) return comment;
  if (intent === "delete" || intent === "undelete") {
    const del = intent === "delete";
    const postId = idParam(form.get("postId"));
    await (del ? deletePost : undeletePost)(db, actor, postId);
    throw redirect(postId === questionId ? here : `${here}#answer-${postId}`);
  }
  throw data("Unknown action", { status: 400 });
}

export default function QuestionPage({ loaderData, actionData }: Route.ComponentProps) {
  const { question, answers, space, now, submissionKey, votes, following, viewerId, canModerate } = loaderData;
  // Votes in the left column (a deleted post only shows its score); accepting is for the asker and moderators.
  const voteColumn = (post: (typeof answers)[number]) =>
    post.deleted ? (
      <PostScore score={post.score} />
    ) : (
      <VoteControls
        itemId={post.itemId}
        type={post.type}
        score={post.score}
        myVote={votes[post.id] ?? 0}
        disabledReason={post.author.id === viewerId ? "You can't vote on your own post." : null}
      />
    );
  const { closure } = loaderData;
  const mayAccept = (viewerId === question.author.id || canModerate || loaderData.anonymous?.askedByYou === true) && !question.deleted;
  const url = questionUrl(question);
  const answerFailure: FormFailure | null = actionData && !actionData.ok && actionData.intent === "answer" ? actionData : null;
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[
          { label: "Spaces", to: href("/spaces") },
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
        ]}
        title={question.title}
        actions={
          <>
            {question.deleted ? null : (
              <FollowButton
                action={href("/items/:itemId/follow", { itemId: String(question.itemId) })}
                following={following}
                description="Answers and comments on this question reach your inbox"
              />
            )}
            {closure.canClose && !question.deleted ? (
              <ButtonLink to={href("/questions/:questionId/close", { questionId: String(question.id) })} variant="secondary">
                {question.closedAt ? "Reopen" : "Close"}
              </ButtonLink>
            ) : null}
            <ButtonLink to={askQuestionHref(space.slug)} variant="primary">
              Ask a question
            </ButtonLink>
          </>
        }
      >
        <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600">
          <span>
            <RelativeTime date={question.createdAt} now={now} prefix="Asked" />
          </span>
          <span>
            <RelativeTime date={question.lastActivityAt} now={now} prefix="Active" />
          </span>
          <span>
            Viewed {question.viewCount.toLocaleString("en")} {question.viewCount === 1 ? "time" : "times"}
          </span>
        </p>
      </PageHeader>

      <ModerationNotice />
      <ClosedNotice questionId={question.id} closure={closure} now={now} />
      {/* @anonymous-question */}
      {loaderData.anonymous ? <AnonymousQuestionPanel panel={loaderData.anonymous} questionId={question.id} now={now} /> : null}
      {/* @publishing-question */}
      <PublicationBanner banner={loaderData.publication} />
      <ThreadPost
        post={question}
        now={now}
        shareUrl={url}
        // The left column: vote controls replace the plain score.
        aside={voteColumn(question)}
        // More actions for the question (flag...) join the action row here.
        actions={
          <>
            <FlagLink target={{ itemId: question.itemId }} authorId={question.author.id} deleted={question.deleted} label="this question" />
            {/* @publishing-question: proposing while no draft is in review. */}
            {loaderData.publication.canPropose && !loaderData.publication.draft && !question.deleted ? (
              <ProposeButton questionId={question.id} republish={loaderData.publication.published !== null} />
            ) : null}
          </>
        }
        submissionKey={submissionKey}
        commentFailure={commentFailureFor(actionData, question.itemId)}
        mentionSpace={space.slug}
      >
        <TagList tags={question.tags} />
        {question.deleted ? null : <KudosStrip itemId={question.itemId} authorId={question.author.id} kudos={loaderData.kudos[question.itemId]} label="question" />}
      </ThreadPost>
      <LinkedDuplicates duplicates={closure.duplicates} />
      <RelatedTags tags={loaderData.related} />
      {/* @experts-panel */}
      <ExpertsPanel questionId={question.id} experts={loaderData.experts} />

      <section aria-labelledby="answers-heading" className="mt-6 border-t border-slate-200 pt-6">
        <h2 id="answers-heading" className="text-lg font-semibold text-slate-900">
          {question.answerCount === 1 ? "1 answer" : `${question.answerCount.toLocaleString("en")} answers`}
        </h2>
        <div className="divide-y divide-slate-200">
          {answers.map((answer) => (
            <ThreadPost
              key={answer.id}
              post={answer}
              now={now}
              shareUrl={`${url}#answer-${answer.id}`}
              aside={voteColumn(answer)}
              // More actions for an answer (accept, flag...) join the action row here.
              actions={
                <>
                  {mayAccept && !answer.deleted ? <AcceptButton answerId={answer.id} accepted={answer.accepted} /> : null}
                  <FlagLink target={{ itemId: answer.itemId }} authorId={answer.author.id} deleted={answer.deleted} label={`answer by ${answer.author.name}`} />
                  {answer.canPromote ? <PromoteLink postId={answer.id} /> : null}
                </>
              }
              submissionKey={submissionKey}
              commentFailure={commentFailureFor(actionData, answer.itemId)}
              mentionSpace={space.slug}
            >
              {answer.promotedTo ? <PromotedNote page={answer.promotedTo} /> : null}
              {answer.deleted ? null : <KudosStrip itemId={answer.itemId} authorId={answer.author.id} kudos={loaderData.kudos[answer.itemId]} label="answer" />}
            </ThreadPost>
          ))}
        </div>
      </section>

      {question.closedAt ? <ClosedAnswersNote /> : <AnswerForm submissionKey={submissionKey} failure={answerFailure} />}
    </div>
  );
}
