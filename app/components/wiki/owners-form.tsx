import { Form } from "react-router";
import { FormError, SubmitButton } from "#app/components/form.tsx";
import { PersonField } from "#app/components/person-field.tsx";
import type { FormFailure } from "#app/lib/forms.ts";

/**
 * Adds an owner by handle; once JavaScript runs, typing offers the colleagues who can see the space.
 */
export function AddOwnerForm({ spaceSlug, failure }: { spaceSlug: string; failure: FormFailure | null }) {
  const error = failure?.fieldErrors.person;
  return (
    <Form method="post" noValidate className="flex flex-wrap items-start gap-3">
      <div className="min-w-60 flex-1">
        <PersonField
          label="Add an owner"
          name="person"
          hint="A colleague's handle, e.g. @ada.lovelace: the part of their email before the @."
          defaultValue={failure?.values.person}
          error={error}
          space={spaceSlug}
          className=""
        />
      </div>
      <div className="pt-6">
        <SubmitButton name="intent" value="add-owner" pendingText="Adding…">
          Add owner
        </SubmitButton>
      </div>
      <div className="w-full">
        <FormError message={failure?.formError} />
      </div>
    </Form>
  );
}
