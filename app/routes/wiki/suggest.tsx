import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/suggest";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { SUGGESTION_COMMENT_MAX, SuggestSchema, suggestionUrl } from "#app/features/wiki/governance-schemas.ts";
import { submitSuggestion, suggestForm } from "#app/features/wiki/suggestions.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PageBodyField } from "#app/components/wiki/page-body-field.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Suggest an edit: ${loaderData.page.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const form = await suggestForm(context.db, actor, idParam(params.pageId));
  return { ...form, submissionKey: crypto.randomUUID() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const pageId = idParam(params.pageId);
  const parsed = parseForm(SuggestSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => submitSuggestion(context.db, actor, pageId, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(suggestionUrl(pageId, result.result.id));
}

export default function SuggestEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { page, space, isProtected, canEditDirectly, submissionKey } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const v = failed?.values;
  const e = failed?.fieldErrors;
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug/wiki", { slug: space.slug }) },
          { label: page.title, to: page.url },
        ]}
        title="Suggest an edit"
        description={
          isProtected && !canEditDirectly
            ? "This page is protected: its owners review what you suggest, see it as a change to the current version, and approve it, ask you for changes, or decline it with a reason."
            : "The page's owners review what you suggest and approve it, ask you for changes, or decline it with a reason. You can also edit the page directly."
        }
      />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="submissionKey" value={submissionKey} />
          <input type="hidden" name="baseRevision" value={v?.baseRevision ?? page.revisionCount} />
          <Field label="Title" name="title" defaultValue={v?.title ?? page.title} error={e?.title} />
          <PageBodyField defaultValue={v?.body ?? page.body} error={e?.body} space={space.slug} />
          <Field
            label="Why this change"
            name="comment"
            hint={`Required: what you changed and why, for the owners who review it (up to ${SUGGESTION_COMMENT_MAX} characters).`}
            defaultValue={v?.comment}
            error={e?.comment}
          />
          <div className="flex items-center justify-end gap-3 border-t border-slate-100 pt-5">
            <ButtonLink to={page.url} variant="ghost">
              Cancel
            </ButtonLink>
            <SubmitButton pendingText="Sending…">Suggest this edit</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
