import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/campaign";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { campaignPage, runCampaign } from "#app/features/ideas/campaigns.server.ts";
import { ideaListParams, IDEAS_PAGE_SIZE } from "#app/features/ideas/list-params.ts";
import { voteBlockReason } from "#app/features/ideas/schemas.ts";
import { campaignUrl } from "#app/features/ideas/idea-url.ts";
import { idParam } from "#app/lib/ids.ts";
import { readForm } from "#app/lib/forms.ts";
import { absoluteDate, lastDay } from "#app/lib/time.ts";
import { InputError } from "#app/lib/errors.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FormError } from "#app/components/form.tsx";
import { LightbulbIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { CampaignTabs } from "#app/components/ideas/campaign-tabs.tsx";
import { IdeaFilters, listHref } from "#app/components/ideas/idea-filters.tsx";
import { IdeaList } from "#app/components/ideas/idea-list.tsx";
import { PhaseBadge } from "#app/components/ideas/phase-badge.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.campaign.title} · Ideas · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const list = ideaListParams(new URL(request.url));
  const page = await campaignPage(context.db, actor, idParam(params.campaignId), list);
  return { ...page, params: list, now: Date.now() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const intent = (await readForm(request)).get("intent");
  if (intent !== "close" && intent !== "reopen" && intent !== "archive" && intent !== "unarchive") throw data("Unknown action", { status: 400 });
  const campaignId = idParam(params.campaignId);
  try {
    await runCampaign(context.db, actor, campaignId, intent);
  } catch (error) {
    if (error instanceof InputError) return data({ message: error.message }, { status: 400 });
    throw error;
  }
  throw redirect(campaignUrl({ id: campaignId }));
}

export default function CampaignPage({ loaderData, actionData }: Route.ComponentProps) {
  const { campaign, space, sponsor, phase, ideas, total, params, votesLeft, canManage, statusCounts, now } = loaderData;
  const base = campaignUrl(campaign);
  const open = phase === "open";
  const submit = href("/campaigns/:campaignId/submit", { campaignId: String(campaign.id) });
  const voteBlock = (idea: (typeof ideas)[number]) => voteBlockReason(phase, idea.status, idea.owned);
  const filtered = params.category !== null || params.status !== null;
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Ideas", to: href("/campaigns") },
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
        ]}
        title={campaign.title}
        actions={
          <>
            {canManage ? <ManageButtons phase={phase} closedEarly={campaign.closedAt !== null && !campaign.archivedAt} /> : null}
            {open ? (
              <ButtonLink to={submit} variant="primary">
                Give an idea
              </ButtonLink>
            ) : null}
          </>
        }
      >
        <p className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600">
          <PhaseBadge phase={phase} />
          <span>Sponsored by {sponsor.name}</span>
          <span>
            {absoluteDate(campaign.startsAt)} to {absoluteDate(lastDay(campaign.endsAt))}
          </span>
          {votesLeft !== null ? (
            <span className="font-semibold text-slate-900" role="status">
              {votesLeft} of {campaign.voteBudget} votes left
            </span>
          ) : null}
        </p>
      </PageHeader>
      {actionData ? <FormError message={actionData.message} /> : null}
      <details className="mb-6 rounded-xl border border-slate-200 bg-white p-5" open={total === 0 && !filtered}>
        <summary className="cursor-pointer text-sm font-semibold text-slate-900">The brief</summary>
        <PostBody html={campaign.briefHtml} className="mt-3" />
      </details>
      <CampaignTabs campaignId={campaign.id} />
      <IdeaFilters base={base} params={params} categories={campaign.categories} statusCounts={statusCounts} />
      {ideas.length === 0 ? (
        <EmptyState
          icon={<LightbulbIcon />}
          title={filtered ? "No ideas match these filters" : "No ideas yet"}
          action={
            !filtered && open ? (
              <ButtonLink to={submit} variant="primary">
                Give the first idea
              </ButtonLink>
            ) : undefined
          }
        >
          {filtered
            ? "Try another category or status."
            : open
              ? "Be the first: a good idea says what to change, who gains and how we would know it worked."
              : "This campaign received no ideas."}
        </EmptyState>
      ) : (
        <>
          <IdeaList ideas={ideas} now={now} voteBlock={voteBlock} />
          <Pagination
            offset={(params.page - 1) * IDEAS_PAGE_SIZE}
            pageSize={IDEAS_PAGE_SIZE}
            total={total}
            shown={ideas.length}
            pageHref={(page) => listHref(base, params, { page })}
            label="Pages of ideas"
          />
        </>
      )}
    </>
  );
}

/** The sponsor's controls: close early, reopen, archive. Plain forms; each says what it does. */
function ManageButtons({ phase, closedEarly }: { phase: string; closedEarly: boolean }) {
  const button = (intent: string, label: string, title: string) => (
    <Form method="post" key={intent}>
      <button
        type="submit"
        name="intent"
        value={intent}
        title={title}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50"
      >
        {label}
      </button>
    </Form>
  );
  return (
    <>
      {phase === "open" || phase === "upcoming" ? button("close", "Close now", "Stop new ideas and freeze votes before the end date") : null}
      {phase === "closed" && closedEarly ? button("reopen", "Reopen", "Take ideas and votes again until the end date") : null}
      {phase === "archived" ? button("unarchive", "Unarchive", "Show the campaign in the list again") : button("archive", "Archive", "Close it and move it out of the campaign list")}
    </>
  );
}
