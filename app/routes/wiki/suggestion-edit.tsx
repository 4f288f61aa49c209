import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/suggestion-edit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { EditSuggestionSchema, SUGGESTION_COMMENT_MAX, suggestionUrl } from "#app/features/wiki/governance-schemas.ts";
import { editableSuggestion, editSuggestion } from "#app/features/wiki/suggestions.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PageBodyField } from "#app/components/wiki/page-body-field.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Edit your suggestion: ${loaderData.page.title} · Commons` : "Commons" }];
}

/** The suggester's own open (or sent back) suggestion; anyone else gets a 403, a hidden page a 404. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return editableSuggestion(context.db, actor, idParam(params.pageId), idParam(params.suggestionId));
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const pageId = idParam(params.pageId);
  const suggestionId = idParam(params.suggestionId);
  const parsed = parseForm(EditSuggestionSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => editSuggestion(context.db, actor, pageId, suggestionId, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(suggestionUrl(pageId, suggestionId));
}

export default function EditSuggestion({ loaderData, actionData }: Route.ComponentProps) {
  const { page, space, suggestion } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const v = failed?.values;
  const e = failed?.fieldErrors;
  const back = suggestionUrl(page.id, suggestion.id);
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug/wiki", { slug: space.slug }) },
          { label: page.title, to: page.url },
          { label: "Your suggestion", to: back },
        ]}
        title="Edit your suggestion"
        description={
          suggestion.status === "changes_requested"
            ? "Saving sends it back to the owners for review."
            : "The owners see your suggestion as you leave it here; it keeps the version of the page it started from."
        }
      />
      {suggestion.status === "changes_requested" && suggestion.reviewNote ? (
        <Card as="section" aria-labelledby="asked-heading" className="mb-6 border-amber-200 bg-amber-50 p-4 text-sm">
          <h2 id="asked-heading" className="font-semibold text-amber-900">
            What the reviewer asked for
          </h2>
          <p className="mt-1 break-words whitespace-pre-wrap text-amber-900">{suggestion.reviewNote}</p>
        </Card>
      ) : null}
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <Field label="Title" name="title" defaultValue={v?.title ?? suggestion.title} error={e?.title} />
          <PageBodyField defaultValue={v?.body ?? suggestion.body} error={e?.body} space={space.slug} />
          <Field
            label="Why this change"
            name="comment"
            hint={`Required: what you changed and why (up to ${SUGGESTION_COMMENT_MAX} characters).`}
            defaultValue={v?.comment ?? suggestion.comment}
            error={e?.comment}
          />
          <div className="flex items-center justify-end gap-3 border-t border-slate-100 pt-5">
            <ButtonLink to={back} variant="ghost">
              Cancel
            </ButtonLink>
            <SubmitButton pendingText="Saving…">{suggestion.status === "changes_requested" ? "Save and send for review" : "Save suggestion"}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
