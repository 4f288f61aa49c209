import { data, href, redirect } from "react-router";
import type { Route } from "./+types/edit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { articleUrl } from "#app/features/articles/article-url.ts";
import { editArticle } from "#app/features/articles/articles.server.ts";
import { editableArticle } from "#app/features/articles/page.server.ts";
import { EditArticleSchema } from "#app/features/articles/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { PageHeader } from "#app/components/page-header.tsx";
import { ArticleForm } from "#app/components/articles/article-form.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Edit: ${loaderData.article.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return editableArticle(context.db, actor, idParam(params.articleId));
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const articleId = idParam(params.articleId);
  const parsed = parseForm(EditArticleSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => editArticle(context.db, actor, articleId, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(articleUrl({ id: articleId, title: parsed.ok ? parsed.data.title : "" }));
}

export default function EditArticle({ loaderData, actionData }: Route.ComponentProps) {
  const { article, space } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title={article.status === "published" ? "Edit the article" : "Edit your draft"}
        crumbs={[
          { label: space.name, to: href("/spaces/:slug/articles", { slug: space.slug }) },
          { label: article.title, to: articleUrl(article) },
        ]}
        description="Every save is kept in the article's history."
      />
      <ArticleForm failed={failed} defaults={article} status={article.status} mentionSpace={space.slug} />
    </div>
  );
}
