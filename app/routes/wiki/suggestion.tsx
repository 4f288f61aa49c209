import { Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/suggestion";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { ApproveSchema, DeclineSchema, RequestChangesSchema, suggestionUrl } from "#app/features/wiki/governance-schemas.ts";
import { reviewSuggestion, suggestionView, withdrawSuggestion } from "#app/features/wiki/suggestions.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { FormError } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { ReviewForms, WithdrawForm } from "#app/components/wiki/suggestion-review.tsx";
import { SuggestionDiff } from "#app/components/wiki/suggestion-diff.tsx";
import { SuggestionStatusBadge } from "#app/components/wiki/suggestion-list.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Suggested edit to ${loaderData.page.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const view = await suggestionView(context.db, actor, idParam(params.pageId), idParam(params.suggestionId));
  return { ...view, now: Date.now() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const pageId = idParam(params.pageId);
  const suggestionId = idParam(params.suggestionId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const review = (decision: Parameters<typeof reviewSuggestion>[4]) => () => reviewSuggestion(context.db, actor, pageId, suggestionId, decision);
  let result;
  if (intent === "withdraw") {
    result = await attempt({}, () => withdrawSuggestion(context.db, actor, pageId, suggestionId));
  } else if (intent === "approve") {
    const parsed = parseForm(ApproveSchema, form);
    result = parsed.ok ? await attempt(parsed.values, review({ kind: "approve", ...parsed.data })) : parsed;
  } else if (intent === "request-changes") {
    const parsed = parseForm(RequestChangesSchema, form);
    result = parsed.ok ? await attempt(parsed.values, review({ kind: "request_changes", note: parsed.data.note })) : parsed;
  } else if (intent === "decline") {
    const parsed = parseForm(DeclineSchema, form);
    result = parsed.ok ? await attempt(parsed.values, review({ kind: "decline", note: parsed.data.note })) : parsed;
  } else {
    throw data("Unknown action", { status: 400 });
  }
  if (!result.ok) return data({ ...result, intent: String(intent) }, { status: 400 });
  throw redirect(suggestionUrl(pageId, suggestionId));
}

const OUTCOME = { approved: "Approved", declined: "Declined", changes_requested: "Changes asked for", open: "Reviewed", withdrawn: "Withdrawn" } as const;

export default function SuggestionPage({ loaderData, actionData }: Route.ComponentProps) {
  const { page, space, suggestion: s, base, diff, conflict, permissions, now } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const pageId = String(page.id);
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug/wiki", { slug: space.slug }) },
          { label: page.title, to: page.url },
          { label: "Suggested edits", to: href("/wiki/:pageId/suggestions", { pageId }) },
        ]}
        title={`Suggested edit to “${page.title}”`}
        actions={permissions.canEdit ? <ButtonLink to={href("/wiki/:pageId/suggestions/:suggestionId/edit", { pageId, suggestionId: String(s.id) })}>Edit your suggestion</ButtonLink> : null}
      >
        <p className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
          <SuggestionStatusBadge status={s.status} />
          <span>
            By{" "}
            <Link to={href("/people/:userId", { userId: String(s.author.id) })} className="font-medium text-slate-800 hover:underline">
              {s.author.name}
            </Link>
            , <RelativeTime date={s.createdAt} now={now} />, from version {s.baseRevision}
          </span>
        </p>
      </PageHeader>

      <FormError message={failed?.intent === "withdraw" ? failed.formError : undefined} />

      <Card as="section" aria-labelledby="why-heading" className="p-5">
        <h2 id="why-heading" className="text-sm font-semibold text-slate-900">
          Why
        </h2>
        <p className="mt-1 text-sm break-words whitespace-pre-wrap text-slate-800">{s.comment}</p>
        {s.promotedFrom ? (
          <p className="mt-2 text-sm text-slate-600">
            Adds an answer to{" "}
            <Link to={s.promotedFrom.url} className="font-medium text-brand-700 hover:underline">
              {s.promotedFrom.title}
            </Link>
            .
          </p>
        ) : null}
        {s.reviewer && s.reviewedAt ? (
          <div className="mt-4 border-t border-slate-100 pt-3 text-sm">
            <p className="text-slate-600">
              {s.status === "open" ? "Changes were asked for earlier" : OUTCOME[s.status]} by {s.reviewer.name}, <RelativeTime date={s.reviewedAt} now={now} />
              {s.status === "approved" && s.resultRevision ? (
                <>
                  {" "}
                  as version {s.resultRevision} (
                  <Link to={href("/wiki/:pageId/history", { pageId })} className="text-brand-700 hover:underline">
                    history
                  </Link>
                  )
                </>
              ) : null}
              {s.reviewNote ? ":" : "."}
            </p>
            {s.reviewNote ? <p className="mt-1 break-words whitespace-pre-wrap text-slate-800">{s.reviewNote}</p> : null}
          </div>
        ) : null}
      </Card>

      {conflict ? (
        <section aria-labelledby="conflict-heading" className="space-y-3">
          <div role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
            <h2 id="conflict-heading" className="font-semibold">
              The page changed since this suggestion was written
            </h2>
            <p className="mt-1">
              It is at version {conflict.revision} now{conflict.editor ? `, last saved by ${conflict.editor}` : ""}; the suggestion started from version {s.baseRevision}. Approving takes a
              text that brings both changes together: nothing is merged for you.
            </p>
          </div>
          <div className="grid gap-4 lg:grid-cols-2">
            <Card className="p-5">
              <h3 className="mb-3 text-sm font-semibold text-slate-900">Changed on the page meanwhile</h3>
              <SuggestionDiff diff={conflict.meanwhile} before={base} after={conflict} label="Changes saved on the page since the suggestion's version" />
            </Card>
            <Card className="p-5">
              <h3 className="mb-3 text-sm font-semibold text-slate-900">This suggestion</h3>
              <SuggestionDiff diff={diff} before={base} after={s} label="Changes this suggestion makes" />
            </Card>
          </div>
        </section>
      ) : (
        <Card as="section" aria-labelledby="changes-heading" className="p-5">
          <h2 id="changes-heading" className="mb-3 text-sm font-semibold text-slate-900">
            Changes against version {s.baseRevision}
          </h2>
          <SuggestionDiff diff={diff} before={base} after={s} label="Changes this suggestion makes" />
        </Card>
      )}

      {permissions.canReview ? <ReviewForms suggestion={s} page={page} conflict={conflict} space={space.slug} failure={failed} /> : null}
      {permissions.canEdit ? <WithdrawForm /> : null}
    </div>
  );
}
