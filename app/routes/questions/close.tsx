import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/close";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { closePage, closeQuestion, duplicateLinks, reopenQuestion } from "#app/features/qa/close.server.ts";
import { CLOSE_NOTE_MAX, CLOSE_REASONS, CloseSchema } from "#app/features/qa/close-schema.ts";
import { questionUrl, withNotice } from "#app/features/qa/question-url.ts";
import { idParam } from "#app/lib/ids.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RadioCards } from "#app/components/radio-cards.tsx";
import { ClosedNotice } from "#app/components/qa/closed-notice.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  if (!loaderData) return [{ title: "Commons" }];
  return [{ title: `${loaderData.closure.closed ? "Reopen" : "Close"} “${loaderData.closure.question.title}” · Commons` }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  // A 404 when they cannot see the question; a 403 saying what closing takes when they can.
  const closure = await closePage(context.db, actor, idParam(params.questionId));
  return { closure, now: Date.now() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const questionId = idParam(params.questionId);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "reopen") {
    const result = await attempt({}, () => reopenQuestion(context.db, actor, questionId));
    if (!result.ok) return data(result, { status: 400 });
  } else if (intent === "close") {
    const parsed = parseForm(CloseSchema, form);
    if (!parsed.ok) return data(parsed, { status: 400 });
    const result = await attempt(parsed.values, () => closeQuestion(context.db, actor, questionId, parsed.data));
    if (!result.ok) return data(result, { status: 400 });
  } else {
    throw data("Unknown action", { status: 400 });
  }
  const { question } = await duplicateLinks(context.db, actor, questionId);
  throw redirect(withNotice(questionUrl(question), intent === "close" ? "closed" : "reopened"));
}

export default function CloseQuestion({ loaderData, actionData }: Route.ComponentProps) {
  const { closure, now } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  const back = questionUrl(closure.question);
  const cancel = (
    <Link to={back} className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
      Cancel
    </Link>
  );
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        crumbs={[{ label: closure.question.title, to: back }]}
        title={closure.closed ? "Reopen this question" : "Close this question"}
        description={closure.closed ? "Reopening lets people answer again." : "A closed question stays readable and keeps its answers, but takes no new ones."}
      />
      <Card className="p-6">
        <FormError message={failure?.formError} />
        {closure.closed ? (
          <>
            <ClosedNotice questionId={closure.question.id} closure={{ ...closure, canClose: false }} now={now} />
            <Form method="post" className="flex flex-wrap items-center gap-3">
              <SubmitButton name="intent" value="reopen" pendingText="Reopening…">
                Reopen question
              </SubmitButton>
              {cancel}
            </Form>
          </>
        ) : (
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="close" />
            <RadioCards legend="Why close it?" name="reason" choices={CLOSE_REASONS} defaultValue={failure?.values.reason} error={failure?.fieldErrors.reason} />
            <Field
              label="Duplicate of"
              name="duplicateOf"
              hint="For duplicates: paste the original question's link, or type its number."
              defaultValue={failure?.values.duplicateOf}
              error={failure?.fieldErrors.duplicateOf}
              maxLength={500}
            />
            <Field
              label="Note"
              name="note"
              multiline
              rows={3}
              maxLength={CLOSE_NOTE_MAX}
              hint={`Optional: a word for the asker, shown with the notice. Plain text, up to ${CLOSE_NOTE_MAX} characters.`}
              defaultValue={failure?.values.note}
              error={failure?.fieldErrors.note}
            />
            <div className="flex flex-wrap items-center gap-3">
              <SubmitButton pendingText="Closing…">Close question</SubmitButton>
              {cancel}
            </div>
          </Form>
        )}
      </Card>
    </div>
  );
}
