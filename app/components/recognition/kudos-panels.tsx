import { Form } from "react-router";
import type { KudosGift } from "#app/features/recognition/feeds.server.ts";
import { KUDOS_MAX_POINTS_EACH, KUDOS_NOTE_MAX } from "#app/features/recognition/kudos-schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { absoluteTime } from "#app/lib/time.ts";
import { Badge } from "#app/components/badge.tsx";
import { CardSection } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { PersonName } from "./kudos-card.tsx";

/** A kudos page's parts: who put points on it, adding one's own, and withdrawing it. */

export function KudosGifts({ gifts, receiverCount, now }: { gifts: Array<KudosGift<Date | string>>; receiverCount: number; now: number }) {
  return (
    <CardSection title="Points on this kudos" titleId="gifts">
      <ul className="divide-y divide-slate-100 text-sm">
        {gifts.map((g) => (
          <li key={g.id} className="flex flex-wrap items-baseline gap-x-2 gap-y-1 py-2">
            <PersonName person={g.giver} />
            <span className="text-slate-700">
              {g.first ? "gave" : "added"} {g.pointsEach.toLocaleString("en")} {g.pointsEach === 1 ? "point" : "points"}
              {receiverCount > 1 ? " each" : ""}
            </span>
            {g.reversed ? <Badge tone="red">Returned</Badge> : null}
            <span className="text-xs text-slate-500">
              <RelativeTime date={g.createdAt} now={now} />
            </span>
            {/* A note is plain text: React escapes it. */}
            {g.message ? <p className="w-full whitespace-pre-line text-slate-600">{g.message}</p> : null}
          </li>
        ))}
      </ul>
    </CardSection>
  );
}

export function AddPointsForm({ failure, left, receiverCount }: { failure: FormFailure | null; left: number; receiverCount: number }) {
  return (
    <CardSection
      title="Add your points"
      titleId="add-points"
      description={`From your allowance: you have ${left.toLocaleString("en")} points left this month${receiverCount > 1 ? `; each of the ${receiverCount} people gets what you enter` : ""}.`}
    >
      <Form method="post" noValidate preventScrollReset className="max-w-md">
        <FormError message={failure?.formError} />
        <Field
          label="Points"
          name="pointsEach"
          type="number"
          defaultValue={failure?.values.pointsEach ?? "5"}
          error={failure?.fieldErrors.pointsEach}
          hint={`1 to ${KUDOS_MAX_POINTS_EACH}.`}
        />
        <Field label="Note (optional)" name="message" multiline rows={2} maxLength={KUDOS_NOTE_MAX} defaultValue={failure?.values.message} error={failure?.fieldErrors.message} />
        <SubmitButton name="intent" value="add-points" variant="secondary" pendingText="Adding…">
          Add points
        </SubmitButton>
      </Form>
    </CardSection>
  );
}

export function WithdrawForm({ failure }: { failure: FormFailure | null }) {
  return (
    <CardSection
      title="Withdraw"
      titleId="withdraw"
      description="For kudos given by mistake or against the rules. Every point goes back through new ledger entries, and the people it concerned see the reason."
    >
      <Form method="post" noValidate className="max-w-md">
        <FormError message={failure?.formError} />
        <Field label="Reason" name="reason" multiline rows={2} maxLength={KUDOS_NOTE_MAX} defaultValue={failure?.values.reason} error={failure?.fieldErrors.reason} />
        <SubmitButton name="intent" value="withdraw" variant="danger" pendingText="Withdrawing…">
          Withdraw kudos
        </SubmitButton>
      </Form>
    </CardSection>
  );
}

export function WithdrawnNotice({ withdrawal }: { withdrawal: { at: Date | string; reason: string; by: string | null } }) {
  return (
    <div role="status" className="mb-6 rounded-xl border border-red-200 bg-red-50 px-5 py-4 text-sm text-red-900">
      <p className="font-semibold">
        This kudos was withdrawn{withdrawal.by ? ` by ${withdrawal.by}` : ""} on {absoluteTime(withdrawal.at)}.
      </p>
      {withdrawal.reason ? <p className="mt-1 whitespace-pre-line">{withdrawal.reason}</p> : null}
      <p className="mt-1">Its points went back. Only the people it concerned still see it.</p>
    </div>
  );
}
