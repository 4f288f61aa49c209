import { Form, href } from "react-router";
import { type PhaseStep, STEP_LABELS } from "#app/features/recognition/award-schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";

const STEP_HINTS: Record<PhaseStep, string> = {
  "open-nominations": "Nominations open at once instead of at their date.",
  "close-nominations": "No more nominations; the shortlist (if any) comes next, then voting at its date.",
  "open-voting": "Nominations close if they were open, and voting opens at once.",
  publish: "Voting closes, the results are published on this page and every nominee is told.",
};

/**
 * HR's controls on a round's page: move it on to its next phase now, edit it, name its jury. Plain
 * forms, each saying what it does; a refused step comes back with why.
 */
export function AwardHrPanel({
  roundId,
  steps,
  jurors,
  failed,
  resultsOut,
}: {
  roundId: number;
  steps: PhaseStep[];
  jurors: Array<{ handle: string }>;
  failed: (FormFailure & { intent?: unknown }) | null;
  resultsOut: boolean;
}) {
  const moveFailure = failed?.intent === "move" ? failed : null;
  const juryFailure = failed?.intent === "jury" ? failed : null;
  return (
    <div className="space-y-5">
      {steps.length > 0 ? (
        <div>
          <FormError message={moveFailure?.formError ?? moveFailure?.fieldErrors.step} />
          <ul className="space-y-3">
            {steps.map((step) => (
              <li key={step}>
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="step" value={step} />
                  <SubmitButton name="intent" value="move" variant={step === "publish" ? "primary" : "secondary"} pendingText="Moving on…">
                    {STEP_LABELS[step]}
                  </SubmitButton>
                  <p className="mt-1 text-xs text-slate-500">{STEP_HINTS[step]}</p>
                </Form>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ButtonLink to={href("/awards/:roundId/edit", { roundId: String(roundId) })} size="sm">
        Edit the round
      </ButtonLink>
      {resultsOut ? null : (
        <Form method="post" noValidate preventScrollReset>
          <input type="hidden" name="intent" value="jury" />
          <FormError message={juryFailure?.formError} />
          <Field
            label="Jury"
            name="jurors"
            hint="Colleagues who shortlist with HR, by handle: @ada.lovelace, @grace.hopper. Empty: HR alone."
            defaultValue={juryFailure?.values.jurors ?? jurors.map((j) => `@${j.handle}`).join(", ")}
            error={juryFailure?.fieldErrors.jurors}
          />
          <SubmitButton variant="secondary" pendingText="Saving…">
            Save the jury
          </SubmitButton>
        </Form>
      )}
    </div>
  );
}

/** The shortlist, for HR and the jury: tick the nominees who go on the ballot. */
export function AwardShortlistForm({
  nominees,
  failed,
}: {
  nominees: Array<{ id: number; name: string; nominations: number; shortlisted: boolean }>;
  failed: (FormFailure & { intent?: unknown }) | null;
}) {
  const mine = failed?.intent === "shortlist" ? failed : null;
  if (nominees.length === 0) return <p className="text-sm text-slate-600">No one has been nominated yet.</p>;
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value="shortlist" />
      <FormError message={mine?.formError ?? mine?.fieldErrors.nominee} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">On the ballot</legend>
        <ul className="mt-2 grid gap-2 sm:grid-cols-2">
          {nominees.map((n) => (
            <li key={n.id}>
              <label className="flex cursor-pointer items-center gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50">
                <input type="checkbox" name="nominee" value={n.id} defaultChecked={n.shortlisted} className="size-4 accent-brand-600" />
                <span>
                  <span className="font-medium text-slate-900">{n.name}</span>{" "}
                  <span className="text-slate-600">
                    ({n.nominations} {n.nominations === 1 ? "nomination" : "nominations"})
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="mt-3 flex justify-end">
        <SubmitButton pendingText="Saving…">Save the shortlist</SubmitButton>
      </div>
    </Form>
  );
}
