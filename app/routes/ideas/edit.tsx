import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/edit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { loadIdea } from "#app/features/ideas/access.server.ts";
import { editIdea, requireIdeaEditor } from "#app/features/ideas/ideas.server.ts";
import { campaignUrl, ideaUrl } from "#app/features/ideas/idea-url.ts";
import { EditIdeaSchema } from "#app/features/ideas/schemas.ts";
import { idParam } from "#app/lib/ids.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SelectField, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";
import { TagInput } from "#app/components/qa/tag-input.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Edit: ${loaderData.idea.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const access = await loadIdea(context.db, actor, idParam(params.ideaId));
  await requireIdeaEditor(context.db, actor, access);
  const { idea, campaign } = access;
  return {
    idea: { id: idea.id, title: idea.title, body: idea.body, category: idea.category, tags: idea.tags },
    campaign: { id: campaign.id, title: campaign.title, categories: campaign.categories },
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const ideaId = idParam(params.ideaId);
  const parsed = parseForm(EditIdeaSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => editIdea(context.db, actor, ideaId, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(ideaUrl({ id: ideaId }));
}

export default function EditIdea({ loaderData, actionData }: Route.ComponentProps) {
  const { idea, campaign } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const v = failed?.values;
  const e = failed?.fieldErrors;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="Edit the idea"
        crumbs={[
          { label: "Ideas", to: href("/campaigns") },
          { label: campaign.title, to: campaignUrl(campaign) },
          { label: idea.title, to: ideaUrl(idea) },
        ]}
        description="Every version is kept in the idea's history."
      />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <Field label="Title" name="title" defaultValue={v?.title ?? idea.title} error={e?.title} />
          <Field label="Description" name="body" multiline rows={12} defaultValue={v?.body ?? idea.body} error={e?.body} />
          <MarkdownHelp />
          {campaign.categories.length > 0 ? (
            <SelectField
              label="Category"
              name="category"
              emptyLabel="Choose a category"
              options={campaign.categories.map((c) => ({ value: c, label: c }))}
              defaultValue={v?.category ?? idea.category}
              error={e?.category}
            />
          ) : null}
          <TagInput defaultValue={v?.tags ?? idea.tags.join(" ")} error={e?.tags} />
          <Field label="Edit summary (optional)" name="comment" hint="What you changed and why, e.g. “added the cost estimate”." defaultValue={v?.comment} error={e?.comment} />
          <div className="flex justify-end border-t border-slate-100 pt-5">
            <SubmitButton pendingText="Saving…">Save the idea</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
