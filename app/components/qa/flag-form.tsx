import { Form, Link } from "react-router";
import { FLAG_DETAILS_MAX, FLAG_REASONS } from "#app/features/moderation/flag-schema.ts";
import type { FlagFormTarget } from "#app/features/moderation/flags.server.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RadioCards } from "#app/components/radio-cards.tsx";

/**
 * The flag page of an item (a question, an answer, an idea) or a comment: what is being flagged
 * (as text), the reasons with what each means, and details. A plain form: it works before
 * JavaScript loads.
 */
export function FlagForm({ target, failure }: { target: FlagFormTarget; failure: FormFailure | null }) {
  const { backUrl } = target;
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        crumbs={[{ label: target.page.title, to: target.page.url }]}
        title={`Flag this ${target.kind}`}
        description="Flags go to the moderators of this space. They see who flagged and why; the author does not."
      />
      <Card className="p-6">
        <figure className="mb-5 rounded-lg border border-slate-200 bg-slate-50 px-4 py-3">
          <figcaption className="text-xs font-semibold tracking-wide text-slate-500 uppercase">The {target.kind}</figcaption>
          <blockquote className="mt-1 text-sm break-words text-slate-700">{target.excerpt}</blockquote>
        </figure>
        {target.own ? (
          <p className="text-sm text-slate-700">
            This is your own {target.kind}: you cannot flag it. Edit or delete it instead.{" "}
            <Link to={backUrl} className="font-medium text-brand-700 underline">
              Back to the {target.page.noun}
            </Link>
          </p>
        ) : (
          <>
            <FormError message={failure?.formError} />
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="flag" />
              <RadioCards legend="What is wrong with it?" name="reason" choices={FLAG_REASONS} defaultValue={failure?.values.reason} error={failure?.fieldErrors.reason} />
              <Field
                label="Details"
                name="details"
                multiline
                rows={4}
                maxLength={FLAG_DETAILS_MAX}
                hint={`Optional for spam and rude; required (10 to ${FLAG_DETAILS_MAX} characters) when you ask for a moderator.`}
                defaultValue={failure?.values.details}
                error={failure?.fieldErrors.details}
              />
              <div className="flex flex-wrap items-center gap-3">
                <SubmitButton pendingText="Flagging…">Flag {target.kind}</SubmitButton>
                <Link to={backUrl} className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
                  Cancel
                </Link>
              </div>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
