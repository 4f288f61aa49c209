import { useState } from "react";
import { Form } from "react-router";
import { slugify } from "#app/features/spaces/space-schema.ts";
import type { FieldErrors } from "#app/lib/forms.ts";
import { Field, FormError, SubmitButton } from "./form.tsx";
import { GlobeIcon, LockIcon } from "./icons.tsx";

export type SpaceFormValues = { name: string; slug: string; description: string; visibility: string };

/**
 * Create or edit a space. Without JavaScript an empty address is filled in from the name on the
 * server; with it, the suggestion shows as the field's placeholder while you type the name.
 */
export function SpaceForm({
  intent,
  submitLabel,
  values,
  fieldErrors = {},
  formError,
}: {
  intent: string;
  submitLabel: string;
  values: SpaceFormValues;
  fieldErrors?: FieldErrors;
  formError?: string | undefined;
}) {
  const [name, setName] = useState(values.name);
  return (
    <Form
      method="post"
      noValidate
      onChange={(event) => {
        const target: EventTarget = event.target;
        if (target instanceof HTMLInputElement && target.name === "name") setName(target.value);
      }}
    >
      <FormError message={formError} />
      <Field label="Name" name="name" required maxLength={80} defaultValue={values.name} error={fieldErrors.name} />
      <Field
        label="Address"
        name="slug"
        maxLength={50}
        defaultValue={values.slug}
        placeholder={slugify(name) || "made-from-the-name"}
        hint="The space's URL: /spaces/your-address. Leave it empty to use one made from the name."
        error={fieldErrors.slug}
      />
      <Field
        label="Description"
        name="description"
        multiline
        rows={3}
        hint="One or two sentences: what belongs here. Up to 500 characters."
        defaultValue={values.description}
        error={fieldErrors.description}
      />
      <fieldset className="mb-5">
        <legend className="text-sm font-medium text-slate-800">Who can see it</legend>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          <VisibilityOption value="open" checked={values.visibility !== "restricted"} title="Open" icon={<GlobeIcon className="size-4 text-emerald-700" />}>
            Every employee can read it.
          </VisibilityOption>
          <VisibilityOption value="restricted" checked={values.visibility === "restricted"} title="Restricted" icon={<LockIcon className="size-4 text-amber-700" />}>
            Only its members can see it; hidden from everyone else.
          </VisibilityOption>
        </div>
        {fieldErrors.visibility ? <p className="mt-1 text-sm text-red-700">{fieldErrors.visibility}</p> : null}
      </fieldset>
      <div className="flex justify-end">
        <SubmitButton name="intent" value={intent} pendingText="Saving…">
          {submitLabel}
        </SubmitButton>
      </div>
    </Form>
  );
}

function VisibilityOption({ value, checked, title, icon, children }: { value: string; checked: boolean; title: string; icon: React.ReactNode; children: React.ReactNode }) {
  return (
    <label className="flex cursor-pointer gap-3 rounded-lg border border-slate-300 bg-white p-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50 has-[:checked]:ring-1 has-[:checked]:ring-brand-600">
      <input type="radio" name="visibility" value={value} defaultChecked={checked} className="mt-0.5 accent-brand-600" />
      <span>
        <span className="flex items-center gap-1.5 text-sm font-semibold text-slate-900">
          {icon}
          {title}
        </span>
        <span className="mt-0.5 block text-sm text-slate-600">{children}</span>
      </span>
    </label>
  );
}
