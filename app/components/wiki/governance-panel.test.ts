import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { describe, expect, test } from "vitest";
import { GovernancePanel, type GovernanceViewData } from "./governance-panel.tsx";
import { SuggestionList } from "./suggestion-list.tsx";

/** The governance panel and the suggestion list as the server renders them, inside a router (their links and forms need one). */
function render(node: React.ReactNode): string {
  const Stub = createRoutesStub([{ path: "/", Component: () => node }]);
  // React's markers between adjacent text runs are not part of what a reader sees.
  return renderToString(createElement(Stub, { initialEntries: ["/"] })).replaceAll("<!-- -->", "");
}

const verification = { verifiedAt: "2026-01-10T00:00:00Z", verifiedBy: { id: 7, name: "Vera Verifier" }, reviewIntervalDays: 90, reviewDueAt: "2026-04-10T00:00:00Z", needsReview: false };

function view(overrides: Partial<GovernanceViewData> = {}): GovernanceViewData {
  return {
    page: { id: 12, deletedAt: null, protected: false, verification },
    space: { slug: "eng", wikiProtected: false },
    permissions: { canManage: false, isOwner: false, canSuggest: false },
    owners: [{ id: 7, name: "Vera Verifier" }],
    ...overrides,
  };
}

describe("the governance panel", () => {
  test("a reader sees the status, the suggestion count and where the page came from, but no controls", () => {
    const html = render(
      createElement(GovernancePanel, {
        view: view({ governance: { openSuggestions: 3, mySuggestions: [], promotedFrom: [{ title: "How do we <b>deploy</b>?", url: "/questions/4/how-do-we-deploy#answer-9" }] } }),
      }),
    );
    expect(html).toContain("Verified");
    expect(html).toContain("Verified by Vera Verifier on Jan 10, 2026. Next review by Apr 10, 2026.");
    expect(html).toContain("3 waiting for review");
    expect(html).toContain("How do we &lt;b&gt;deploy&lt;/b&gt;?");
    expect(html).not.toContain("Verify again");
    expect(html).not.toContain("Protect this page");
  });

  test("an owner gets verify and protect; a protected, overdue page says so", () => {
    const html = render(
      createElement(GovernancePanel, {
        view: view({
          page: { id: 12, deletedAt: null, protected: true, verification: { ...verification, needsReview: true } },
          permissions: { canManage: true, isOwner: true, canSuggest: false },
        }),
      }),
    );
    expect(html).toContain("Needs review");
    expect(html).toContain("Protected");
    expect(html).toContain("Reviewed: verify again");
    expect(html).toContain("Lift this page&#x27;s protection");
    expect(html).toContain('href="/wiki/review"');
    // Without the loader's governance data the link is there, without a count.
    expect(html).toContain("See suggested edits");
  });
});

describe("the suggestion list", () => {
  test("a suggester's comment is text, however it looks", () => {
    const comment = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const html = render(
      createElement(SuggestionList, {
        items: [
          { id: 5, status: "open", comment, createdAt: "2026-01-01T00:00:00Z", ageDays: 3, page: { id: 12, title: "Runbook", url: "/wiki/12/runbook" }, author: { id: 8, name: "Sam" } },
        ],
        showPage: true,
        now: Date.parse("2026-01-04T00:00:00Z"),
        label: "Suggestions",
      }),
    );
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(html).toContain("Waiting 3 days");
    expect(html).toContain('href="/wiki/12/suggestions/5"');
  });
});
