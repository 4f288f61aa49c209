import { Fragment } from "react";
import type { Snippet } from "#app/features/search/search-params.ts";

/**
 * Highlighted text from search: matched runs become <mark>, everything is a React text node. A
 * post containing `<img src=x onerror=…>` shows those characters; nothing is parsed as HTML.
 */
export function SnippetText({ snippet }: { snippet: Snippet }) {
  return (
    <>
      {snippet.map((run, i) =>
        run.match ? (
          <mark key={i} className="rounded-sm bg-amber-100 px-0.5 text-current">
            {run.text}
          </mark>
        ) : (
          <Fragment key={i}>{run.text}</Fragment>
        ),
      )}
    </>
  );
}

/** The snippet's plain text, for places that cannot hold markup (a live region, a title attribute). */
export function snippetText(snippet: Snippet): string {
  return snippet.map((run) => run.text).join("");
}
