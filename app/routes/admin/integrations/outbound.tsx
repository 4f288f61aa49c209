import { data, href } from "react-router";
import type { Route } from "./+types/outbound";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { addAllowlistEntry, allowlistEntries, removeAllowlistEntry } from "#app/features/webhooks/allowlist.server.ts";
import { AllowlistEntrySchema } from "#app/features/webhooks/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Notice } from "#app/components/form.tsx";
import { AllowlistAddForm, AllowlistTable } from "#app/components/integrations/webhook-allowlist.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Private addresses allowed · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  return { entries: await allowlistEntries(context.db, actor) };
}

/** intent=add (a host name, address or CIDR range, with a note) or remove. */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "add") {
    const parsed = parseForm(AllowlistEntrySchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => addAllowlistEntry(context.db, actor, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, notice: `${result.result.pattern} is allowed from the next request on.` };
  }
  if (intent === "remove") {
    const result = await attempt({}, () => removeAllowlistEntry(context.db, actor, idParam(form.get("id"))));
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, notice: "Removed. Requests to it are refused from now on." };
  }
  throw data("Unknown action", { status: 400 });
}

export default function AdminOutbound({ loaderData, actionData }: Route.ComponentProps) {
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <PageHeader
        title="Private addresses allowed"
        crumbs={[{ label: "Integrations", to: href("/admin/integrations") }]}
        description="Webhooks and chat connections refuse loopback, private, link-local and other internal addresses, when saved and again at every request, so nobody can use them to reach inside your network. List the internal hosts and ranges they may call."
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      <AllowlistTable entries={loaderData.entries} removeError={failed?.intent === "remove" ? failed.formError : undefined} />
      <AllowlistAddForm
        values={failed?.intent === "add" ? failed.values : {}}
        errors={failed?.intent === "add" ? failed.fieldErrors : {}}
        formError={failed?.intent === "add" ? failed.formError : undefined}
      />
    </>
  );
}
