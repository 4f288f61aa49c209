import { Link, href } from "react-router";
import type { KudosOnItem } from "#app/features/recognition/feeds.server.ts";
import { useOptionalUser } from "#app/components/use-user.ts";
import { LockIcon } from "#app/components/icons.tsx";

/** `kudosOn`'s answer for one thing, as loader data. */
export type KudosOnData = KudosOnItem<Date | string>;

/**
 * The kudos on a thing (an answer, a question, a page, an article, an idea), compactly: the
 * newest few, "See all" when there are more, and "Give kudos" to its author, which is hidden on
 * one's own content. Renders nothing when there is nothing to show or offer.
 */
export function KudosStrip({ itemId, authorId, kudos, label }: { itemId: number; authorId: number | null; kudos: KudosOnData | undefined; label: string }) {
  const user = useOptionalUser();
  const own = user !== null && user.id === authorId;
  const canGive = user !== null && !own;
  if (!kudos && !canGive) return null;
  const give = `${href("/kudos/new")}?item=${itemId}${authorId && !own ? `&to=${authorId}` : ""}`;
  const giveLink = (
    <Link to={give} className="rounded px-1.5 py-0.5 text-xs font-semibold text-brand-700 hover:bg-white hover:underline">
      Give kudos<span className="sr-only"> for this {label}</span>
    </Link>
  );
  // Nothing to show yet: only the link, without a box.
  if (!kudos) return <p className="mt-3 -ml-1.5">{giveLink}</p>;
  return (
    <section aria-label={`Kudos for this ${label}`} className="mt-3 rounded-lg border border-amber-200/70 bg-amber-50/50 px-3 py-2 text-xs text-slate-700">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-semibold text-amber-950">{kudos.total.toLocaleString("en")} kudos</p>
        {canGive ? giveLink : null}
      </div>
      <ul className="mt-1 space-y-1">
        {kudos.latest.map((k) => (
          <li key={k.id} className="flex flex-wrap items-center gap-x-1.5">
            {k.value.emoji ? <span aria-hidden="true">{k.value.emoji}</span> : null}
            <Link to={href("/kudos/:kudosId", { kudosId: String(k.id) })} className="hover:text-brand-700 hover:underline">
              <span className="font-medium">{k.giver.name}</span> thanked <span className="font-medium">{k.receivers.map((r) => r.name).join(", ")}</span> for {k.value.name}
              {k.pointsEach > 0 ? ` (+${k.pointsEach.toLocaleString("en")})` : ""}
            </Link>
            {k.private ? (
              <span className="inline-flex items-center gap-0.5 text-violet-800">
                <LockIcon className="size-3" />
                private
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {kudos.total > kudos.latest.length ? (
        <Link to={`${href("/kudos")}?item=${itemId}`} className="mt-1 inline-block font-medium text-brand-700 hover:underline">
          See all {kudos.total.toLocaleString("en")}
          <span className="sr-only"> kudos for this {label}</span>
        </Link>
      ) : null}
    </section>
  );
}
