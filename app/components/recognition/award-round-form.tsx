import { useId } from "react";
import { Form } from "react-router";
import { datetimeLocalValue } from "#app/features/articles/schemas.ts";
import { ROUND_REWARD_MAX, ROUND_TITLE_MAX } from "#app/features/recognition/award-schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { MentionField } from "#app/components/mention-textarea.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";
import { RadioCards } from "#app/components/radio-cards.tsx";

export type RoundDefaults = {
  title: string;
  description: string;
  reward: string;
  nomineeScope: "everyone" | "department";
  nomineeDepartment: string;
  selfNomination: boolean;
  shortlist: boolean;
  votesPerVoter: number;
  winnerCount: number;
  nominationsOpenAt: Date | string;
  nominationsCloseAt: Date | string;
  votingOpenAt: Date | string;
  votingCloseAt: Date | string;
  resultsAt: Date | string;
};

/** A labelled checkbox with a line of explanation and its error, wired for screen readers like `Field`. */
function Checkbox({ name, label, hint, checked, error }: { name: string; label: string; hint: string; checked: boolean; error?: string | undefined }) {
  const id = useId();
  return (
    <div className="mb-4">
      <div className="flex items-start gap-3">
        <input
          id={id}
          type="checkbox"
          name={name}
          defaultChecked={checked}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
          className="mt-0.5 size-4 accent-brand-600"
        />
        <div className="min-w-0">
          <label htmlFor={id} className="block text-sm font-medium text-slate-800">
            {label}
          </label>
          <p id={`${id}-hint`} className="text-xs text-slate-500">
            {hint}
          </p>
        </div>
      </div>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The award round form, for a new round and for an edit. Dates are in UTC, as everywhere. Once
 * voting has started (`votingStarted`), what decides the ballot is shown but no longer editable:
 * its current values travel as hidden fields, and the server refuses any change to them.
 */
export function AwardRoundForm({
  failed,
  defaults,
  submissionKey,
  votingStarted = false,
  resultsOut = false,
  withJury = false,
  submitLabel,
}: {
  failed: FormFailure | null;
  defaults: RoundDefaults;
  submissionKey?: string;
  votingStarted?: boolean;
  resultsOut?: boolean;
  /** The new round form names the jury; an existing round's jury is changed on its page. */
  withJury?: boolean;
  submitLabel: string;
}) {
  const v = failed?.values;
  const e = failed?.fieldErrors;
  const ticked = (name: "selfNomination" | "shortlist") => (v ? v[name] === "on" || v[name] === "true" : defaults[name]);
  const date = (name: "nominationsOpenAt" | "nominationsCloseAt" | "votingOpenAt" | "votingCloseAt" | "resultsAt") => v?.[name] ?? datetimeLocalValue(defaults[name]);
  const hidden = (name: string, value: string) => <input type="hidden" name={name} value={value} />;
  return (
    <Card className="p-6">
      <FormError message={failed?.formError} />
      <Form method="post" noValidate>
        {submissionKey ? <input type="hidden" name="submissionKey" value={submissionKey} /> : null}
        <Field label="Title" name="title" hint={`Up to ${ROUND_TITLE_MAX} characters, e.g. “Talent show 2026”.`} defaultValue={v?.title ?? defaults.title} error={e?.title} />
        <MentionField
          label="Description"
          name="description"
          rows={8}
          hint="Markdown: what the award is for, what makes a good nomination. Paste or drop images to add them."
          defaultValue={v?.description ?? defaults.description}
          error={e?.description}
        />
        <MarkdownHelp />
        <Field
          label="Reward (optional)"
          name="reward"
          hint={`What the winners get, up to ${ROUND_REWARD_MAX} characters, e.g. “A trip to the offsite of their choice”.`}
          defaultValue={v?.reward ?? defaults.reward}
          error={e?.reward}
        />

        <fieldset className="mb-4 rounded-lg border border-slate-200 p-4">
          <legend className="px-1 text-sm font-medium text-slate-800">Nominations and ballot</legend>
          {votingStarted ? (
            <>
              {hidden("nomineeScope", defaults.nomineeScope)}
              {hidden("nomineeDepartment", defaults.nomineeDepartment)}
              {hidden("selfNomination", String(defaults.selfNomination))}
              {hidden("shortlist", String(defaults.shortlist))}
              {hidden("votesPerVoter", String(defaults.votesPerVoter))}
              <dl className="mb-4 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
                <dt className="font-medium text-slate-800">Who may be nominated</dt>
                <dd className="text-slate-700">{defaults.nomineeScope === "department" ? `People in ${defaults.nomineeDepartment}` : "Every employee"}</dd>
                <dt className="font-medium text-slate-800">Self-nominations</dt>
                <dd className="text-slate-700">{defaults.selfNomination ? "Allowed" : "Not allowed"}</dd>
                <dt className="font-medium text-slate-800">Shortlist</dt>
                <dd className="text-slate-700">{defaults.shortlist ? "Yes, by HR and the jury" : "No: everyone nominated is on the ballot"}</dd>
                <dt className="font-medium text-slate-800">Votes per person</dt>
                <dd className="text-slate-700">{defaults.votesPerVoter}</dd>
              </dl>
              <p className="mb-4 text-sm text-slate-600">Fixed since voting started: the ballot people voted on stays the ballot.</p>
              <FormError message={e?.nomineeScope ?? e?.selfNomination ?? e?.shortlist ?? e?.votesPerVoter} />
            </>
          ) : (
            <>
              <RadioCards
                legend="Who may be nominated"
                name="nomineeScope"
                choices={[
                  { value: "everyone", label: "Every employee", description: "Any active colleague, in any department." },
                  { value: "department", label: "One department", description: "Only people whose profile names the department below." },
                ]}
                defaultValue={v?.nomineeScope ?? defaults.nomineeScope}
                error={e?.nomineeScope}
              />
              <Field
                label="Department (for one department)"
                name="nomineeDepartment"
                hint="As people's profiles spell it, e.g. Customer Success."
                defaultValue={v?.nomineeDepartment ?? defaults.nomineeDepartment}
                error={e?.nomineeDepartment}
              />
              <Checkbox
                name="selfNomination"
                label="People may nominate themselves"
                hint="Otherwise everyone nominates a colleague."
                checked={ticked("selfNomination")}
                error={e?.selfNomination}
              />
              <Checkbox
                name="shortlist"
                label="HR and the jury shortlist the nominees"
                hint="Between nominations and voting; only the shortlisted are on the ballot. Otherwise everyone nominated is."
                checked={ticked("shortlist")}
                error={e?.shortlist}
              />
              <Field
                label="Votes per person"
                name="votesPerVoter"
                type="number"
                hint="1 to 10: with more than one, each person picks up to that many different colleagues."
                defaultValue={v?.votesPerVoter ?? String(defaults.votesPerVoter)}
                error={e?.votesPerVoter}
              />
            </>
          )}
          {resultsOut ? (
            <p className="mb-4 text-sm text-slate-700">
              {hidden("winnerCount", String(defaults.winnerCount))}
              <span className="font-medium text-slate-800">Winners:</span> {defaults.winnerCount} <span className="text-slate-500">(fixed: the results are out)</span>
            </p>
          ) : (
            <Field
              label="Winners"
              name="winnerCount"
              type="number"
              hint="1 to 10: the most voted win; a tie for the last place makes one more winner."
              defaultValue={v?.winnerCount ?? String(defaults.winnerCount)}
              error={e?.winnerCount}
            />
          )}
          {withJury ? (
            <Field label="Jury (optional)" name="jurors" hint="Colleagues who shortlist with HR, by handle: @ada.lovelace, @grace.hopper." defaultValue={v?.jurors} error={e?.jurors} />
          ) : null}
        </fieldset>

        <fieldset className="mb-4 rounded-lg border border-slate-200 p-4">
          <legend className="px-1 text-sm font-medium text-slate-800">Dates (UTC)</legend>
          {resultsOut ? (
            <p className="mb-3 text-sm text-slate-600">The results are out: the dates are kept as they were.</p>
          ) : (
            <p className="mb-3 text-sm text-slate-600">
              Each phase starts when the one before ends; results are published to the round&apos;s page and to the nominees at their time. You can also move a phase on early from the
              round&apos;s page.
            </p>
          )}
          <div className="grid gap-x-4 sm:grid-cols-2">
            {(
              [
                ["nominationsOpenAt", "Nominations open", votingStarted, "fixed: voting has started"],
                ["nominationsCloseAt", "Nominations close", votingStarted, "fixed: voting has started"],
                ["votingOpenAt", "Voting opens", votingStarted, "fixed: voting has started"],
                ["votingCloseAt", "Voting closes", resultsOut, "fixed: the results are out"],
                ["resultsAt", "Results", resultsOut, "fixed: the results are out"],
              ] as const
            ).map(([name, label, fixed, why]) =>
              fixed ? (
                <div key={name} className="mb-4 text-sm">
                  {hidden(name, datetimeLocalValue(defaults[name]))}
                  <p className="font-medium text-slate-800">{label}</p>
                  <p className="mt-1 text-slate-700">
                    {datetimeLocalValue(defaults[name]).replace("T", " ")} UTC <span className="text-slate-500">({why})</span>
                  </p>
                  {e?.[name] ? <p className="mt-1 text-red-700">{e[name]}</p> : null}
                </div>
              ) : (
                <Field key={name} label={`${label} (UTC)`} name={name} type="datetime-local" defaultValue={date(name)} error={e?.[name]} />
              ),
            )}
          </div>
        </fieldset>
        <div className="flex justify-end border-t border-slate-100 pt-5">
          <SubmitButton pendingText="Saving…">{submitLabel}</SubmitButton>
        </div>
      </Form>
    </Card>
  );
}
