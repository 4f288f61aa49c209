import { Link, href } from "react-router";
import type { KudosCard } from "#app/features/recognition/feeds.server.ts";
import { KIND_NOUNS } from "#app/features/social/kinds.ts";
import { plural } from "#app/lib/plural.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { Badge } from "#app/components/badge.tsx";
import { LockIcon } from "#app/components/icons.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

/** A kudos as loader data (dates arrive as strings after serialisation). */
export type KudosCardData = KudosCard<Date | string>;
type Person = { id: number; name: string };

const personLink = "font-medium text-slate-900 hover:text-brand-700 hover:underline";

/** A person's name linking to their profile. */
export function PersonName({ person, className = personLink }: { person: Person; className?: string }) {
  return (
    <Link to={href("/people/:userId", { userId: String(person.id) })} className={className}>
      {person.name}
    </Link>
  );
}

/** "Grace Liu, Marco Rossi and Yuki Tanaka" as profile links. */
export function PeopleNames({ people, className }: { people: Person[]; className?: string }) {
  return (
    <>
      {people.map((p, i) => (
        <span key={p.id}>
          {i > 0 ? (i === people.length - 1 ? " and " : ", ") : null}
          <PersonName person={p} className={className} />
        </span>
      ))}
    </>
  );
}

/** A company value as a chip: its emoji (decorative; the name says it) and its name. */
export function ValueChip({ value }: { value: { name: string; emoji: string } }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-200 ring-inset">
      {value.emoji ? <span aria-hidden="true">{value.emoji}</span> : null}
      {value.name}
    </span>
  );
}

/** "+10" for one receiver, "+10 each (30)" for several, "Thanks" when no points were given. */
export function pointsLabel(k: { pointsEach: number; totalPoints: number; receivers: unknown[] }): string {
  if (k.totalPoints === 0 && k.pointsEach === 0) return "No points";
  if (k.receivers.length <= 1) return `+${k.totalPoints.toLocaleString("en")} points`;
  return `+${k.pointsEach.toLocaleString("en")} each · ${k.totalPoints.toLocaleString("en")} points`;
}

/**
 * One kudos: who thanked whom, for which value and with how many points, the message, the thing it
 * thanks, and its +1s, add-ons and comments. `headingLevel` follows the page outline; on the
 * kudos's own page (`linked` false) the heading is not a link to itself.
 */
export function KudosCardView({ kudos: k, now, headingLevel = 2, linked = true }: { kudos: KudosCardData; now: number; headingLevel?: 2 | 3; linked?: boolean }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  const url = href("/kudos/:kudosId", { kudosId: String(k.id) });
  const receiversText = k.receivers.map((r) => r.name).join(", ");
  return (
    <article aria-label={`Kudos from ${k.giver.name} to ${receiversText}`} className="px-5 py-4">
      <div className="flex flex-wrap items-start gap-3">
        <div className="flex -space-x-2" aria-hidden="true">
          <Avatar name={k.giver.name} size="sm" />
          {k.receivers.slice(0, 3).map((r) => (
            <Avatar key={r.id} name={r.name} size="sm" />
          ))}
        </div>
        <div className="min-w-0 flex-1">
          <H className="text-sm text-slate-700">
            <PersonName person={k.giver} /> <span className="text-slate-500">thanked</span> <PeopleNames people={k.receivers} />
          </H>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600">
            <ValueChip value={k.value} />
            <span className="font-semibold text-emerald-800">{pointsLabel(k)}</span>
            {k.private ? (
              <Badge tone="violet" icon={<LockIcon className="size-3.5" />}>
                Private
              </Badge>
            ) : null}
            {k.withdrawn ? <Badge tone="red">Withdrawn</Badge> : null}
          </p>
        </div>
        <p className="text-xs text-slate-500">
          {linked ? (
            <Link to={url} className="hover:underline">
              <RelativeTime date={k.createdAt} now={now} />
            </Link>
          ) : (
            <RelativeTime date={k.createdAt} now={now} />
          )}
        </p>
      </div>
      <PostBody html={k.messageHtml} className={`mt-3 text-sm ${k.withdrawn ? "text-slate-500" : ""}`} />
      {k.subject ? (
        <p className="mt-2 text-sm text-slate-600">
          For the {KIND_NOUNS[k.subject.kind]}{" "}
          <Link to={k.subject.url} className="font-medium text-brand-700 hover:underline">
            {k.subject.title}
          </Link>
        </p>
      ) : null}
      <p className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
        <span>{plural(k.plusOneCount, "+1", "+1s")}</span>
        {k.addOns.length > 0 ? (
          <span>
            <PeopleNames people={k.addOns.slice(0, 2)} className="font-medium text-brand-700 hover:underline" />
            {k.addOns.length > 2 ? ` and ${k.addOns.length - 2} more` : ""} added points
          </span>
        ) : null}
        {linked ? (
          <Link to={`${url}#comments`} className="hover:underline">
            {plural(k.commentCount, "comment", "comments")}
          </Link>
        ) : (
          <span>{plural(k.commentCount, "comment", "comments")}</span>
        )}
        {k.space.companyWide ? null : (
          <span>
            In{" "}
            <Link to={href("/spaces/:slug", { slug: k.space.slug })} className="hover:underline">
              {k.space.name}
            </Link>
          </span>
        )}
        {linked ? (
          <Link to={url} className="font-medium text-brand-700 hover:underline">
            Open<span className="sr-only"> the kudos from {k.giver.name}</span>
          </Link>
        ) : null}
      </p>
    </article>
  );
}
