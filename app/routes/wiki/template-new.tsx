import { data, href, redirect } from "react-router";
import type { Route } from "./+types/template-new";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { NewTemplateSchema } from "#app/features/wiki/schemas.ts";
import { createTemplate, templateScopes } from "#app/features/wiki/templates.server.ts";
import { attempt, ForbiddenError } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { TemplateForm } from "#app/components/wiki/template-form.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "New template · Wiki · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const scopes = await templateScopes(context.db, actor);
  if (!scopes.siteWide && scopes.spaces.length === 0) throw new ForbiddenError("Templates are added by admins and site moderators, and by a space's moderators for its wiki.");
  const wanted = new URL(request.url).searchParams.get("space");
  return { scopes, preselected: scopes.spaces.find((s) => s.slug === wanted)?.slug };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(NewTemplateSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => createTemplate(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(href("/wiki/templates"));
}

export default function NewTemplate({ loaderData, actionData }: Route.ComponentProps) {
  const { scopes, preselected } = loaderData;
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        crumbs={[
          { label: "Wiki", to: href("/wiki") },
          { label: "Templates", to: href("/wiki/templates") },
        ]}
        title="New template"
        description="New pages can start from it. Pages already written from a template keep their own text when the template changes."
      />
      <Card className="p-6">
        <TemplateForm scopes={scopes} preselectedSpace={preselected} failure={actionData && !actionData.ok ? actionData : null} submitLabel="Add the template" />
      </Card>
    </div>
  );
}
