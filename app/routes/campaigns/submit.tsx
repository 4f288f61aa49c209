import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/submit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { campaignPhase, loadCampaign } from "#app/features/ideas/access.server.ts";
import { submitIdea } from "#app/features/ideas/ideas.server.ts";
import { campaignUrl, ideaUrl } from "#app/features/ideas/idea-url.ts";
import { IdeaSchema } from "#app/features/ideas/schemas.ts";
import { idParam } from "#app/lib/ids.ts";
import { TITLE_MAX } from "#app/features/qa/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Field, FormError, SelectField, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";
import { TagInput } from "#app/components/qa/tag-input.tsx";
import { IdeaTitleField } from "#app/components/ideas/idea-title-field.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Give an idea · ${loaderData.campaign.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { campaign, space } = await loadCampaign(context.db, actor, idParam(params.campaignId));
  return {
    campaign: { id: campaign.id, title: campaign.title, categories: campaign.categories },
    space: { slug: space.slug, name: space.name },
    phase: campaignPhase(campaign, new Date()),
    submissionKey: crypto.randomUUID(),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(IdeaSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => submitIdea(context.db, actor, idParam(params.campaignId), parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(ideaUrl(result.result));
}

export default function SubmitIdea({ loaderData, actionData }: Route.ComponentProps) {
  const { campaign, phase, submissionKey } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const v = failed?.values;
  const e = failed?.fieldErrors;
  const crumbs = [
    { label: "Ideas", to: href("/campaigns") },
    { label: campaign.title, to: campaignUrl(campaign) },
  ];
  if (phase !== "open") {
    return (
      <div className="mx-auto max-w-3xl">
        <PageHeader title="Give an idea" crumbs={crumbs} />
        <EmptyState title={phase === "upcoming" ? "This campaign has not started yet" : "This campaign is closed"}>
          {phase === "upcoming" ? "Ideas open on its start date." : "It takes no new ideas. Its ideas are still open to read and follow."}
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title="Give an idea" crumbs={crumbs} description="Say what should change, who gains, and how we would know it worked. Colleagues vote; the sponsor answers every idea." />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="submissionKey" value={submissionKey} />
          <IdeaTitleField
            campaignId={campaign.id}
            hint={`One line (up to ${TITLE_MAX} characters), e.g. “Let new starters book their laptop before day one”.`}
            defaultValue={v?.title}
            error={e?.title}
          />
          <Field label="Description" name="body" multiline rows={10} hint="Markdown: the problem, your idea, and what it would take." defaultValue={v?.body} error={e?.body} />
          <MarkdownHelp />
          {campaign.categories.length > 0 ? (
            <SelectField
              label="Category"
              name="category"
              emptyLabel="Choose a category"
              options={campaign.categories.map((c) => ({ value: c, label: c }))}
              defaultValue={v?.category}
              error={e?.category}
            />
          ) : null}
          <TagInput defaultValue={v?.tags} error={e?.tags} />
          <Field
            label="Co-owners (optional)"
            name="coOwners"
            hint="Colleagues who had the idea with you, by handle (@ada.lovelace). They are asked to accept, then credited with you."
            defaultValue={v?.coOwners}
            error={e?.coOwners}
          />
          <div className="flex justify-end border-t border-slate-100 pt-5">
            <SubmitButton pendingText="Sending…">Submit your idea</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
