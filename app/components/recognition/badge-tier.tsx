import { Link, href } from "react-router";

/**
 * Badge tiers as people see them: a coloured medal dot always paired with words (colour is never
 * the only signal), and the gold/silver/bronze counts of user cards.
 */

export type Tier = "gold" | "silver" | "bronze";

export const TIER_ORDER: readonly Tier[] = ["gold", "silver", "bronze"];
export const TIER_LABELS: Record<Tier, string> = { gold: "Gold", silver: "Silver", bronze: "Bronze" };

const DOT: Record<Tier, string> = {
  gold: "bg-amber-400 ring-amber-600/40",
  silver: "bg-slate-300 ring-slate-500/40",
  bronze: "bg-orange-700 ring-orange-900/40",
};

export function TierDot({ tier, className = "size-2.5" }: { tier: Tier; className?: string }) {
  return <span aria-hidden="true" className={`inline-block shrink-0 rounded-full ring-1 ring-inset ${DOT[tier]} ${className}`} />;
}

/** A badge's name as a chip: its medal and name, linking to its page. */
export function BadgeChip({ badge, times = 1 }: { badge: { id: number; name: string; tier: Tier }; times?: number }) {
  return (
    <Link
      to={href("/badges/:badgeId", { badgeId: String(badge.id) })}
      className="inline-flex max-w-full items-center gap-1.5 rounded-full bg-slate-100 px-2.5 py-1 text-xs font-medium text-slate-800 ring-1 ring-slate-200 ring-inset hover:bg-slate-200"
    >
      <TierDot tier={badge.tier} />
      <span className="sr-only">{TIER_LABELS[badge.tier]} badge: </span>
      <span className="truncate">{badge.name}</span>
      {times > 1 ? (
        <span className="text-slate-500 tabular-nums">
          <span aria-hidden="true">×{times}</span>
          <span className="sr-only">, held {times} times</span>
        </span>
      ) : null}
    </Link>
  );
}

/** "● 1 ● 4 ● 12": the tiers someone holds, for user cards; tiers with none are left out. */
export function BadgeCounts({ counts, className = "" }: { counts: Partial<Record<Tier, number>>; className?: string }) {
  const held = TIER_ORDER.filter((tier) => (counts[tier] ?? 0) > 0);
  if (held.length === 0) return null;
  return (
    <span className={`inline-flex items-center gap-2 ${className}`}>
      {held.map((tier) => {
        const n = counts[tier] ?? 0;
        return (
          <span key={tier} className="inline-flex items-center gap-1 tabular-nums" title={`${n} ${tier} ${n === 1 ? "badge" : "badges"}`}>
            <TierDot tier={tier} className="size-2" />
            <span aria-hidden="true">{n.toLocaleString("en")}</span>
            <span className="sr-only">
              {n.toLocaleString("en")} {tier} {n === 1 ? "badge" : "badges"}
            </span>
          </span>
        );
      })}
    </span>
  );
}
