import { Form } from "react-router";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { RadioCards } from "#app/components/radio-cards.tsx";
import { BADGE_DESCRIPTION_MAX, BADGE_NAME_MAX } from "#app/features/recognition/badge-schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";

const TIER_CHOICES = [
  { value: "gold", label: "Gold", description: "Rare: an achievement the whole company talks about." },
  { value: "silver", label: "Silver", description: "A real achievement, earned with sustained effort." },
  { value: "bronze", label: "Bronze", description: "A first step or a welcome contribution." },
] as const;

/**
 * A custom badge's name, what it is for and its tier: the new badge page's form, and the edit
 * form on a custom badge's page (with `intent=edit`).
 */
export function BadgeForm({
  badge,
  failure,
  submitLabel,
  intent,
}: {
  badge?: { name: string; description: string; tier: string };
  failure: FormFailure | null;
  submitLabel: string;
  intent?: string;
}) {
  const v = failure?.values;
  const e = failure?.fieldErrors;
  return (
    <Form method="post" noValidate>
      <FormError message={failure?.formError} />
      <Field label="Name" name="name" hint={`Up to ${BADGE_NAME_MAX} characters, e.g. “Release hero”.`} defaultValue={v?.name ?? badge?.name} error={e?.name} />
      <Field
        label="What it is for"
        name="description"
        multiline
        rows={3}
        hint={`Shown on the badge's page and with every award (up to ${BADGE_DESCRIPTION_MAX} characters).`}
        defaultValue={v?.description ?? badge?.description}
        error={e?.description}
      />
      <RadioCards legend="Tier" name="tier" choices={TIER_CHOICES} defaultValue={v?.tier ?? badge?.tier ?? "bronze"} error={e?.tier} />
      <div className="flex justify-end border-t border-slate-100 pt-5">
        <SubmitButton name={intent ? "intent" : undefined} value={intent} pendingText="Saving…">
          {submitLabel}
        </SubmitButton>
      </div>
    </Form>
  );
}
