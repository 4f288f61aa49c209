import { useId, useState } from "react";
import { Form, Link, href } from "react-router";
import type { PublicationView } from "#app/features/publishing/publishing.server.ts";
import { genericAuthorName } from "#app/features/publishing/rules.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { Badge, type BadgeTone } from "#app/components/badge.tsx";
import { CardSection } from "#app/components/card.tsx";
import { FormError, SubmitButton, textControlClass } from "#app/components/form.tsx";
import { Avatar } from "#app/components/avatar.tsx";
import { GENERIC_LABEL_MAX } from "./form-schemas.ts";

type Consent = PublicationView["consents"][number];

const CHOICE: Record<Consent["choice"], { tone: BadgeTone; label: string }> = {
  pending: { tone: "amber", label: "Not answered yet" },
  named: { tone: "green", label: "By name and title" },
  generic: { tone: "brand", label: "Without their name" },
  omit: { tone: "red", label: "Left out" },
};

/** How an author appears on the forum, in words. */
function appearance(consent: Consent, companyName: string): string {
  if (consent.choice === "named") return consent.user.title ? `${consent.user.name}, ${consent.user.title}` : consent.user.name;
  if (consent.choice === "generic") return genericAuthorName(companyName, consent.genericLabel);
  if (consent.choice === "omit") return "Not published";
  return "Waiting for their answer";
}

/**
 * Everyone whose text the draft would publish, and how each agreed to appear; for the viewer who
 * is one of them, the choice itself.
 */
export function ConsentPanel({
  consents,
  companyName,
  mine,
  isAsker,
  failure,
}: {
  consents: Consent[];
  companyName: string;
  /** The viewer's own consent, when they are an author and may answer. */
  mine: Consent | null;
  isAsker: boolean;
  failure: FormFailure | null;
}) {
  return (
    <CardSection title="Authors' consent" titleId="consent-heading" description="Each author chooses how they appear on the forum: by name and title, without their name, or not at all.">
      <ul className="divide-y divide-slate-100" aria-label="Authors">
        {consents.map((c) => (
          <li key={c.user.id} className="flex items-start gap-3 py-2.5">
            <Avatar name={c.user.name} size="sm" />
            <div className="min-w-0 flex-1 text-sm">
              <Link to={href("/people/:userId", { userId: String(c.user.id) })} className="font-medium break-words text-slate-900 hover:text-brand-700 hover:underline">
                {c.user.name}
              </Link>
              {c.user.title ? <p className="text-xs text-slate-500">{c.user.title}</p> : null}
              <p className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1">
                <Badge tone={CHOICE[c.choice].tone}>{CHOICE[c.choice].label}</Badge>
                {c.choice === "named" || c.choice === "generic" ? <span className="text-xs text-slate-600">as “{appearance(c, companyName)}”</span> : null}
              </p>
            </div>
          </li>
        ))}
      </ul>
      {mine ? <ConsentForm mine={mine} companyName={companyName} isAsker={isAsker} failure={failure} /> : null}
    </CardSection>
  );
}

function ConsentForm({ mine, companyName, isAsker, failure }: { mine: Consent; companyName: string; isAsker: boolean; failure: FormFailure | null }) {
  const id = useId();
  const typed = failure?.values;
  const [label, setLabel] = useState(typed?.genericLabel ?? (mine.choice === "generic" ? mine.genericLabel : "engineer"));
  const checked = typed?.choice ?? (mine.choice === "pending" ? undefined : mine.choice);
  const labelError = failure?.fieldErrors.genericLabel;
  const choiceError = failure?.fieldErrors.choice;
  const radio = (value: "named" | "generic" | "omit") => ({
    id: `${id}-${value}`,
    type: "radio" as const,
    name: "choice",
    value,
    defaultChecked: checked === value,
    className: "mt-0.5 size-4 accent-brand-600",
  });
  const box = "flex items-start gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2.5 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50";
  return (
    <Form method="post" className="mt-4 border-t border-slate-100 pt-4">
      <input type="hidden" name="intent" value="consent" />
      <FormError message={failure?.formError} />
      <fieldset aria-describedby={choiceError ? `${id}-choice-error` : undefined}>
        <legend className="text-sm font-semibold text-slate-900">How would you like to appear?</legend>
        <div className="mt-2 space-y-2">
          <div className={box}>
            <input {...radio("named")} />
            <label htmlFor={`${id}-named`} className="text-sm">
              <span className="block font-medium text-slate-900">By name and title</span>
              <span className="block text-slate-600">Shown as “{mine.user.title ? `${mine.user.name}, ${mine.user.title}` : mine.user.name}”</span>
            </label>
          </div>
          <div className={box}>
            <input {...radio("generic")} />
            <div className="min-w-0 flex-1 text-sm">
              <label htmlFor={`${id}-generic`} className="block font-medium text-slate-900">
                Without my name
              </label>
              <label htmlFor={`${id}-label`} className="mt-1 flex flex-wrap items-center gap-2 text-slate-700">
                <span>
                  Describe me as {/^[aeiou]/i.test(companyName) ? "an" : "a"} {companyName}
                </span>
                <input
                  id={`${id}-label`}
                  name="genericLabel"
                  value={label}
                  onChange={(e) => setLabel(e.target.value)}
                  maxLength={GENERIC_LABEL_MAX}
                  aria-invalid={labelError ? true : undefined}
                  aria-describedby={`${id}-label-preview${labelError ? ` ${id}-label-error` : ""}`}
                  className={`${textControlClass(labelError)} mt-0 w-48`}
                />
              </label>
              <span id={`${id}-label-preview`} className="mt-1 block text-slate-600">
                Shown as “{genericAuthorName(companyName, label.trim())}”
              </span>
              {labelError ? (
                <span id={`${id}-label-error`} className="mt-1 block text-red-700">
                  {labelError}
                </span>
              ) : null}
            </div>
          </div>
          <div className={box}>
            <input {...radio("omit")} />
            <label htmlFor={`${id}-omit`} className="text-sm">
              <span className="block font-medium text-slate-900">Not at all</span>
              <span className="block text-slate-600">{isAsker ? "Then the question is not published." : "Your text is left out of the forum."}</span>
            </label>
          </div>
        </div>
        {choiceError ? (
          <p id={`${id}-choice-error`} className="mt-1 text-sm text-red-700">
            {choiceError}
          </p>
        ) : null}
      </fieldset>
      <p className="mt-3 text-xs text-slate-500">You can change your answer until it is published. A change after approvals asks the reviewers again.</p>
      <div className="mt-3">
        <SubmitButton pendingText="Saving…">Save my answer</SubmitButton>
      </div>
    </Form>
  );
}
