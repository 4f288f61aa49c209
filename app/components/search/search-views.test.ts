import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, test } from "vitest";
import { searchParams } from "#app/features/search/search-params.ts";
import { activeFilters, toggleHref } from "./search-links.ts";
import { pageWindow } from "./search-pagination.tsx";
import { SearchUnavailable } from "./search-states.tsx";
import { SnippetText } from "./snippet.tsx";

const render = (element: React.ReactElement) => renderToStaticMarkup(createElement(MemoryRouter, null, element));

describe("SnippetText", () => {
  test("matches become <mark>, and markup in the text stays text", () => {
    const html = render(
      createElement(SnippetText, {
        snippet: [
          { text: "<img src=x onerror=alert(1)> ", match: false },
          { text: "uniquewordxyz", match: true },
          { text: " & <b>more</b>", match: false },
        ],
      }),
    );
    expect(html).toBe('&lt;img src=x onerror=alert(1)&gt; <mark class="rounded-sm bg-amber-100 px-0.5 text-current">uniquewordxyz</mark> &amp; &lt;b&gt;more&lt;/b&gt;');
  });
});

describe("the unavailable state", () => {
  test("says so in plain words and offers what still works", () => {
    const html = render(createElement(SearchUnavailable));
    expect(html).toContain("Search is unavailable right now");
    for (const path of ["/questions", "/tags", "/spaces"]) expect(html).toContain(`href="${path}"`);
  });
});

describe("search links", () => {
  const p = searchParams(new URLSearchParams("q=backup&tag=postgres&space=engineering&sort=newest&page=3"));

  test("a facet value toggles its filter and goes back to page 1, keeping the rest", () => {
    expect(toggleHref(p, "tag", "ci", false)).toBe("/search?q=backup&space=engineering&tag=postgres&tag=ci&sort=newest");
    expect(toggleHref(p, "tag", "postgres", true)).toBe("/search?q=backup&space=engineering&sort=newest");
    expect(toggleHref(p, "space", "engineering", true)).toBe("/search?q=backup&tag=postgres&sort=newest");
    expect(toggleHref(p, "status", "answered", false)).toBe("/search?q=backup&space=engineering&tag=postgres&status=answered&sort=newest");
  });

  test("every active filter has a link that removes only it", () => {
    const filters = activeFilters(searchParams(new URLSearchParams("q=x&tag=a&tag=b&status=closed&created=week")), null);
    expect(filters.map((f) => [f.kind, f.label, f.removeHref])).toEqual([
      ["Tag", "a", "/search?q=x&tag=b&status=closed&created=week"],
      ["Tag", "b", "/search?q=x&tag=a&status=closed&created=week"],
      ["Status", "Closed", "/search?q=x&tag=a&tag=b&created=week"],
      ["Created", "Past week", "/search?q=x&tag=a&tag=b&status=closed"],
    ]);
  });

  test("page numbers: first, last and two either side of the current one", () => {
    expect(pageWindow(1, 3)).toEqual([1, 2, 3]);
    expect(pageWindow(6, 12)).toEqual([1, null, 4, 5, 6, 7, 8, null, 12]);
    expect(pageWindow(2, 9)).toEqual([1, 2, 3, 4, null, 9]);
  });
});
