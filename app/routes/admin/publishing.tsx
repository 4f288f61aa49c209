import { data } from "react-router";
import type { Route } from "./+types/publishing";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { publishingSettings, savePublishingSettings } from "#app/features/publishing/settings.server.ts";
import { addConfidentialTerm, confidentialTerms, removeConfidentialTerm } from "#app/features/publishing/terms.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Card } from "#app/components/card.tsx";
import { Notice } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { type AdminFailure, ScanSettingsForm, TermList } from "#app/components/publishing/admin-publishing.tsx";
import { SettingsFormSchema, TermSchema } from "#app/components/publishing/form-schemas.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Publishing · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  const [settings, terms] = await Promise.all([publishingSettings(context.db), confidentialTerms(context.db)]);
  const list = (kind: "customer" | "codename") => terms.filter((t) => t.kind === kind).map((t) => ({ id: t.id, term: t.term }));
  return { settings, customers: list("customer"), codenames: list("codename") };
}

const NOTICES: Record<string, string> = {
  "save-settings": "Saved. Drafts are scanned with these addresses from their next save.",
  "add-term": "Added. Drafts are scanned for it from their next save.",
  "remove-term": "Removed.",
};

/** intent=save-settings (both address lists), add-term or remove-term (a customer or code name). */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const db = context.db;
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const kind = form.get("kind") === "customer" || form.get("kind") === "codename" ? String(form.get("kind")) : null;
  let result;
  if (intent === "save-settings") {
    const parsed = parseForm(SettingsFormSchema, form);
    result = parsed.ok ? await attempt(parsed.values, () => savePublishingSettings(db, actor, parsed.data)) : parsed;
  } else if (intent === "add-term") {
    const parsed = parseForm(TermSchema, form);
    result = parsed.ok ? await attempt(parsed.values, () => addConfidentialTerm(db, actor, parsed.data.kind, parsed.data.term)) : parsed;
  } else if (intent === "remove-term") {
    result = await attempt({}, () => removeConfidentialTerm(db, actor, idParam(form.get("id"))));
  } else {
    throw data("Unknown action", { status: 400 });
  }
  if (!result.ok) return data({ ...result, intent, kind } satisfies AdminFailure, { status: 400 });
  return { ok: true as const, notice: NOTICES[intent]! };
}

export default function AdminPublishing({ loaderData, actionData }: Route.ComponentProps) {
  const { settings, customers, codenames } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <PageHeader title="Publishing" description="What the confidentiality scan looks for before an internal question goes to the public customer forum." />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      <Card className="mb-6 p-5 text-sm text-slate-700">
        <h2 className="mb-1 text-base font-semibold text-slate-900">What the scan does</h2>
        <p>
          Every draft for the public forum is scanned when it is proposed and at every save. It flags email addresses, phone numbers, secrets (API keys, tokens, private keys, passwords), the
          internal host names, links and IP addresses below, names of colleagues who have not agreed to be named, and the customer names and code names listed here. Each finding must be
          redacted or accepted with a written reason before anyone can approve the draft. The lists apply from a draft's next save.
        </p>
      </Card>
      <div className="space-y-6">
        <ScanSettingsForm settings={settings} failure={failure} />
        <div className="grid gap-6 lg:grid-cols-2">
          <TermList kind="customer" terms={customers} failure={failure} />
          <TermList kind="codename" terms={codenames} failure={failure} />
        </div>
      </div>
    </>
  );
}
