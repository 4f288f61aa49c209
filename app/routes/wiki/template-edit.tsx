import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/template-edit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { TemplateSchema } from "#app/features/wiki/schemas.ts";
import { deleteTemplate, loadTemplate, updateTemplate } from "#app/features/wiki/templates.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Button } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { TemplateForm } from "#app/components/wiki/template-form.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Template: ${loaderData.template.name} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const template = await loadTemplate(context.db, actor, idParam(params.templateId));
  return { template };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const templateId = idParam(params.templateId);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "delete") {
    await deleteTemplate(context.db, actor, templateId);
    throw redirect(`${href("/wiki/templates")}?deleted=1`);
  }
  if (intent !== "save") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(TemplateSchema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => updateTemplate(context.db, actor, templateId, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(href("/wiki/templates"));
}

export default function EditTemplate({ loaderData, actionData }: Route.ComponentProps) {
  const { template } = loaderData;
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        crumbs={[
          { label: "Wiki", to: href("/wiki") },
          { label: "Templates", to: href("/wiki/templates") },
        ]}
        title={`Edit the ${template.name} template`}
        description={template.space ? `Offered in the ${template.space.name} wiki.` : "Offered in every space's wiki."}
        actions={
          <Form method="post">
            <Button name="intent" value="delete" variant="dangerOutline">
              Delete template
            </Button>
          </Form>
        }
      />
      <Card className="p-6">
        <TemplateForm template={template} failure={actionData && !actionData.ok ? actionData : null} submitLabel="Save the template" />
      </Card>
    </div>
  );
}
