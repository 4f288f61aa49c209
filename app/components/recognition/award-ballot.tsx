import { useId } from "react";
import { Form } from "react-router";
import type { FormFailure } from "#app/lib/forms.ts";
import { plural } from "#app/lib/plural.ts";
import { FormError, SubmitButton } from "#app/components/form.tsx";

export type Candidate = { id: number; name: string; title: string; department: string };

/** "12 of 240 people have voted (5%)": how many, never who for whom. */
export function AwardParticipation({ ballots, eligible }: { ballots: number; eligible: number }) {
  const share = eligible > 0 ? Math.round((100 * ballots) / eligible) : 0;
  return (
    <p className="text-sm text-slate-700">
      <span className="font-semibold text-slate-900">{plural(ballots, "person has", "people have")}</span> voted, of {plural(eligible, "employee", "employees")} who may ({share}%).
    </p>
  );
}

/**
 * The ballot: a radio button per candidate for a one-vote round, checkboxes (up to the round's
 * number) otherwise. The voter is not offered themselves. After voting, it says so, and no more:
 * Commons keeps that they voted, not for whom, so there is nothing to show them.
 */
export function AwardBallot({
  candidates,
  votesPerVoter,
  viewerId,
  voted,
  failed,
}: {
  candidates: Candidate[];
  votesPerVoter: number;
  viewerId: number;
  voted: boolean;
  failed: FormFailure | null;
}) {
  const id = useId();
  if (voted) {
    return (
      <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
        <p className="font-semibold">You voted. Thank you.</p>
        <p className="mt-1">
          Your ballot is secret: Commons keeps that you voted, not for whom, so no one can see your choice, HR included, and neither can you. The results are published here when voting
          closes.
        </p>
      </div>
    );
  }
  if (candidates.length === 0) return <p className="text-sm text-slate-600">No one is on the ballot.</p>;
  const single = votesPerVoter === 1;
  const others = candidates.filter((c) => c.id !== viewerId);
  const onBallot = others.length < candidates.length;
  const error = failed?.fieldErrors.choice;
  const chosen = failed?.values.choice;
  return (
    <Form method="post" noValidate preventScrollReset>
      <input type="hidden" name="intent" value="vote" />
      <FormError message={failed?.formError} />
      <fieldset aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}>
        <legend className="text-sm font-medium text-slate-900">{single ? "Choose one person" : `Choose up to ${votesPerVoter} people`}</legend>
        <p id={`${id}-hint`} className="mt-1 text-sm text-slate-600">
          {single ? "You have one vote." : `You have ${votesPerVoter} votes, one per person.`} You vote once; it can't be changed afterwards.
          {onBallot ? " You are on the ballot, and can't vote for yourself." : ""}
        </p>
        <ul className="mt-3 space-y-2">
          {others.map((c) => (
            <li key={c.id}>
              <label className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2.5 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50">
                <input type={single ? "radio" : "checkbox"} name="choice" value={c.id} defaultChecked={chosen === String(c.id)} className="mt-0.5 size-4 accent-brand-600" />
                <span className="min-w-0 text-sm">
                  <span className="block font-medium text-slate-900">{c.name}</span>
                  {c.title || c.department ? <span className="block text-slate-600">{[c.title, c.department].filter(Boolean).join(", ")}</span> : null}
                </span>
              </label>
            </li>
          ))}
        </ul>
        {error ? (
          <p id={`${id}-error`} className="mt-2 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </fieldset>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
        <p className="text-xs text-slate-500">Secret ballot: no one, HR included, can see who voted for whom.</p>
        <SubmitButton pendingText="Casting…">Cast your vote</SubmitButton>
      </div>
    </Form>
  );
}
