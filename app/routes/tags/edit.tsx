import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/edit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { TAG_DESCRIPTION_MAX, TagDescriptionSchema } from "#app/features/qa/tag-schema.ts";
import { tagForEdit, updateTagDescription } from "#app/features/qa/tags.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Edit ${loaderData.tag.name} · Tags · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return { tag: await tagForEdit(context.db, actor, params.name.toLowerCase()) };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const formData = await readForm(request);
  if (formData.get("intent") !== "save-tag") throw data(null, { status: 400 });
  const parsed = parseForm(TagDescriptionSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await attempt(parsed.values, () => updateTagDescription(context.db, actor, params.name.toLowerCase(), parsed.data));
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(href("/tags/:name", { name: encodeURIComponent(result.result.name) }));
}

export default function EditTag({ loaderData, actionData }: Route.ComponentProps) {
  const { tag } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const tagHref = href("/tags/:name", { name: encodeURIComponent(tag.name) });
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        crumbs={[
          { label: "Tags", to: href("/tags") },
          { label: tag.name, to: tagHref },
        ]}
        title={`Edit the description of “${tag.name}”`}
        description="Say what the tag is for and when to use it. Everyone who can see the tag reads this."
      />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="save-tag" />
          <Field
            label="Description"
            name="description"
            multiline
            rows={8}
            maxLength={TAG_DESCRIPTION_MAX}
            hint={`Markdown, up to ${TAG_DESCRIPTION_MAX.toLocaleString("en")} characters. Leave it empty to remove the description.`}
            defaultValue={failed?.values.description ?? tag.description}
            error={failed?.fieldErrors.description}
          />
          <MarkdownHelp />
          <div className="flex items-center justify-end gap-3 border-t border-slate-100 pt-5">
            <ButtonLink to={tagHref} variant="ghost">
              Cancel
            </ButtonLink>
            <SubmitButton pendingText="Saving…">Save description</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
