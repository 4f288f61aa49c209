import { data, href, redirect } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { RedeemSchema } from "#app/features/recognition/reward-schemas.ts";
import { catalogue, handlesRewards, offeredReward, redeem, REWARDS_PER_PAGE } from "#app/features/recognition/rewards.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FormError } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";
import { PointsBalance, RedeemConfirm, RewardCard } from "#app/components/recognition/reward-card.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Rewards · Recognition · Commons" }];
}

/** `?redeem=<id>` opens the confirm step for that reward (a plain link, so it works without JavaScript). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const page = pageParam(url);
  const asked = url.searchParams.get("redeem");
  const [list, confirm] = await Promise.all([catalogue(context.db, actor, page), asked === null ? null : offeredReward(context.db, actor, idParam(asked))]);
  return {
    ...list,
    page,
    pageSize: REWARDS_PER_PAGE,
    confirm,
    // A stale link to a reward since withdrawn says so instead of showing nothing.
    gone: asked !== null && confirm === null,
    canManage: handlesRewards(actor),
    submissionKey: crypto.randomUUID(),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  if (form.get("intent") !== "redeem") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(RedeemSchema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => redeem(context.db, actor, parsed.data.rewardId, parsed.data.submissionKey)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(`${href("/rewards/mine")}?redeemed=1`);
}

function pageHref(page: number, redeemId?: number): string {
  const query = new URLSearchParams();
  if (page > 1) query.set("page", String(page));
  if (redeemId !== undefined) query.set("redeem", String(redeemId));
  const search = query.toString();
  return search ? `${href("/rewards")}?${search}` : href("/rewards");
}

export default function Rewards({ loaderData, actionData }: Route.ComponentProps) {
  const { rewards, total, offset, page, pageSize, balance, confirm, gone, canManage, submissionKey } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const failedHere = failed && confirm && failed.values.rewardId === String(confirm.id);
  return (
    <>
      <PageHeader
        title="Rewards"
        description="Spend the points colleagues gave you with their kudos. Your monthly allowance is for giving; rewards come from your earned balance, which never lapses."
        actions={
          <>
            <ButtonLink to={href("/rewards/mine")}>Your redemptions</ButtonLink>
            {canManage ? (
              <ButtonLink to={href("/rewards/manage")} variant="primary">
                Manage rewards
              </ButtonLink>
            ) : null}
          </>
        }
      />
      <RecognitionTabs />
      <div className="mb-6">
        <PointsBalance balance={balance} />
      </div>
      {failed && !failedHere ? <FormError message={failed.formError ?? Object.values(failed.fieldErrors)[0]} /> : null}
      {gone ? <FormError message="That reward is no longer offered." /> : null}
      {confirm ? (
        <RedeemConfirm
          reward={confirm}
          balance={balance}
          submissionKey={submissionKey}
          action={pageHref(page, confirm.id)}
          cancelHref={pageHref(page)}
          error={failedHere ? (failed.formError ?? Object.values(failed.fieldErrors)[0]) : undefined}
        />
      ) : null}
      {rewards.length === 0 && total === 0 ? (
        <EmptyState title="No rewards on offer yet">
          HR keeps the catalogue: days off, donations, company swag. Your earned points wait here until there is something to spend them on.
        </EmptyState>
      ) : (
        <ul aria-label="Rewards on offer" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {rewards.map((reward) => (
            <li key={reward.id}>
              <RewardCard reward={reward} balance={balance} redeemHref={pageHref(page, reward.id)} />
            </li>
          ))}
        </ul>
      )}
      <Pagination offset={offset} pageSize={pageSize} total={total} shown={rewards.length} pageHref={(n) => pageHref(n)} label="Catalogue pages" />
    </>
  );
}
