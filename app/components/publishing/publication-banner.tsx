import { Form, Link, href } from "react-router";
import { GlobeIcon } from "#app/components/icons.tsx";
import { absoluteDate } from "#app/lib/time.ts";

export type BannerData = {
  published: { threadUrl: string; publishedAt: Date; publicationId: number } | null;
  draft: { id: number } | null;
  canPropose: boolean;
};

/**
 * On a question's page: that it is on the public forum (and where), or that a draft to publish it
 * is in review. Nothing when neither.
 */
export function PublicationBanner({ banner }: { banner: BannerData }) {
  const { published, draft } = banner;
  if (!published && !draft) return null;
  return (
    <section aria-label="Public forum" className="mb-6 space-y-1 rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-900">
      {published ? (
        <p className="flex items-start gap-2">
          <GlobeIcon className="mt-0.5 size-4 shrink-0" />
          <span className="min-w-0">
            Published on the public forum as{" "}
            <a href={published.threadUrl} className="font-semibold break-all underline hover:text-sky-700">
              {published.threadUrl}
            </a>
            , {absoluteDate(published.publishedAt)} (UTC).{" "}
            <Link to={href("/publications/:publicationId", { publicationId: String(published.publicationId) })} className="underline hover:text-sky-700">
              Publication details
            </Link>
          </span>
        </p>
      ) : null}
      {draft ? (
        <p>
          {published ? "A new version for the public forum is in review." : "A draft to publish this on the public forum is in review."}{" "}
          <Link to={href("/publications/:publicationId", { publicationId: String(draft.id) })} className="font-semibold underline hover:text-sky-700">
            Open the draft
          </Link>
        </p>
      ) : null}
    </section>
  );
}

/**
 * "Propose for the public forum" in the question's action row: a plain form that makes a draft (a
 * snapshot of the question and its answers) and opens it. Shown while no draft is in review.
 */
export function ProposeButton({ questionId, republish }: { questionId: number; republish: boolean }) {
  return (
    <Form method="post" action={href("/publications/new")} className="inline">
      <input type="hidden" name="questionId" value={questionId} />
      <button type="submit" className="rounded px-1 py-0.5 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900">
        {republish ? "Propose an update for the public forum" : "Propose for the public forum"}
      </button>
    </Form>
  );
}
