import { useState } from "react";
import { Form, data, redirect } from "react-router";
import type { Route } from "./+types/ask";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { askQuestion } from "#app/features/qa/posts.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { AskSchema, TITLE_MAX } from "#app/features/qa/schemas.ts";
import { spaceSelect } from "#app/features/spaces/spaces.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { FormError, SelectField, SubmitButton } from "#app/components/form.tsx";
import { MentionField } from "#app/components/mention-textarea.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";
import { QuestionTitleField } from "#app/components/qa/similar-questions.tsx";
import { TagInput } from "#app/components/qa/tag-input.tsx";
import { anonymousSpaceSlugs, askAnonymously } from "#app/features/anonymous/ask.server.ts";
import { AskAnonymouslyField } from "#app/components/anonymous/ask-anonymously.tsx";
import { askAndSend, askTarget } from "#app/features/routing/ask.server.ts";
import { AskingPerson } from "#app/components/routing/asking-person.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Ask a question · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return {
    ...(await spaceSelect(context.db, actor, new URL(request.url).searchParams.get("space"))),
    // @anonymous-loader: the spaces that take anonymous questions (the form's "Ask anonymously" box).
    anonymousSpaces: await anonymousSpaceSlugs(context.db, actor),
    // @routing-loader: `?to=<userId>` asks the new question of that person (app/features/routing); a person who doesn't exist is a 404.
    to: await askTarget(context.db, actor, new URL(request.url).searchParams.get("to")),
    submissionKey: crypto.randomUUID(),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  const parsed = parseForm(AskSchema, form);
  // @anonymous-ask: the box, ticked, writes the question without the asker's name (any value counts: never post a name by mistake).
  const ask = form.has("anonymous") ? askAnonymously : askQuestion;
  // @routing-ask: with `to`, the new question is also sent to that person, who is checked before anything is written.
  const send = askAndSend(ask, form.get("to"));
  const result = parsed.ok ? await attempt(parsed.values, () => send(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(questionUrl({ id: result.result.id, title: parsed.ok ? parsed.data.title : "" }));
}

export default function Ask({ loaderData, actionData }: Route.ComponentProps) {
  const { spaces, preselected, submissionKey } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  // The chosen space decides whether "Ask anonymously" is offered (once JavaScript runs).
  const [space, setSpace] = useState(failed?.values.space ?? preselected);
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title="Ask a question" description="Colleagues across the company can answer. Say what you tried and what you expected." />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form
          method="post"
          noValidate
          onChange={(event) => {
            const target: EventTarget = event.target;
            if (target instanceof HTMLSelectElement && target.name === "space") setSpace(target.value);
          }}
        >
          <input type="hidden" name="submissionKey" value={submissionKey} />
          {/* @routing-ask */}
          <AskingPerson to={loaderData.to} />
          <SelectField
            label="Space"
            name="space"
            emptyLabel="Choose a space"
            options={spaces}
            hint="Who can read the question: everyone for an open space, only members for a restricted one."
            defaultValue={failed?.values.space ?? preselected}
            error={failed?.fieldErrors.space}
          />
          {/* @anonymous-question */}
          <AskAnonymouslyField anonymousSpaces={loaderData.anonymousSpaces} space={space} defaultChecked={failed?.values.anonymous !== undefined} error={failed?.fieldErrors.anonymous} />
          <QuestionTitleField
            label="Title"
            name="title"
            hint={`A specific question in one line (up to ${TITLE_MAX} characters), e.g. “How do I restore last night's Postgres backup?”`}
            defaultValue={failed?.values.title}
            error={failed?.fieldErrors.title}
          />
          <MentionField
            label="Details"
            name="body"
            rows={10}
            hint="Markdown: what you are trying to do, what you tried, and what happened."
            defaultValue={failed?.values.body}
            error={failed?.fieldErrors.body}
          />
          <MarkdownHelp />
          <TagInput defaultValue={failed?.values.tags} error={failed?.fieldErrors.tags} />
          <div className="flex justify-end border-t border-slate-100 pt-5">
            <SubmitButton pendingText="Posting…">Post your question</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
