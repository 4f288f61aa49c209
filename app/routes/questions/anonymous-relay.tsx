import { Form, Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/anonymous-relay";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { relayPage, sendRelayMessage } from "#app/features/anonymous/moderation.server.ts";
import { RELAY_MAX, RelaySchema } from "#app/features/anonymous/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { RelayMessageList } from "#app/components/anonymous/anonymous-records.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { Field, FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Message the asker of “${loaderData.question.title}” · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  // A 404 unless the reader sees an anonymous question here; a 403 unless they moderate its space.
  const page = await relayPage(context.db, actor, idParam(params.questionId));
  return { ...page, sent: new URL(request.url).searchParams.has("sent"), now: Date.now() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const questionId = idParam(params.questionId);
  const parsed = parseForm(RelaySchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => sendRelayMessage(context.db, actor, questionId, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(`${href("/questions/:questionId/asker/message", { questionId: String(questionId) })}?sent=1`);
}

export default function MessageAsker({ loaderData, actionData }: Route.ComponentProps) {
  const { question, messages, sent, now } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        crumbs={[{ label: question.title, to: question.url }]}
        title="Message the asker"
        description="Your message goes to whoever asked this question, in their inbox and on their page of anonymous questions. You are not told who it reaches, nor whether it did."
      />
      <Notice message={sent ? "Message sent to the asker." : null} />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <Field
            label="Message"
            name="body"
            multiline
            rows={6}
            maxLength={RELAY_MAX}
            hint={`Plain text, up to ${RELAY_MAX.toLocaleString("en")} characters. The asker sees your name with it.`}
            defaultValue={failed?.values.body}
            error={failed?.fieldErrors.body}
          />
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pendingText="Sending…">Send to the asker</SubmitButton>
            <Link to={question.url} className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
              Back to the question
            </Link>
          </div>
        </Form>
      </Card>
      <CardSection title="Sent so far" titleId="sent-heading" className="mt-6" description="Messages this question's moderators sent its asker.">
        {messages.length > 0 ? <RelayMessageList messages={messages} now={now} label="Messages sent" /> : <p className="text-sm text-slate-500">No messages yet.</p>}
      </CardSection>
    </div>
  );
}
