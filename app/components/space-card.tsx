import { Link, href } from "react-router";
import { ModeratorBadge, VisibilityBadge } from "./badge.tsx";
import { UsersIcon } from "./icons.tsx";

export type SpaceCardData = {
  slug: string;
  name: string;
  description: string;
  visibility: "open" | "restricted";
  memberCount: number;
  myRole: "member" | "moderator" | null;
};

export function memberCountLabel(n: number): string {
  return `${n} ${n === 1 ? "member" : "members"}`;
}

/** A space in a grid: the whole card is one link (the name), details below it. */
export function SpaceCard({ space, headingLevel = 3 }: { space: SpaceCardData; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <li className="group relative flex flex-col rounded-xl border border-slate-200 bg-white p-5 shadow-sm shadow-slate-900/[0.03] transition hover:border-brand-500/40 hover:shadow-md focus-within:ring-2 focus-within:ring-brand-500">
      <div className="flex items-start gap-3">
        <span aria-hidden="true" className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-brand-50 text-base font-semibold text-brand-700 ring-1 ring-brand-100 ring-inset">
          {space.name.slice(0, 1).toUpperCase()}
        </span>
        <div className="min-w-0 flex-1">
          <H className="text-base font-semibold text-slate-900">
            <Link to={href("/spaces/:slug", { slug: space.slug })} className="outline-none after:absolute after:inset-0 after:rounded-xl group-hover:text-brand-700">
              {space.name}
            </Link>
          </H>
          <p className="mt-1 line-clamp-2 text-sm text-slate-600">{space.description || "No description yet."}</p>
        </div>
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-2 pt-1 text-xs text-slate-600">
        <VisibilityBadge visibility={space.visibility} />
        {space.myRole === "moderator" ? <ModeratorBadge /> : null}
        <span className="ml-auto inline-flex items-center gap-1">
          <UsersIcon className="size-3.5 text-slate-400" />
          {memberCountLabel(space.memberCount)}
        </span>
      </div>
    </li>
  );
}
