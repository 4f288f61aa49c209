/**
 * Every page has a bench row (issue 22). The page routes of app/routes.ts (route modules with a
 * component: what a GET renders) are either MEASURED (a row of bench/run.ts asks for them) or EXEMPT
 * with a reason. Two checks keep this list honest:
 * - tests/integration/bench-pages.test.ts fails when a page route is in neither list (a new page
 *   needs a row, or a reason), or when a list names a route that no longer exists;
 * - the bench itself matches every path its rows asked for against the routes (`pageCoverage`)
 *   and prints the pages MEASURED names that no row reached, and the pages rows reached that
 *   MEASURED does not name.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { matchRoutes, type RouteObject } from "react-router";
import routes from "../app/routes.ts";

type Config = { id?: string; path?: string; file: string; index?: boolean; children?: Config[] };

/** Route files (as app/routes.ts names them) of the pages a bench row measures. */
export const MEASURED: readonly string[] = [
  "routes/auth/sign-in.tsx",
  "routes/auth/sign-up.tsx",
  "routes/unsubscribe.tsx",
  "routes/auth/verify-email.tsx",
  "routes/auth/verify-email-token.tsx",
  "routes/auth/forgot-password.tsx",
  "routes/auth/reset-password.tsx",
  "routes/home.tsx",
  "routes/spaces/index.tsx",
  "routes/spaces/space.tsx",
  "routes/spaces/members.tsx",
  "routes/questions/index.tsx",
  "routes/questions/ask.tsx",
  "routes/questions/anonymous.tsx",
  "routes/questions/question.tsx",
  "routes/questions/close.tsx",
  "routes/questions/ask-expert.tsx",
  "routes/spaces/routing.tsx",
  "routes/items/flag.tsx",
  "routes/comments/flag.tsx",
  "routes/moderation/index.tsx",
  "routes/posts/edit.tsx",
  "routes/posts/revisions.tsx",
  "routes/tags/index.tsx",
  "routes/tags/tag.tsx",
  "routes/tags/edit.tsx",
  "routes/people/profile.tsx",
  "routes/people/expertise.tsx",
  "routes/settings/expertise.tsx",
  "routes/campaigns/index.tsx",
  "routes/campaigns/new.tsx",
  "routes/campaigns/campaign.tsx",
  "routes/campaigns/submit.tsx",
  "routes/campaigns/roadmap.tsx",
  "routes/campaigns/results.tsx",
  "routes/ideas/idea.tsx",
  "routes/ideas/edit.tsx",
  "routes/ideas/history.tsx",
  "routes/wiki/home.tsx",
  "routes/wiki/review.tsx",
  "routes/wiki/owners.tsx",
  "routes/wiki/verify.tsx",
  "routes/wiki/suggest.tsx",
  "routes/wiki/suggestions.tsx",
  "routes/wiki/suggestion.tsx",
  "routes/spaces/wiki-suggestions.tsx",
  "routes/wiki/promote.tsx",
  "routes/wiki/space-wiki.tsx",
  "routes/wiki/new.tsx",
  "routes/wiki/templates.tsx",
  "routes/wiki/template-new.tsx",
  "routes/wiki/template-edit.tsx",
  "routes/wiki/edit.tsx",
  "routes/wiki/history.tsx",
  "routes/wiki/move.tsx",
  "routes/wiki/page.tsx",
  "routes/articles/index.tsx",
  "routes/articles/new.tsx",
  "routes/articles/drafts.tsx",
  "routes/articles/edit.tsx",
  "routes/articles/history.tsx",
  "routes/articles/article.tsx",
  "routes/articles/space-feed.tsx",
  "routes/kudos/index.tsx",
  "routes/kudos/new.tsx",
  "routes/kudos/team.tsx",
  "routes/kudos/points.tsx",
  "routes/kudos/kudos.tsx",
  "routes/kudos/space-feed.tsx",
  "routes/kudos/person.tsx",
  "routes/rewards/index.tsx",
  "routes/rewards/mine.tsx",
  "routes/rewards/manage.tsx",
  "routes/badges/index.tsx",
  "routes/badges/new.tsx",
  "routes/badges/badge.tsx",
  "routes/awards/index.tsx",
  "routes/awards/new.tsx",
  "routes/awards/edit.tsx",
  "routes/awards/round.tsx",
  "routes/hr/recognition.tsx",
  "routes/hr/people.tsx",
  "routes/hr/people-person.tsx",
  "routes/experts/index.tsx",
  "routes/experts/coverage.tsx",
  "routes/tags/smes.tsx",
  "routes/publications/index.tsx",
  "routes/publications/feedback.tsx",
  "routes/publications/publication.tsx",
  "routes/forum/queue.tsx",
  "routes/forum/queue-thread.tsx",
  "routes/forum/moderation.tsx",
  "routes/forum/responders.tsx",
  "routes/forum/escalations.tsx",
  "routes/forum/escalation.tsx",
  "routes/forum/dashboard.tsx",
  "routes/sessions/index.tsx",
  "routes/sessions/new.tsx",
  "routes/sessions/session.tsx",
  "routes/share/index.tsx",
  "routes/share/curators.tsx",
  "routes/share/new-kit.tsx",
  "routes/share/kit.tsx",
  "routes/search.tsx",
  "routes/notifications.tsx",
  "routes/settings/profile.tsx",
  "routes/settings/password.tsx",
  "routes/settings/notifications.tsx",
  "routes/settings/tokens.tsx",
  "routes/developers/api.tsx",
  "routes/admin/users.tsx",
  "routes/admin/user.tsx",
  "routes/admin/spaces.tsx",
  "routes/admin/space.tsx",
  "routes/admin/reputation.tsx",
  "routes/admin/search.tsx",
  "routes/admin/mail.tsx",
  "routes/admin/recognition.tsx",
  "routes/admin/expertise.tsx",
  "routes/admin/publishing.tsx",
  "routes/admin/forum.tsx",
  "routes/admin/integrations.tsx",
  "routes/admin/integrations/webhooks.tsx",
  "routes/admin/integrations/webhooks-new.tsx",
  "routes/admin/integrations/webhooks-endpoint.tsx",
  "routes/admin/integrations/outbound.tsx",
  "routes/admin/integrations/chat.tsx",
  "routes/admin/integrations/chat-new.tsx",
  "routes/admin/integrations/chat-connection.tsx",
  "routes/admin/integrations/scim.tsx",
  "routes/admin/integrations/scim-rules.tsx",
  "routes/admin/integrations/scim-groups.tsx",
  // @bench-audit-page (issue 23). Its CSV, routes/admin/audit-csv.ts, is a resource route, not a page: neither list may name it.
  "routes/admin/audit.tsx",
];

/** Page routes no row measures, and why. */
export const EXEMPT: Readonly<Record<string, string>> = {
  "routes/auth/sign-out.tsx": "a POST; its GET only redirects",
  "routes/items/vote.tsx": "where a vote without JavaScript lands when it is refused; the vote itself is the voting row",
  "routes/questions/anonymous-relay.tsx": "a space moderator's message to an anonymous asker: the generated data has no anonymous questions",
  "routes/questions/anonymous-break-glass.tsx": "a space moderator's break-glass on an anonymous question: the generated data has no anonymous questions",
  "routes/wiki/suggestion-edit.tsx": "only the suggester opens it, with the same editor as the wiki page's edit form (measured)",
  "routes/not-found.tsx": "the 404 page",
  "routes/publications/new.tsx": "a POST (the propose form is on /publications, measured); its GET redirects there",
  "routes/admin/index.tsx": "has no page of its own: its GET redirects an admin to Admin → Users (measured)",
  "routes/bench-bare.tsx": "the bench's own bare page (only in its build)",
};

function flatten(config: Config[]): Config[] {
  return config.flatMap((r) => [r, ...flatten(r.children ?? [])]);
}

/** Whether a route module renders a page (has a component) rather than only answering data or actions. */
function rendersPage(file: string): boolean {
  return /export default/.test(readFileSync(path.join("app", file), "utf8"));
}

/** The page routes of app/routes.ts (leaf routes whose module has a component), by file. */
export function pageRoutes(): string[] {
  return flatten(routes as unknown as Config[])
    .filter((r) => !r.children?.length && rendersPage(r.file))
    .map((r) => r.file);
}

function routeObjects(config: Config[]): RouteObject[] {
  return config.map((r) => (r.index ? { index: true, id: r.file } : { ...(r.path === undefined ? {} : { path: r.path }), id: r.file, children: routeObjects(r.children ?? []) }));
}

/** The route file a path reaches (the deepest match), or undefined. */
export function routeOf(pathname: string): string | undefined {
  const matches = matchRoutes(routeObjects(routes as unknown as Config[]), pathname.split("?")[0]!);
  return matches?.at(-1)?.route.id;
}

/**
 * What the bench prints under "Every page has a row": the pages MEASURED names that no row asked
 * for, and the pages rows asked for that MEASURED does not name. `requested`: the app's paths
 * (not the forum process's); `partial`: a BENCH_ONLY run, where only the second check means anything.
 */
export function pageCoverage(requested: string[], partial: boolean): string[] {
  const reached = new Set<string>();
  for (const p of requested) {
    const file = routeOf(p);
    if (file) reached.add(file);
  }
  const pages = new Set(pageRoutes());
  const undeclared = [...reached].filter((f) => pages.has(f) && !MEASURED.includes(f) && !(f in EXEMPT));
  const missing = partial ? [] : MEASURED.filter((f) => !reached.has(f));
  const lines = [
    `The rows asked for ${[...reached].filter((f) => pages.has(f)).length} of the ${pages.size} page routes of app/routes.ts; ${Object.keys(EXEMPT).length} are exempt with a reason (bench/pages.ts).`,
  ];
  if (!partial)
    lines.push(
      missing.length === 0 ? "Every page bench/pages.ts lists as measured had a row." : `Listed as measured but reached by no row (see "Not measured" above): ${missing.join(", ")}.`,
    );
  if (undeclared.length > 0) lines.push(`Reached by a row but not listed in bench/pages.ts: ${undeclared.join(", ")}.`);
  return lines;
}
