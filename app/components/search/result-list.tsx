import { Link, href } from "react-router";
import { STATUS_LABELS as IDEA_STATUS_LABELS, type IdeaStatus } from "#app/features/ideas/schemas.ts";
import type { IdeaHit, QuestionHit, SearchHit } from "#app/features/search/search-params.ts";
import { plural } from "#app/lib/plural.ts";
import { Badge, type BadgeTone } from "#app/components/badge.tsx";
import { Card } from "#app/components/card.tsx";
import { BanIcon, CheckIcon } from "#app/components/icons.tsx";
import { TagList } from "#app/components/content/tag-list.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { SnippetText } from "./snippet.tsx";

function StatusBadge({ status }: { status: QuestionHit["status"] }) {
  if (status === "answered") {
    return (
      <Badge tone="green" icon={<CheckIcon className="size-3.5" />}>
        Accepted answer
      </Badge>
    );
  }
  if (status === "closed") {
    return (
      <Badge tone="neutral" icon={<BanIcon className="size-3.5" />}>
        Closed
      </Badge>
    );
  }
  return null;
}

const IDEA_TONES: Record<IdeaStatus, BadgeTone> = {
  submitted: "neutral",
  under_review: "amber",
  accepted: "brand",
  in_progress: "brand",
  implemented: "green",
  declined: "red",
  merged: "violet",
};

/** An idea's status in words (the colour only helps). */
export function IdeaStatusBadge({ status }: { status: IdeaStatus }) {
  return <Badge tone={IDEA_TONES[status]}>{IDEA_STATUS_LABELS[status]}</Badge>;
}

/**
 * One question found: the highlighted title and snippet (where the words matched: the question,
 * or one of its answers), its space, tags, status, score, answers, author and age.
 */
export function SearchResult({ hit, now }: { hit: QuestionHit; now: number }) {
  return (
    <article className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
        <h3 className="min-w-0 text-base font-semibold text-slate-900">
          <Link to={hit.url} className="break-words hover:text-brand-700 hover:underline">
            <SnippetText snippet={hit.title} />
          </Link>
        </h3>
        <StatusBadge status={hit.status} />
      </div>
      {hit.snippet.length > 0 ? (
        <p className="mt-1.5 text-sm break-words text-slate-700">
          {hit.snippetFrom === "answer" ? <span className="mr-1.5 inline-flex rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">From an answer</span> : null}
          <SnippetText snippet={hit.snippet} />
        </p>
      ) : null}
      <div className="mt-2.5 flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <TagList tags={hit.tags} />
        <p className="text-xs text-slate-600">
          <span className="font-medium text-slate-800">{plural(hit.score, "vote", "votes")}</span>
          {" · "}
          {plural(hit.answerCount, "answer", "answers")}
          {" · "}
          <Link to={href("/people/:userId", { userId: String(hit.author.id) })} className="font-medium text-brand-700 hover:underline">
            {hit.author.name}
          </Link>
          {" in "}
          <Link to={href("/spaces/:slug", { slug: hit.space.slug })} className="font-medium text-slate-700 hover:underline">
            {hit.space.name}
          </Link>{" "}
          <RelativeTime date={new Date(hit.createdAt * 1000)} now={now} prefix="asked" />
        </p>
      </div>
    </article>
  );
}

/**
 * One idea found: marked as an idea (the list mixes them with questions), its highlighted title
 * and snippet, status, campaign, tags, votes, comments, author, space and age.
 */
export function IdeaResult({ hit, now }: { hit: IdeaHit; now: number }) {
  return (
    <article className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
        <h3 className="min-w-0 text-base font-semibold text-slate-900">
          <span className="mr-2 inline-flex rounded bg-amber-100 px-1.5 py-0.5 align-middle text-xs font-medium text-amber-900">Idea</span>
          <Link to={hit.url} className="break-words hover:text-brand-700 hover:underline">
            <SnippetText snippet={hit.title} />
          </Link>
        </h3>
        <IdeaStatusBadge status={hit.status} />
      </div>
      <p className="mt-1 text-xs text-slate-600">
        In the campaign{" "}
        <Link to={hit.campaign.url} className="font-medium text-brand-700 hover:underline">
          {hit.campaign.title}
        </Link>
        {hit.category ? ` · ${hit.category}` : ""}
      </p>
      {hit.snippet.length > 0 ? (
        <p className="mt-1.5 text-sm break-words text-slate-700">
          <SnippetText snippet={hit.snippet} />
        </p>
      ) : null}
      <div className="mt-2.5 flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <TagList tags={hit.tags} />
        <p className="text-xs text-slate-600">
          <span className="font-medium text-slate-800">{plural(hit.voteCount, "vote", "votes")}</span>
          {" · "}
          {plural(hit.commentCount, "comment", "comments")}
          {" · "}
          <Link to={href("/people/:userId", { userId: String(hit.author.id) })} className="font-medium text-brand-700 hover:underline">
            {hit.author.name}
          </Link>
          {" in "}
          <Link to={href("/spaces/:slug", { slug: hit.space.slug })} className="font-medium text-slate-700 hover:underline">
            {hit.space.name}
          </Link>{" "}
          <RelativeTime date={new Date(hit.createdAt * 1000)} now={now} prefix="submitted" />
        </p>
      </div>
    </article>
  );
}

export function SearchResultList({ hits, now }: { hits: SearchHit[]; now: number }) {
  return (
    <Card>
      <ul className="divide-y divide-slate-100">
        {hits.map((hit) => (
          // A question and an idea can share an id: the kind keeps the keys apart.
          <li key={`${hit.type}-${hit.id}`}>{hit.type === "idea" ? <IdeaResult hit={hit} now={now} /> : <SearchResult hit={hit} now={now} />}</li>
        ))}
      </ul>
    </Card>
  );
}
