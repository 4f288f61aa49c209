import { Link, href } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { CardSection } from "#app/components/card.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

type Entry = {
  id: number;
  reason: string;
  createdAt: Date | string;
  moderator: { id: number; name: string };
  question: { id: number; title: string; url: string; deleted: boolean };
};

/** The moderation page's log of look-ups of anonymous askers, for admins: who, when, why and on which question; never whom. */
export function BreakGlassLogSection({ log, now }: { log: { entries: Entry[]; total: number; offset: number; pageSize: number }; now: number }) {
  return (
    <CardSection
      title="Look-ups of anonymous askers"
      titleId="break-glass"
      className="mt-8"
      description="Every break-glass on an anonymous question: who looked, when and why. Whom they found is not kept here; the asker sees the same record."
    >
      {log.entries.length === 0 ? (
        <p className="text-sm text-slate-500">Nobody has looked up an anonymous asker.</p>
      ) : (
        <ul aria-label="Look-ups of anonymous askers" className="divide-y divide-slate-100">
          {log.entries.map((e) => (
            <li key={e.id} className="py-3 text-sm">
              <p className="text-slate-600">
                <Link to={href("/people/:userId", { userId: String(e.moderator.id) })} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                  {e.moderator.name}
                </Link>{" "}
                looked up the asker of{" "}
                <Link to={e.question.url} className="font-medium text-brand-700 hover:underline">
                  {e.question.title}
                </Link>
                , <RelativeTime date={e.createdAt} now={now} /> {e.question.deleted ? <Badge tone="red">Deleted</Badge> : null}
              </p>
              <p className="mt-1 break-words whitespace-pre-line text-slate-800">
                <span className="font-medium">Reason: </span>
                {e.reason}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pagination
        label="Pages of look-ups"
        offset={log.offset}
        pageSize={log.pageSize}
        total={log.total}
        shown={log.entries.length}
        pageHref={(p) => `${href("/moderation")}?lookups=${p}#break-glass`}
      />
    </CardSection>
  );
}
