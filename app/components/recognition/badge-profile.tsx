import { Link, href } from "react-router";
import { BadgeChip, BadgeCounts, type Tier } from "./badge-tier.tsx";

export type ProfileBadgesData = {
  counts: Record<Tier, number>;
  badges: Array<{ id: number; name: string; tier: Tier; times: number }>;
  distinct: number;
};

/** A profile's badges, in its header card: the tier counts, the newest badges, "See all". */
export function ProfileBadges({ badges, userId, firstName, isSelf }: { badges: ProfileBadgesData; userId: number; firstName: string; isSelf: boolean }) {
  const { counts } = badges;
  return (
    <section aria-labelledby="badges" className="mt-4 border-t border-slate-100 pt-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 id="badges" className="text-sm font-semibold text-slate-900">
          Badges
        </h2>
        <BadgeCounts counts={counts} className="text-sm text-slate-700" />
        {badges.distinct > 0 ? (
          <Link to={`${href("/badges")}?holder=${userId}`} className="text-sm font-medium text-brand-700 hover:underline">
            {badges.distinct > badges.badges.length ? `See all ${badges.distinct}` : "See them all"}
            <span className="sr-only"> of {firstName}&apos;s badges</span>
          </Link>
        ) : null}
      </div>
      {badges.badges.length > 0 ? (
        <ul aria-label="Badges held" className="mt-2 flex flex-wrap gap-2">
          {badges.badges.map((b) => (
            <li key={b.id} className="max-w-full">
              <BadgeChip badge={b} times={b.times} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-slate-600">
          {isSelf ? "No badges yet: a first question, answer, page, idea or kudos earns one." : `${firstName} holds no badges yet.`}{" "}
          <Link to={href("/badges")} className="font-medium text-brand-700 underline">
            See every badge
          </Link>
        </p>
      )}
    </section>
  );
}
