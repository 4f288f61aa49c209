import { Link } from "react-router";
import { isNull, isNotNull } from "drizzle-orm";
import type { Route } from "./+types/integrations";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { chatConnections, outboundAllowlist, scimTokens, webhookEndpoints } from "#db/schema/index.ts";
import { Card } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Integrations · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  const db = context.db;
  const [webhooks, disabledWebhooks, chats, allowlist, scim] = await Promise.all([
    db.$count(webhookEndpoints),
    db.$count(webhookEndpoints, isNotNull(webhookEndpoints.disabledAt)),
    db.$count(chatConnections),
    db.$count(outboundAllowlist),
    db.$count(scimTokens, isNull(scimTokens.revokedAt)),
  ]);
  return { webhooks, disabledWebhooks, chats, allowlist, scim };
}

/** The hub of Admin → Integrations: one card per kind of connection, each leading to its pages. */
export default function AdminIntegrations({ loaderData: d }: Route.ComponentProps) {
  const sections = [
    {
      to: "/admin/integrations/webhooks",
      title: "Outgoing webhooks",
      text: "Signed HTTP calls to your systems when questions, answers, ideas or kudos happen, with a delivery log.",
      figure: `${d.webhooks} ${d.webhooks === 1 ? "endpoint" : "endpoints"}${d.disabledWebhooks > 0 ? `, ${d.disabledWebhooks} disabled after failures` : ""}`,
    },
    {
      to: "/admin/integrations/chat",
      title: "Slack and Microsoft Teams",
      text: "Post a space's new questions, unanswered ones, idea status changes and kudos to a channel.",
      figure: `${d.chats} ${d.chats === 1 ? "connection" : "connections"}`,
    },
    {
      to: "/admin/integrations/outbound",
      title: "Private addresses allowed",
      text: "Webhooks and chat may not call private or internal addresses unless they are listed here.",
      figure: `${d.allowlist} ${d.allowlist === 1 ? "entry" : "entries"}`,
    },
    {
      to: "/admin/integrations/scim",
      title: "SCIM provisioning",
      text: "Let your identity provider create, update and deactivate accounts, and map its groups to spaces and roles.",
      figure: `${d.scim} active ${d.scim === 1 ? "token" : "tokens"}`,
    },
  ];
  return (
    <>
      <PageHeader title="Integrations" description="What connects Commons to the tools people already use. Personal API tokens are made by each person in their settings." />
      <ul className="grid gap-4 sm:grid-cols-2">
        {sections.map((s) => (
          <Card as="li" key={s.to} className="p-5">
            <h2 className="text-base font-semibold text-slate-900">
              <Link to={s.to} className="hover:underline focus-visible:underline">
                {s.title}
              </Link>
            </h2>
            <p className="mt-1 text-sm text-slate-600">{s.text}</p>
            <p className="mt-3 text-sm font-medium text-slate-800">{s.figure}</p>
          </Card>
        ))}
      </ul>
      <p className="mt-6 text-sm text-slate-600">
        The REST API&rsquo;s reference is at{" "}
        <Link to="/developers/api" className="font-medium text-brand-700 hover:underline">
          /developers/api
        </Link>{" "}
        and its OpenAPI document at <code>/api/v1/openapi.json</code>. Metrics for Prometheus are at <code>/metrics</code> when <code>METRICS_TOKEN</code> is set.
      </p>
    </>
  );
}
