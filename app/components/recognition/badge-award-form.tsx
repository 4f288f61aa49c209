import { Form } from "react-router";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { PersonField } from "#app/components/person-field.tsx";
import { BADGE_REASON_MAX } from "#app/features/recognition/badge-schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";

/**
 * Awards a custom badge: a colleague (by handle, with suggestions once JavaScript runs) and why.
 */
export function BadgeAwardForm({ badgeName, failure }: { badgeName: string; failure: FormFailure | null }) {
  const e = failure?.fieldErrors;
  return (
    <Form method="post" noValidate>
      <FormError message={failure?.formError} />
      <PersonField label="Colleague" name="person" hint="Their handle, e.g. @ada.lovelace: the part of their email before the @." defaultValue={failure?.values.person} error={e?.person} />
      <Field
        label="Why they earned it"
        name="reason"
        multiline
        rows={3}
        hint={`Shown with the award on “${badgeName}” (up to ${BADGE_REASON_MAX} characters).`}
        defaultValue={failure?.values.reason}
        error={e?.reason}
      />
      <div className="flex justify-end">
        <SubmitButton name="intent" value="award" pendingText="Awarding…">
          Award the badge
        </SubmitButton>
      </div>
    </Form>
  );
}
