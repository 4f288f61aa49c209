import { Form, Link, data, href } from "react-router";
import type { Route } from "./+types/anonymous-break-glass";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { breakGlass, breakGlassPage } from "#app/features/anonymous/moderation.server.ts";
import { BreakGlassSchema, REASON_MAX, REASON_MIN } from "#app/features/anonymous/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { BreakGlassList } from "#app/components/anonymous/anonymous-records.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { AlertIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Look up the asker of “${loaderData.question.title}” · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  // A 404 unless the reader sees an anonymous question here; a 403 unless they moderate its space.
  return { ...(await breakGlassPage(context.db, actor, idParam(params.questionId))), now: Date.now() };
}

/** The identity is in this response only (never stored for a page, never cached): reloading the page shows the form again. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(BreakGlassSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => breakGlass(context.db, actor, idParam(params.questionId), parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  return data({ ok: true as const, asker: result.result.asker }, { headers: { "Cache-Control": "no-store" } });
}

export default function BreakGlass({ loaderData, actionData }: Route.ComponentProps) {
  const { question, records, now } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const revealed = actionData && actionData.ok ? actionData : null;
  const back = (
    <Link to={question.url} className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
      Back to the question
    </Link>
  );
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        crumbs={[{ label: question.title, to: question.url }]}
        title="Look up the asker"
        description="For abuse handling only: threats, harassment, or a safety concern you cannot handle through a message."
      />
      {revealed ? (
        <Card as="section" aria-labelledby="revealed-heading" className="p-6">
          <h2 id="revealed-heading" className="text-base font-semibold text-slate-900">
            The asker
          </h2>
          <p className="mt-2 text-lg font-medium text-slate-900">
            <Link to={href("/people/:userId", { userId: String(revealed.asker.id) })} className="hover:text-brand-700 hover:underline">
              {revealed.asker.name}
            </Link>
          </p>
          <p className="text-sm text-slate-700">{[revealed.asker.email, revealed.asker.title, revealed.asker.department].filter(Boolean).join(" · ")}</p>
          {revealed.asker.active ? null : <p className="mt-1 text-sm text-slate-600">This account is deactivated.</p>}
          <p className="mt-4 text-sm text-slate-600">
            This is shown once: it is not kept on any page. Your look-up is logged with your reason; the asker has been told who looked, when and why, and admins see it on the moderation
            page.
          </p>
          <div className="mt-4">{back}</div>
        </Card>
      ) : (
        <Card className="p-6">
          <div role="note" className="mb-5 flex gap-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            <AlertIcon className="mt-0.5 size-4 shrink-0" />
            <p>
              The asker was promised that nobody sees who they are. Looking them up is logged with your name and your reason; the asker reads both afterwards, and admins see every look-up.
              To ask for details, message the asker instead.
            </p>
          </div>
          <FormError message={failed?.formError} />
          <Form method="post" noValidate>
            <Field
              label="Reason"
              name="reason"
              multiline
              rows={4}
              maxLength={REASON_MAX}
              hint={`At least ${REASON_MIN} characters, plain text. The asker will read it.`}
              defaultValue={failed?.values.reason}
              error={failed?.fieldErrors.reason}
            />
            <div className="flex flex-wrap items-center gap-3">
              <SubmitButton variant="danger" pendingText="Looking up…">
                Log my reason and show who asked
              </SubmitButton>
              {back}
            </div>
          </Form>
        </Card>
      )}
      <CardSection title="Earlier look-ups" titleId="lookups-heading" className="mt-6" description="Every look-up of this question's asker: who, when and why.">
        {records.length > 0 ? <BreakGlassList records={records} now={now} label="Earlier look-ups" /> : <p className="text-sm text-slate-500">Nobody has looked up this asker.</p>}
      </CardSection>
    </div>
  );
}
