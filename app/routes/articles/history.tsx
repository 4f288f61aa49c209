import { data, href, redirect } from "react-router";
import type { Route } from "./+types/history";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { loadArticle } from "#app/features/articles/access.server.ts";
import { articleUrl } from "#app/features/articles/article-url.ts";
import { restoreArticleRevision } from "#app/features/articles/articles.server.ts";
import { articleHistory } from "#app/features/articles/page.server.ts";
import { type ArticleType, TYPE_LABELS } from "#app/features/articles/schemas.ts";
import { redactRevision } from "#app/features/moderation/redaction.server.ts";
import { RedactSchema } from "#app/features/moderation/redaction-schema.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { DiffText, TagDiff } from "#app/components/content/diff-text.tsx";
import { RevisionCard } from "#app/components/content/revision-card.tsx";
import { FormError } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `History: ${loaderData.article.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return { ...(await articleHistory(context.db, actor, idParam(params.articleId))), now: Date.now() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  const articleId = idParam(params.articleId);
  if (form.get("intent") === "redact") {
    const parsed = parseForm(RedactSchema, form);
    const redacting = idParam(form.get("revision"));
    if (!parsed.ok) return data({ ...parsed, redacting }, { status: 400 });
    // The revisions are the article's item's; its kind decides who may redact (a 404 for a hidden article).
    const redacted = await attempt(parsed.values, async () =>
      redactRevision(context.db, actor, (await loadArticle(context.db, actor, articleId, { allowDeleted: true })).article.itemId, parsed.data),
    );
    if (!redacted.ok) return data({ ...redacted, redacting }, { status: 400 });
    throw redirect(`${href("/articles/:articleId/history", { articleId: String(articleId) })}#revision-${redacted.result.revision}`);
  }
  if (form.get("intent") !== "restore") throw data("Unknown action", { status: 400 });
  const result = await attempt({}, () => restoreArticleRevision(context.db, actor, articleId, idParam(form.get("revision"))));
  if (!result.ok) return data(result, { status: 400 });
  const { article } = await loadArticle(context.db, actor, articleId);
  throw redirect(articleUrl(article));
}

const KIND_LABEL = { create: "Original", edit: "Edited", rollback: "Restored" } as const;

/** "Knowledge article" for a stored type, or the raw value when it is not one (a revision from before types). */
function typeLabel(value: string): string {
  return TYPE_LABELS[value as ArticleType] ?? value;
}

export default function ArticleHistory({ loaderData, actionData }: Route.ComponentProps) {
  const { article, space, revisions, canRestore, canRedact, now } = loaderData;
  const redactFailure = actionData && !actionData.ok && "redacting" in actionData ? actionData : null;
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug/articles", { slug: space.slug }) },
          { label: article.title, to: articleUrl(article) },
        ]}
        title="Article history"
        description={`${revisions.length} ${revisions.length === 1 ? "revision" : "revisions"}, newest first. Each shows what changed from the one before it.`}
      />
      <FormError message={actionData && !actionData.ok && !redactFailure ? actionData.formError : undefined} />
      <ol className="space-y-4">
        {revisions.map((r) => (
          <li key={r.number}>
            <RevisionCard
              revision={r}
              noun="revision"
              kindLabel={KIND_LABEL[r.kind]}
              current={r.number === article.currentRevision}
              restore={canRestore ? { intent: "restore", label: "Restore this revision" } : null}
              canRedact={canRedact}
              redactFailure={redactFailure}
              now={now}
            >
              <div className="mt-4 space-y-3 text-sm">
                <p className="font-medium text-slate-900">{r.diff?.title ? <DiffText parts={r.diff.title} /> : r.title}</p>
                <p className="text-slate-700">
                  Type:{" "}
                  {r.diff?.category.some((p) => p.change !== "same") ? (
                    <DiffText parts={r.diff.category.map((p, i, all) => ({ ...p, value: `${typeLabel(p.value)}${i < all.length - 1 ? " " : ""}` }))} />
                  ) : (
                    typeLabel(r.category)
                  )}
                </p>
                {r.tags.length > 0 || r.diff?.tags.length ? <TagDiff parts={r.diff ? r.diff.tags : r.tags.map((value) => ({ value, change: "same" as const }))} /> : null}
                {r.diff && !r.diff.body ? <p className="text-slate-600">Too different from the previous revision to compare word by word; this is the full text.</p> : null}
                <pre className="overflow-x-auto rounded-md bg-slate-50 p-3 font-sans whitespace-pre-wrap text-slate-800">{r.diff?.body ? <DiffText parts={r.diff.body} /> : r.body}</pre>
              </div>
            </RevisionCard>
          </li>
        ))}
      </ol>
    </div>
  );
}
