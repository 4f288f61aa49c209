import { Form, Link, href } from "react-router";
import { Button } from "#app/components/button.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

/** The pieces of a wiki page around its text: contents, related pages, owners, the deleted notice. */

export type TocItem = { level: number; text: string; anchor: string };

/** "On this page": the headings as links to their anchors, indented by level. Only worth it with three or more. */
export function TableOfContents({ toc }: { toc: TocItem[] }) {
  if (toc.length < 3) return null;
  const top = Math.min(...toc.map((t) => t.level));
  const indent = ["", "pl-4", "pl-8", "pl-12"];
  return (
    <nav aria-labelledby="toc-heading" className="mb-6 rounded-xl border border-slate-200 bg-slate-50 px-5 py-4">
      <h2 id="toc-heading" className="text-sm font-semibold text-slate-900">
        On this page
      </h2>
      <ol className="mt-2 space-y-1 text-sm">
        {toc.map((t) => (
          <li key={t.anchor} className={indent[Math.min(t.level - top, 3)]}>
            <a href={`#${t.anchor}`} className="text-brand-700 hover:underline">
              {t.text}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** "Last edited by X, 3 hours ago" (or who created it, for a page never edited). */
export function LastEdited({
  page,
  now,
}: {
  page: { author: { id: number; name: string } | null; createdAt: Date | string; lastEditor: { id: number; name: string } | null; lastEditedAt: Date | string | null };
  now: number;
}) {
  const edited = page.lastEditedAt !== null;
  const person = edited ? (page.lastEditor ?? page.author) : page.author;
  return (
    <p className="mt-2 text-sm text-slate-600">
      {edited ? "Last edited by " : "Written by "}
      {person ? (
        <Link to={href("/people/:userId", { userId: String(person.id) })} className="font-medium text-brand-700 hover:underline">
          {person.name}
        </Link>
      ) : (
        "someone"
      )}
      , <RelativeTime date={page.lastEditedAt ?? page.createdAt} now={now} />
    </p>
  );
}

/** A titled list of pages (subpages, "linked from"), with what to say when there are none. */
export function PageLinkList({ id, title, pages, empty }: { id: string; title: string; pages: Array<{ id: number; title: string; url: string }>; empty: string }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="text-sm font-semibold text-slate-900">
        {title}
      </h2>
      {pages.length > 0 ? (
        <ul className="mt-2 space-y-1 text-sm">
          {pages.map((p) => (
            <li key={p.id}>
              <Link to={p.url} className="text-brand-700 hover:underline">
                {p.title}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-slate-500">{empty}</p>
      )}
    </section>
  );
}

/** The page's owners (they keep it current); managing them is the owners screen's. */
export function OwnerList({ owners }: { owners: Array<{ id: number; name: string; title: string }> }) {
  return (
    <section aria-labelledby="owners-heading">
      <h2 id="owners-heading" className="text-sm font-semibold text-slate-900">
        Owners
      </h2>
      {owners.length > 0 ? (
        <ul className="mt-2 space-y-1 text-sm">
          {owners.map((o) => (
            <li key={o.id}>
              <Link to={href("/people/:userId", { userId: String(o.id) })} className="font-medium text-brand-700 hover:underline">
                {o.name}
              </Link>
              {o.title ? <span className="text-slate-500"> · {o.title}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-slate-500">No owners yet.</p>
      )}
    </section>
  );
}

/** Shown to owners and moderators on a deleted page (everyone else gets a 404): when, and a way back. */
export function DeletedBanner({ deletedAt, canRestore, now, error }: { deletedAt: Date | string; canRestore: boolean; now: number; error?: string | undefined }) {
  return (
    <div role="status" className="mb-6 rounded-xl border border-red-200 bg-red-50 px-5 py-4 text-sm text-red-900">
      <p>
        <strong>This page was deleted</strong> <RelativeTime date={deletedAt} now={now} />. Only its owners and moderators can see it; links to it show as plain text.
      </p>
      {error ? <p className="mt-2 font-medium">{error}</p> : null}
      {canRestore ? (
        <Form method="post" className="mt-3">
          <Button name="intent" value="undelete" variant="secondary">
            Restore the page
          </Button>
        </Form>
      ) : null}
    </div>
  );
}
