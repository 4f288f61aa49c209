import { Form, Link } from "react-router";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { FormError, SubmitButton } from "#app/components/form.tsx";

/** A reward as the catalogue shows it. */
export type RewardView = { id: number; name: string; description: string; cost: number; stock: number | null };

const points = (n: number) => `${n.toLocaleString("en")} ${n === 1 ? "point" : "points"}`;

/** Why the reader can't redeem it now (the same words the server answers with), or null. */
export function redeemRefusal(reward: Pick<RewardView, "cost" | "stock">, balance: number): string | null {
  if (reward.stock !== null && reward.stock <= 0) return "Out of stock.";
  if (balance < reward.cost) return `You have ${balance.toLocaleString("en")} points; this costs ${reward.cost.toLocaleString("en")}.`;
  return null;
}

function stockText(stock: number | null): string {
  if (stock === null) return "Unlimited";
  if (stock === 0) return "Out of stock";
  return `${stock.toLocaleString("en")} left`;
}

/** The reader's earned balance: what kudos from colleagues brought them, less what they redeemed. */
export function PointsBalance({ balance }: { balance: number }) {
  return (
    <p className="text-sm text-slate-700">
      Your earned balance: <strong className="text-lg font-semibold text-slate-900">{points(balance)}</strong>
    </p>
  );
}

/**
 * One reward in the catalogue: its cost, what is left, and "Redeem", which opens the confirm step
 * (a link, so it works without JavaScript). When it can't be redeemed the button is disabled and
 * the reason is written beside it.
 */
export function RewardCard({ reward, balance, redeemHref }: { reward: RewardView; balance: number; redeemHref: string }) {
  const refusal = redeemRefusal(reward, balance);
  const headingId = `reward-${reward.id}`;
  const reasonId = `reward-${reward.id}-reason`;
  return (
    <Card as="section" aria-labelledby={headingId} className="flex h-full flex-col p-5">
      <h2 id={headingId} className="text-base font-semibold break-words text-slate-900">
        {reward.name}
      </h2>
      {reward.description ? <p className="mt-1 text-sm break-words whitespace-pre-line text-slate-600">{reward.description}</p> : null}
      <dl className="mt-4 grid grid-cols-2 gap-2 text-sm">
        <div>
          <dt className="text-xs text-slate-500">Cost</dt>
          <dd className="font-semibold text-slate-900">{points(reward.cost)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Stock</dt>
          <dd className="font-medium text-slate-800">{stockText(reward.stock)}</dd>
        </div>
      </dl>
      <div className="mt-auto pt-4">
        {refusal ? (
          <>
            <button
              type="button"
              disabled
              aria-describedby={reasonId}
              className="inline-flex cursor-not-allowed items-center rounded-md bg-slate-100 px-3.5 py-2 text-sm font-semibold text-slate-500"
            >
              Redeem<span className="sr-only"> {reward.name}</span>
            </button>
            <p id={reasonId} className="mt-2 text-xs text-slate-600">
              {refusal}
            </p>
          </>
        ) : (
          <ButtonLink to={redeemHref} variant="primary">
            Redeem<span className="sr-only"> {reward.name}</span>
          </ButtonLink>
        )}
      </div>
    </Card>
  );
}

/**
 * The confirm step: what it costs and what the balance will be after. Confirming sends the
 * request to HR; the points leave the balance at once and come back if HR declines.
 */
export function RedeemConfirm({
  reward,
  balance,
  submissionKey,
  action,
  cancelHref,
  error,
}: {
  reward: RewardView;
  balance: number;
  submissionKey: string;
  action: string;
  cancelHref: string;
  error?: string | undefined;
}) {
  const refusal = redeemRefusal(reward, balance);
  return (
    <Card as="section" aria-labelledby="confirm-heading" className="mb-6 border-brand-200 p-5">
      <h2 id="confirm-heading" className="text-lg font-semibold break-words text-slate-900">
        Redeem “{reward.name}”?
      </h2>
      <FormError message={error} />
      <dl className="mt-3 grid max-w-md grid-cols-3 gap-3 text-sm">
        <div>
          <dt className="text-xs text-slate-500">Costs</dt>
          <dd className="font-semibold text-slate-900">{points(reward.cost)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Your balance</dt>
          <dd className="font-semibold text-slate-900">{points(balance)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Balance after</dt>
          <dd className="font-semibold text-slate-900">{refusal ? "—" : points(balance - reward.cost)}</dd>
        </div>
      </dl>
      {refusal ? (
        <p className="mt-3 text-sm text-slate-700">{refusal}</p>
      ) : (
        <p className="mt-3 text-sm text-slate-600">
          HR approves your request and lets you know when it is fulfilled. If they decline it, or you cancel it before they approve it, the points come back.
        </p>
      )}
      <div className="mt-4 flex flex-wrap items-center gap-3">
        {refusal ? null : (
          <Form method="post" action={action}>
            <input type="hidden" name="rewardId" value={reward.id} />
            <input type="hidden" name="submissionKey" value={submissionKey} />
            <SubmitButton name="intent" value="redeem" pendingText="Redeeming…">
              Confirm: redeem for {points(reward.cost)}
            </SubmitButton>
          </Form>
        )}
        <Link to={cancelHref} className="text-sm font-medium text-slate-700 hover:underline">
          {refusal ? "Back to the catalogue" : "Cancel"}
        </Link>
      </div>
    </Card>
  );
}
