import { Form, Link, data, href } from "react-router";
import type { Route } from "./+types/expertise";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { AvailabilitySchema, ownAvailability, saveAvailability } from "#app/features/expertise/topics.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { AvailabilityBadge } from "#app/components/expertise/availability.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Availability and analytics · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return { userId: actor.id, availability: await ownAvailability(context.db, actor) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const formData = await readForm(request);
  if (formData.get("intent") !== "save-availability") throw data(null, { status: 400 });
  const parsed = parseForm(AvailabilitySchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await attempt(parsed.values, () => saveAvailability(context.db, actor, parsed.data));
  if (!result.ok) return data(result, { status: 400 });
  return { ok: true as const, notice: "Your availability is saved." };
}

function Checkbox({ name, label, hint, defaultChecked }: { name: string; label: string; hint: string; defaultChecked: boolean }) {
  return (
    <div className="mb-5 flex items-start gap-3">
      <input id={name} type="checkbox" name={name} defaultChecked={defaultChecked} aria-describedby={`${name}-hint`} className="mt-1 size-4 accent-brand-600" />
      <div>
        <label htmlFor={name} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        <p id={`${name}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      </div>
    </div>
  );
}

export default function AvailabilitySettings({ loaderData, actionData }: Route.ComponentProps) {
  const { availability, userId } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  // A failed save shows what was typed; otherwise what is stored.
  const checked = (name: "openToRouted" | "rolesOptOut", stored: boolean) => (failed ? failed.values[name] === "on" : stored);
  const awayValue = failed ? (failed.values.awayUntil ?? "") : availability.awayUntil ? new Date(availability.awayUntil).toISOString().slice(0, 10) : "";
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        title="Availability and analytics"
        description={
          <>
            Whether unanswered questions are sent your way, and whether HR&apos;s people analytics may name you. Your scores are explained on{" "}
            <Link to={href("/people/:userId/expertise", { userId: String(userId) })} className="font-medium text-brand-700 hover:underline">
              your expertise
            </Link>
            .
          </>
        }
        actions={
          <ButtonLink to={href("/settings/profile")} variant="ghost">
            Edit profile
          </ButtonLink>
        }
      />
      <Card className="p-6">
        <Notice message={actionData?.ok ? actionData.notice : null} />
        <FormError message={failed?.formError} />
        <p className="mb-5 flex flex-wrap items-center gap-2 text-sm text-slate-700">
          Colleagues see: <AvailabilityBadge availability={availability} />
        </p>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="save-availability" />
          <Checkbox
            name="openToRouted"
            label="Open to routed questions"
            hint="A question nobody answers in time is sent to the people who know its topics. Untick to never be sent one; you can still answer anything."
            defaultChecked={checked("openToRouted", !availability.routingOptOut)}
          />
          <Field
            label="Away until"
            name="awayUntil"
            type="date"
            hint="The day you are back (UTC). Until then no routed questions reach you and your profile says you are away. Leave empty when you are not away."
            defaultValue={awayValue}
            error={failed?.fieldErrors.awayUntil}
          />
          <Checkbox
            name="rolesOptOut"
            label="Leave me out of the people analytics' role lists"
            hint="HR's lists of mavens, connectors and salesmen won't name you. The figures by department (groups of five or more people) still count your activity, as they count everyone's."
            defaultChecked={checked("rolesOptOut", availability.rolesOptOut)}
          />
          <div className="flex items-center justify-end gap-3 border-t border-slate-100 pt-5">
            <SubmitButton pendingText="Saving…">Save</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
