import { Link, href } from "react-router";
import type { ProfileKudos } from "#app/features/recognition/feeds.server.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { LockIcon } from "#app/components/icons.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { ValueChip } from "./kudos-card.tsx";

/**
 * A profile's "Kudos" section: how many kudos the person received (those the viewer may see), by
 * value, the latest three, a link to all of them and "Give kudos" (`canGive`). The
 * points totals come only for the person and their manager: the loader leaves them out otherwise.
 */
export function ProfileKudosSection({
  kudos,
  userId,
  firstName,
  isSelf,
  canGive,
  now,
}: {
  kudos: ProfileKudos<Date | string>;
  userId: number;
  firstName: string;
  isSelf: boolean;
  /** Not on one's own profile, nor on the profile of someone who has left. */
  canGive: boolean;
  now: number;
}) {
  const all = href("/people/:userId/kudos", { userId: String(userId) });
  return (
    <CardSection
      title={`Kudos (${kudos.total.toLocaleString("en")})`}
      titleId="kudos"
      actions={
        canGive ? (
          <ButtonLink to={`${href("/kudos/new")}?to=${userId}`} size="sm" variant="secondary">
            Give kudos<span className="sr-only"> to {firstName}</span>
          </ButtonLink>
        ) : null
      }
    >
      {kudos.points ? (
        <p className="mb-3 text-sm text-slate-700">
          <span className="font-semibold text-slate-900 tabular-nums">{kudos.points.receivedTotal.toLocaleString("en")}</span> points received in all ·{" "}
          <span className="font-semibold text-slate-900 tabular-nums">{kudos.points.earned.toLocaleString("en")}</span> to spend
          <span className="text-xs text-slate-500"> (only {isSelf ? "you and your manager see" : `${firstName} and you see`} this)</span>
        </p>
      ) : null}
      {kudos.total === 0 ? (
        <p className="text-sm text-slate-500">{isSelf ? "No kudos for you yet." : `No kudos for ${firstName} yet.`}</p>
      ) : (
        <>
          <ul className="mb-3 flex flex-wrap gap-1.5" aria-label="Kudos by value">
            {kudos.byValue.map((v) => (
              <li key={v.id}>
                <Link to={`${all}?value=${v.id}`} className="inline-flex items-center gap-1 hover:underline">
                  <ValueChip value={v} />
                  <span className="text-xs text-slate-600 tabular-nums">× {v.count.toLocaleString("en")}</span>
                </Link>
              </li>
            ))}
          </ul>
          <ul className="divide-y divide-slate-100">
            {kudos.latest.map((k) => (
              <li key={k.id} className="py-2 text-sm">
                <p className="flex flex-wrap items-center gap-x-2 text-slate-700">
                  <Link to={href("/kudos/:kudosId", { kudosId: String(k.id) })} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                    From {k.giver.name}
                  </Link>
                  <span aria-hidden="true">{k.value.emoji}</span>
                  <span>{k.value.name}</span>
                  {k.pointsEach > 0 ? <span className="text-emerald-800">+{k.pointsEach.toLocaleString("en")}</span> : null}
                  {k.private ? (
                    <span className="inline-flex items-center gap-0.5 text-xs text-violet-800">
                      <LockIcon className="size-3" />
                      private
                    </span>
                  ) : null}
                  <span className="text-xs text-slate-500">
                    <RelativeTime date={k.createdAt} now={now} />
                  </span>
                </p>
                {k.excerpt ? <p className="mt-0.5 line-clamp-2 text-slate-600">{k.excerpt}</p> : null}
              </li>
            ))}
          </ul>
          <Link to={all} className="mt-2 inline-block text-sm font-medium text-brand-700 hover:underline">
            All of {isSelf ? "your" : `${firstName}'s`} kudos
          </Link>
        </>
      )}
    </CardSection>
  );
}
