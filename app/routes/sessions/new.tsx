import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/new";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { localFromUtc, SessionSchema } from "#app/features/live/schemas.ts";
import { canSchedule, schedulableSpaces, scheduleSession } from "#app/features/live/sessions.server.ts";
import { attempt, ForbiddenError } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SelectField, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PersonField } from "#app/components/person-field.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Schedule a live session · Commons" }];
}

const HOUR = 3600 * 1000;
const NOT_ALLOWED = "Moderators and admins schedule live sessions: ask one of them for the session you have in mind.";

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  if (!(await canSchedule(context.db, actor))) throw new ForbiddenError(NOT_ALLOWED);
  const spaces = await schedulableSpaces(context.db, actor);
  // Next full hour, for an hour: what most sessions are; the moderator changes it here.
  const start = new Date(Math.ceil((Date.now() + HOUR) / HOUR) * HOUR);
  return {
    spaces: spaces.map((s) => ({ value: s.slug, label: s.name })),
    forumAllowed: actor.role === "admin" || actor.role === "moderator",
    startsAt: localFromUtc(start),
    endsAt: localFromUtc(new Date(start.getTime() + HOUR)),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  if (!(await canSchedule(context.db, actor))) throw new ForbiddenError(NOT_ALLOWED);
  const parsed = parseForm(SessionSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => scheduleSession(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(href("/sessions/:sessionId", { sessionId: String(result.result.id) }));
}

export default function NewSession({ loaderData, actionData }: Route.ComponentProps) {
  const { spaces, forumAllowed, startsAt, endsAt } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const v = failed?.values;
  const e = failed?.fieldErrors;
  const audiences = [...(forumAllowed ? [{ value: "forum", label: "Customers, on the public forum" }] : []), { value: "internal", label: "Employees, in a space" }];
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="Schedule a live session"
        crumbs={[{ label: "Live sessions", to: href("/sessions") }]}
        description="Experts answer questions live for an hour or so. People send questions and vote before it starts; afterwards the session becomes a thread everyone can search."
      />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <Field label="Title" name="title" hint="What the session is about, e.g. “Ask the PostgreSQL team”." defaultValue={v?.title} error={e?.title} />
          <Field
            label="Description"
            name="description"
            multiline
            rows={6}
            hint="Markdown: what to ask about, and what is out of scope."
            defaultValue={v?.description}
            error={e?.description}
          />
          <MarkdownHelp />
          <Field label="Topic" name="topic" hint="One tag, e.g. postgres: the thread the session becomes carries it." defaultValue={v?.topic} error={e?.topic} />
          <SelectField label="Audience" name="audience" options={audiences} defaultValue={v?.audience ?? audiences[0]!.value} error={e?.audience} />
          <SelectField
            label="Space (internal sessions)"
            name="space"
            emptyLabel="Choose a space"
            options={spaces}
            hint="Its members take part; it is where the session's question goes afterwards."
            defaultValue={v?.space}
            error={e?.space}
          />
          <div className="grid gap-x-4 sm:grid-cols-2">
            <Field label="Starts at (UTC)" name="startsAt" type="datetime-local" defaultValue={v?.startsAt ?? startsAt} error={e?.startsAt} />
            <Field label="Ends at (UTC)" name="endsAt" type="datetime-local" defaultValue={v?.endsAt ?? endsAt} error={e?.endsAt} />
          </div>
          <PersonField
            label="Experts"
            name="experts"
            hint="One or more colleagues by handle, separated by commas: @sofia.martins, @kenji.sato."
            defaultValue={v?.experts}
            error={e?.experts}
          />
          <div className="flex justify-end border-t border-slate-100 pt-5">
            <SubmitButton pendingText="Scheduling…">Schedule the session</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
