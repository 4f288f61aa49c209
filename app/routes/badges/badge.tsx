import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/badge";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { AwardBadgeSchema, BadgeSchema, RevokeAwardSchema } from "#app/features/recognition/badge-schemas.ts";
import { archiveBadge, awardBadge, badgePage, canManageBadges, editBadge, revokeAward } from "#app/features/recognition/badges.server.ts";
import { attempt, ForbiddenError } from "#app/lib/errors.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { Notice } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { BadgeAwardForm } from "#app/components/recognition/badge-award-form.tsx";
import { BadgeAbout } from "#app/components/recognition/badge-about.tsx";
import { BadgeForm } from "#app/components/recognition/badge-form.tsx";
import { BadgeHolders } from "#app/components/recognition/badge-holders.tsx";
import { TIER_LABELS, TierDot } from "#app/components/recognition/badge-tier.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.badge.name} · Badges · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const url = new URL(request.url);
  const page = await badgePage(context.db, actor, idParam(params.badgeId), pageParam(url));
  return { ...page, done: url.searchParams.get("done"), now: Date.now() };
}

const DONE: Record<string, string> = {
  awarded: "Awarded. They have been told in their inbox.",
  revoked: "The award was revoked.",
  saved: "The badge was saved.",
  archived: "Archived: no one can be awarded it now; holders keep it.",
  restored: "Restored: it can be awarded again.",
};

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  // Everything here is HR's and admins': refused before the form is read, whatever it holds.
  if (!canManageBadges(actor)) throw new ForbiddenError("Only HR and admins award, revoke, edit or archive badges.");
  const badgeId = idParam(params.badgeId);
  const form = await readForm(request);
  const intent = form.get("intent");
  const done = (what: keyof typeof DONE) => redirect(`${href("/badges/:badgeId", { badgeId: String(badgeId) })}?done=${what}`);
  if (intent === "archive" || intent === "restore") {
    await archiveBadge(context.db, actor, badgeId, intent === "archive");
    throw done(intent === "archive" ? "archived" : "restored");
  }
  if (intent === "revoke") {
    const parsed = parseForm(RevokeAwardSchema, form);
    if (!parsed.ok) throw data("That award no longer exists: reload the page.", { status: 404 });
    await revokeAward(context.db, actor, badgeId, parsed.data.awardId);
    throw done("revoked");
  }
  if (intent === "award") {
    const parsed = parseForm(AwardBadgeSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => awardBadge(context.db, actor, badgeId, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    throw done("awarded");
  }
  if (intent === "edit") {
    const parsed = parseForm(BadgeSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => editBadge(context.db, actor, badgeId, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    throw done("saved");
  }
  throw data("Unknown action", { status: 400 });
}

export default function BadgePage({ loaderData, actionData }: Route.ComponentProps) {
  const { badge, holders, total, offset, pageSize, mine, canManage, done, now } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const custom = !badge.automatic;
  const base = href("/badges/:badgeId", { badgeId: String(badge.id) });
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Badges", to: href("/badges") }]}
        title={
          <span className="flex flex-wrap items-center gap-3 break-words">
            <TierDot tier={badge.tier} className="size-4" />
            {badge.name}
          </span>
        }
        description={badge.description}
      >
        <p className="mt-3 flex flex-wrap gap-2">
          <Badge>{TIER_LABELS[badge.tier]} badge</Badge>
          <Badge tone={custom ? "violet" : "neutral"}>{custom ? "Custom" : "Automatic"}</Badge>
          {badge.archived ? <Badge tone="amber">Archived</Badge> : null}
          {mine > 0 ? <Badge tone="green">{mine > 1 ? `You hold it ×${mine}` : "You hold it"}</Badge> : null}
        </p>
      </PageHeader>
      <RecognitionTabs />
      <Notice message={done ? DONE[done] : null} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <CardSection
            title={`Holders (${badge.holderCount.toLocaleString("en")})`}
            titleId="holders"
            description={badge.awardCount > badge.holderCount ? `${badge.awardCount.toLocaleString("en")} awards in all.` : undefined}
          >
            {holders.length === 0 && total === 0 ? (
              <p className="text-sm text-slate-600">{custom ? "No one holds it yet." : "No one has earned it yet."}</p>
            ) : (
              <>
                <BadgeHolders holders={holders} now={now} canRevoke={canManage && custom} />
                <Pagination offset={offset} pageSize={pageSize} total={total} shown={holders.length} pageHref={(p) => (p === 1 ? base : `${base}?page=${p}`)} label="Holder pages" />
              </>
            )}
          </CardSection>
        </div>
        <div className="space-y-6">
          <BadgeAbout badge={badge} />
          {canManage && custom && !badge.archived ? (
            <CardSection title="Award this badge" titleId="award">
              <BadgeAwardForm badgeName={badge.name} failure={failed?.intent === "award" ? failed : null} />
            </CardSection>
          ) : null}
          {canManage && custom ? (
            <CardSection title="Edit this badge" titleId="edit">
              <BadgeForm badge={badge} failure={failed?.intent === "edit" ? failed : null} submitLabel="Save the badge" intent="edit" />
              <Form method="post" className="mt-4 border-t border-slate-100 pt-4">
                <p className="mb-3 text-sm text-slate-600">
                  {badge.archived ? "Archived badges can't be awarded; holders keep them." : "Archive it when it should no longer be awarded; holders keep it."}
                </p>
                <Button name="intent" value={badge.archived ? "restore" : "archive"} variant={badge.archived ? "secondary" : "dangerOutline"}>
                  {badge.archived ? "Restore the badge" : "Archive the badge"}
                </Button>
              </Form>
            </CardSection>
          ) : null}
        </div>
      </div>
    </>
  );
}
