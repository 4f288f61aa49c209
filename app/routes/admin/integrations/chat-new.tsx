import { data, href, redirect } from "react-router";
import type { Route } from "./+types/chat-new";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { connectableSpaces, createConnection } from "#app/features/chat/connections.server.ts";
import { NewConnectionSchema, tickedEvents } from "#app/features/chat/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FormError } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { ConnectionForm, RestrictedSpaceNote } from "./chat-form.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Connect a channel · Integrations · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  return { spaces: await connectableSpaces(context.db, actor) };
}

/** intent=create: field errors keep what the admin typed (every ticked box too); nothing is saved. */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const form = await readForm(request);
  if (form.get("intent") !== "create") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(NewConnectionSchema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => createConnection(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data({ ...result, values: { ...result.values, events: tickedEvents(form) } }, { status: 400 });
  throw redirect(`${href("/admin/integrations/chat/:connectionId", { connectionId: String(result.result.id) })}?created=1`);
}

const crumbs = [
  { label: "Integrations", to: href("/admin/integrations") },
  { label: "Slack and Teams", to: href("/admin/integrations/chat") },
];

export default function NewChatConnection({ loaderData, actionData }: Route.ComponentProps) {
  const failed = actionData && !actionData.ok ? actionData : null;
  const values = failed?.values ?? { events: "question.created" };
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title="Connect a channel" crumbs={crumbs} description="A Slack or Microsoft Teams channel gets one space's events through an incoming webhook." />
      {loaderData.spaces.length === 0 ? (
        <EmptyState title="There is no space yet">Create a space under Admin → Spaces first; a channel follows one space.</EmptyState>
      ) : (
        <Card className="p-6">
          <RestrictedSpaceNote />
          <FormError message={failed ? (failed.formError ?? "Some values need fixing; nothing was saved.") : undefined} />
          <ConnectionForm mode="new" spaces={loaderData.spaces} values={values} errors={failed?.fieldErrors ?? {}} />
        </Card>
      )}
    </div>
  );
}
