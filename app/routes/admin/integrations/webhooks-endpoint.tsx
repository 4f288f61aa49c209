import { data, href, redirect } from "react-router";
import type { Route } from "./+types/webhooks-endpoint";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { deliveryLog, retryDelivery } from "#app/features/webhooks/deliveries.server.ts";
import { deleteEndpoint, loadEndpoint, rotateEndpointSecret, sendTestEvent, setEndpointEnabled, spaceChoices, updateEndpoint } from "#app/features/webhooks/endpoints.server.ts";
import { EndpointFormSchema } from "#app/features/webhooks/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { CardSection } from "#app/components/card.tsx";
import { Notice } from "#app/components/form.tsx";
import { WebhookDeliveryLog } from "#app/components/integrations/webhook-deliveries.tsx";
import { submittedEndpointValues, WebhookEndpointForm } from "#app/components/integrations/webhook-endpoint-form.tsx";
import { EndpointSecretPanel, EndpointStatePanel } from "#app/components/integrations/webhook-endpoint-panels.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.host ?? "Endpoint"} · Outgoing webhooks · Admin · Commons` }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const id = idParam(params.endpointId);
  const url = new URL(request.url);
  const { endpoint, space } = await loadEndpoint(context.db, actor, id);
  const [log, spaces] = await Promise.all([deliveryLog(context.db, { endpointId: endpoint.id }, pageParam(url)), spaceChoices(context.db)]);
  return { endpoint, space, log, spaces, host: new URL(endpoint.url).host, created: url.searchParams.get("created") === "1", now: Date.now() };
}

const NOTICES: Record<string, string> = {
  save: "Saved. Events from now on follow these settings.",
  enable: "Turned on. Deliveries that waited go out in a moment.",
  disable: "Turned off. Nothing more is sent until you turn it back on.",
  "rotate-secret": "A new secret is in place; the old one no longer signs anything.",
  "send-test": "A test event is on its way. It appears in the log below in a moment (reload the page).",
};

/** intent=save | enable | disable | rotate-secret | send-test | delete | retry-delivery. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const db = context.db;
  const id = idParam(params.endpointId);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "save") {
    const parsed = parseForm(EndpointFormSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => updateEndpoint(db, actor, id, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, events: form.getAll("events").map(String) }, { status: 400 });
  } else if (intent === "enable" || intent === "disable") await setEndpointEnabled(db, actor, id, intent === "enable");
  else if (intent === "rotate-secret") await rotateEndpointSecret(db, actor, id);
  else if (intent === "send-test") await sendTestEvent(db, actor, id);
  else if (intent === "delete") {
    await deleteEndpoint(db, actor, id);
    throw redirect(href("/admin/integrations/webhooks"));
  } else if (intent === "retry-delivery") {
    await loadEndpoint(db, actor, id);
    const retried = await retryDelivery(db, { endpointId: id }, idParam(form.get("deliveryId")));
    return { ok: true as const, notice: retried ? "The delivery is back in line with a fresh count of attempts." : "Nothing to retry: that delivery is no longer waiting for a retry." };
  } else throw data("Unknown action", { status: 400 });
  return { ok: true as const, notice: NOTICES[intent]! };
}

export default function WebhookEndpointPage({ loaderData, actionData }: Route.ComponentProps) {
  const { endpoint, log, spaces, host, created, now } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const values = failed
    ? submittedEndpointValues(failed.values, failed.events)
    : { url: endpoint.url, description: endpoint.description, space: endpoint.spaceId ? String(endpoint.spaceId) : "", events: endpoint.events };
  const base = href("/admin/integrations/webhooks/:endpointId", { endpointId: String(endpoint.id) });
  return (
    <>
      <PageHeader
        title={host}
        crumbs={[
          { label: "Integrations", to: href("/admin/integrations") },
          { label: "Outgoing webhooks", to: href("/admin/integrations/webhooks") },
        ]}
        description={endpoint.description || undefined}
      />
      <Notice message={actionData?.ok ? actionData.notice : created ? "Endpoint added. Give its secret to your receiver, then send a test event." : null} />
      <div className="grid gap-6 lg:grid-cols-2">
        <EndpointStatePanel endpoint={endpoint} />
        <EndpointSecretPanel secret={endpoint.secret} />
      </div>
      <CardSection
        className="mt-6"
        title="Deliveries"
        titleId="deliveries"
        description="Newest first. Each attempt shows the receiver's status code, how long it took and the start of its answer."
      >
        <WebhookDeliveryLog log={log} now={now} pageHref={(page) => (page > 1 ? `${base}?page=${page}` : base)} />
      </CardSection>
      <CardSection className="mt-6" title="Settings" titleId="settings">
        <WebhookEndpointForm intent="save" submitLabel="Save changes" values={values} errors={failed?.fieldErrors ?? {}} formError={failed?.formError} spaces={spaces} />
      </CardSection>
    </>
  );
}
