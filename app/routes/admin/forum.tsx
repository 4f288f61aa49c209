import { data } from "react-router";
import type { Route } from "./+types/forum";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { EscalationFormSchema, escalationFormValues } from "#app/features/escalations/settings-form.ts";
import { escalationSettings, saveEscalationSettings } from "#app/features/escalations/settings.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { FormError, Notice } from "#app/components/form.tsx";
import { EscalationSettingsForm } from "#app/components/forum-desk/escalation-settings-form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Forum · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  return { values: escalationFormValues(await escalationSettings(context.db)) };
}

/** intent=save-settings: every rule at once; field errors keep what the admin typed, nothing is saved. */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const form = await readForm(request);
  if (form.get("intent") !== "save-settings") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(EscalationFormSchema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => saveEscalationSettings(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  return { ok: true as const, notice: "Saved. The rules apply from the next question or “me too”." };
}

export default function AdminForum({ loaderData, actionData }: Route.ComponentProps) {
  const failed = actionData && !actionData.ok ? actionData : null;
  // After a failed save the form shows what the admin typed (an unticked box is absent); otherwise the settings in force.
  const value = (key: string) => (failed ? (failed.values[key] ?? "") : (loaderData.values[key] ?? ""));
  return (
    <>
      <PageHeader
        title="Forum escalations"
        description="When a customer's question on the public forum escalates to the forum desk, how severe it is, and how soon someone must respond. Each rule can be turned off."
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      <FormError message={failed ? (failed.formError ?? "Some values need fixing; nothing was saved.") : undefined} />
      <EscalationSettingsForm value={value} errors={failed?.fieldErrors ?? {}} />
    </>
  );
}
