import { Link, type ShouldRevalidateFunctionArgs, data, href, redirect } from "react-router";
import type { Route } from "./+types/history";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { redactRevision, redactedOriginals } from "#app/features/moderation/redaction.server.ts";
import { RedactSchema } from "#app/features/moderation/redaction-schema.ts";
import { loadPage } from "#app/features/wiki/access.server.ts";
import { EditConflictError, restorePage } from "#app/features/wiki/pages.server.ts";
import { spaceWikiUrl, wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { HISTORY_PAGE_SIZE, pageHistory } from "#app/features/wiki/view.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { PlainTags, RevisionCard, RevisionPart, TagsChange, TitleChange } from "#app/components/content/revision-card.tsx";
import { FormError } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { type DiffView, RevisionDiff } from "#app/components/wiki/revision-diff.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `History: ${loaderData.page.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const { revisions, ...history } = await pageHistory(context.db, actor, idParam(params.pageId), pageParam(url));
  const originals = await redactedOriginals(
    context.db,
    actor,
    revisions.filter((r) => r.redactedAt).map((r) => r.id),
  );
  const view: DiffView = url.searchParams.get("view") === "split" ? "split" : "inline";
  return {
    ...history,
    revisions: revisions.map(({ id, redactedAt, ...r }) => ({ ...r, redacted: redactedAt !== null, original: originals.get(id) ?? null })),
    view,
    pageSize: HISTORY_PAGE_SIZE,
    now: Date.now(),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const pageId = idParam(params.pageId);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "redact") {
    const parsed = parseForm(RedactSchema, form);
    const redacting = idParam(form.get("revision"));
    if (!parsed.ok) return data({ intent, ...parsed, redacting }, { status: 400 });
    const { page } = await loadPage(context.db, actor, { pageId }, { allowDeleted: true });
    const redacted = await attempt(parsed.values, () => redactRevision(context.db, actor, page.itemId, parsed.data));
    if (!redacted.ok) return data({ intent, ...redacted, redacting }, { status: 400 });
    throw redirect(`${href("/wiki/:pageId/history", { pageId: String(pageId) })}#revision-${redacted.result.revision}`);
  }
  if (intent !== "restore") throw data("Unknown action", { status: 400 });
  // The version the reader saw as current travels with the button: a restore over a newer save is refused, as an edit is.
  const baseRevision = Number(form.get("baseRevision"));
  const restored = await attempt({}, async () => {
    try {
      await restorePage(context.db, actor, pageId, idParam(form.get("revision")), baseRevision);
      return null;
    } catch (error) {
      if (error instanceof EditConflictError) return error;
      throw error;
    }
  });
  if (!restored.ok) return data({ intent, ...restored, redacting: null }, { status: 400 });
  const conflict = restored.result;
  if (conflict) {
    const by = conflict.current.editor?.name ?? "Someone";
    const formError = `${by} saved a new version (${conflict.current.revision}) after you opened this history, so nothing was restored. The list below is current now: look at what changed, then restore again if you still want to.`;
    return data({ intent, ok: false as const, fieldErrors: {}, formError, values: {}, redacting: null }, { status: 409 });
  }
  const { page } = await loadPage(context.db, actor, { pageId });
  throw redirect(wikiPageUrl(page));
}

// A refused restore (409) shows the history as it is now, so the next try starts from the newest version.
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return actionStatus === 409 ? true : defaultShouldRevalidate;
}

function kindLabel(r: { kind: "create" | "edit" | "rollback"; rolledBackTo: number | null }): string {
  if (r.kind === "create") return "Created";
  if (r.kind === "rollback") return r.rolledBackTo ? `Restored version ${r.rolledBackTo}` : "Restored";
  return "Edited";
}

export default function PageHistory({ loaderData, actionData }: Route.ComponentProps) {
  const { page, space, permissions, revisions, total, offset, pageSize, view, now } = loaderData;
  const base = href("/wiki/:pageId/history", { pageId: String(page.id) });
  const pageNumber = Math.floor(offset / pageSize) + 1;
  const hrefFor = (n: number, v: DiffView) => {
    const params = new URLSearchParams();
    if (n > 1) params.set("page", String(n));
    if (v === "split") params.set("view", "split");
    const query = params.toString();
    return query ? `${base}?${query}` : base;
  };
  const failed = actionData && !actionData.ok ? actionData : null;
  const redactFailure = failed && failed.intent === "redact" ? failed : null;
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug", { slug: encodeURIComponent(space.slug) }) },
          { label: "Wiki", to: spaceWikiUrl(space) },
          { label: page.title, to: page.url },
        ]}
        title="Page history"
        description={`${total} ${total === 1 ? "version" : "versions"}, newest first. Each shows what changed from the one before it.`}
      />
      <FormError message={failed && !redactFailure ? failed.formError : undefined} />
      <div className="mb-4 flex flex-wrap items-center gap-2 text-sm" role="group" aria-label="How to show changes">
        <span className="text-slate-600">Show changes:</span>
        {(["inline", "split"] as const).map((v) => (
          <Link
            key={v}
            to={hrefFor(pageNumber, v)}
            aria-current={view === v ? "true" : undefined}
            preventScrollReset
            className={`rounded-md px-3 py-1.5 font-medium ${view === v ? "bg-slate-900 text-white" : "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50"}`}
          >
            {v === "inline" ? "Inline" : "Side by side"}
          </Link>
        ))}
      </div>
      <ol className="space-y-4">
        {revisions.map((r) => (
          <li key={r.number}>
            <RevisionCard
              revision={r}
              noun="version"
              kindLabel={kindLabel(r)}
              current={r.number === page.revisionCount}
              restore={permissions.canEdit ? { intent: "restore", label: "Restore this version", baseRevision: page.revisionCount } : null}
              canRedact={permissions.canModerate}
              redactFailure={redactFailure}
              now={now}
            >
              <div className="mt-4 space-y-3 text-sm">
                {r.diff?.title?.some((p) => p.change !== "same") ? <TitleChange parts={r.diff.title} /> : r.diff ? null : <p className="font-medium text-slate-900">{r.title}</p>}
                {r.diff ? r.diff.tags.some((p) => p.change !== "same") ? <TagsChange parts={r.diff.tags} /> : null : r.tags.length > 0 ? <PlainTags tags={r.tags} /> : null}
                <RevisionPart label="Text">
                  <div className="mt-1">
                    {r.diff?.body ? (
                      <RevisionDiff parts={r.diff.body} view={view} before={`Version ${r.number - 1}`} after={`Version ${r.number}`} />
                    ) : (
                      <>
                        {r.diff ? <p className="mb-1 text-slate-600">Too different from the version before to compare word by word; this is the whole text.</p> : null}
                        <pre className="overflow-x-auto rounded-md bg-slate-50 p-3 font-sans whitespace-pre-wrap text-slate-800">{r.body}</pre>
                      </>
                    )}
                  </div>
                </RevisionPart>
              </div>
            </RevisionCard>
          </li>
        ))}
      </ol>
      <Pagination offset={offset} pageSize={pageSize} total={total} shown={revisions.length} pageHref={(n) => hrefFor(n, view)} label="History pages" />
    </div>
  );
}
