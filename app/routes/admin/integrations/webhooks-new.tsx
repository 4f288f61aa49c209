import { data, href, redirect } from "react-router";
import type { Route } from "./+types/webhooks-new";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { createEndpoint, spaceChoices } from "#app/features/webhooks/endpoints.server.ts";
import { EndpointFormSchema } from "#app/features/webhooks/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { submittedEndpointValues, WebhookEndpointForm } from "#app/components/integrations/webhook-endpoint-form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "New webhook endpoint · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  return { spaces: await spaceChoices(context.db) };
}

/** intent=create: the URL passes the SSRF guard or comes back with the reason beside it. */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const form = await readForm(request);
  if (form.get("intent") !== "create") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(EndpointFormSchema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => createEndpoint(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data({ ...result, events: form.getAll("events").map(String) }, { status: 400 });
  throw redirect(`${href("/admin/integrations/webhooks/:endpointId", { endpointId: String(result.result.id) })}?created=1`);
}

export default function NewWebhookEndpoint({ loaderData, actionData }: Route.ComponentProps) {
  const values = actionData ? submittedEndpointValues(actionData.values, actionData.events) : { url: "", description: "", space: "", events: [] };
  return (
    <>
      <PageHeader
        title="New webhook endpoint"
        crumbs={[
          { label: "Integrations", to: href("/admin/integrations") },
          { label: "Outgoing webhooks", to: href("/admin/integrations/webhooks") },
        ]}
        description="Its signing secret is made when you save; you will find it on the endpoint's page."
      />
      <Card className="max-w-2xl p-5">
        <WebhookEndpointForm intent="create" submitLabel="Add endpoint" values={values} errors={actionData?.fieldErrors ?? {}} formError={actionData?.formError} spaces={loaderData.spaces} />
      </Card>
    </>
  );
}
