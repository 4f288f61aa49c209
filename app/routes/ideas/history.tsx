import { data, href, redirect } from "react-router";
import type { Route } from "./+types/history";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { ideaHistory } from "#app/features/ideas/ideas.server.ts";
import { loadIdea } from "#app/features/ideas/access.server.ts";
import { redactRevision, redactedOriginals } from "#app/features/moderation/redaction.server.ts";
import { RedactSchema } from "#app/features/moderation/redaction-schema.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { campaignUrl, ideaUrl } from "#app/features/ideas/idea-url.ts";
import { idParam } from "#app/lib/ids.ts";
import { Badge } from "#app/components/badge.tsx";
import { Card } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { DiffText, TagDiff } from "#app/components/content/diff-text.tsx";
import { RedactForm, RedactedOriginal } from "#app/components/moderation/redaction.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `History: ${loaderData.idea.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { revisions, ...history } = await ideaHistory(context.db, actor, idParam(params.ideaId));
  const originals = await redactedOriginals(
    context.db,
    actor,
    revisions.filter((r) => r.redactedAt).map((r) => r.id),
  );
  return {
    ...history,
    revisions: revisions.map(({ id, redactedAt, ...r }) => ({ ...r, redacted: redactedAt !== null, original: originals.get(id) ?? null })),
    // Whoever moderates the idea's comments redacts its versions: the space's moderators, admins and the campaign's sponsor.
    canRedact: history.canManage,
    now: Date.now(),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  if (form.get("intent") !== "redact") throw data("Unknown action", { status: 400 });
  const ideaId = idParam(params.ideaId);
  const parsed = parseForm(RedactSchema, form);
  const redacting = idParam(form.get("revision"));
  if (!parsed.ok) return data({ ...parsed, redacting }, { status: 400 });
  const { idea } = await loadIdea(context.db, actor, ideaId);
  const redacted = await attempt(parsed.values, () => redactRevision(context.db, actor, idea.itemId, parsed.data));
  if (!redacted.ok) return data({ ...redacted, redacting }, { status: 400 });
  throw redirect(`${href("/ideas/:ideaId/history", { ideaId: String(ideaId) })}#revision-${redacted.result.revision}`);
}

export default function IdeaHistory({ loaderData, actionData }: Route.ComponentProps) {
  const { idea, campaign, revisions, canRedact, now } = loaderData;
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[
          { label: "Ideas", to: href("/campaigns") },
          { label: campaign.title, to: campaignUrl(campaign) },
          { label: idea.title, to: ideaUrl(idea) },
        ]}
        title="Idea history"
        description={`${revisions.length} ${revisions.length === 1 ? "version" : "versions"}, newest first. Each shows what changed from the one before it.`}
      />
      <ol className="space-y-4">
        {revisions.map((r) => (
          <li key={r.number}>
            <Card as="section" aria-labelledby={`revision-${r.number}`} className="p-5">
              <h2 id={`revision-${r.number}`} className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
                Version {r.number}
                {r.number === idea.revisionCount ? <Badge tone="green">Current</Badge> : null}
                {r.number === 1 ? <Badge tone="neutral">Original</Badge> : null}
                {r.redacted ? <Badge tone="red">Redacted</Badge> : null}
              </h2>
              <p className="mt-1 text-sm text-slate-600">
                {r.editor.name} · <RelativeTime date={r.createdAt} now={now} />
                {r.comment ? <> · “{r.comment}”</> : null}
                {r.category ? <> · {r.category}</> : null}
              </p>
              <div className="mt-4 space-y-3 text-sm">
                <p className="font-medium text-slate-900">{r.diff?.title ? <DiffText parts={r.diff.title} /> : r.title}</p>
                <TagDiff parts={r.diff ? r.diff.tags : r.tags.map((value) => ({ value, change: "same" as const }))} />
                {r.diff?.category.some((p) => p.change !== "same") ? (
                  <p className="text-slate-700">
                    Category: <DiffText parts={r.diff.category.map((p, i, all) => ({ ...p, value: i < all.length - 1 ? `${p.value} ` : p.value }))} />
                  </p>
                ) : null}
                <pre className="overflow-x-auto rounded-md bg-slate-50 p-3 font-sans whitespace-pre-wrap text-slate-800">{r.diff?.body ? <DiffText parts={r.diff.body} /> : r.body}</pre>
              </div>
              {r.original ? <RedactedOriginal original={r.original} now={now} /> : null}
              {canRedact && !r.redacted && r.number !== idea.revisionCount ? (
                <RedactForm revision={r.number} noun="version" failure={actionData && !actionData.ok && actionData.redacting === r.number ? actionData : null} />
              ) : null}
            </Card>
          </li>
        ))}
      </ol>
    </div>
  );
}
