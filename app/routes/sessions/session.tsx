import { Form, Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/session";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { endSession } from "#app/features/live/archive.server.ts";
import { LiveAnswerSchema, LiveQuestionSchema } from "#app/features/live/schemas.ts";
import { answerLiveQuestion, askLiveQuestion, hideLiveQuestion, moveSession, sessionPage, toggleLiveVote } from "#app/features/live/sessions.server.ts";
import { forumBaseUrl, forumThreadUrl, threadSlug } from "#app/features/publishing/urls.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { absoluteTime } from "#app/lib/time.ts";
import { Button } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { Field, FormError } from "#app/components/form.tsx";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { DESK_STAFF_TABS } from "#app/components/live/session-list.tsx";
import { type LiveFormFailure, LiveQuestions } from "#app/components/live/live-questions.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Badge } from "#app/components/badge.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.session.title} · Live sessions · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = await sessionPage(context.db, actor, idParam(params.sessionId));
  const { threadId, title, audience } = page.session;
  return {
    ...page,
    threadUrl: threadId ? forumThreadUrl(threadId, threadSlug(`Live session: ${title}`)) : null,
    forumUrl: audience === "forum" ? `${forumBaseUrl()}/sessions/${page.session.id}` : null,
    now: new Date().toISOString(),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const db = context.db;
  const sessionId = idParam(params.sessionId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const questionId = idParam(form.get("questionId"));
  const here = href("/sessions/:sessionId", { sessionId: String(sessionId) });
  if (intent === "ask") {
    const parsed = parseForm(LiveQuestionSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => askLiveQuestion(db, actor, sessionId, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent: "ask" }, { status: 400 });
    throw redirect(`${here}#question-${result.result.id}`);
  }
  if (intent === "answer") {
    const parsed = parseForm(LiveAnswerSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => answerLiveQuestion(db, actor, sessionId, questionId, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent: "answer", questionId: String(form.get("questionId") ?? "") }, { status: 400 });
    throw redirect(`${here}#question-${questionId}`);
  }
  if (intent === "vote" || intent === "hide") {
    await (intent === "vote" ? toggleLiveVote : hideLiveQuestion)(db, actor, sessionId, questionId);
    throw redirect(intent === "vote" ? `${here}#question-${questionId}` : here);
  }
  if (intent === "start" || intent === "cancel" || intent === "end") {
    const result = await attempt({}, () => (intent === "end" ? endSession(db, actor, sessionId) : moveSession(db, actor, sessionId, intent)));
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    throw redirect(here);
  }
  throw data("Unknown action", { status: 400 });
}

export default function SessionPage({ loaderData, actionData }: Route.ComponentProps) {
  const { session, experts, state, myVotes, can, threadUrl, forumUrl, now } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const askFailed = failed?.intent === "ask" ? failed : null;
  const moveFailed = failed && ["start", "cancel", "end"].includes(failed.intent) ? failed : null;
  const listFailure: LiveFormFailure = failed
    ? { intent: failed.intent, questionId: "questionId" in failed ? String(failed.questionId) : undefined, fieldErrors: failed.fieldErrors, values: failed.values }
    : null;
  return (
    <div className="mx-auto max-w-4xl">
      <ForumDeskNav hide={can.moderate ? [] : DESK_STAFF_TABS} />
      <PageHeader
        title={session.title}
        crumbs={[{ label: "Live sessions", to: href("/sessions") }]}
        description={
          <>
            {absoluteTime(session.startsAt)} to {absoluteTime(session.endsAt)} · topic <span className="font-medium">{session.topic}</span> ·{" "}
            {session.audience === "forum" ? "on the public forum" : `internal, for ${session.space?.name ?? "its space"}`}
          </>
        }
        actions={
          can.moderate ? (
            <div className="flex flex-wrap gap-2">
              {state.status === "scheduled" ? <MoveButton intent="start" label="Start" variant="primary" /> : null}
              {state.status === "live" ? <MoveButton intent="end" label="End" variant="primary" /> : null}
              {state.status === "scheduled" || state.status === "live" ? <MoveButton intent="cancel" label="Cancel" variant="dangerOutline" /> : null}
            </div>
          ) : null
        }
      />
      <FormError message={moveFailed?.formError} />
      {threadUrl ? (
        <p className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          This session is now a thread on the public forum: <a href={threadUrl}>read its questions and answers</a>.
        </p>
      ) : null}
      {session.questionId ? (
        <p className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          This session is now a question in {session.space?.name}: <Link to={questionUrl({ id: session.questionId, title: session.questionTitle })}>read its answers</Link>.
        </p>
      ) : null}
      {forumUrl && (state.status === "scheduled" || state.status === "live") ? (
        <p className="mb-4 text-sm text-slate-600">
          Customers ask and vote on <a href={forumUrl}>the session&rsquo;s forum page</a>.
        </p>
      ) : null}
      <Card className="p-6">
        {session.descriptionHtml ? <div className="prose prose-slate max-w-none" dangerouslySetInnerHTML={{ __html: session.descriptionHtml }} /> : null}
        <h2 className="mt-4 text-sm font-semibold text-slate-900">{experts.length === 1 ? "Expert" : "Experts"}</h2>
        <ul className="mt-2 flex flex-wrap gap-2">
          {experts.map((e) => (
            <li key={e.userId}>
              <Badge tone="violet">
                {e.name}
                {e.title ? ` · ${e.title}` : ""}
              </Badge>
            </li>
          ))}
        </ul>
      </Card>
      {can.ask ? (
        <Card className="mt-6 p-6">
          <h2 className="text-base font-semibold text-slate-900">Ask the experts</h2>
          <Form method="post" noValidate className="mt-3">
            <input type="hidden" name="intent" value="ask" />
            <Field
              label="Your question"
              name="body"
              multiline
              rows={4}
              hint="Markdown, up to 2,000 characters. Everyone who can see the session sees your name with it."
              defaultValue={askFailed?.values.body}
              error={askFailed?.fieldErrors.body}
            />
            <div className="flex justify-end">
              <Button variant="primary">Ask</Button>
            </div>
          </Form>
        </Card>
      ) : null}
      <LiveQuestions sessionId={session.id} initial={state} now={now} myVotes={myVotes} can={can} failed={listFailure} />
    </div>
  );
}

function MoveButton({ intent, label, variant }: { intent: string; label: string; variant: "primary" | "dangerOutline" }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button variant={variant} size="sm">
        {label}
      </Button>
    </Form>
  );
}
