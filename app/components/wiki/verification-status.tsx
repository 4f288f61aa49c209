import { useId } from "react";
import { Form, href } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { CheckCircleIcon } from "#app/components/icons.tsx";
import { DEFAULT_REVIEW_INTERVAL, REVIEW_INTERVALS } from "#app/features/wiki/governance-schemas.ts";
import { absoluteDate } from "#app/lib/time.ts";

export type Verification = {
  verifiedAt: Date | string | null;
  verifiedBy: { id: number; name: string } | null;
  reviewIntervalDays: number | null;
  reviewDueAt: Date | string | null;
  needsReview: boolean;
};

/** Verified, needs review, or not verified: a badge whose text says which. */
export function VerificationBadge({ verification }: { verification: Pick<Verification, "verifiedAt" | "needsReview"> }) {
  if (verification.needsReview) return <Badge tone="amber">Needs review</Badge>;
  if (verification.verifiedAt)
    return (
      <Badge tone="green" icon={<CheckCircleIcon className="size-3.5" />}>
        Verified
      </Badge>
    );
  return <Badge>Not verified</Badge>;
}

/** In a list of pages: a badge only when there is something to say (due for review, or verified). */
export function PageListBadge({ page }: { page: { verified: boolean; needsReview: boolean } }) {
  if (page.needsReview) return <Badge tone="amber">Needs review</Badge>;
  return page.verified ? <Badge tone="green">Verified</Badge> : null;
}

/** One line about the verification: who vouched for the page, when, and when it is due for review. */
export function VerificationLine({ verification }: { verification: Verification }) {
  const { verifiedAt, verifiedBy, reviewDueAt, needsReview } = verification;
  if (!verifiedAt) return <p className="text-sm text-slate-600">No owner has verified this page yet.</p>;
  return (
    <p className="text-sm text-slate-600">
      Verified{verifiedBy ? ` by ${verifiedBy.name}` : ""} on {absoluteDate(verifiedAt)}.
      {reviewDueAt ? (needsReview ? ` Its review was due on ${absoluteDate(reviewDueAt)}.` : ` Next review by ${absoluteDate(reviewDueAt)}.`) : null}
    </p>
  );
}

/**
 * Verify (again) with a review interval, and remove the verification: plain forms posting to the
 * page's verify route, which comes back to the page.
 */
export function VerifyForm({ pageId, verification }: { pageId: number; verification: Pick<Verification, "verifiedAt" | "reviewIntervalDays" | "needsReview"> }) {
  const selectId = useId();
  const action = href("/wiki/:pageId/verify", { pageId: String(pageId) });
  return (
    <div className="space-y-2">
      <Form method="post" action={action} className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={selectId} className="block text-xs font-medium text-slate-700">
            Review again after
          </label>
          <select
            id={selectId}
            name="intervalDays"
            defaultValue={String(verification.reviewIntervalDays ?? DEFAULT_REVIEW_INTERVAL)}
            className="mt-1 rounded-md border border-slate-300 bg-white py-1.5 pr-8 pl-2.5 text-sm shadow-sm focus:ring-2 focus:ring-brand-500"
          >
            {REVIEW_INTERVALS.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </select>
        </div>
        <Button name="intent" value="verify" size="sm" variant="primary">
          {verification.verifiedAt ? (verification.needsReview ? "Reviewed: verify again" : "Verify again") : "Verify this page"}
        </Button>
      </Form>
      {verification.verifiedAt ? (
        <Form method="post" action={action}>
          <Button name="intent" value="unverify" size="sm" variant="ghost">
            Remove verification
          </Button>
        </Form>
      ) : null}
    </div>
  );
}
