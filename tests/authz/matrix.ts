/**
 * The authorization matrix (issue 23): for every route of app/routes.ts and each of its methods,
 * what each kind of actor gets for each kind of item. The expectations are written here, from the
 * rules the app promises (docs and issues), never read from the app's own code: when the app and
 * the matrix disagree, one of them is wrong, and tests/integration/authz-matrix.test.ts says which
 * cell.
 *
 * An entry names the kind of item its params come from (see tests/authz/world.ts) and, per method,
 * a policy: a function from (actor, variant) to the expected outcome. The named policies below
 * (`employee`, `adminOnly`, `spaceItem`...) expand to those; an entry adds overrides for the cells
 * where its route differs. GET is checked where the module has a loader, POST where it has an
 * action (an empty form body from the app's own origin: what it answers once its guard passed,
 * usually a 400 for the missing fields).
 */

export const ACTORS = ["anonymous", "customer", "deactivated", "member", "outsider", "spaceModerator", "moderator", "hr", "admin"] as const;
export type ActorName = (typeof ACTORS)[number];

/**
 * How an item stands: in an open space, in a restricted space (`member` is in it, nobody else but
 * an admin), deleted (withdrawn, for kudos; deactivated, for a person), closed, merged as a
 * duplicate, or an id that does not exist. Then the states some kinds have besides: deleted in the
 * restricted space (`restrictedDeleted`: an admin may see it, a moderator outside the space may
 * not), happening now (`live`: a live session), out on the forum or announced (`published`), taken
 * back from the forum (`unpublished`), and waiting on someone (`pending`: a customer's question held
 * for moderation, an upload not yet attached to anything). Each kind's states are listed in
 * tests/authz/world.ts; "closed" also stands for archived (a badge, a kit), reviewed (a wiki
 * suggestion), resolved (an escalation), ended (a session) and expired (a mail's link).
 */
export const VARIANTS = ["open", "restricted", "deleted", "restrictedDeleted", "closed", "merged", "live", "published", "unpublished", "pending", "missing"] as const;
export type Variant = (typeof VARIANTS)[number];

export type Kind =
  | "none"
  | "space"
  | "question"
  | "answer"
  | "comment"
  | "tag"
  | "person"
  | "campaign"
  | "idea"
  | "wiki"
  | "article"
  | "kudos"
  | "badge"
  | "round"
  | "liveSession"
  | "escalation"
  | "forumThread"
  | "publication"
  | "kit"
  | "suggestion"
  | "template"
  | "notification"
  | "upload"
  | "endpoint"
  | "connection"
  | "mailToken"
  | "other";

/**
 * What a request answers: a status, or for a redirect where it goes: "sign-in" (with the way
 * back), "home" ("/", where a customer is told there is nothing for them), "elsewhere" (any other
 * page: the canonical URL, the list after an action).
 */
export type Outcome = 200 | 204 | 400 | 401 | 403 | 404 | 405 | 409 | 410 | 422 | 429 | 503 | "sign-in" | "home" | "elsewhere" | "tool-error";

export type Policy = (actor: ActorName, variant: Variant) => Outcome;

/** Overrides for single cells: by actor ("hr"), by variant ("restricted") or both ("hr/restricted"). */
export type Overrides = Partial<Record<ActorName | Variant | `${ActorName}/${Variant}`, Outcome>>;

export type Entry = {
  /** Whose params fill the route's path; "none" for a route without params. */
  kind: Kind;
  /** The variants checked; every variant the world made for the kind when not given. */
  variants?: readonly Variant[];
  /** The path, when filling the route's params by name is not enough (a CSV's `:table.csv`). */
  path?: (params: Record<string, string>) => string;
  /**
   * The variants a POST is checked on, when not the usual open, restricted and missing ones: for
   * a route whose POST uses its item up (a mail's link signs in whoever follows it first).
   */
  postVariants?: readonly Variant[];
  GET?: Policy;
  POST?: Policy;
};

type Role = "member" | "moderator" | "hr" | "admin";
const SITE_ROLE: Record<ActorName, Role | null> = {
  anonymous: null,
  customer: null,
  deactivated: null,
  member: "member",
  outsider: "member",
  spaceModerator: "member",
  moderator: "moderator",
  hr: "hr",
  admin: "admin",
};

function withOverrides(policy: Policy, overrides: Overrides = {}): Policy {
  return (actor, variant) => overrides[`${actor}/${variant}`] ?? overrides[actor] ?? overrides[variant] ?? policy(actor, variant);
}

/** Anyone, signed in or not, gets `ok`. */
export const open = (ok: Outcome = 200, overrides?: Overrides): Policy => withOverrides(() => ok, overrides);

/** Signed-out pages that a signed-in person (or one whose session was just ended) is sent on from. */
export const signedOutOnly = (ok: Outcome = 200, overrides?: Overrides): Policy => withOverrides((actor) => (actor === "anonymous" || actor === "deactivated" ? ok : "home"), overrides);

/** Anyone signed in (a customer too); the rest are sent to sign-in. */
export const signedIn = (ok: Outcome = 200, overrides?: Overrides): Policy => withOverrides((actor) => (actor === "anonymous" || actor === "deactivated" ? "sign-in" : ok), overrides);

/** Active employees; signed-out people go to sign-in, customers to the home page. */
export const employee = (ok: Outcome = 200, overrides?: Overrides): Policy =>
  withOverrides((actor) => (actor === "anonymous" || actor === "deactivated" ? "sign-in" : actor === "customer" ? "home" : ok), overrides);

/** Employees with one of the site roles; other employees get the 404 of a page that does not exist. */
export const roles = (allowed: readonly Role[], ok: Outcome = 200, overrides?: Overrides): Policy =>
  withOverrides((actor, variant) => {
    const guard = employee(ok)(actor, variant);
    if (guard !== ok) return guard;
    return allowed.includes(SITE_ROLE[actor]!) ? ok : 404;
  }, overrides);
export const adminOnly = (ok: Outcome = 200, overrides?: Overrides) => roles(["admin"], ok, overrides);
export const hrOrAdmin = (ok: Outcome = 200, overrides?: Overrides) => roles(["hr", "admin"], ok, overrides);
export const staff = (ok: Outcome = 200, overrides?: Overrides) => roles(["moderator", "hr", "admin"], ok, overrides);

/**
 * JSON for the app's own scripts: a 401 to anyone but an active employee (a fetch can't follow a
 * sign-in redirect).
 */
export const employeeJson = (ok: Outcome = 200, overrides?: Overrides): Policy =>
  withOverrides((actor) => (actor === "anonymous" || actor === "deactivated" || actor === "customer" ? 401 : ok), overrides);

/**
 * An item in a space: employees who may see the space get `ok`; the rest of the employees get the
 * same 404 as for an item that does not exist. Restricted: its members and admins. Deleted: nobody
 * (the admins' view of deleted items is an override where a route has one).
 */
export const spaceItem = (ok: Outcome = 200, overrides?: Overrides): Policy =>
  withOverrides((actor, variant) => {
    const guard = employee(ok)(actor, variant);
    if (guard !== ok) return guard;
    if (variant === "missing" || variant === "deleted" || variant === "restrictedDeleted") return 404;
    if (variant === "restricted") return actor === "member" || actor === "admin" ? ok : 404;
    return ok;
  }, overrides);

/** spaceItem for JSON: a 401 instead of the guard's redirects. */
export const jsonSpaceItem = (ok: Outcome = 200, overrides?: Overrides): Policy => withOverrides((actor, variant) => employeeJson(spaceItem(ok)(actor, variant))(actor, variant), overrides);

/** spaceItem, then only the roles in `allowed` (others: `refused`, by default the 404 of a missing item). */
export const spaceItemFor = (allowed: readonly Role[], ok: Outcome = 200, overrides?: Overrides, refused: Outcome = 404): Policy =>
  withOverrides((actor, variant) => {
    const seen = spaceItem(ok)(actor, variant);
    if (seen !== ok) return seen;
    return allowed.includes(SITE_ROLE[actor]!) ? ok : refused;
  }, overrides);

/** A page only someone with a part in the item opens (its author, owner, moderator): no actor here has one. */
export const authorsOnly = (refused: Outcome = 404, overrides?: Overrides): Policy => spaceItem(refused, overrides);

/** Anything not space-scoped that exists or not: `ok` for an existing one, 404 for a missing one, behind `guard`. */
export const thing = (guard: (ok: Outcome) => Policy, ok: Outcome = 200, overrides?: Overrides): Policy =>
  withOverrides((actor, variant) => {
    const g = guard(ok)(actor, variant);
    if (g !== ok) return g;
    return variant === "missing" ? 404 : ok;
  }, overrides);

/** Like `thing`, but only the `visible` variants are there to see: the others answer like a missing one. */
export const shownOnly = (guard: (ok: Outcome) => Policy, visible: readonly Variant[], ok: Outcome = 200, overrides?: Overrides): Policy =>
  withOverrides((actor, variant) => {
    const g = guard(ok)(actor, variant);
    if (g !== ok) return g;
    return visible.includes(variant) ? ok : 404;
  }, overrides);

/**
 * A POST with an empty form: refused with a 400 once `guard` passed, for every item, before the
 * item is looked up (the intent or the fields are read first). A hidden item then answers like a
 * missing one, which the test checks too.
 */
export const emptyForm = (guard: (ok: Outcome) => Policy = employee, overrides?: Overrides): Policy => withOverrides(guard(400), overrides);

/** What moderators and admins see that others don't: deleted posts, pages and articles (to undelete them). */
const deletedSeenByStaff: Overrides = { "moderator/deleted": 200, "admin/deleted": 200, "admin/restrictedDeleted": 200 };

/** A page for those who look after an item (moderators, admins): other employees who see the item get `refused`. */
export const caretakers = (refused: Outcome = 403, overrides?: Overrides, ok: Outcome = 200): Policy =>
  withOverrides((actor, variant) => {
    const seen = spaceItem(ok)(actor, variant);
    if (seen !== ok) return seen;
    return actor === "moderator" || actor === "admin" ? ok : refused;
  }, overrides);

const csv = (p: Record<string, string>, prefix: string) => `${prefix}/${p.table}.csv`;

/** The matrix, by route file as app/routes.ts names it. */
export const MATRIX: Record<string, Entry> = {
  "routes/healthz.ts": { kind: "none", GET: open() },
  "routes/readyz.ts": { kind: "none", GET: open() },
  "routes/auth/sign-in.tsx": { kind: "none", GET: signedOutOnly(), POST: signedOutOnly(400) },
  // Mail's links work signed out: a valid one for anyone who has it, a forged, stale or expired one for nobody.
  "routes/unsubscribe.tsx": { kind: "mailToken", path: (p) => `/unsubscribe/${p.unsubscribe}`, GET: open(200, { closed: 400, missing: 400 }) },
  "routes/auth/sign-up.tsx": { kind: "none", GET: signedOutOnly(), POST: signedOutOnly(400) },
  "routes/auth/sign-out.tsx": { kind: "none", GET: signedIn(200, { anonymous: "sign-in", deactivated: "sign-in" }), POST: open("sign-in") },
  "routes/auth/verify-email.tsx": { kind: "none", GET: open(), POST: open(400) },
  "routes/auth/verify-email-token.tsx": {
    kind: "mailToken",
    path: (p) => `/verify-email/${p.verify}`,
    postVariants: ["closed", "missing"],
    GET: open(200, { closed: 410, missing: 410 }),
    POST: open(410),
  },
  "routes/auth/forgot-password.tsx": { kind: "none", POST: open(400) },
  "routes/auth/reset-password.tsx": { kind: "mailToken", path: (p) => `/reset-password/${p.reset}`, GET: open(200, { closed: 410, missing: 410 }), POST: open(400) },
  "routes/auth/sso-start.ts": { kind: "none", GET: open(404), POST: signedIn(404) },
  "routes/auth/sso-callback.ts": { kind: "none", GET: open(404) },

  "routes/home.tsx": { kind: "none", GET: signedIn() },
  "routes/spaces/index.tsx": { kind: "none", GET: employee() },
  "routes/spaces/space.tsx": { kind: "space", GET: spaceItem(), POST: emptyForm() },
  "routes/spaces/members.tsx": { kind: "space", GET: spaceItemFor(["admin"]), POST: spaceItem(400) },
  "routes/questions/index.tsx": { kind: "none", GET: employee() },
  "routes/questions/ask.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/questions/anonymous.tsx": { kind: "none", GET: employee() },
  "routes/questions/anonymous-relay.tsx": { kind: "question", GET: authorsOnly(), POST: emptyForm() },
  "routes/questions/anonymous-break-glass.tsx": { kind: "question", GET: authorsOnly(), POST: emptyForm() },
  "routes/questions/question.tsx": { kind: "question", GET: spaceItem(200, deletedSeenByStaff), POST: emptyForm() },
  "routes/questions/close.tsx": { kind: "question", GET: caretakers(403, deletedSeenByStaff), POST: emptyForm() },
  "routes/questions/ask-expert.tsx": { kind: "question", GET: spaceItem(), POST: emptyForm() },
  "routes/spaces/routing.tsx": {
    kind: "space",
    GET: spaceItem(),
    POST: spaceItem(400, { "hr/open": 403, "member/open": 403, "moderator/open": 403, "outsider/open": 403, "spaceModerator/open": 403, "member/restricted": 403 }),
  },
  "routes/items/flag.tsx": { kind: "question", GET: spaceItem(), POST: emptyForm() },
  "routes/items/vote.tsx": { kind: "question", GET: spaceItem(200, deletedSeenByStaff), POST: emptyForm() },
  "routes/comments/flag.tsx": { kind: "comment", GET: spaceItem(), POST: emptyForm() },
  "routes/moderation/index.tsx": { kind: "none", GET: roles(["moderator", "admin"], 200, { spaceModerator: 200 }), POST: emptyForm() },
  "routes/posts/edit.tsx": { kind: "question", GET: caretakers(), POST: caretakers(403, {}, 400) },
  "routes/posts/revisions.tsx": { kind: "question", GET: spaceItem(200, deletedSeenByStaff), POST: emptyForm() },
  "routes/posts/accept.ts": { kind: "answer", POST: emptyForm() },
  "routes/tags/index.tsx": { kind: "none", GET: employee() },
  "routes/tags/tag.tsx": { kind: "tag", GET: thing(employee) },
  "routes/tags/edit.tsx": { kind: "tag", GET: thing(employee, 200, { "hr/open": 403, "member/open": 403, "outsider/open": 403, "spaceModerator/open": 403 }), POST: emptyForm() },
  "routes/people/profile.tsx": { kind: "person", GET: thing(employee) },
  "routes/people/expertise.tsx": { kind: "person", GET: thing(employee, 404), POST: thing(employee, 404) },
  "routes/settings/expertise.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/campaigns/index.tsx": { kind: "none", GET: employee() },
  "routes/campaigns/new.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/campaigns/campaign.tsx": { kind: "campaign", GET: spaceItem(), POST: emptyForm() },
  "routes/campaigns/submit.tsx": { kind: "campaign", GET: spaceItem(), POST: emptyForm() },
  "routes/campaigns/roadmap.tsx": { kind: "campaign", GET: spaceItem() },
  "routes/campaigns/results.tsx": { kind: "campaign", GET: spaceItem() },
  "routes/ideas/idea.tsx": { kind: "idea", GET: spaceItem(), POST: emptyForm() },
  "routes/ideas/edit.tsx": { kind: "idea", GET: caretakers(), POST: emptyForm() },
  "routes/ideas/history.tsx": { kind: "idea", GET: spaceItem(), POST: emptyForm() },
  "routes/wiki/home.tsx": { kind: "none", GET: employee() },
  "routes/wiki/review.tsx": { kind: "none", GET: employee() },
  "routes/wiki/owners.tsx": { kind: "wiki", GET: spaceItem(), POST: emptyForm() },
  "routes/wiki/verify.tsx": { kind: "wiki", GET: caretakers(), POST: emptyForm() },
  "routes/wiki/suggest.tsx": { kind: "wiki", GET: spaceItem(), POST: emptyForm() },
  "routes/wiki/suggestions.tsx": { kind: "wiki", GET: spaceItem() },
  "routes/wiki/suggestion.tsx": { kind: "suggestion", GET: spaceItem(), POST: emptyForm() },
  // Only the person who suggested the edit changes it: the others who see the page are refused.
  "routes/wiki/suggestion-edit.tsx": { kind: "suggestion", GET: spaceItem(403), POST: emptyForm() },
  "routes/spaces/wiki-suggestions.tsx": { kind: "space", GET: spaceItem(), POST: emptyForm() },
  "routes/wiki/promote.tsx": { kind: "answer", GET: spaceItem(403), POST: emptyForm() },
  "routes/wiki/space-wiki.tsx": { kind: "space", GET: spaceItem() },
  "routes/wiki/new.tsx": { kind: "space", GET: spaceItem(), POST: emptyForm() },
  "routes/wiki/follow.ts": { kind: "space", POST: emptyForm() },
  "routes/wiki/templates.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/wiki/template-new.tsx": { kind: "none", GET: employee(200, { hr: 403, member: 403, outsider: 403 }), POST: employee(400) },
  // A space's templates: its moderators and admins manage them; others who see the space are refused.
  "routes/wiki/template-edit.tsx": { kind: "template", GET: caretakers(), POST: emptyForm() },
  "routes/wiki/edit.tsx": { kind: "wiki", GET: spaceItem(), POST: emptyForm() },
  "routes/wiki/history.tsx": { kind: "wiki", GET: spaceItem(200, deletedSeenByStaff), POST: emptyForm() },
  "routes/wiki/move.tsx": { kind: "wiki", GET: spaceItem(), POST: emptyForm() },
  "routes/wiki/page.tsx": { kind: "wiki", GET: spaceItem(200, deletedSeenByStaff), POST: emptyForm() },
  "routes/articles/index.tsx": { kind: "none", GET: employee() },
  "routes/articles/new.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/articles/drafts.tsx": { kind: "none", GET: employee() },
  "routes/articles/edit.tsx": { kind: "article", GET: caretakers(), POST: emptyForm() },
  "routes/articles/history.tsx": { kind: "article", GET: spaceItem(200, deletedSeenByStaff), POST: emptyForm() },
  "routes/articles/article.tsx": { kind: "article", GET: spaceItem(200, deletedSeenByStaff), POST: emptyForm() },
  "routes/articles/space-feed.tsx": { kind: "space", GET: spaceItem() },
  "routes/kudos/index.tsx": { kind: "none", GET: employee() },
  "routes/kudos/new.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/kudos/team.tsx": { kind: "none", GET: employee() },
  "routes/kudos/points.tsx": { kind: "none", GET: employee() },
  "routes/kudos/kudos.tsx": { kind: "kudos", GET: spaceItem(200, { "member/restricted": 404, "admin/restricted": 404 }), POST: emptyForm() },
  "routes/kudos/space-feed.tsx": { kind: "space", GET: spaceItem() },
  "routes/kudos/person.tsx": { kind: "person", GET: thing(employee) },
  "routes/rewards/index.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/rewards/mine.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/rewards/manage.tsx": { kind: "none", GET: hrOrAdmin(), POST: hrOrAdmin(400) },
  "routes/badges/index.tsx": { kind: "none", GET: employee() },
  "routes/badges/new.tsx": {
    kind: "none",
    GET: hrOrAdmin(200, { member: 403, outsider: 403, spaceModerator: 403, moderator: 403 }),
    POST: hrOrAdmin(400, { member: 403, outsider: 403, spaceModerator: 403, moderator: 403 }),
  },
  "routes/badges/badge.tsx": { kind: "badge", GET: spaceItem(), POST: emptyForm(employee, { member: 403, outsider: 403, spaceModerator: 403, moderator: 403 }) },
  "routes/awards/index.tsx": { kind: "none", GET: employee() },
  "routes/awards/new.tsx": { kind: "none", GET: hrOrAdmin(), POST: hrOrAdmin(400) },
  // Rounds are HR's to edit; everyone who sees a round's space sees it, in any phase.
  "routes/awards/edit.tsx": { kind: "round", GET: spaceItemFor(["hr", "admin"], 200, {}, 403), POST: spaceItemFor(["hr", "admin"], 400, {}, 403) },
  "routes/awards/round.tsx": { kind: "round", GET: spaceItem(), POST: spaceItem(400) },
  "routes/hr/recognition.tsx": { kind: "none", GET: hrOrAdmin() },
  "routes/hr/recognition-csv.ts": { kind: "other", path: (p) => csv(p, "/hr/recognition"), GET: thing(hrOrAdmin) },
  "routes/hr/people.tsx": { kind: "none", GET: hrOrAdmin(), POST: hrOrAdmin(400) },
  "routes/hr/people-csv.ts": { kind: "other", path: (p) => csv(p, "/hr/people"), GET: thing(hrOrAdmin) },
  "routes/hr/people-person.tsx": { kind: "person", GET: thing(hrOrAdmin) },
  "routes/experts/index.tsx": { kind: "none", GET: employee() },
  "routes/experts/shortlist-csv.ts": { kind: "none", GET: hrOrAdmin(405), POST: hrOrAdmin(400) },
  "routes/experts/coverage.tsx": { kind: "none", GET: staff() },
  "routes/tags/smes.tsx": { kind: "tag", GET: thing(employee), POST: emptyForm() },
  "routes/publications/index.tsx": { kind: "none", GET: employee() },
  "routes/publications/new.tsx": { kind: "none", GET: employee("elsewhere"), POST: employee("elsewhere") },
  "routes/publications/feedback.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  // Whoever sees the question's space sees its publication, proposed, published or taken back.
  "routes/publications/publication.tsx": { kind: "publication", GET: spaceItem(), POST: emptyForm() },
  "routes/forum/queue.tsx": { kind: "none", GET: employee() },
  // A customer's question the forum shows; one held for moderation or withdrawn is not in the queue.
  "routes/forum/queue-thread.tsx": { kind: "forumThread", GET: shownOnly(employee, ["open"]), POST: emptyForm() },
  "routes/forum/moderation.tsx": { kind: "none", GET: roles(["moderator", "admin"]), POST: roles(["moderator", "admin"], 400) },
  "routes/forum/responders.tsx": { kind: "none", GET: employee(), POST: roles(["moderator", "admin"], 400, { hr: 403, member: 403, outsider: 403, spaceModerator: 403 }) },
  "routes/forum/escalations.tsx": { kind: "none", GET: roles(["moderator", "admin"]) },
  // The escalation desk (moderators, admins) and the assignee (none here); to others it does not exist.
  "routes/forum/escalation.tsx": { kind: "escalation", GET: thing((ok) => roles(["moderator", "admin"], ok)), POST: emptyForm() },
  "routes/forum/dashboard.tsx": { kind: "none", GET: staff() },
  "routes/sessions/index.tsx": { kind: "none", GET: employee() },
  "routes/sessions/new.tsx": { kind: "none", GET: employee(200, { hr: 403, member: 403, outsider: 403 }), POST: employee(400, { hr: 403, member: 403, outsider: 403 }) },
  // Forum sessions are every employee's; an internal one follows its space, whatever its state.
  "routes/sessions/events.ts": { kind: "liveSession", GET: spaceItem() },
  "routes/sessions/session.tsx": { kind: "liveSession", GET: spaceItem(), POST: emptyForm() },
  "routes/share/index.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/share/curators.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/share/new-kit.tsx": { kind: "none", GET: adminOnly(200, { hr: 403, member: 403, moderator: 403, outsider: 403, spaceModerator: 403 }), POST: employee(400) },
  "routes/share/kit.tsx": { kind: "kit", GET: thing(employee), POST: emptyForm(employee, { hr: 403, member: 403, moderator: 403, outsider: 403, spaceModerator: 403 }) },
  "routes/people/follow.ts": { kind: "person", POST: emptyForm() },
  "routes/search.tsx": { kind: "none", GET: employee() },
  "routes/notifications.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  // The signed-in employee's own data as JSON (issue 23): nobody else's, so no item.
  "routes/settings/export.ts": { kind: "none", GET: employee() },
  "routes/settings/profile.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/settings/password.tsx": { kind: "none", GET: signedIn(), POST: signedIn(400) },
  "routes/settings/notifications.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/settings/tokens.tsx": { kind: "none", GET: employee(), POST: employee(400) },
  "routes/developers/api.tsx": { kind: "none", GET: employee() },

  "routes/admin/index.tsx": { kind: "none", GET: adminOnly("elsewhere") },
  "routes/admin/users.tsx": { kind: "none", GET: adminOnly() },
  "routes/admin/audit.tsx": { kind: "none", GET: adminOnly() },
  "routes/admin/audit-csv.ts": { kind: "none", GET: adminOnly() },
  "routes/admin/user.tsx": { kind: "person", GET: thing(adminOnly), POST: emptyForm(adminOnly) },
  "routes/admin/spaces.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/space.tsx": { kind: "space", GET: thing(adminOnly), POST: thing(adminOnly, 400) },
  "routes/admin/reputation.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/search.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/mail.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/recognition.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/expertise.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/publishing.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/forum.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/integrations.tsx": { kind: "none", GET: adminOnly() },
  "routes/admin/integrations/webhooks.tsx": { kind: "none", GET: adminOnly() },
  "routes/admin/integrations/webhooks-new.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/integrations/webhooks-endpoint.tsx": { kind: "endpoint", GET: thing(adminOnly), POST: emptyForm(adminOnly) },
  "routes/admin/integrations/outbound.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/integrations/chat.tsx": { kind: "none", GET: adminOnly() },
  "routes/admin/integrations/chat-new.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/integrations/chat-connection.tsx": { kind: "connection", GET: thing(adminOnly), POST: emptyForm(adminOnly) },
  "routes/admin/integrations/scim.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/integrations/scim-rules.tsx": { kind: "none", GET: adminOnly(), POST: adminOnly(400) },
  "routes/admin/integrations/scim-groups.tsx": { kind: "none", GET: adminOnly() },

  "routes/api/tags.ts": { kind: "none", GET: employeeJson() },
  "routes/api/similar-questions.ts": { kind: "none", GET: employeeJson() },
  "routes/api/people.ts": { kind: "none", GET: employeeJson() },
  "routes/api/search.ts": { kind: "none", GET: employeeJson() },
  "routes/api/similar-ideas.ts": { kind: "campaign", path: (p) => `/api/similar-ideas?campaign=${p.campaignId}&title=shorter+forms`, GET: jsonSpaceItem() },
  "routes/campaigns/ideas-csv.ts": { kind: "campaign", GET: caretakers() },
  "routes/items/follow.ts": { kind: "question", POST: emptyForm() },
  "routes/tags/follow.ts": { kind: "tag", POST: emptyForm() },
  // One's own notification leads to its item; anyone else's answers like a missing one.
  "routes/notifications/open.ts": { kind: "notification", GET: thing(employee, 404, { "member/open": "elsewhere" }) },
  "routes/uploads/upload.ts": { kind: "none", GET: open(404), POST: employeeJson(400) },
  // A file: whoever may see its item, its uploader before it is attached; a plain 404 to the rest.
  // A deleted item's files are nobody's, staff's included: the page that shows them to staff to
  // undelete needs the text, and a file that outlives its item is what the cleanup job is for.
  "routes/uploads/file.ts": { kind: "upload", GET: spaceItem(200, { pending: 404, anonymous: 404, customer: 404, deactivated: 404 }) },
  "routes/api/preview.ts": { kind: "none", POST: employeeJson(400) },
  "routes/not-found.tsx": { kind: "none", path: () => "/no/such/page", GET: open(404) },
};

/**
 * The same matrix through /api/v1 (issue 21's REST API), by operationId as the OpenAPI document
 * names it. Every actor calls with a personal access token of the write scope (the anonymous
 * visitor with none; the customer's and the deactivated account's tokens were made before, as if
 * they had been employees then): only active employees get past the token check (401 otherwise).
 * A write gets an empty JSON body, refused with a 400 before the item is looked up.
 */
export type ApiEntry = { kind: Kind; policy: Policy; /** A query string the operation needs ("?q=..."). */ query?: string };

const apiItem = (overrides?: Overrides) => jsonSpaceItem(200, overrides);
const apiList = employeeJson();
/** Not in a space: any employee sees it (a deactivated person's profile too: their content stays); a missing one is a 404. */
const apiThing: Policy = (actor, variant) => employeeJson(variant === "missing" ? 404 : 200)(actor, variant);
const apiWrite = employeeJson(400);

export const API_MATRIX: Record<string, ApiEntry> = {
  listCampaigns: { kind: "none", policy: apiList },
  getCampaign: { kind: "campaign", policy: apiItem() },
  listCampaignIdeas: { kind: "campaign", policy: apiItem() },
  getIdea: { kind: "idea", policy: apiItem() },
  submitIdea: { kind: "campaign", policy: apiWrite },
  voteForIdea: { kind: "idea", policy: apiItem() },
  retractIdeaVote: { kind: "idea", policy: apiItem() },
  listKudos: { kind: "none", policy: apiList },
  getKudos: { kind: "kudos", policy: apiItem({ "member/restricted": 404, "admin/restricted": 404 }) },
  listCompanyValues: { kind: "none", policy: apiList },
  giveKudos: { kind: "none", policy: apiWrite },
  listSpacePages: { kind: "space", policy: apiItem() },
  getPage: { kind: "wiki", policy: apiItem(deletedSeenByStaff) },
  listArticles: { kind: "none", policy: apiList },
  getArticle: { kind: "article", policy: apiItem(deletedSeenByStaff) },
  getPerson: { kind: "person", policy: apiThing },
  searchPeople: { kind: "none", policy: apiList, query: "?q=Test" },
  findExperts: { kind: "none", policy: apiList, query: "?topic=authz-tag" },
  listQuestions: { kind: "none", policy: apiList },
  getQuestion: { kind: "question", policy: apiItem(deletedSeenByStaff) },
  askQuestion: { kind: "none", policy: apiWrite },
  listAnswers: { kind: "question", policy: apiItem(deletedSeenByStaff) },
  postAnswer: { kind: "question", policy: apiWrite },
  addComment: { kind: "answer", policy: apiWrite },
  search: { kind: "none", policy: apiList, query: "?q=case" },
  listTags: { kind: "none", policy: apiList },
  getTag: { kind: "tag", policy: apiThing },
};

/**
 * The MCP tools (issue 21), listed over the protocol and called as each actor with a read token:
 * 200 for a result, "tool-error" for a refusal inside the protocol (isError: a hidden item's
 * text must be the missing one's, word for word), 401 when the connection itself is refused.
 */
export type McpEntry = { kind: Kind; args: (params: Record<string, string>) => Record<string, unknown>; policy: Policy };

const mcpItem = (overrides?: Overrides) =>
  withOverrides((actor, variant) => {
    const seen = jsonSpaceItem(200)(actor, variant);
    return seen === 404 ? "tool-error" : seen;
  }, overrides);

export const MCP_MATRIX: Record<string, McpEntry> = {
  search: { kind: "none", args: () => ({ query: "case" }), policy: employeeJson() },
  read_question: { kind: "question", args: (p) => ({ question: Number(p.questionId) }), policy: mcpItem() },
  read_page: { kind: "wiki", args: (p) => ({ page: Number(p.pageId), kind: "wiki_page" }), policy: mcpItem() },
  find_experts: { kind: "none", args: () => ({ topic: "authz-tag" }), policy: employeeJson() },
  // A read token may not ask: refused inside the protocol for everyone who gets that far.
  ask_question: { kind: "space", args: (p) => ({ space: p.slug, title: "", body: "", tags: [] }), policy: employeeJson("tool-error") },
};
