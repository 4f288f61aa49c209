import { matchRoutes, type RouteObject } from "react-router";
import { beforeAll, describe, expect, test } from "vitest";
import { methodLabel, routeLabel, statusClass } from "./route-label.ts";
import { ROUTE_PATTERNS } from "./route-patterns.ts";

/**
 * The route label names the route React Router really serves a path with, for every route of
 * app/routes.ts, and nothing a client sends ever becomes a label of its own.
 */

interface ConfigEntry {
  path?: string;
  index?: boolean;
  children?: ConfigEntry[];
}

/** app/routes.ts's routes as full patterns in React Router's order, and as route objects whose `handle` is that pattern. */
function flatten(entries: ConfigEntry[], parent = ""): { patterns: string[]; objects: RouteObject[] } {
  const patterns: string[] = [];
  const objects = entries.map((entry): RouteObject => {
    const full = entry.path === undefined ? parent : `${parent.replace(/\/$/, "")}/${entry.path}`;
    const children = entry.children ? flatten(entry.children, full) : undefined;
    if (children) patterns.push(...children.patterns);
    if (entry.index) patterns.push(full || "/");
    else if (entry.path !== undefined) patterns.push(full);
    const handle = entry.index ? full || "/" : full;
    return entry.index ? { index: true, path: entry.path, handle } : { path: entry.path, handle, ...(children ? { children: children.objects } : {}) };
  });
  return { patterns, objects };
}

let configured: { patterns: string[]; objects: RouteObject[] };

beforeAll(async () => {
  // With the benchmark's page too: the bench's own build serves it.
  process.env.COMMONS_BENCH_ROUTES = "1";
  const { default: routes } = await import("#app/routes.ts");
  delete process.env.COMMONS_BENCH_ROUTES;
  configured = flatten(routes as ConfigEntry[]);
});

/** The pattern React Router matches `path` with, or "other" when only the catch-all takes it. */
function reactRouterLabel(path: string): string {
  const matches = matchRoutes(configured.objects, path);
  const pattern = matches?.at(-1)?.route.handle as string | undefined;
  return pattern === undefined || pattern === "/*" ? "other" : pattern;
}

/** A concrete path for a pattern: each parameter filled in, optional ones present or left out. */
function samplePath(pattern: string, withOptional: boolean): string {
  const segments = pattern.split("/").flatMap((segment) => {
    if (!segment.startsWith(":")) return [segment];
    if (segment.endsWith("?") && !withOptional) return [];
    const name = segment.replace(/\?$/, "");
    if (/Id$/.test(name)) return ["4321"];
    if (name.includes(".")) return [`topics${name.slice(name.indexOf("."))}`];
    return ["sample-value-7"];
  });
  return segments.join("/") || "/";
}

describe("the route table", () => {
  test("lists every route of app/routes.ts, in order (paste the printed list into route-patterns.ts when this fails)", () => {
    const expected = configured.patterns.filter((p) => p !== "/*");
    expect(ROUTE_PATTERNS, `route-patterns.ts is out of date; its list should be:\n${expected.map((p) => `  "${p}",`).join("\n")}\n`).toEqual(expected);
  });

  test("every route's own paths are labelled with its pattern, as React Router matches them", () => {
    for (const pattern of ROUTE_PATTERNS) {
      for (const withOptional of [true, false]) {
        if (!withOptional && !pattern.includes("?")) continue;
        const path = samplePath(pattern, withOptional);
        expect(routeLabel(path), path).toBe(pattern);
        expect(reactRouterLabel(path), path).toBe(pattern);
        // React Router's data requests load the same route.
        expect(routeLabel(path === "/" ? "/_root.data" : `${path}.data`), `${path}.data`).toBe(pattern);
      }
    }
  });

  test("static segments outrank a parameter, as in the app", () => {
    expect(routeLabel("/questions/123/some-slug")).toBe("/questions/:questionId/:slug?");
    expect(routeLabel("/questions/123")).toBe("/questions/:questionId/:slug?");
    expect(routeLabel("/questions/123/close")).toBe("/questions/:questionId/close");
    expect(routeLabel("/questions/ask")).toBe("/questions/ask");
    expect(routeLabel("/hr/people/topics.csv")).toBe("/hr/people/:table.csv");
    expect(routeLabel("/hr/people/12")).toBe("/hr/people/:userId");
    expect(routeLabel("/wiki/templates")).toBe("/wiki/templates");
    expect(routeLabel("/wiki/12/some-page")).toBe("/wiki/:pageId/:slug?");
    expect(routeLabel("/reset-password/a-secret-token")).toBe("/reset-password/:token");
    expect(routeLabel("/verify-email/a-secret-token")).toBe("/verify-email/:token");
    expect(routeLabel("/uploads/3f9a/photo.png")).toBe("/uploads/:key/:filename?");
    expect(routeLabel("/tags/c%2B%2B")).toBe("/tags/:name");
    expect(routeLabel("/QUESTIONS/Ask/")).toBe("/questions/ask");
  });

  test("random paths get the same label as React Router's own matching", () => {
    const words = [...new Set(ROUTE_PATTERNS.flatMap((p) => p.split("/")).filter((s) => s && !s.startsWith(":")))];
    let seed = 21;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    // React Router ranks its routes again on every call (tens of milliseconds): a few hundred paths.
    for (let i = 0; i < 300; i++) {
      const depth = 1 + random(4);
      const segments = Array.from({ length: depth }, () => {
        const kind = random(4);
        return kind === 0 ? String(random(100000)) : kind === 1 ? `x${random(1000)}` : words[random(words.length)]!;
      });
      const path = `/${segments.join("/")}`;
      expect(routeLabel(path), path).toBe(reactRouterLabel(path));
    }
  }, 60_000);
});

describe("paths outside the app's routes", () => {
  test("static assets are one label, unknown paths are other", () => {
    expect(routeLabel("/assets/entry.client-AbC123.js")).toBe("/assets/*");
    expect(routeLabel("/assets/deep/chunk.css")).toBe("/assets/*");
    expect(routeLabel("/favicon.svg")).toBe("/favicon.svg");
    expect(routeLabel("/wp-admin/setup.php")).toBe("other");
    expect(routeLabel("/questions/1/2/3/4")).toBe("other");
    expect(routeLabel("/%E0%A4%A")).toBe("other");
  });

  test("the services are named by their Express route, or by their mount when none took the request", () => {
    expect(routeLabel("/api/v1/questions/12", "/questions/:id")).toBe("/api/v1/questions/:id");
    expect(routeLabel("/api/v1/questions/12")).toBe("/api/v1/*");
    expect(routeLabel("/api/v1/questions/12", "/{*splat}")).toBe("/api/v1/*");
    expect(routeLabel("/mcp", "/")).toBe("/mcp");
    expect(routeLabel("/mcp")).toBe("/mcp");
    expect(routeLabel("/scim/v2/Users/2819c223-7f76-453a-919d-413861904646")).toBe("/scim/v2/Users/:id");
    expect(routeLabel("/scim/v2/Groups")).toBe("/scim/v2/Groups");
    expect(routeLabel("/scim/v2/Users/.search")).toBe("/scim/v2/Users/.search");
    expect(routeLabel("/scim/v2/Nonsense/1/2")).toBe("/scim/v2/*");
    // The app's own JSON routes are not the API's.
    expect(routeLabel("/api/tags")).toBe("/api/tags");
  });

  test("methods and statuses come from small fixed sets", () => {
    expect(methodLabel("GET")).toBe("GET");
    expect(methodLabel("PROPFIND")).toBe("OTHER");
    expect(statusClass(204)).toBe("2xx");
    expect(statusClass(302)).toBe("3xx");
    expect(statusClass(404)).toBe("4xx");
    expect(statusClass(503)).toBe("5xx");
    expect(statusClass(999)).toBe("other");
  });
});
