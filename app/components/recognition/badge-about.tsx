import { Link, href } from "react-router";
import { CardSection } from "#app/components/card.tsx";
import { TIER_LABELS, type Tier } from "./badge-tier.tsx";

const PER: Record<"person" | "tag" | "item" | "value", string> = {
  person: "Held once.",
  tag: "Earned once per tag, so it can be held several times.",
  item: "Earned once per answer or idea, so it can be held several times.",
  value: "Earned once per company value, so it can be held several times.",
};

const date = new Intl.DateTimeFormat("en", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** How a badge is earned: its rule for automatic ones, HR's hand for custom ones. */
export function BadgeAbout({
  badge,
}: {
  badge: { tier: Tier; automatic: boolean; per: keyof typeof PER; description: string; createdAt: Date | string; createdBy: { id: number; name: string } | null };
}) {
  return (
    <CardSection title="How it is earned" titleId="how-earned">
      <dl className="space-y-3 text-sm">
        <div>
          <dt className="font-medium text-slate-900">{badge.automatic ? "Automatically" : "Awarded by HR or an admin"}</dt>
          <dd className="mt-0.5 break-words text-slate-600">
            {badge.automatic
              ? `${badge.description} Checked every ten minutes; nobody awards it by hand, and once earned it stays.`
              : "With a reason, shown beside each holder. The holder is told in their inbox."}
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-900">Tier</dt>
          <dd className="mt-0.5 text-slate-600">
            {TIER_LABELS[badge.tier]}. {badge.automatic ? PER[badge.per] : PER.person}
          </dd>
        </div>
        {badge.createdBy ? (
          <div>
            <dt className="font-medium text-slate-900">Created</dt>
            <dd className="mt-0.5 text-slate-600">
              by{" "}
              <Link to={href("/people/:userId", { userId: String(badge.createdBy.id) })} className="font-medium text-brand-700 underline">
                {badge.createdBy.name}
              </Link>{" "}
              on {date.format(new Date(badge.createdAt))}
            </dd>
          </div>
        ) : null}
      </dl>
    </CardSection>
  );
}
