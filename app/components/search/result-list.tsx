import type { ReactNode } from "react";
import { Link, href } from "react-router";
import { STATUS_LABELS as IDEA_STATUS_LABELS, type IdeaStatus } from "#app/features/ideas/schemas.ts";
import {
  ARTICLE_TYPE_LABELS,
  type ArticleHit,
  type BadgeHit,
  type IdeaHit,
  type KudosHit,
  type PageHit,
  type QuestionHit,
  type SearchHit,
  type Snippet,
  pageReview,
} from "#app/features/search/search-params.ts";
import { plural } from "#app/lib/plural.ts";
import { Badge, type BadgeTone } from "#app/components/badge.tsx";
import { Card } from "#app/components/card.tsx";
import { AlertIcon, BanIcon, CheckCircleIcon, CheckIcon } from "#app/components/icons.tsx";
import { TagList } from "#app/components/content/tag-list.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { TIER_LABELS, TierDot } from "#app/components/recognition/badge-tier.tsx";
import { SnippetText } from "./snippet.tsx";

/** The small label that says which kind a result is (the list mixes them). */
const kindLabelClass = "mr-2 inline-flex rounded px-1.5 py-0.5 align-middle text-xs font-medium";

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
 * What every kind of result shows, in the same places: its kind's label (the list mixes them;
 * questions, its main kind, have none), the highlighted title, a badge, the snippet, the tags, and
 * `children`, the kind's line of facts beside the tags.
 */
function ResultFrame({
  hit,
  kind,
  badge,
  context,
  snippetPrefix,
  children,
}: {
  hit: { url: string; title: Snippet; snippet: Snippet; tags: string[] };
  kind?: { label: string; className: string };
  badge: ReactNode;
  /** A line under the title (an idea's campaign). */
  context?: ReactNode;
  /** Said before the snippet (where it matched). */
  snippetPrefix?: ReactNode;
  children: ReactNode;
}) {
  return (
    <article className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
        <h3 className="min-w-0 text-base font-semibold text-slate-900">
          {kind ? <span className={`${kindLabelClass} ${kind.className}`}>{kind.label}</span> : null}
          <Link to={hit.url} className="break-words hover:text-brand-700 hover:underline">
            <SnippetText snippet={hit.title} />
          </Link>
        </h3>
        {badge}
      </div>
      {context}
      {hit.snippet.length > 0 ? (
        <p className="mt-1.5 text-sm break-words text-slate-700">
          {snippetPrefix}
          <SnippetText snippet={hit.snippet} />
        </p>
      ) : null}
      <div className="mt-2.5 flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <TagList tags={hit.tags} />
        <p className="text-xs text-slate-600">{children}</p>
      </div>
    </article>
  );
}

/** The end of a result's line of facts: who wrote it, in which space, and when (`at`, in seconds since the epoch). */
function ByAuthorInSpace({ hit, at, now, prefix }: { hit: { author: { id: number; name: string }; space: { slug: string; name: string } }; at: number; now: number; prefix: string }) {
  return (
    <>
      <Link to={href("/people/:userId", { userId: String(hit.author.id) })} className="font-medium text-brand-700 hover:underline">
        {hit.author.name}
      </Link>
      {" in "}
      <Link to={href("/spaces/:slug", { slug: hit.space.slug })} className="font-medium text-slate-700 hover:underline">
        {hit.space.name}
      </Link>{" "}
      <RelativeTime date={new Date(at * 1000)} now={now} prefix={prefix} />
    </>
  );
}

/**
 * One question found: the highlighted title and snippet (where the words matched: the question,
 * or one of its answers), its space, tags, status, score, answers, author and age.
 */
export function SearchResult({ hit, now }: { hit: QuestionHit; now: number }) {
  return (
    <ResultFrame
      hit={hit}
      badge={<StatusBadge status={hit.status} />}
      snippetPrefix={hit.snippetFrom === "answer" ? <span className="mr-1.5 inline-flex rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">From an answer</span> : null}
    >
      <span className="font-medium text-slate-800">{plural(hit.score, "vote", "votes")}</span>
      {" · "}
      {plural(hit.answerCount, "answer", "answers")}
      {" · "}
      <ByAuthorInSpace hit={hit} at={hit.createdAt} now={now} prefix="asked" />
    </ResultFrame>
  );
}

/**
 * One idea found: marked as an idea (the list mixes them with questions), its highlighted title
 * and snippet, status, campaign, tags, votes, comments, author, space and age.
 */
export function IdeaResult({ hit, now }: { hit: IdeaHit; now: number }) {
  return (
    <ResultFrame
      hit={hit}
      kind={{ label: "Idea", className: "bg-amber-100 text-amber-900" }}
      badge={<IdeaStatusBadge status={hit.status} />}
      context={
        <p className="mt-1 text-xs text-slate-600">
          In the campaign{" "}
          <Link to={hit.campaign.url} className="font-medium text-brand-700 hover:underline">
            {hit.campaign.title}
          </Link>
          {hit.category ? ` · ${hit.category}` : ""}
        </p>
      }
    >
      <span className="font-medium text-slate-800">{plural(hit.voteCount, "vote", "votes")}</span>
      {" · "}
      {plural(hit.commentCount, "comment", "comments")}
      {" · "}
      <ByAuthorInSpace hit={hit} at={hit.createdAt} now={now} prefix="submitted" />
    </ResultFrame>
  );
}

/**
 * Whether a page is vouched for, worked out from its review date against `now` (the time of the
 * request), so it is right even when the index has not caught up with the date.
 */
export function PageReviewBadge({ page, now }: { page: Pick<PageHit, "verified" | "reviewDueAt">; now: number }) {
  const review = pageReview(page, now);
  if (review === "verified") {
    return (
      <Badge tone="green" icon={<CheckCircleIcon className="size-3.5" />}>
        Verified
      </Badge>
    );
  }
  if (review === "needs_review") {
    return (
      <Badge tone="amber" icon={<AlertIcon className="size-3.5" />}>
        Needs review
      </Badge>
    );
  }
  return null;
}

/**
 * One wiki page found: marked as a page, its highlighted title and snippet, whether it is
 * verified or needs review, its owners, tags, space and last change.
 */
export function PageResult({ hit, now }: { hit: PageHit; now: number }) {
  return (
    <ResultFrame hit={hit} kind={{ label: "Wiki page", className: "bg-sky-100 text-sky-900" }} badge={<PageReviewBadge page={hit} now={now} />}>
      {hit.owners.length > 0 ? (
        <>
          Owned by <span className="font-medium text-slate-800">{hit.owners.join(", ")}</span>
          {" in "}
        </>
      ) : (
        "In "
      )}
      <Link to={href("/spaces/:slug", { slug: hit.space.slug })} className="font-medium text-slate-700 hover:underline">
        {hit.space.name}
      </Link>{" "}
      <RelativeTime date={new Date(hit.updatedAt * 1000)} now={now} prefix="updated" />
    </ResultFrame>
  );
}

/** One article found: marked as an article with its type, its title and snippet, score, author, space and publication. */
export function ArticleResult({ hit, now }: { hit: ArticleHit; now: number }) {
  return (
    <ResultFrame hit={hit} kind={{ label: "Article", className: "bg-violet-100 text-violet-900" }} badge={<Badge>{ARTICLE_TYPE_LABELS[hit.articleType] ?? hit.articleType}</Badge>}>
      <span className="font-medium text-slate-800">{plural(hit.score, "vote", "votes")}</span>
      {" · "}
      {plural(hit.commentCount, "comment", "comments")}
      {" · "}
      <ByAuthorInSpace hit={hit} at={hit.publishedAt} now={now} prefix="published" />
    </ResultFrame>
  );
}

/**
 * One kudos found: marked as kudos, who thanked whom (the link to the kudos), the company value
 * it was given for, what it thanks, the message's snippet, its points, space and age.
 */
export function KudosResult({ hit, now }: { hit: KudosHit; now: number }) {
  return (
    <article className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
        <h3 className="min-w-0 text-base font-semibold text-slate-900">
          <span className={`${kindLabelClass} bg-rose-100 text-rose-900`}>Kudos</span>
          <Link to={hit.url} className="break-words hover:text-brand-700 hover:underline">
            <SnippetText snippet={hit.title} />
          </Link>
        </h3>
        <Badge tone="brand">
          {hit.value.emoji ? <span aria-hidden="true">{hit.value.emoji}</span> : null}
          <span className="sr-only">Value: </span>
          <SnippetText snippet={hit.value.name} />
        </Badge>
      </div>
      {hit.subject.length > 0 ? (
        <p className="mt-1 text-xs text-slate-600">
          For “<SnippetText snippet={hit.subject} />”
        </p>
      ) : null}
      {hit.snippet.length > 0 ? (
        <p className="mt-1.5 text-sm break-words text-slate-700">
          <SnippetText snippet={hit.snippet} />
        </p>
      ) : null}
      <p className="mt-2.5 text-xs text-slate-600">
        <span className="font-medium text-slate-800">{plural(hit.points, "point", "points")}</span>
        {" · in "}
        <Link to={href("/spaces/:slug", { slug: hit.space.slug })} className="font-medium text-slate-700 hover:underline">
          {hit.space.name}
        </Link>{" "}
        <RelativeTime date={new Date(hit.createdAt * 1000)} now={now} prefix="given" />
      </p>
    </article>
  );
}

/** One badge found: marked as a badge, its highlighted name and description, its tier in words and how many hold it. */
export function BadgeResult({ hit }: { hit: BadgeHit }) {
  return (
    <article className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
        <h3 className="min-w-0 text-base font-semibold text-slate-900">
          <span className={`${kindLabelClass} bg-emerald-100 text-emerald-900`}>Badge</span>
          <Link to={hit.url} className="break-words hover:text-brand-700 hover:underline">
            <SnippetText snippet={hit.title} />
          </Link>
        </h3>
        <Badge icon={<TierDot tier={hit.tier} />}>{TIER_LABELS[hit.tier] ?? hit.tier}</Badge>
      </div>
      {hit.snippet.length > 0 ? (
        <p className="mt-1.5 text-sm break-words text-slate-700">
          <SnippetText snippet={hit.snippet} />
        </p>
      ) : null}
      <p className="mt-2.5 text-xs text-slate-600">{hit.holderCount === 0 ? "Nobody holds it yet" : `Held by ${plural(hit.holderCount, "person", "people")}`}</p>
    </article>
  );
}

function ResultOfKind({ hit, now }: { hit: SearchHit; now: number }) {
  switch (hit.type) {
    case "kudos":
      return <KudosResult hit={hit} now={now} />;
    case "badge":
      return <BadgeResult hit={hit} />;
    case "idea":
      return <IdeaResult hit={hit} now={now} />;
    case "page":
      return <PageResult hit={hit} now={now} />;
    case "article":
      return <ArticleResult hit={hit} now={now} />;
    default:
      return <SearchResult hit={hit} now={now} />;
  }
}

export function SearchResultList({ hits, now }: { hits: SearchHit[]; now: number }) {
  return (
    <Card>
      <ul className="divide-y divide-slate-100">
        {hits.map((hit) => (
          // Kinds can share an id: the kind keeps the keys apart.
          <li key={`${hit.type}-${hit.id}`}>
            <ResultOfKind hit={hit} now={now} />
          </li>
        ))}
      </ul>
    </Card>
  );
}
