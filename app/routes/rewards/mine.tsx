import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/mine";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { RedemptionSchema } from "#app/features/recognition/reward-schemas.ts";
import { cancelRedemption, myRedemptions, REDEMPTIONS_PER_PAGE } from "#app/features/recognition/rewards.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FormError, Notice } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";
import { PointsBalance } from "#app/components/recognition/reward-card.tsx";
import { RedemptionStatusBadge, RedemptionTimeline } from "#app/components/recognition/reward-status.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Your redemptions · Rewards · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const list = await myRedemptions(context.db, actor, pageParam(url));
  return { ...list, pageSize: REDEMPTIONS_PER_PAGE, redeemed: url.searchParams.has("redeemed"), cancelled: url.searchParams.has("cancelled") };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  if (form.get("intent") !== "cancel") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(RedemptionSchema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => cancelRedemption(context.db, actor, parsed.data.redemptionId)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(`${href("/rewards/mine")}?cancelled=1`);
}

/** The reader's redemptions, newest first, each with its steps; a request HR hasn't approved yet can be cancelled. */
export default function MyRedemptions({ loaderData, actionData }: Route.ComponentProps) {
  const { rows, total, offset, pageSize, balance, redeemed, cancelled } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const catalogue = <ButtonLink to={href("/rewards")}>Browse the catalogue</ButtonLink>;
  return (
    <>
      <PageHeader crumbs={[{ label: "Rewards", to: href("/rewards") }]} title="Your redemptions" description="What you redeemed, and where HR is with it." actions={catalogue} />
      <RecognitionTabs />
      <Notice message={redeemed ? "Your request is with HR. The points have left your balance; they come back if it is declined." : null} />
      <Notice message={cancelled ? "Cancelled. The points are back on your balance." : null} />
      <FormError message={failed ? (failed.formError ?? Object.values(failed.fieldErrors)[0]) : undefined} />
      <div className="mb-6">
        <PointsBalance balance={balance} />
      </div>
      {rows.length === 0 && total === 0 ? (
        <EmptyState title="Nothing redeemed yet" action={catalogue}>
          Points colleagues give you with kudos build up in your earned balance. Spend them on a reward from the catalogue.
        </EmptyState>
      ) : (
        <ul aria-label="Your redemptions" className="space-y-3">
          {rows.map((r) => (
            <li key={r.id}>
              <Card as="section" aria-labelledby={`redemption-${r.id}`} className="p-5">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <h2 id={`redemption-${r.id}`} className="flex flex-wrap items-center gap-2 text-base font-semibold break-words text-slate-900">
                      {r.reward.name}
                      <RedemptionStatusBadge status={r.status} />
                    </h2>
                    <p className="mt-0.5 text-sm text-slate-600">{r.cost.toLocaleString("en")} points</p>
                  </div>
                  {r.status === "requested" ? (
                    <Form method="post">
                      <input type="hidden" name="redemptionId" value={r.id} />
                      <Button name="intent" value="cancel" size="sm" variant="dangerOutline">
                        Cancel request<span className="sr-only"> for {r.reward.name}</span>
                      </Button>
                    </Form>
                  ) : null}
                </div>
                <RedemptionTimeline redemption={r} />
                {r.note ? (
                  <div className="mt-3 rounded-md bg-slate-50 px-3 py-2 text-sm">
                    <p className="text-xs font-medium text-slate-600">{r.handledBy ? `${r.handledBy.name} wrote` : "HR wrote"}</p>
                    <p className="mt-0.5 break-words whitespace-pre-line text-slate-800">{r.note}</p>
                  </div>
                ) : null}
              </Card>
            </li>
          ))}
        </ul>
      )}
      <Pagination
        offset={offset}
        pageSize={pageSize}
        total={total}
        shown={rows.length}
        pageHref={(n) => (n > 1 ? `${href("/rewards/mine")}?page=${n}` : href("/rewards/mine"))}
        label="Redemption pages"
      />
    </>
  );
}
