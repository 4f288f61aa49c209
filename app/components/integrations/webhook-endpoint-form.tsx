import { Form } from "react-router";
import { EVENT_LABELS, type EventType } from "#app/features/webhooks/events.ts";
import { DESCRIPTION_MAX, ENDPOINT_EVENT_TYPES, URL_MAX } from "#app/features/webhooks/schemas.ts";
import { Field, FormError, SelectField, SubmitButton } from "#app/components/form.tsx";
import type { FieldErrors } from "#app/lib/forms.ts";

/**
 * The endpoint form (new and edit): address, description, space, events. On a failed save it
 * shows what the admin typed, with each message beside its field.
 */

export interface EndpointFormValues {
  url: string;
  description: string;
  /** A space's id, or "" for every open space. */
  space: string;
  events: readonly string[];
}

/** The form's values from a failed submission: ticked boxes are the values sent under `events`. */
export function submittedEndpointValues(values: Record<string, string>, events: readonly string[]): EndpointFormValues {
  return { url: values.url ?? "", description: values.description ?? "", space: values.space ?? "", events };
}

export function WebhookEndpointForm({
  intent,
  submitLabel,
  values,
  errors,
  formError,
  spaces,
}: {
  intent: string;
  submitLabel: string;
  values: EndpointFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  spaces: ReadonlyArray<{ id: number; name: string; visibility: "open" | "restricted" }>;
}) {
  // A value that is not one of the events comes back under "events.0" and the like.
  const eventsError = errors.events ?? Object.entries(errors).find(([key]) => key.startsWith("events."))?.[1];
  return (
    <Form method="post" noValidate>
      <FormError message={formError} />
      <Field
        label="Endpoint URL"
        name="url"
        type="url"
        required
        maxLength={URL_MAX}
        defaultValue={values.url}
        error={errors.url}
        hint="Where Commons POSTs each event, e.g. https://hooks.example.com/commons. Private and internal addresses are refused unless listed under Private addresses allowed."
      />
      <Field
        label="Description (optional)"
        name="description"
        multiline
        rows={2}
        maxLength={DESCRIPTION_MAX}
        defaultValue={values.description}
        error={errors.description}
        hint="What this endpoint is for and who runs it."
      />
      <SelectField
        label="Space"
        name="space"
        defaultValue={values.space}
        error={errors.space}
        emptyLabel="All open spaces"
        options={spaces.map((s) => ({ value: String(s.id), label: s.visibility === "restricted" ? `${s.name} (restricted)` : s.name }))}
        hint="A restricted space's events only ever go to endpoints registered for that space."
      />
      <fieldset className="mb-5" aria-describedby={eventsError ? "events-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">Events</legend>
        <ul className="mt-2 space-y-2">
          {ENDPOINT_EVENT_TYPES.map((type: EventType) => (
            <li key={type}>
              <label className="flex items-start gap-2 text-sm text-slate-800">
                <input type="checkbox" name="events" value={type} defaultChecked={values.events.includes(type)} className="mt-0.5 accent-brand-600" />
                <span>
                  {EVENT_LABELS[type]} <code className="text-xs text-slate-500">{type}</code>
                </span>
              </label>
            </li>
          ))}
        </ul>
        {eventsError ? (
          <p id="events-error" className="mt-1 text-sm text-red-700">
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <div className="flex justify-end">
        <SubmitButton name="intent" value={intent} pendingText="Saving…">
          {submitLabel}
        </SubmitButton>
      </div>
    </Form>
  );
}
