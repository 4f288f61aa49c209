import { Form, Link, href } from "react-router";
import { Avatar } from "#app/components/avatar.tsx";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { FlagLink } from "#app/components/qa/flag-link.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

export type NominationView = {
  id: number;
  itemId: number;
  statementHtml: string;
  shortlisted: boolean;
  createdAt: Date | string;
  nominee: { id: number; name: string; title: string };
  nominator: { id: number; name: string };
};

const profile = (id: number) => href("/people/:userId", { userId: String(id) });

/**
 * A round's nominations: who is nominated, by whom, and why (the statement, stored sanitized),
 * each with its anchor (`#nomination-12`, where the inbox and the moderation queue link). Its
 * nominator may withdraw it while nominations are open; HR and moderators may remove it.
 */
export function AwardNominations({
  nominations,
  now,
  viewerId,
  canWithdraw,
  canRemove,
  showShortlist,
}: {
  nominations: NominationView[];
  now: number;
  viewerId: number;
  canWithdraw: boolean;
  canRemove: boolean;
  showShortlist: boolean;
}) {
  return (
    <ul className="space-y-4">
      {nominations.map((n) => (
        <li key={n.id} id={`nomination-${n.id}`} className="scroll-mt-24 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
          <article aria-labelledby={`nomination-${n.id}-title`}>
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="flex min-w-0 items-center gap-3">
                <Avatar name={n.nominee.name} size="md" />
                <div className="min-w-0">
                  <h3 id={`nomination-${n.id}-title`} className="font-semibold text-slate-900">
                    <Link to={profile(n.nominee.id)} className="hover:text-brand-700 hover:underline">
                      {n.nominee.name}
                    </Link>
                  </h3>
                  {n.nominee.title ? <p className="text-xs text-slate-500">{n.nominee.title}</p> : null}
                </div>
              </div>
              {showShortlist && n.shortlisted ? <Badge tone="amber">Shortlisted</Badge> : null}
            </div>
            <PostBody html={n.statementHtml} className="mt-3" />
            <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
              <span>
                Nominated by{" "}
                <Link to={profile(n.nominator.id)} className="font-medium text-slate-700 hover:underline">
                  {n.nominator.id === n.nominee.id ? "themselves" : n.nominator.name}
                </Link>{" "}
                <RelativeTime date={n.createdAt} now={now} />
              </span>
              <FlagLink target={{ itemId: n.itemId }} authorId={n.nominator.id} deleted={false} label={`the nomination of ${n.nominee.name}`} />
              {canWithdraw && n.nominator.id === viewerId ? (
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="nominationId" value={n.id} />
                  <Button name="intent" value="withdraw" variant="ghost" size="sm">
                    Withdraw<span className="sr-only"> your nomination of {n.nominee.name}</span>
                  </Button>
                </Form>
              ) : null}
              {canRemove ? (
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="nominationId" value={n.id} />
                  <Button name="intent" value="remove-nomination" variant="dangerOutline" size="sm">
                    Remove<span className="sr-only"> the nomination of {n.nominee.name}</span>
                  </Button>
                </Form>
              ) : null}
            </div>
          </article>
        </li>
      ))}
    </ul>
  );
}
