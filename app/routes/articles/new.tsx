import { data, redirect } from "react-router";
import type { Route } from "./+types/new";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { articleUrl } from "#app/features/articles/article-url.ts";
import { createArticle } from "#app/features/articles/articles.server.ts";
import { ArticleSchema } from "#app/features/articles/schemas.ts";
import { spaceSelect } from "#app/features/spaces/spaces.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { PageHeader } from "#app/components/page-header.tsx";
import { ArticleForm } from "#app/components/articles/article-form.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Write an article · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return {
    ...(await spaceSelect(context.db, actor, new URL(request.url).searchParams.get("space"))),
    submissionKey: crypto.randomUUID(),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(ArticleSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => createArticle(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(articleUrl({ id: result.result.id, title: parsed.ok ? parsed.data.title : "" }));
}

export default function NewArticle({ loaderData, actionData }: Route.ComponentProps) {
  const { spaces, preselected, submissionKey } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title="Write an article" description="An announcement, a how-to, what your team knows, or your own story. Save a draft, schedule it or publish it now." />
      <ArticleForm
        failed={failed}
        defaults={{ type: "knowledge", title: "", body: "", tags: [], publishAt: null }}
        status={null}
        spaces={spaces}
        preselectedSpace={preselected}
        submissionKey={submissionKey}
      />
    </div>
  );
}
