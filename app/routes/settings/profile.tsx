import { Form, data, href } from "react-router";
import type { Route } from "./+types/profile";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { ownProfile, updateOwnProfile } from "#app/features/users/profiles.server.ts";
import { BIO_MAX, ProfileSchema } from "#app/features/users/profile-schema.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Field, FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { PersonField } from "#app/components/person-field.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Edit profile · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return { userId: actor.id, profile: await ownProfile(context.db, actor) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const formData = await readForm(request);
  if (formData.get("intent") !== "save-profile") throw data(null, { status: 400 });
  const parsed = parseForm(ProfileSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await attempt(parsed.values, () => updateOwnProfile(context.db, actor, parsed.data));
  if (!result.ok) return data(result, { status: 400 });
  return { ok: true as const, notice: "Your profile is saved." };
}

export default function EditProfile({ loaderData, actionData }: Route.ComponentProps) {
  const { profile, userId } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const value = (name: keyof typeof profile) => failed?.values[name] ?? String(profile[name] ?? "");
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        title="Edit profile"
        description="What colleagues see on your profile. Everything here is plain text."
        actions={
          <>
            <ButtonLink to={href("/people/:userId", { userId: String(userId) })} variant="ghost">
              View your profile
            </ButtonLink>
            {/* @profile-expertise-settings */}
            <ButtonLink to={href("/settings/expertise")} variant="ghost">
              Availability and analytics
            </ButtonLink>
          </>
        }
      />
      <Card className="p-6">
        <Notice message={actionData?.ok ? actionData.notice : null} />
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="save-profile" />
          <Field label="Name" name="name" autoComplete="name" required maxLength={100} defaultValue={value("name")} error={failed?.fieldErrors.name} />
          <div className="grid gap-x-4 sm:grid-cols-2">
            <Field label="Job title" name="title" autoComplete="organization-title" maxLength={100} defaultValue={value("title")} error={failed?.fieldErrors.title} />
            <Field label="Department" name="department" maxLength={100} defaultValue={value("department")} error={failed?.fieldErrors.department} />
          </div>
          <Field label="Location" name="location" hint="Your office or city." maxLength={100} defaultValue={value("location")} error={failed?.fieldErrors.location} />
          <PersonField
            label="Manager"
            name="manager"
            hint="Their handle, e.g. @ada.lovelace. Leave it empty if you have none."
            defaultValue={value("manager")}
            error={failed?.fieldErrors.manager}
          />
          <Field
            label="Bio"
            name="bio"
            multiline
            rows={5}
            hint={`What you work on and what people can ask you about. Plain text, up to ${BIO_MAX} characters.`}
            defaultValue={value("bio")}
            error={failed?.fieldErrors.bio}
          />
          <div className="flex items-center justify-end gap-3 border-t border-slate-100 pt-5">
            <SubmitButton pendingText="Saving…">Save profile</SubmitButton>
          </div>
        </Form>
      </Card>
      {/* @settings-export-link (issue 23) */}
      <Card className="mt-6 p-6">
        <h2 className="text-base font-semibold text-slate-900">Your data</h2>
        <p className="mt-1 text-sm text-slate-600">
          One JSON file with your profile, your questions, answers, comments and ideas, your edits, what you voted on, the kudos you gave and received, your badges and reputation, your
          notification settings, the names of your API tokens, your signed-in sessions, and who from HR looked at your profile. Passwords and tokens are never in it.
        </p>
        <a href={href("/settings/export")} download className="mt-3 inline-block text-sm font-semibold text-brand-700 hover:underline">
          Download your data
        </a>
      </Card>
    </div>
  );
}
