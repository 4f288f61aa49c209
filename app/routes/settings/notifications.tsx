import { Form, Link, data, href } from "react-router";
import type { Route } from "./+types/notifications";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { CADENCES, CATEGORIES, CATEGORY_INFO, type Cadence } from "#app/features/mail-prefs/categories.ts";
import { DIGEST_HOUR_UTC } from "#app/features/mail-prefs/digest.server.ts";
import { preferencesOf, saveMailPreferences } from "#app/features/mail-prefs/preferences.server.ts";
import { MailPreferencesSchema } from "#app/features/mail-prefs/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Mail notifications · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return { preferences: await preferencesOf(context.db, actor.id), digestHour: DIGEST_HOUR_UTC };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const formData = await readForm(request);
  if (formData.get("intent") !== "save-mail") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(MailPreferencesSchema, formData);
  if (!parsed.ok) return data({ ...parsed, formError: parsed.formError ?? "Some choices could not be saved: choose one option in each row." }, { status: 400 });
  const result = await attempt(parsed.values, () => saveMailPreferences(context.db, actor, parsed.data));
  if (!result.ok) return data(result, { status: 400 });
  return { ok: true as const, notice: "Your mail settings are saved." };
}

const CADENCE_LABEL: Record<Cadence, string> = { immediately: "Immediately", daily: "Daily digest", weekly: "Weekly digest", never: "Never" };
const GRID = "sm:grid sm:grid-cols-[minmax(0,1fr)_repeat(4,6.5rem)] sm:items-center sm:gap-x-2";

export default function MailSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { preferences, digestHour } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  // A refused save shows what was chosen; otherwise what is stored.
  const chosen = (category: (typeof CATEGORIES)[number]) => (failed ? failed.values[category] : preferences[category]);
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        title="Mail notifications"
        description={
          <>
            Everything still reaches your{" "}
            <Link to={href("/notifications")} className="font-medium text-brand-700 hover:underline">
              inbox
            </Link>
            . Choose what also comes by mail: as it happens, in a digest, or not at all. Daily digests cover the day before and weekly ones the week before (Monday to Sunday); both arrive
            around {String(digestHour).padStart(2, "0")}:00 UTC, and only when there is something to tell.
          </>
        }
      />
      <Card className="p-6">
        <Notice message={actionData?.ok ? actionData.notice : null} />
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="save-mail" />
          <div aria-hidden="true" className={`hidden border-b border-slate-200 pb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase ${GRID}`}>
            <span>Mail me about</span>
            {CADENCES.map((c) => (
              <span key={c} className="text-center">
                {CADENCE_LABEL[c]}
              </span>
            ))}
          </div>
          {CATEGORIES.map((category) => {
            const info = CATEGORY_INFO[category];
            const hintId = `mail-${category}-hint`;
            const error = failed?.fieldErrors[category];
            return (
              <fieldset key={category} aria-describedby={error ? `${hintId} mail-${category}-error` : hintId} className={`border-b border-slate-100 py-4 ${GRID}`}>
                <legend className="sr-only">{info.label}</legend>
                <div>
                  <p aria-hidden="true" className="text-sm font-medium text-slate-900">
                    {info.label}
                  </p>
                  <p id={hintId} className="mt-0.5 text-xs text-slate-500">
                    {info.description}
                  </p>
                  {error ? (
                    <p id={`mail-${category}-error`} className="mt-1 text-xs text-red-700">
                      {error}
                    </p>
                  ) : null}
                </div>
                {CADENCES.map((cadence) =>
                  info.choices.includes(cadence) ? (
                    <label key={cadence} className="mt-2 flex items-center gap-2 text-sm text-slate-700 sm:mt-0 sm:flex-col sm:gap-1 sm:text-center">
                      <input type="radio" name={category} value={cadence} defaultChecked={chosen(category) === cadence} className="size-4 accent-brand-600" />
                      <span className="sm:sr-only">{CADENCE_LABEL[cadence]}</span>
                      {info.defaultCadence === cadence ? <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-600">default</span> : null}
                    </label>
                  ) : (
                    <span key={cadence} className="hidden text-center text-xs text-slate-400 sm:block">
                      <span aria-hidden="true">—</span>
                    </span>
                  ),
                )}
              </fieldset>
            );
          })}
          <div className="flex items-center justify-end gap-3 pt-5">
            <SubmitButton pendingText="Saving…">Save</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
