import { Form } from "react-router";
import { Button } from "#app/components/button.tsx";
import { Field, FormError } from "#app/components/form.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { REDACTION_REASON_MAX } from "#app/features/moderation/redaction-schema.ts";

/**
 * Redaction on a history page: the moderator's form for one revision (a disclosure, so it works
 * without JavaScript and stays out of the way), and the admin's view of a redacted original.
 */

export type RedactFailure = { fieldErrors: Partial<Record<string, string>>; formError?: string; values: Record<string, string> };

/** `failure` is the action's answer when it was for this revision: the form opens again with the reason as typed. */
export function RedactForm({ revision, noun, failure }: { revision: number; noun: "revision" | "version"; failure: RedactFailure | null }) {
  return (
    <details className="mt-4 rounded-md border border-slate-200 p-3 text-sm" open={failure !== null}>
      <summary className="cursor-pointer font-medium text-slate-700">
        Redact this {noun}
        <span className="sr-only"> ({revision})</span>
      </summary>
      <Form method="post" className="mt-3">
        <p className="mb-3 text-slate-600">
          For a secret or personal data posted by mistake: the {noun}&apos;s title and text are replaced, in the history and in every diff, by &quot;Redacted by a moderator&quot; and your
          reason. Only admins can still read the original.
        </p>
        <FormError message={failure?.formError} />
        <input type="hidden" name="revision" value={revision} />
        <Field
          label="Reason (shown in its place)"
          name="reason"
          required
          maxLength={REDACTION_REASON_MAX}
          defaultValue={failure?.values.reason}
          error={failure?.fieldErrors.reason}
          hint="Say what was removed, not what it said: e.g. “a database password”."
        />
        <Button name="intent" value="redact" variant="dangerOutline" size="sm">
          Redact {noun} {revision}
        </Button>
      </Form>
    </details>
  );
}

export type OriginalView = { title: string | null; body: string; comment: string; reason: string; redactedAt: Date; redactedBy: { name: string } };

/** What a redacted revision said: rendered only for admins, whose loader alone carries it. */
export function RedactedOriginal({ original, now }: { original: OriginalView; now: number }) {
  return (
    <details className="mt-3 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm">
      <summary className="cursor-pointer font-medium text-amber-900">Show the original (admins only)</summary>
      <p className="mt-2 text-amber-900">
        Redacted by {original.redactedBy.name} · <RelativeTime date={original.redactedAt} now={now} /> · “{original.reason}”
      </p>
      {original.title !== null ? <p className="mt-2 font-medium text-slate-900">{original.title}</p> : null}
      <pre className="mt-2 overflow-x-auto rounded-md bg-white p-3 font-sans whitespace-pre-wrap text-slate-800">{original.body}</pre>
      {original.comment ? <p className="mt-2 text-slate-700">Edit summary: {original.comment}</p> : null}
    </details>
  );
}
