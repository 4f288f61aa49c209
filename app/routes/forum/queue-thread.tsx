import { data, href, redirect } from "react-router";
import type { Route } from "./+types/queue-thread";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { dismissSuggestion, postPublicAnswer, postSuggestion, suggestAnswer } from "#app/features/forum-queue/answer.server.ts";
import { queueThreadPage } from "#app/features/forum-queue/queue.server.ts";
import { DecideSuggestionSchema, PostSuggestionSchema, PublicAnswerSchema, SuggestionSchema } from "#app/features/forum-queue/schemas.ts";
import { forumThreadUrl } from "#app/features/publishing/urls.ts";
import { env } from "#app/lib/env.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { PublicAnswerForm, SuggestForm, SuggestionList, type QueueFailure } from "#app/components/forum-desk/queue-answer.tsx";
import { QueueQuestion } from "#app/components/forum-desk/queue-question.tsx";
import { Notice } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.thread.title} · Customer questions · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const now = new Date();
  const page = await queueThreadPage(context.db, actor, idParam(params.threadId), now);
  const badge = `${[actor.name, actor.title].filter(Boolean).join(", ")} · works at ${env().COMPANY_NAME}`;
  const notice = new URL(request.url).searchParams.get("done");
  return {
    ...page,
    badge,
    forumUrl: forumThreadUrl(page.thread.id, page.thread.slug),
    now: now.getTime(),
    notice: notice === "posted" ? "Your answer is on the forum." : notice === "suggested" ? "Your suggestion is saved." : null,
  };
}

/** intent=answer | suggest | post-suggestion | dismiss-suggestion. A public post by someone who may not answer is a 403. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const threadId = idParam(params.threadId);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const here = href("/forum/queue/:threadId", { threadId: String(threadId) });
  const fail = (result: Omit<QueueFailure, "intent">) => data({ ...result, intent } satisfies QueueFailure, { status: 400 });
  if (intent === "answer" || intent === "post-suggestion") {
    const parsed = intent === "answer" ? parseForm(PublicAnswerSchema, form) : parseForm(PostSuggestionSchema, form);
    const suggestionId = parsed.ok && "suggestionId" in parsed.data ? parsed.data.suggestionId : null;
    const result = parsed.ok
      ? await attempt(parsed.values, () =>
          "suggestionId" in parsed.data
            ? postSuggestion(context.db, actor, threadId, parsed.data)
            : postPublicAnswer(context.db, actor, threadId, parsed.data as { body: string; confirmed: boolean }),
        )
      : parsed;
    if (!result.ok) return fail({ ...result, suggestionId });
    if (!result.result.posted) return fail({ ok: false, values: result.values, fieldErrors: {}, findings: result.result.findings, suggestionId });
    throw redirect(`${here}?done=posted`);
  }
  if (intent === "suggest") {
    const parsed = parseForm(SuggestionSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => suggestAnswer(context.db, actor, threadId, parsed.data.body)) : parsed;
    if (!result.ok) return fail(result);
    throw redirect(`${here}?done=suggested`);
  }
  if (intent === "dismiss-suggestion") {
    const parsed = parseForm(DecideSuggestionSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => dismissSuggestion(context.db, actor, threadId, parsed.data.suggestionId)) : parsed;
    if (!result.ok) return fail({ ...result, suggestionId: parsed.ok ? parsed.data.suggestionId : null });
    throw redirect(here);
  }
  throw data("Unknown action", { status: 400 });
}

export default function QueueThread({ loaderData, actionData }: Route.ComponentProps) {
  const { thread, queue, answers, routes, suggestions, canAnswer, badge, forumUrl, notice, now } = loaderData;
  const failure = actionData && !actionData.ok ? (actionData as QueueFailure) : null;
  return (
    <div className="mx-auto max-w-4xl">
      <ForumDeskNav />
      <PageHeader crumbs={[{ label: "Customer questions", to: href("/forum/queue") }]} title={thread.title} />
      <Notice message={notice} />
      <QueueQuestion thread={thread} queue={queue} answers={answers} routes={routes} forumUrl={forumUrl} now={now} />
      <SuggestionList suggestions={suggestions} canDecide={canAnswer} failure={failure} now={now} />
      {canAnswer ? <PublicAnswerForm badge={badge} failure={failure} /> : <SuggestForm failure={failure} />}
    </div>
  );
}
