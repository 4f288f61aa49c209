import { Link, href } from "react-router";
import type { IdeaRow } from "#app/features/ideas/campaigns.server.ts";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { IdeaVoteButton } from "./idea-vote-button.tsx";
import { StatusBadge } from "./status-badge.tsx";

/** Why the viewer cannot vote on an idea of this list, or null when they can. */
export type VoteBlock = (idea: IdeaRow) => string | null;

/** A campaign's ideas as rows: the vote toggle, then title, status, category, author and counts. */
export function IdeaList({ ideas, now, voteBlock }: { ideas: IdeaRow[]; now: number; voteBlock: VoteBlock }) {
  return (
    <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
      {ideas.map((idea) => (
        <li key={idea.id} className="flex gap-4 px-4 py-4 sm:px-5">
          <IdeaVoteButton itemId={idea.itemId} voted={idea.voted} voteCount={idea.voteCount} disabledReason={voteBlock(idea)} size="sm" />
          <div className="min-w-0 flex-1">
            <h3 className="text-base font-semibold text-slate-900">
              <Link to={href("/ideas/:ideaId", { ideaId: String(idea.id) })} className="hover:underline">
                {idea.title}
              </Link>
            </h3>
            <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
              <StatusBadge status={idea.status} />
              {idea.category ? <span>{idea.category}</span> : null}
              <span>
                by{" "}
                <Link to={href("/people/:userId", { userId: String(idea.author.id) })} className="hover:underline">
                  {idea.author.name}
                </Link>
              </span>
              <RelativeTime date={idea.createdAt} now={now} />
              <span>{idea.commentCount === 1 ? "1 comment" : `${idea.commentCount} comments`}</span>
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}
