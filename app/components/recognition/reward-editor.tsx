import { useId } from "react";
import { Form } from "react-router";
import { REWARD_DESCRIPTION_MAX, REWARD_NAME_MAX } from "#app/features/recognition/reward-schemas.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { Field, FormError } from "#app/components/form.tsx";
import type { ManageFailure } from "./reward-queue.tsx";

/** A reward as HR's editor lists it. */
export type EditableReward = { id: number; name: string; description: string; cost: number; stock: number | null; active: boolean; redeemed: number };

type Values = Partial<Record<"name" | "description" | "cost" | "stock" | "active", string>>;

function valuesOf(reward: EditableReward): Values {
  return { name: reward.name, description: reward.description, cost: String(reward.cost), stock: reward.stock === null ? "" : String(reward.stock), active: reward.active ? "on" : "" };
}

/** The fields of a reward: the same for adding and editing. A failed save brings back what was typed. */
function RewardFields({ values, errors }: { values: Values; errors: ManageFailure["fieldErrors"] | undefined }) {
  const activeId = useId();
  return (
    <>
      <Field label="Name" name="name" maxLength={REWARD_NAME_MAX} hint="e.g. “Extra day off”, “Commons hoodie”." defaultValue={values.name} error={errors?.name} />
      <Field
        label="Description (optional)"
        name="description"
        multiline
        rows={3}
        maxLength={REWARD_DESCRIPTION_MAX}
        hint={`Plain text, up to ${REWARD_DESCRIPTION_MAX} characters: what it is and how it is delivered.`}
        defaultValue={values.description}
        error={errors?.description}
      />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <Field label="Cost in points" name="cost" type="number" defaultValue={values.cost} error={errors?.cost} />
        <Field label="Stock (optional)" name="stock" type="number" hint="How many are left. Empty: no limit." defaultValue={values.stock} error={errors?.stock} />
      </div>
      <div className="mb-4 flex items-center gap-2">
        <input id={activeId} type="checkbox" name="active" defaultChecked={values.active === "on"} className="size-4 rounded border-slate-300 text-brand-600" />
        <label htmlFor={activeId} className="text-sm text-slate-800">
          Offered in the catalogue
        </label>
      </div>
    </>
  );
}

/** Adding a reward; it opens by itself when a failed add comes back. */
export function AddRewardForm({ failure }: { failure: ManageFailure | null }) {
  const mine = failure?.intent === "create" ? failure : null;
  return (
    <details open={mine !== null} className="mb-4 rounded-lg border border-slate-200 px-4 py-3">
      <summary className="cursor-pointer text-sm font-semibold text-brand-700">Add a reward</summary>
      <Form method="post" className="mt-3" noValidate>
        <FormError message={mine?.formError} />
        <RewardFields values={mine ? mine.values : { active: "on" }} errors={mine?.fieldErrors} />
        <Button name="intent" value="create" variant="primary">
          Add to the catalogue
        </Button>
      </Form>
    </details>
  );
}

function stockText(stock: number | null): string {
  return stock === null ? "unlimited" : `${stock.toLocaleString("en")} left`;
}

/** Every reward with its figures; each opens an editor, and is withdrawn from (or put back in) the catalogue with one button. */
export function CatalogueEditor({ rewards, failure }: { rewards: EditableReward[]; failure: ManageFailure | null }) {
  return (
    <ul aria-label="The catalogue" className="divide-y divide-slate-100">
      {rewards.map((reward) => {
        const mine = failure?.intent === "update" && failure.target === String(reward.id) ? failure : null;
        return (
          <li key={reward.id} className="py-3">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <h3 className="flex flex-wrap items-center gap-2 text-sm font-semibold break-words text-slate-900">
                  {reward.name}
                  {reward.active ? <Badge tone="green">Offered</Badge> : <Badge>Withdrawn</Badge>}
                </h3>
                <p className="mt-0.5 text-xs text-slate-600">
                  {reward.cost.toLocaleString("en")} points · {stockText(reward.stock)} · redeemed {reward.redeemed.toLocaleString("en")} {reward.redeemed === 1 ? "time" : "times"}
                </p>
              </div>
              <Form method="post">
                <input type="hidden" name="rewardId" value={reward.id} />
                <Button name="intent" value={reward.active ? "deactivate" : "activate"} size="sm" variant={reward.active ? "dangerOutline" : "secondary"}>
                  {reward.active ? "Withdraw" : "Offer again"}
                  <span className="sr-only"> {reward.name}</span>
                </Button>
              </Form>
            </div>
            <details open={mine !== null} className="mt-2">
              <summary className="cursor-pointer text-sm font-medium text-brand-700">
                Edit<span className="sr-only"> {reward.name}</span>
              </summary>
              <Form method="post" className="mt-3 max-w-2xl" noValidate>
                <input type="hidden" name="rewardId" value={reward.id} />
                <FormError message={mine?.formError} />
                <RewardFields values={mine ? mine.values : valuesOf(reward)} errors={mine?.fieldErrors} />
                <Button name="intent" value="update" variant="primary" size="sm">
                  Save<span className="sr-only"> {reward.name}</span>
                </Button>
              </Form>
            </details>
          </li>
        );
      })}
    </ul>
  );
}
