import { data, href, redirect } from "react-router";
import type { Route } from "./+types/manage";
import { requireRole } from "#app/features/auth/session.server.ts";
import { DeclineRedemptionSchema, EditRewardSchema, FulfilRedemptionSchema, RedemptionSchema, RewardSchema } from "#app/features/recognition/reward-schemas.ts";
import {
  approveRedemption,
  CATALOGUE_EDITOR_PER_PAGE,
  catalogueForEditing,
  createReward,
  declineRedemption,
  fulfilRedemption,
  REDEMPTIONS_PER_PAGE,
  redemptionHistory,
  redemptionQueue,
  setRewardActive,
  updateReward,
} from "#app/features/recognition/rewards.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm, type FormFailure } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FormError, Notice } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";
import { AddRewardForm, CatalogueEditor } from "#app/components/recognition/reward-editor.tsx";
import { RedemptionHistory, RedemptionQueue } from "#app/components/recognition/reward-queue.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Manage rewards · Recognition · Commons" }];
}

/** HR and admins only; anyone else gets the 404 of a page that isn't there. */
const HANDLERS = ["hr", "admin"] as const;
/** Each list pages on its own: `?queue=`, `?catalogue=`, `?history=`. */
const LISTS = ["queue", "catalogue", "history"] as const;
type Pages = Record<(typeof LISTS)[number], number>;

function pagesOf(url: URL): Pages {
  const read = (name: string) => {
    const n = Number(url.searchParams.get(name) ?? "1");
    return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
  };
  return { queue: read("queue"), catalogue: read("catalogue"), history: read("history") };
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireRole(context, request, HANDLERS);
  const url = new URL(request.url);
  const pages = pagesOf(url);
  const [queue, catalogue, history] = await Promise.all([
    redemptionQueue(context.db, actor, pages.queue),
    catalogueForEditing(context.db, actor, pages.catalogue),
    redemptionHistory(context.db, actor, pages.history),
  ]);
  // A fresh key per load remounts the forms, so a saved form doesn't keep showing what was typed.
  const sizes = { redemptions: REDEMPTIONS_PER_PAGE, catalogue: CATALOGUE_EDITOR_PER_PAGE };
  return { queue, catalogue, history, pages, sizes, done: url.searchParams.get("done"), formKey: crypto.randomUUID() };
}

const DONE: Record<string, string> = {
  approve: "Approved. They have been told.",
  fulfil: "Marked fulfilled. They have been told.",
  decline: "Declined: the points and the stock are back, and they have been told why.",
  create: "The reward is in the catalogue.",
  update: "Saved.",
  deactivate: "Withdrawn from the catalogue. Open requests for it can still be handled.",
  activate: "Offered in the catalogue again.",
};

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireRole(context, request, HANDLERS);
  const db = context.db;
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  let result: { ok: true } | FormFailure;
  if (intent === "approve") {
    const parsed = parseForm(RedemptionSchema, form);
    result = parsed.ok ? await attempt(parsed.values, () => approveRedemption(db, actor, parsed.data.redemptionId)) : parsed;
  } else if (intent === "fulfil") {
    const parsed = parseForm(FulfilRedemptionSchema, form);
    result = parsed.ok ? await attempt(parsed.values, () => fulfilRedemption(db, actor, parsed.data.redemptionId, parsed.data.note)) : parsed;
  } else if (intent === "decline") {
    const parsed = parseForm(DeclineRedemptionSchema, form);
    result = parsed.ok ? await attempt(parsed.values, () => declineRedemption(db, actor, parsed.data.redemptionId, parsed.data.note)) : parsed;
  } else if (intent === "create") {
    const parsed = parseForm(RewardSchema, form);
    result = parsed.ok ? await attempt(parsed.values, () => createReward(db, actor, parsed.data)) : parsed;
  } else if (intent === "update") {
    const parsed = parseForm(EditRewardSchema, form);
    result = parsed.ok ? await attempt(parsed.values, () => updateReward(db, actor, parsed.data.rewardId, parsed.data)) : parsed;
  } else if (intent === "deactivate" || intent === "activate") {
    await setRewardActive(db, actor, idParam(form.get("rewardId")), intent === "activate");
    result = { ok: true };
  } else {
    throw data("Unknown action", { status: 400 });
  }
  if (!result.ok) {
    // Which row's form failed, so the page opens that one with what was typed.
    const target = String(form.get("redemptionId") ?? form.get("rewardId") ?? "");
    return data({ ...result, intent, target }, { status: 400 });
  }
  throw redirect(`${href("/rewards/manage")}?done=${intent}`);
}

export default function ManageRewards({ loaderData, actionData }: Route.ComponentProps) {
  const { queue, catalogue, history, pages, sizes, done, formKey } = loaderData;
  const failure = actionData && !actionData.ok ? actionData : null;
  const pageHref = (list: keyof Pages) => (n: number) => {
    const query = new URLSearchParams();
    for (const name of LISTS) {
      const value = name === list ? n : pages[name];
      if (value > 1) query.set(name, String(value));
    }
    const search = query.toString();
    return search ? `${href("/rewards/manage")}?${search}` : href("/rewards/manage");
  };
  // A refusal about a redemption (someone else already handled it, so its row may be gone) shows at
  // the top; the catalogue's forms show theirs in place.
  const topError =
    failure && failure.intent !== "create" && failure.intent !== "update" ? (failure.formError ?? Object.values(failure.fieldErrors).find((m) => m && !failure.fieldErrors.note)) : undefined;
  return (
    <div key={formKey} className="space-y-6">
      <PageHeader
        crumbs={[{ label: "Rewards", to: href("/rewards") }]}
        title="Manage rewards"
        description="Approve and fulfil what people redeemed, keep the catalogue, and look back at closed requests. Every step tells the person."
      />
      <RecognitionTabs />
      <Notice message={done ? DONE[done] : null} />
      <FormError message={topError} />

      <CardSection title="Waiting for you" titleId="queue-heading" description="Requested ones wait for approval; approved ones for you to fulfil them. Oldest first.">
        {queue.rows.length === 0 && queue.total === 0 ? (
          <p className="text-sm text-slate-600">Nothing waiting. New requests reach your inbox.</p>
        ) : (
          <RedemptionQueue rows={queue.rows} failure={failure} />
        )}
      </CardSection>
      <Pagination offset={queue.offset} pageSize={sizes.redemptions} total={queue.total} shown={queue.rows.length} pageHref={pageHref("queue")} label="Pages of the queue" />

      <CardSection title="Catalogue" titleId="catalogue-heading" description="What people can redeem. Rewards cost the company only when someone redeems them.">
        <AddRewardForm failure={failure} />
        {catalogue.rewards.length === 0 && catalogue.total === 0 ? (
          <EmptyState title="The catalogue is empty">Add the first reward: a day off, a donation to a charity, company swag.</EmptyState>
        ) : (
          <CatalogueEditor rewards={catalogue.rewards} failure={failure} />
        )}
      </CardSection>
      <Pagination
        offset={catalogue.offset}
        pageSize={sizes.catalogue}
        total={catalogue.total}
        shown={catalogue.rewards.length}
        pageHref={pageHref("catalogue")}
        label="Pages of the catalogue"
      />

      <CardSection title="Closed redemptions" titleId="history-heading" description="Fulfilled, declined and cancelled, most recent first.">
        {history.rows.length === 0 && history.total === 0 ? <p className="text-sm text-slate-600">None yet.</p> : <RedemptionHistory rows={history.rows} />}
      </CardSection>
      <Pagination offset={history.offset} pageSize={sizes.redemptions} total={history.total} shown={history.rows.length} pageHref={pageHref("history")} label="Pages of closed redemptions" />
    </div>
  );
}
