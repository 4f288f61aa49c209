import { href } from "react-router";
import type { Route } from "./+types/webhooks";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { endpointList } from "#app/features/webhooks/endpoints.server.ts";
import { pageParam } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { WebhookEndpointTable } from "#app/components/integrations/webhook-endpoint-table.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Outgoing webhooks · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  return { list: await endpointList(context.db, actor, pageParam(new URL(request.url))) };
}

export default function AdminWebhooks({ loaderData }: Route.ComponentProps) {
  const base = href("/admin/integrations/webhooks");
  return (
    <>
      <PageHeader
        title="Outgoing webhooks"
        crumbs={[{ label: "Integrations", to: href("/admin/integrations") }]}
        description="Commons POSTs a signed JSON message (Standard Webhooks) to each endpoint for the events it chose. Failed deliveries are retried for about three hours; an endpoint that keeps failing is turned off and the admins are told."
        actions={
          loaderData.list.total > 0 ? (
            <ButtonLink to={href("/admin/integrations/webhooks/new")} variant="primary">
              Add an endpoint
            </ButtonLink>
          ) : null
        }
      />
      <WebhookEndpointTable list={loaderData.list} pageHref={(page) => (page > 1 ? `${base}?page=${page}` : base)} />
    </>
  );
}
