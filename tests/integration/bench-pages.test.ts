import { describe, expect, it } from "vitest";
import { EXEMPT, MEASURED, pageRoutes, routeOf } from "../../bench/pages.ts";

// Issue 22: every page has a bench row, or a reason in bench/pages.ts why not. Reads app/routes.ts
// and the route modules only: no database, no server.
describe("bench rows cover the page routes", () => {
  const pages = pageRoutes();

  it("lists every page route of app/routes.ts as measured or exempt", () => {
    const unlisted = pages.filter((file) => !MEASURED.includes(file) && !(file in EXEMPT));
    expect(unlisted, "add a row to bench/run.ts and the file to MEASURED in bench/pages.ts, or an exemption with its reason").toEqual([]);
  });

  it("names only routes that exist, each once", () => {
    // The bare page is only in the bench's own build (COMMONS_BENCH_ROUTES=1).
    const named = [...MEASURED, ...Object.keys(EXEMPT)].filter((file) => file !== "routes/bench-bare.tsx");
    expect(named.filter((file) => !pages.includes(file))).toEqual([]);
    expect(new Set(named).size).toBe(named.length);
  });

  it("finds the page a bench row's path reaches", () => {
    expect(routeOf("/questions/12/how-do-i-rotate-secrets")).toBe("routes/questions/question.tsx");
    expect(routeOf("/questions/ask")).toBe("routes/questions/ask.tsx");
    expect(routeOf("/wiki/7/history")).toBe("routes/wiki/history.tsx");
    expect(routeOf("/admin/integrations/webhooks/3")).toBe("routes/admin/integrations/webhooks-endpoint.tsx");
    expect(routeOf("/tags/postgres?sort=votes")).toBe("routes/tags/tag.tsx");
  });
});
