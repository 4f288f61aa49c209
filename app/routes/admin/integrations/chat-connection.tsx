import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/chat-connection";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { deleteConnection, loadConnection, sendTestMessage, setConnectionEnabled, updateConnection } from "#app/features/chat/connections.server.ts";
import { EditConnectionSchema, PLATFORM_LABELS, tickedEvents } from "#app/features/chat/schemas.ts";
import { deliveryLog, retryDelivery } from "#app/features/webhooks/deliveries.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Button } from "#app/components/button.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { FormError, Notice } from "#app/components/form.tsx";
import { AlertIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { ConnectionForm, ConnectionStatus, RestrictedSpaceNote, SpaceName } from "./chat-form.tsx";
import { DeliveryTable } from "./chat-deliveries.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.connection.label || "Chat connection"} · Integrations · Admin · Commons` }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const connection = await loadConnection(context.db, actor, idParam(params.connectionId));
  const url = new URL(request.url);
  const deliveries = await deliveryLog(context.db, { chatConnectionId: connection.id }, pageParam(url));
  return { connection, deliveries, created: url.searchParams.get("created") === "1", now: Date.now() };
}

const NOTICES = {
  enable: "Turned on. New events go to the channel again.",
  disable: "Turned off. The channel gets nothing until you turn it on again.",
  test: "A test message is on its way; its delivery appears below in a moment.",
  retry: "The delivery is back in line and goes out in a moment.",
} as const;

/** intent=save|enable|disable|test|delete|retry; a bad form comes back with the typed values and nothing saved. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const id = idParam(params.connectionId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const db = context.db;
  if (intent === "save") {
    const parsed = parseForm(EditConnectionSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => updateConnection(db, actor, id, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, values: { ...result.values, events: tickedEvents(form) } }, { status: 400 });
    return { ok: true as const, notice: "Saved." };
  }
  if (intent === "enable" || intent === "disable") await setConnectionEnabled(db, actor, id, intent === "enable");
  else if (intent === "test") await sendTestMessage(db, actor, id);
  else if (intent === "retry") {
    const connection = await loadConnection(db, actor, id);
    const retried = await retryDelivery(db, { chatConnectionId: connection.id }, idParam(form.get("deliveryId")));
    if (!retried) return { ok: true as const, notice: "Nothing to retry: that delivery is no longer waiting for a retry." };
  } else if (intent === "delete") {
    await deleteConnection(db, actor, id);
    throw redirect(`${href("/admin/integrations/chat")}?deleted=1`);
  } else throw data("Unknown action", { status: 400 });
  return { ok: true as const, notice: NOTICES[intent] };
}

export default function ChatConnectionPage({ loaderData, actionData }: Route.ComponentProps) {
  const { connection: c, deliveries, created, now } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const values = failed?.values ?? { label: c.label, events: c.events.join(","), unansweredHours: c.unansweredHours === null ? "" : String(c.unansweredHours) };
  const title = c.label || `${PLATFORM_LABELS[c.platform]} connection`;
  const pageHref = (n: number) => {
    const path = href("/admin/integrations/chat/:connectionId", { connectionId: String(c.id) });
    return n > 1 ? `${path}?page=${n}` : path;
  };
  return (
    <>
      <PageHeader
        title={title}
        crumbs={[
          { label: "Integrations", to: href("/admin/integrations") },
          { label: "Slack and Teams", to: href("/admin/integrations/chat") },
        ]}
        description={
          <>
            {PLATFORM_LABELS[c.platform]} channel for the <SpaceName name={c.space.name} visibility={c.space.visibility} /> space, through{" "}
            <span className="font-mono text-sm">{c.maskedUrl}</span>.
          </>
        }
        actions={<ConnectionStatus enabled={c.enabled} disabledAt={c.disabledAt} />}
      />
      <Notice message={actionData?.ok ? actionData.notice : created ? "Connected. Send a test message to check that the channel gets it." : null} />
      {!c.enabled && c.disabledAt ? (
        <div role="alert" className="mb-4 flex items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <AlertIcon className="mt-0.5 shrink-0" />
          <span>
            Commons turned this connection off after repeated failures: <span className="break-words">{c.disabledReason ?? "no reason recorded"}</span>. Fix the cause (a deleted webhook, a
            changed URL), send a test message, then turn it on again.
          </span>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-3">
          <CardSection
            title="Recent deliveries"
            titleId="deliveries"
            description="Every message sent to the channel, newest first, with the channel's answer. Failures are retried with growing pauses."
          >
            <DeliveryTable deliveries={deliveries} now={now} pageHref={pageHref} />
          </CardSection>
        </div>
        <div className="space-y-6 lg:col-span-2">
          <CardSection title="Actions" titleId="actions">
            <Form method="post" className="flex flex-wrap gap-2">
              <Button name="intent" value="test">
                Send a test message
              </Button>
              {c.enabled ? (
                <Button name="intent" value="disable">
                  Turn off
                </Button>
              ) : (
                <Button name="intent" value="enable" variant="primary">
                  Turn on
                </Button>
              )}
              <Button name="intent" value="delete" variant="dangerOutline">
                Delete<span className="sr-only"> this connection</span>
              </Button>
            </Form>
          </CardSection>
          <Card className="p-6">
            <h2 className="mb-4 text-base font-semibold text-slate-900">Settings</h2>
            {c.space.visibility === "restricted" ? <RestrictedSpaceNote spaceName={c.space.name} /> : null}
            <FormError message={failed ? (failed.formError ?? "Some values need fixing; nothing was saved.") : undefined} />
            <ConnectionForm mode="edit" values={values} errors={failed?.fieldErrors ?? {}} maskedUrl={c.maskedUrl} />
          </Card>
        </div>
      </div>
    </>
  );
}
