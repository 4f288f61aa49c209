import { Link, href } from "react-router";
import { Avatar } from "#app/components/avatar.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { BadgeCounts } from "#app/components/recognition/badge-tier.tsx";

/** The person on a user card; the badge counts (by tier) show when the query read them. */
export type PostPerson = { id: number; name: string; title: string; reputation: number; goldBadges?: number; silverBadges?: number; bronzeBadges?: number };

/** "asked 3 hours ago" with the author's avatar, name, reputation and badges. */
export function PostAuthor({ person, verb, date, now }: { person: PostPerson; verb: string; date: Date | string; now: number }) {
  return (
    <div className="flex min-w-44 items-center gap-2 rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-600">
      <Avatar name={person.name} size="sm" />
      <div className="min-w-0">
        <p>
          <RelativeTime date={date} now={now} prefix={verb} />
        </p>
        <p className="truncate">
          <Link to={href("/people/:userId", { userId: String(person.id) })} className="font-medium text-brand-700 hover:underline">
            {person.name}
          </Link>{" "}
          <span title="Reputation">
            <span className="sr-only">reputation </span>
            {person.reputation.toLocaleString("en")}
          </span>{" "}
          <BadgeCounts counts={{ gold: person.goldBadges, silver: person.silverBadges, bronze: person.bronzeBadges }} className="ml-1" />
        </p>
      </div>
    </div>
  );
}

/** "edited 2 days ago" linking to the post's history. */
export function EditedLink({ postId, editedAt, now }: { postId: number; editedAt: Date | string; now: number }) {
  return (
    <Link to={href("/posts/:postId/revisions", { postId: String(postId) })} className="text-xs text-slate-600 hover:text-brand-700 hover:underline">
      <RelativeTime date={editedAt} now={now} prefix="edited" />
    </Link>
  );
}
