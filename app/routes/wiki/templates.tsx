import { Form, Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/templates";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { deleteTemplate, templateList, TEMPLATES_PER_PAGE } from "#app/features/wiki/templates.server.ts";
import { pageParam, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Notice } from "#app/components/form.tsx";
import { PlusIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Page templates · Wiki · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const list = await templateList(context.db, actor, pageParam(url));
  return { ...list, pageSize: TEMPLATES_PER_PAGE, deleted: url.searchParams.get("deleted") === "1" };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  if (form.get("intent") !== "delete") throw data("Unknown action", { status: 400 });
  await deleteTemplate(context.db, actor, idParam(form.get("templateId")));
  throw redirect(`${href("/wiki/templates")}?deleted=1`);
}

export default function Templates({ loaderData }: Route.ComponentProps) {
  const { templates, total, offset, pageSize, scopes, deleted } = loaderData;
  const mayAdd = scopes.siteWide || scopes.spaces.length > 0;
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[{ label: "Wiki", to: href("/wiki") }]}
        title="Page templates"
        description="A new page can start from a template: a how-to, a policy, a runbook, an FAQ. Site-wide templates are offered in every wiki; a space's own only in its wiki."
        actions={
          mayAdd ? (
            <ButtonLink to={href("/wiki/templates/new")} variant="primary">
              <PlusIcon className="size-4" />
              New template
            </ButtonLink>
          ) : null
        }
      />
      <Notice message={deleted ? "The template was deleted. Pages written from it keep their text." : null} />
      {!mayAdd ? <p className="mb-4 text-sm text-slate-600">Admins and site moderators manage the site-wide templates; a space&apos;s moderators manage its own.</p> : null}
      {templates.length === 0 ? (
        <EmptyState title="No templates here">Pages start blank until someone adds a template.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {templates.map((t) => (
            <li key={t.id}>
              <Card as="section" aria-labelledby={`template-${t.id}`} className="p-5">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <h2 id={`template-${t.id}`} className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
                      {t.name}
                      {t.space ? <Badge tone="brand">{t.space.name}</Badge> : <Badge tone="neutral">Every space</Badge>}
                    </h2>
                    {t.description ? <p className="mt-1 text-sm text-slate-600">{t.description}</p> : null}
                  </div>
                  {t.canManage ? (
                    <div className="flex shrink-0 items-center gap-2">
                      <ButtonLink to={href("/wiki/templates/:templateId", { templateId: String(t.id) })} size="sm">
                        Edit<span className="sr-only"> {t.name}</span>
                      </ButtonLink>
                      <Form method="post">
                        <input type="hidden" name="templateId" value={t.id} />
                        <Button name="intent" value="delete" size="sm" variant="dangerOutline">
                          Delete<span className="sr-only"> {t.name}</span>
                        </Button>
                      </Form>
                    </div>
                  ) : null}
                </div>
                <details className="mt-3 text-sm">
                  <summary className="cursor-pointer font-medium text-slate-700">
                    Its text<span className="sr-only"> ({t.name})</span>
                  </summary>
                  <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs whitespace-pre-wrap text-slate-800">{t.body}</pre>
                </details>
                {t.space ? (
                  <p className="mt-2 text-xs text-slate-500">
                    Offered in the{" "}
                    <Link to={href("/spaces/:slug/wiki", { slug: encodeURIComponent(t.space.slug) })} className="text-brand-700 hover:underline">
                      {t.space.name} wiki
                    </Link>
                    .
                  </p>
                ) : null}
              </Card>
            </li>
          ))}
        </ul>
      )}
      <Pagination
        offset={offset}
        pageSize={pageSize}
        total={total}
        shown={templates.length}
        pageHref={(n) => (n > 1 ? `${href("/wiki/templates")}?page=${n}` : href("/wiki/templates"))}
        label="Template pages"
      />
    </div>
  );
}
