import { Form } from "react-router";
import { SEVERITIES } from "#app/features/escalations/model.ts";
import { MAX_TERMS, SEVERITY_LABELS } from "#app/features/escalations/settings-form.ts";
import type { FieldErrors } from "#app/lib/forms.ts";
import { CardSection } from "#app/components/card.tsx";
import { Field, SelectField, SubmitButton } from "#app/components/form.tsx";

/** Admin → Forum: every escalation rule with a short explanation, its numbers and its severity; the SLAs. */

const severityOptions = [...SEVERITIES].reverse().map((s) => ({ value: s, label: SEVERITY_LABELS[s] }));

export function EscalationSettingsForm({ value, errors }: { value: (key: string) => string; errors: FieldErrors }) {
  const number = (key: string, label: string, hint: string) => <Field key={key} label={label} name={key} hint={hint} required defaultValue={value(key)} error={errors[key]} />;
  const enabled = (key: string, label: string) => (
    <div className="mb-4 flex items-center gap-2">
      <input id={`f-${key}`} type="checkbox" name={key} defaultChecked={value(key) !== ""} className="size-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500" />
      <label htmlFor={`f-${key}`} className="text-sm font-medium text-slate-800">
        {label}
      </label>
    </div>
  );
  const severity = (key: string) => <SelectField label="Severity" name={key} options={severityOptions} defaultValue={value(key)} error={errors[key]} />;
  return (
    <Form method="post" noValidate className="space-y-6">
      <input type="hidden" name="intent" value="save-settings" />
      <CardSection
        title="Many customers say “me too”"
        titleId="rule-me-too"
        description="Escalates a customer's question once this many customers said “me too” on it. At twice the threshold the escalation is one severity higher."
      >
        {enabled("meToo_enabled", "Escalate on “me too”")}
        <div className="grid gap-x-6 sm:grid-cols-2">
          {number("meToo_threshold", "Threshold", "Customers saying “me too”, 2 to 10,000.")}
          {severity("meToo_severity")}
        </div>
      </CardSection>
      <CardSection
        title="Urgent terms"
        titleId="rule-urgent"
        description="Escalates a question whose title or text holds one of these words or phrases, as a whole word, in any case (“down” is not found in “download”)."
      >
        {enabled("urgent_enabled", "Escalate on urgent terms")}
        <div className="grid gap-x-6 sm:grid-cols-2">
          <Field label="Terms" name="urgent_terms" multiline rows={8} hint={`One a line, at most ${MAX_TERMS}.`} defaultValue={value("urgent_terms")} error={errors.urgent_terms} />
          {severity("urgent_severity")}
        </div>
      </CardSection>
      <CardSection
        title="Strongly negative tone"
        titleId="rule-sentiment"
        description="Scores the question's own title and text with the AFINN word list (the sentiment package): the score per word, from −5 to 5. It escalates at or below the threshold when enough words carried a score. Only the post is scored; nothing is kept per person."
      >
        {enabled("sentiment_enabled", "Escalate on a strongly negative tone")}
        <div className="grid gap-x-6 sm:grid-cols-3">
          {number("sentiment_threshold", "Threshold", "Score per word, −5 to 0; −0.5 is strongly negative.")}
          {number("sentiment_minWords", "Scored words at least", "So one angry word in a short line does not count, 1 to 100.")}
          {severity("sentiment_severity")}
        </div>
      </CardSection>
      <CardSection
        title="Volume spike in a topic"
        titleId="rule-spike"
        description="Compares this week's new customer questions in each of the question's topics with the weeks before: z = (this week − their mean) ÷ their standard deviation, at least 1 so a quiet topic's first few questions don't divide by zero."
      >
        {enabled("spike_enabled", "Escalate on a volume spike")}
        <div className="grid gap-x-6 sm:grid-cols-2 lg:grid-cols-4">
          {number("spike_z", "z-score at least", "1 to 20; 3 is a rare week.")}
          {number("spike_minCount", "Questions this week at least", "1 to 10,000.")}
          {number("spike_trailingWeeks", "Trailing weeks", "How many weeks before to compare with, 2 to 52.")}
          {severity("spike_severity")}
        </div>
      </CardSection>
      <CardSection
        title="Severity and SLA"
        titleId="sla"
        description="An escalation takes the highest severity of the rules that fired. Each severity has a deadline for the first internal response, in hours from the escalation."
      >
        <div className="grid gap-x-6 sm:grid-cols-4">
          {number("sla_critical", "Critical (hours)", "1 to 8,760.")}
          {number("sla_high", "High (hours)", "1 to 8,760.")}
          {number("sla_medium", "Medium (hours)", "1 to 8,760.")}
          {number("sla_low", "Low (hours)", "1 to 8,760.")}
        </div>
      </CardSection>
      <div className="flex justify-end">
        <SubmitButton pendingText="Saving…">Save settings</SubmitButton>
      </div>
    </Form>
  );
}
