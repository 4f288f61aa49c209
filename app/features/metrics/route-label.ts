import { ROUTE_PATTERNS } from "./route-patterns.ts";

/**
 * The `route` label of the request-duration histogram: the pattern a request was served by, never
 * its path, so the number of series stays bounded whatever URLs clients send. `/questions/123/why`
 * is `/questions/:questionId/:slug?`; anything no route claims is `other`.
 *
 * App pages are matched against ROUTE_PATTERNS the way React Router matches them: optional
 * segments expanded, every candidate scored (static segments outrank dynamic ones) and ties kept
 * in route order, so a path gets the label of the route that really served it
 * (route-label.test.ts checks this against React Router's own matchRoutes).
 */

/** The services server/main.ts mounts beside the app: their routes are Express routes. */
export const SERVICE_MOUNTS = ["/api/v1", "/mcp", "/scim/v2"] as const;

/**
 * SCIM's endpoints (RFC 7644 section 3.2), named here because a SCIM library may serve them all
 * through one Express handler, which would leave no Express route to name them by.
 */
const SCIM_PATTERNS = [
  "/scim/v2/Users/.search",
  "/scim/v2/Users/:id",
  "/scim/v2/Users",
  "/scim/v2/Groups/.search",
  "/scim/v2/Groups/:id",
  "/scim/v2/Groups",
  "/scim/v2/Me",
  "/scim/v2/ServiceProviderConfig",
  "/scim/v2/ResourceTypes/:id",
  "/scim/v2/ResourceTypes",
  "/scim/v2/Schemas/:id",
  "/scim/v2/Schemas",
  "/scim/v2/Bulk",
  "/scim/v2/.search",
];

/** Files served from public/ by name (the build's hashed files are all `/assets/*`). */
const STATIC_FILES = new Set(["/favicon.svg", "/favicon.ico"]);

/** Express's catch-all that hands a request to React Router (server/main.ts): not a route's own pattern. */
const CATCH_ALL = "/{*splat}";

interface CompiledPattern {
  label: string;
  /** One expansion of the label's optional segments. */
  path: string;
  score: number;
  matcher: RegExp;
}

const PARAM = /^:[\w-]+$/;

/** React Router's ranking of a path (its computeScore): static 10, dynamic 3, empty 1, plus the segment count. */
function score(path: string): number {
  const segments = path.split("/");
  return segments.reduce((total, segment) => total + (PARAM.test(segment) ? 3 : segment === "" ? 1 : 10), segments.length);
}

/** `/a/:b?/c` → `/a/:b/c` and `/a/c`: every optional segment present and absent, as React Router expands them. */
function expandOptional(path: string): string[] {
  const [first = "", ...rest] = path.split("/");
  const required = first.replace(/\?$/, "");
  const optional = first.endsWith("?");
  if (rest.length === 0) return optional ? [required, ""] : [required];
  const tails = expandOptional(rest.join("/"));
  const withFirst = tails.map((tail) => (tail === "" ? required : `${required}/${tail}`));
  const variants = optional ? [...withFirst, ...tails] : withFirst;
  return variants.map((variant) => (path.startsWith("/") && variant === "" ? "/" : variant));
}

/** A whole-path matcher for a pattern without optional segments (React Router's compilePath, end = true). */
function matcherFor(path: string): RegExp {
  const source = path
    .replace(/^\/*/, "/")
    .replace(/[\\.*+^${}|()[\]]/g, "\\$&")
    .replace(/\/:[\w-]+/g, "/([^\\/]+)");
  return new RegExp(`^${source}\\/*$`, "i");
}

/** A path's first segment, lower-cased (React Router matches without regard to case). */
function firstSegment(path: string): string {
  const end = path.indexOf("/", 1);
  return (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
}

/**
 * The patterns in the order React Router tries them, grouped by their first segment: a path is
 * only tried against the patterns that can match it (a dozen rather than every route). Patterns
 * that start with a parameter can match any path and are tried with every group.
 */
interface CompiledTable {
  byFirstSegment: Map<string, CompiledPattern[]>;
  anyFirstSegment: CompiledPattern[];
}

function compile(patterns: readonly string[]): CompiledTable {
  const compiled = patterns.flatMap((label) => expandOptional(label).map((path) => ({ label, path, score: score(path), matcher: matcherFor(path) })));
  // A stable sort: equal scores keep the routes' order, as React Router tries them.
  compiled.sort((a, b) => b.score - a.score);
  const table: CompiledTable = { byFirstSegment: new Map(), anyFirstSegment: [] };
  for (const entry of compiled) {
    const first = firstSegment(entry.path);
    if (first.startsWith(":")) {
      // Tried with every group, in its place in the order.
      table.anyFirstSegment.push(entry);
      for (const group of table.byFirstSegment.values()) group.push(entry);
    } else {
      const group = table.byFirstSegment.get(first) ?? [...table.anyFirstSegment];
      group.push(entry);
      table.byFirstSegment.set(first, group);
    }
  }
  return table;
}

const APP_ROUTES = compile(ROUTE_PATTERNS);
const SCIM_ROUTES = compile(SCIM_PATTERNS);

function firstMatch(table: CompiledTable, path: string): string | undefined {
  const candidates = table.byFirstSegment.get(firstSegment(path)) ?? table.anyFirstSegment;
  return candidates.find((route) => route.matcher.test(path))?.label;
}

/** Each segment decoded, as React Router decodes a path before matching it (an encoded slash stays one segment). */
function decodePath(path: string): string {
  if (!path.includes("%")) return path;
  try {
    return path
      .split("/")
      .map((segment) => decodeURIComponent(segment).replace(/\//g, "%2F"))
      .join("/");
  } catch {
    // A malformed escape: React Router matches the path as it came, and so do we.
    return path;
  }
}

/**
 * The label for a request to `path` (the URL's path, no query). `expressRoute` is the pattern of the
 * Express route that answered it, when one did (`req.route.path`): the REST API's endpoints are
 * named by it, since their patterns live in the API's own code.
 */
export function routeLabel(path: string, expressRoute?: string): string {
  if (path.startsWith("/assets/")) return "/assets/*";
  if (STATIC_FILES.has(path)) return path;
  // React Router's lazy route discovery.
  if (path === "/__manifest") return "/__manifest";

  const mount = SERVICE_MOUNTS.find((m) => path === m || path.startsWith(`${m}/`));
  if (mount) {
    if (mount === "/scim/v2") {
      const scim = firstMatch(SCIM_ROUTES, decodePath(path));
      if (scim) return scim;
    }
    if (expressRoute && expressRoute !== CATCH_ALL && expressRoute.startsWith("/")) return expressRoute === "/" ? mount : `${mount}${expressRoute}`;
    // Refused before any endpoint took it (no token, a rate limit), or no such endpoint.
    return path === mount ? mount : `${mount}/*`;
  }

  // React Router's data requests (single fetch) are labelled as the page they load.
  const page = path === "/_root.data" ? "/" : path.endsWith(".data") ? path.slice(0, -".data".length) : path;
  return firstMatch(APP_ROUTES, decodePath(page)) ?? "other";
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The method label: the usual ones by name, any other (a client may send anything) as OTHER. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : "OTHER";
}

/** 2xx, 3xx, 4xx or 5xx. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : "other";
}
