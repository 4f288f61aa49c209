import { Form, Link } from "react-router";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { CardSection } from "#app/components/card.tsx";
import { buttonClass } from "#app/components/button.tsx";
import { claimSummaryText } from "#app/features/imports/claim-schema.ts";
import type { FormFailure } from "#app/lib/forms.ts";

type Summary = { questions: number; answers: number; comments: number; reputation: number };

/**
 * Admin → People → an imported profile: where it came from, what claiming it moves, and the claim
 * itself in two steps: type whose account it is, then confirm with the account named.
 */
export function ClaimProfile({
  imported,
  summary,
  review,
  failure,
  selfUrl,
}: {
  imported: { source: string; sourceUrl: string; displayName: string };
  summary: Summary;
  review: { account: { id: number; name: string; email: string }; typed: string } | null;
  failure: FormFailure | null;
  selfUrl: string;
}) {
  const moves = claimSummaryText(summary);
  const sourceLink = /^https?:\/\//i.test(imported.sourceUrl) ? imported.sourceUrl : null;
  return (
    <CardSection title="Imported profile" titleId="imported-profile" description="This profile can't sign in. Claim it for the person's own account to give them their posts and reputation.">
      <p className="text-sm text-slate-800">
        Imported from {imported.source} (
        {sourceLink ? (
          <a href={sourceLink} className="font-medium text-brand-700 underline hover:text-brand-800" rel="noopener noreferrer nofollow">
            {imported.displayName} on {imported.source}
          </a>
        ) : (
          imported.displayName
        )}
        ), not claimed.
      </p>
      <p className="mt-2 text-sm text-slate-700">Claiming moves {moves} to the account, with the votes, edits and follows, and removes this placeholder.</p>
      <div className="mt-4">
        <FormError message={failure?.formError} />
        {review ? (
          <Form method="post" className="rounded-lg border border-amber-200 bg-amber-50 p-4">
            <h3 className="text-sm font-semibold text-slate-900">
              Claim for {review.account.name} ({review.account.email})?
            </h3>
            <p className="mt-1 text-sm text-slate-800">
              {moves} will belong to {review.account.name}. This can't be undone from here.
            </p>
            <input type="hidden" name="account" value={review.typed} />
            <input type="hidden" name="accountUserId" value={review.account.id} />
            <div className="mt-3 flex flex-wrap gap-3">
              <SubmitButton name="intent" value="claim" pendingText="Claiming…">
                Claim for {review.account.name}
              </SubmitButton>
              <Link to={selfUrl} className={buttonClass("ghost")}>
                Cancel
              </Link>
            </div>
          </Form>
        ) : (
          <Form method="post" className="flex flex-wrap items-start gap-3">
            <div className="min-w-64 flex-1 [&>div]:mb-0">
              <Field
                label="Claim for an account"
                name="account"
                hint="The person's email address, or their name if no one else has it"
                autoComplete="off"
                defaultValue={failure?.values.account}
                error={failure?.fieldErrors.account}
              />
            </div>
            <div className="pt-6">
              <SubmitButton name="intent" value="claim-review" pendingText="Checking…">
                Review claim
              </SubmitButton>
            </div>
          </Form>
        )}
      </div>
    </CardSection>
  );
}
