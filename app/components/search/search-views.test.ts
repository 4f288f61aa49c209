import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, test } from "vitest";
import { type ArticleHit, type IdeaHit, type PageHit, pageReview, searchParams } from "#app/features/search/search-params.ts";
import { activeFilters, clearHref, toggleHref } from "./search-links.ts";
import { SearchResultList } from "./result-list.tsx";
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

describe("ideas in the search views", () => {
  test("campaign, category and idea status are links and chips like the other filters", () => {
    const p = searchParams(new URLSearchParams("q=solar&status=open&page=2"));
    expect(toggleHref(p, "campaign", "12", false)).toBe("/search?q=solar&status=open&campaign=12");
    expect(toggleHref(p, "category", "Energy & waste", false)).toBe("/search?q=solar&status=open&category=Energy+%26+waste");
    expect(toggleHref(p, "ideaStatus", "in_progress", false)).toBe("/search?q=solar&status=open&ideaStatus=in_progress");
    expect(toggleHref(p, "type", "idea", false)).toBe("/search?q=solar&status=open&type=idea");

    const chosen = searchParams(new URLSearchParams("q=solar&ideaStatus=in_progress&type=idea&campaign=12&category=Energy"));
    expect(clearHref(chosen, "campaign")).toBe("/search?q=solar&ideaStatus=in_progress&type=idea&category=Energy");
    const facets = {
      space: [],
      type: [],
      tag: [],
      status: [],
      ideaStatus: [],
      category: [],
      department: [],
      campaign: [{ value: "12", label: "Greener offices", count: 3, selected: true }],
    };
    expect(activeFilters(chosen, facets).map((f) => [f.kind, f.label, f.removeHref])).toEqual([
      ["Type", "Ideas", "/search?q=solar&ideaStatus=in_progress&campaign=12&category=Energy"],
      ["Campaign", "Greener offices", "/search?q=solar&ideaStatus=in_progress&type=idea&category=Energy"],
      ["Category", "Energy", "/search?q=solar&ideaStatus=in_progress&type=idea&campaign=12"],
      ["Idea status", "In progress", "/search?q=solar&type=idea&campaign=12&category=Energy"],
    ]);
    // Nonsense reads as no filter.
    expect(searchParams(new URLSearchParams("campaign=12abc&ideaStatus=pondering&type=wiki"))).toMatchObject({ campaign: undefined, ideaStatus: undefined, type: undefined });
  });

  test("an idea result shows its campaign, status and votes, links to the idea, and keeps markup as text", () => {
    const idea: IdeaHit = {
      type: "idea",
      id: 7,
      url: "/ideas/7",
      title: [
        { text: "Solar <b>panels</b> on the ", match: false },
        { text: "roof", match: true },
      ],
      snippet: [{ text: "Sun all afternoon.", match: false }],
      space: { slug: "facilities", name: "Facilities" },
      campaign: { id: 3, title: "Greener offices", url: "/campaigns/3" },
      tags: ["energy"],
      category: "Energy",
      status: "in_progress",
      voteCount: 12,
      commentCount: 1,
      author: { id: 5, name: "Ida Ideator" },
      createdAt: 1_700_000_000,
    };
    const html = render(createElement(SearchResultList, { hits: [idea], now: 1_700_000_000_000 }));
    expect(html).toContain('href="/ideas/7"');
    expect(html).toContain('href="/campaigns/3"');
    expect(html).toContain("Greener offices");
    expect(html).toContain("In progress");
    expect(html).toContain("12 votes");
    expect(html).toContain("1 comment");
    expect(html).toContain("Solar &lt;b&gt;panels&lt;/b&gt; on the <mark");
  });
});

describe("wiki pages and articles in the search views", () => {
  test("the type facet has a value per kind, as a link and as a chip", () => {
    const p = searchParams(new URLSearchParams("q=vpn&page=2"));
    expect(toggleHref(p, "type", "page", false)).toBe("/search?q=vpn&type=page");
    expect(toggleHref(p, "type", "article", false)).toBe("/search?q=vpn&type=article");
    const chosen = searchParams(new URLSearchParams("q=vpn&type=page"));
    expect(chosen.type).toBe("page");
    expect(activeFilters(chosen, null).map((f) => [f.kind, f.label, f.removeHref])).toEqual([["Type", "Wiki pages", "/search?q=vpn"]]);
    expect(activeFilters(searchParams(new URLSearchParams("type=article")), null).map((f) => f.label)).toEqual(["Articles"]);
  });

  test("a page is verified until its review date, then needs review; a page nobody verified says neither", () => {
    const now = 1_700_000_000_000;
    const at = (offsetSeconds: number) => now / 1000 + offsetSeconds;
    expect(pageReview({ verified: true, reviewDueAt: at(60) }, now)).toBe("verified");
    expect(pageReview({ verified: true, reviewDueAt: null }, now)).toBe("verified");
    expect(pageReview({ verified: true, reviewDueAt: at(0) }, now)).toBe("needs_review");
    expect(pageReview({ verified: true, reviewDueAt: at(-60) }, now)).toBe("needs_review");
    expect(pageReview({ verified: false, reviewDueAt: at(-60) }, now)).toBeNull();
  });

  const page: PageHit = {
    type: "page",
    id: 42,
    url: "/wiki/42/vpn-setup",
    title: [
      { text: "VPN ", match: true },
      { text: "setup <script>alert(1)</script>", match: false },
    ],
    snippet: [{ text: "Run the installer.", match: false }],
    space: { slug: "it", name: "IT" },
    tags: ["vpn"],
    author: { id: 3, name: "Wendy Wiki" },
    owners: ["Otto Owner", "Wendy Wiki"],
    verified: true,
    reviewDueAt: 1_700_000_000 + 3600,
    createdAt: 1_690_000_000,
    updatedAt: 1_699_000_000,
  };

  test("a page result is labelled, links to the page and its space, names its owners and says whether it is verified, worked out at render time", () => {
    const fresh = render(createElement(SearchResultList, { hits: [page], now: 1_700_000_000_000 }));
    expect(fresh).toContain("Wiki page");
    expect(fresh).toContain('href="/wiki/42/vpn-setup"');
    expect(fresh).toContain('href="/spaces/it"');
    expect(fresh).toContain("Otto Owner, Wendy Wiki");
    expect(fresh).toContain("Verified");
    expect(fresh).not.toContain("Needs review");
    expect(fresh).toContain("setup &lt;script&gt;alert(1)&lt;/script&gt;");
    // The same hit two hours later: past its review date.
    const later = render(createElement(SearchResultList, { hits: [page], now: 1_700_000_000_000 + 2 * 3_600_000 }));
    expect(later).toContain("Needs review");
    expect(later).not.toContain("Verified");
  });

  test("an article result is labelled with its kind and type, and shows its author, votes and space", () => {
    const article: ArticleHit = {
      type: "article",
      id: 9,
      url: "/articles/9/our-new-expense-tool",
      title: [{ text: "Our new expense tool", match: false }],
      snippet: [],
      space: { slug: "finance", name: "Finance" },
      tags: [],
      articleType: "how_to",
      score: 4,
      commentCount: 2,
      author: { id: 5, name: "Arthur Article" },
      publishedAt: 1_699_990_000,
    };
    const html = render(createElement(SearchResultList, { hits: [article], now: 1_700_000_000_000 }));
    expect(html).toContain("Article");
    expect(html).toContain("How-to");
    expect(html).toContain('href="/articles/9/our-new-expense-tool"');
    expect(html).toContain('href="/people/5"');
    expect(html).toContain("4 votes");
    expect(html).toContain("2 comments");
    expect(html).toContain("published");
  });
});
