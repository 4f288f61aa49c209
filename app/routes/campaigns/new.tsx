import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/new";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { createCampaign, sponsorableSpaces } from "#app/features/ideas/campaigns.server.ts";
import { campaignUrl } from "#app/features/ideas/idea-url.ts";
import { CampaignSchema, DEFAULT_CRITERIA } from "#app/features/ideas/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SelectField, SubmitButton } from "#app/components/form.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "New campaign · Commons" }];
}

const DAY = 24 * 3600 * 1000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const spaces = await sponsorableSpaces(context.db, actor);
  const wanted = new URL(request.url).searchParams.get("space");
  const now = Date.now();
  return {
    spaces: spaces.map((s) => ({ value: s.slug, label: s.name })),
    preselected: spaces.find((s) => s.slug === wanted)?.slug ?? "",
    // A month from today is what most sponsors pick; they change it here.
    startsOn: isoDay(new Date(now)),
    endsOn: isoDay(new Date(now + 30 * DAY)),
    submissionKey: crypto.randomUUID(),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(CampaignSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => createCampaign(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(campaignUrl(result.result));
}

export default function NewCampaign({ loaderData, actionData }: Route.ComponentProps) {
  const { spaces, preselected, startsOn, endsOn, submissionKey } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const v = failed?.values;
  const e = failed?.fieldErrors;
  if (spaces.length === 0) {
    return (
      <div className="mx-auto max-w-3xl">
        <PageHeader title="New campaign" crumbs={[{ label: "Ideas", to: href("/campaigns") }]} />
        <EmptyState title="Campaigns are started by moderators">Ask a moderator of the space, or an admin, to sponsor the campaign you have in mind.</EmptyState>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="New campaign"
        crumbs={[{ label: "Ideas", to: href("/campaigns") }]}
        description="Ask the company one question, for a set time. People give ideas and vote; you and your evaluators decide, and every decision is explained to them."
      />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="submissionKey" value={submissionKey} />
          <SelectField
            label="Space"
            name="space"
            emptyLabel="Choose a space"
            options={spaces}
            hint="The campaign and its ideas are visible to whoever can see this space."
            defaultValue={v?.space ?? preselected}
            error={e?.space}
          />
          <Field label="Title" name="title" hint="The question you ask, e.g. “Make our HR processes simpler”." defaultValue={v?.title} error={e?.title} />
          <Field
            label="Brief"
            name="brief"
            multiline
            rows={8}
            hint="Markdown: what you want ideas about, what is out of scope, and how ideas will be judged."
            defaultValue={v?.brief}
            error={e?.brief}
          />
          <MarkdownHelp />
          <div className="grid gap-x-4 sm:grid-cols-2">
            <Field label="Start date" name="startsOn" type="date" hint="Ideas and votes open on this day (UTC)." defaultValue={v?.startsOn ?? startsOn} error={e?.startsOn} />
            <Field label="End date" name="endsOn" type="date" hint="The last day for ideas and votes; then votes freeze." defaultValue={v?.endsOn ?? endsOn} error={e?.endsOn} />
          </div>
          <Field
            label="Categories (optional)"
            name="categories"
            hint="Separated by commas, e.g. Onboarding, Expenses, Benefits. Each idea picks one."
            defaultValue={v?.categories}
            error={e?.categories}
          />
          <Field
            label="Vote budget (optional)"
            name="voteBudget"
            type="number"
            hint="Votes each person may spend across the campaign. Empty: one vote per idea, no limit."
            defaultValue={v?.voteBudget}
            error={e?.voteBudget}
          />
          <Field
            label="Evaluators (optional)"
            name="evaluators"
            hint="Colleagues who score ideas privately, by handle: @ada.lovelace, @grace.hopper."
            defaultValue={v?.evaluators}
            error={e?.evaluators}
          />
          <Field
            label="Evaluation criteria"
            name="criteria"
            hint="What evaluators score from 1 to 5, separated by commas."
            defaultValue={v?.criteria ?? DEFAULT_CRITERIA.join(", ")}
            error={e?.criteria}
          />
          <div className="flex justify-end border-t border-slate-100 pt-5">
            <SubmitButton pendingText="Starting…">Start the campaign</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
