import { useSearchParams } from "react-router";

/**
 * The benchmark's ceiling (bench/run.ts): a page of `?bytes=` bytes of static markup, served by the
 * same server and root layout as every page, with no loader, no session (the bench sends no
 * cookie) and no queries. What a page costs beyond it is what its loader and its components cost.
 * Only in the bench's own build (COMMONS_BENCH_ROUTES=1, see app/routes.ts).
 *
 * The block is a list of items shaped like a question list's (heading link, excerpt, a few tag
 * links), so React renders about as many elements per byte as on a real page.
 */
const EXCERPT = "Our on-call rotation pages the owner of the service first; when nobody answers within ten minutes it escalates to the team lead and then to the incident channel.";
const TAGS = ["postgres", "deploy", "on-call"];
/** About what one item renders to, tags and attributes included. */
const ITEM_BYTES = 520;
const MAX_BYTES = 2_000_000;

export default function BenchBare() {
  const [params] = useSearchParams();
  const bytes = Math.min(MAX_BYTES, Math.max(0, Math.floor(Number(params.get("bytes")) || 0)));
  const items = Array.from({ length: Math.round(bytes / ITEM_BYTES) }, (_, i) => i);
  return (
    <main className="mx-auto max-w-3xl p-6">
      <h1 className="text-2xl font-semibold">Bare page</h1>
      <ul className="mt-4 divide-y divide-slate-200">
        {items.map((i) => (
          <li key={i} className="py-3">
            <h2 className="text-base font-medium">
              <a href={`/questions/${i}`} className="text-brand-700 hover:underline">
                How do we rotate the on-call schedule when someone is away, item {i}?
              </a>
            </h2>
            <p className="mt-1 text-sm text-slate-600">{EXCERPT}</p>
            <ul className="mt-2 flex gap-2">
              {TAGS.map((tag) => (
                <li key={tag}>
                  <a href={`/tags/${tag}`} className="rounded bg-slate-100 px-2 text-xs">
                    {tag}
                  </a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </main>
  );
}
