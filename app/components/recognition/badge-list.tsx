import { Link, href } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { CheckCircleIcon } from "#app/components/icons.tsx";
import { TIER_LABELS, TIER_ORDER, type Tier, TierDot } from "./badge-tier.tsx";

export type BadgeCard = {
  id: number;
  name: string;
  description: string;
  tier: Tier;
  automatic: boolean;
  archived: boolean;
  holderCount: number;
  mine: number;
  held: number;
};

function holders(n: number): string {
  return n === 1 ? "1 holder" : `${n.toLocaleString("en")} holders`;
}

/**
 * The badges grouped by tier, gold first, each linking to its page with how many hold it and
 * whether the reader does. With `holderName`, the marks say how often that person holds each.
 */
export function BadgeList({ badges, holderName }: { badges: BadgeCard[]; holderName?: string | null }) {
  return (
    <div className="space-y-8">
      {TIER_ORDER.map((tier) => {
        const inTier = badges.filter((b) => b.tier === tier);
        if (inTier.length === 0) return null;
        return (
          <section key={tier} aria-labelledby={`tier-${tier}`}>
            <h2 id={`tier-${tier}`} className="mb-3 flex items-center gap-2 text-base font-semibold text-slate-900">
              <TierDot tier={tier} className="size-3" />
              {TIER_LABELS[tier]}
              <span className="text-sm font-normal text-slate-500">({inTier.length})</span>
            </h2>
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {inTier.map((b) => (
                <li key={b.id} className="flex flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-sm shadow-slate-900/[0.03]">
                  <h3 className="flex items-start gap-2 text-sm font-semibold text-slate-900">
                    <TierDot tier={b.tier} className="mt-1 size-2.5" />
                    <Link to={href("/badges/:badgeId", { badgeId: String(b.id) })} className="min-w-0 break-words hover:text-brand-700 hover:underline">
                      {b.name}
                      <span className="sr-only">, {TIER_LABELS[b.tier].toLowerCase()} badge</span>
                    </Link>
                  </h3>
                  <p className="mt-1 flex-1 text-sm break-words text-slate-600">{b.description}</p>
                  <p className="mt-3 flex flex-wrap items-center gap-2 text-xs text-slate-600">
                    <span className="tabular-nums">{holders(b.holderCount)}</span>
                    <Badge tone={b.automatic ? "neutral" : "violet"}>{b.automatic ? "Automatic" : "Custom"}</Badge>
                    {b.archived ? <Badge tone="amber">Archived</Badge> : null}
                    {holderName && b.held > 0 ? (
                      <Badge tone="brand">{b.held > 1 ? `${holderName} holds it ×${b.held}` : `${holderName} holds it`}</Badge>
                    ) : b.mine > 0 ? (
                      <Badge tone="green" icon={<CheckCircleIcon className="size-3.5" />}>
                        {b.mine > 1 ? `You hold it ×${b.mine}` : "You hold it"}
                      </Badge>
                    ) : null}
                  </p>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
