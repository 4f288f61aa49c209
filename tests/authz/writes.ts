import { eq, max } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { articles, awardRounds, posts, publications, revisions, rewardRedemptions, rewards, spaces, wikiPages } from "#db/schema/index.ts";
import { createArticle } from "#tests/factories/articles.ts";
import { DEFAULT_PASSWORD, createAnswer, createComment, createQuestion, createSpace, createUser, createValue } from "#tests/factories/index.ts";
import { editArticle } from "#app/features/articles/articles.server.ts";
import { editIdea } from "#app/features/ideas/ideas.server.ts";
import { editPost } from "#app/features/qa/edit.server.ts";
import { savePage } from "#app/features/wiki/pages.server.ts";
import { giveKudos } from "#app/features/recognition/kudos.server.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";
import { createWikiPage } from "#tests/factories/wiki.ts";
import {
  createAwardRound,
  createBadge,
  createChatConnection,
  createEscalation,
  createForumThread,
  createLiveSession,
  createPublication,
  createShareKit,
  createWebhookEndpoint,
  createWikiSuggestion,
  createWikiTemplate,
} from "#tests/factories/kinds.ts";
import { askAnonymously } from "#app/features/anonymous/ask.server.ts";
import { flagItem } from "#app/features/moderation/flags.server.ts";
import { creditEarned } from "#app/features/recognition/points.server.ts";
import { escalationFormValues } from "#app/features/escalations/settings-form.ts";
import { DEFAULT_ESCALATION_SETTINGS } from "#app/features/escalations/model.ts";
import type { ActorName, Outcome } from "./matrix.ts";

/**
 * The authorization matrix for writes with valid bodies (issue 23). The matrix
 * (tests/authz/matrix.ts) posts empty forms, which most actions refuse with a 400 before they look
 * at the item or the actor; that proves nothing about who may write. Here each action gets the
 * body its real form submits, per intent, and tests/integration/authz-writes.test.ts sends it:
 *
 *   - as every actor who must not do it, on each state of the item the case names (an item in an
 *     open space, one in a restricted space): the refusal the policy states, and no row of any
 *     table inserted, updated or deleted;
 *   - then once as an actor who may, on the open item: a success, which proves the body was valid
 *     and the refusals above meant something.
 *
 * Every case makes its own items (with tests/factories), so that a write which consumes its item
 * (a delete, an accept, a close) never touches another case's, nor the matrix's shared world.
 *
 * An entry per route file as app/routes.ts names it: its cases, or `none` with the reason no
 * actor the matrix has could send it a valid body. A route with an action and no entry fails the
 * test.
 */

type User = Awaited<ReturnType<typeof createUser>>;

export type WriteVariant = "open" | "restricted";
export type Params = Record<string, string>;

/** What an actor gets: a refusal (a matrix outcome) or "may" (that actor is allowed, and is not sent the refusal). */
export type Expect = Outcome | "may";
export type WritePolicy = (actor: ActorName, variant: WriteVariant) => Expect;

/** What the cases make their items with. */
export type Setup = {
  db: Db;
  users: Record<ActorName, User>;
  /** The world's spaces: `member` belongs to the restricted one; neither is moderated by an actor. */
  spaces: Record<WriteVariant, { id: number; slug: string }>;
  /** A colleague who is none of the actors and writes the items (reputation enough for anything). */
  author: User;
  /** Another colleague, whom the admins' and HR's forms act on (a role, an award), so that no write changes an actor. */
  colleague: User;
};

export type WriteCase = {
  /** What the case sends, for the report ("intent=close"); the route's own name when it has one action. */
  label?: string;
  /** The states of the item the refusals are sent on; ["open", "restricted"] unless given. */
  variants?: readonly WriteVariant[];
  /** Makes a fresh item for one variant and answers its params (route params and whatever the body needs). */
  make?: (s: Setup, variant: WriteVariant) => Promise<Params>;
  /** The path when filling the route's params by name is not enough. */
  path?: (p: Params) => string;
  /** A file sent with the body, as multipart form data (the body's fields beside it); a urlencoded form when not given. */
  file?: { field: string; name: string; type: string; bytes: Uint8Array<ArrayBuffer> };
  /** The body the real form submits (a list for a field sent more than once). */
  body: (p: Params, s: Setup) => Record<string, string | string[]>;
  /** Who is refused, and how. */
  policy: WritePolicy;
  /** The actor who writes successfully, on the open item. */
  by: ActorName;
  /** What success answers: any 2xx or a redirect other than to sign-in when not given. */
  ok?: readonly (Outcome | 201 | 302 | 303)[];
};

/**
 * `cases`; or `none`, with the reason no actor could send the route a valid body whose refusal
 * means something; or `todo`, what its cases still need (an item no factory makes yet): counted and
 * printed by the test, so that the gap is seen rather than forgotten.
 */
export type WriteEntry = { cases: WriteCase[] } | { none: string } | { todo: string };

// ---------------------------------------------------------------------------------------------
// Policies: the refusals, stated from the app's promises (docs, issues), as the matrix states them.

/** Signed-out visitors go to sign-in (a deactivated account's session is ended first), customers to the home page. */
const GUARD: Partial<Record<ActorName, Outcome>> = { anonymous: "sign-in", deactivated: "sign-in", customer: "home" };
/** JSON for the app's own scripts: a 401 to anyone but an active employee. */
const JSON_GUARD: Partial<Record<ActorName, Outcome>> = { anonymous: 401, deactivated: 401, customer: 401 };

/** Who sees an item: anyone in an open space; in a restricted space its members and admins. */
const sees = (actor: ActorName, variant: WriteVariant) => variant === "open" || actor === "member" || actor === "admin";

/** Any employee who sees the item may; the others get the 404 of an item that does not exist. */
export const seer =
  (guard = GUARD): WritePolicy =>
  (actor, variant) =>
    guard[actor] ?? (sees(actor, variant) ? "may" : 404);

/** Among those who see the item, only `allowed`; other employees who see it get `refused`. */
export const only =
  (allowed: readonly ActorName[], refused: Outcome = 403, overrides: Partial<Record<ActorName, Outcome>> = {}, guard = GUARD): WritePolicy =>
  (actor, variant) =>
    guard[actor] ?? (!sees(actor, variant) ? 404 : allowed.includes(actor) ? "may" : (overrides[actor] ?? refused));

/** The signed-out pages: a signed-in person is sent home; a deactivated account's session is ended and it is signed out. */
export const signedOut: WritePolicy = (actor) => (actor === "anonymous" || actor === "deactivated" ? "may" : "home");

/** Any active employee, for what is theirs alone (their settings, their own new content). */
export const anyEmployee = seer();

// ---------------------------------------------------------------------------------------------
// Items.

const text = (what: string) => `${what}: enough words here to pass every minimum length check.`;
/** How forms name a colleague: their handle, the local part of their address. */
const handle = (user: { email: string }) => `@${user.email.split("@")[0]}`;
const key = () => `authz-${Math.random().toString(36).slice(2, 12)}`;

async function question(s: Setup, variant: WriteVariant, author: User = s.author) {
  const id = await createQuestion(s.db, { author, space: s.spaces[variant], tags: ["authz-tag"] });
  const [row] = await s.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, id));
  return { questionId: String(id), postId: String(id), itemId: String(row!.itemId) };
}

async function answer(s: Setup, variant: WriteVariant, { asker = s.author, author = s.author }: { asker?: User; author?: User } = {}) {
  const q = await question(s, variant, asker);
  const id = await createAnswer(s.db, { author, questionId: Number(q.questionId) });
  const [row] = await s.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, id));
  return { questionId: q.questionId, questionItemId: q.itemId, postId: String(id), itemId: String(row!.itemId) };
}

async function revisionOf(db: Db, itemId: number): Promise<string> {
  const [row] = await db
    .select({ n: max(revisions.number) })
    .from(revisions)
    .where(eq(revisions.itemId, itemId));
  return String(row?.n ?? 1);
}

async function wikiPage(s: Setup, variant: WriteVariant, author: User = s.author) {
  const id = await createWikiPage(s.db, { author, space: s.spaces[variant] });
  const [row] = await s.db.select().from(wikiPages).where(eq(wikiPages.id, id));
  return { pageId: String(id), itemId: String(row!.itemId), slug: row!.slug, revision: await revisionOf(s.db, row!.itemId) };
}

async function article(s: Setup, variant: WriteVariant, author: User = s.author) {
  const id = await createArticle(s.db, { author, space: s.spaces[variant] });
  const [row] = await s.db.select().from(articles).where(eq(articles.id, id));
  return { articleId: String(id), itemId: String(row!.itemId), revision: await revisionOf(s.db, row!.itemId) };
}

async function idea(s: Setup, variant: WriteVariant, { author = s.author, sponsor = s.author }: { author?: User; sponsor?: User } = {}) {
  const campaignId = await createCampaign(s.db, { sponsor, space: s.spaces[variant] });
  const ideaId = await createIdea(s.db, { author, campaignId });
  return { campaignId: String(campaignId), ideaId: String(ideaId), itemId: String(await ideaItemId(s.db, ideaId)) };
}

/**
 * A space of its own for a case whose write changes the space (its protection, its members, its
 * deadline), so that no other case's item sees the change: restricted ones have `member` in them.
 * The author moderates both, as it does the world's.
 */
async function ownSpace(s: Setup, variant: WriteVariant) {
  const space = await createSpace(
    s.db,
    { members: variant === "restricted" ? [s.users.member] : [], moderators: [s.author] },
    ...(variant === "restricted" ? (["restricted"] as const) : []),
  );
  return { slug: space.slug, visibility: variant };
}

/** A second revision of the item, by the author, so that the first may be redacted (the current one never is). */
async function revised<P extends Params>(s: Setup, made: P, edit: (p: P) => Promise<unknown>): Promise<P> {
  await edit(made);
  return made;
}
const EDITED = { title: "Edited by the author for the history", body: text("The edited text"), comment: "edited" };

/** A kudos from the author to the colleague: public for "open", private (only they and their managers see it) for "restricted". */
async function kudosOf(s: Setup, variant: WriteVariant) {
  const value = await createValue(s.db);
  const given = await giveKudos(s.db, s.author, { receiverIds: [s.colleague.id], message: "Thanks for the runbook.", valueId: value.id, pointsEach: 0, private: variant === "restricted" });
  return { kudosId: String(given.id), itemId: String(given.itemId) };
}

// ---------------------------------------------------------------------------------------------
// Bodies shared by every kind's page: comments (the social layer's intents).

const commentCase = (make: NonNullable<WriteCase["make"]>): WriteCase => ({
  label: "intent=comment",
  make,
  body: (p) => ({ intent: "comment", itemId: p.itemId!, body: "A comment with enough words.", submissionKey: key() }),
  policy: seer(),
  by: "outsider",
});

/** Deleting a comment: its author, the space's moderators, moderators and admins. Here the author is a colleague. */
const deleteCommentCase = (make: NonNullable<WriteCase["make"]>): WriteCase => ({
  label: "intent=delete-comment",
  make: async (s, v) => {
    const p = await make(s, v);
    return { ...p, commentId: String(await createComment(s.db, { author: s.author, postId: Number(p.commentPostId ?? p.postId) })) };
  },
  body: (p) => ({ intent: "delete-comment", commentId: p.commentId! }),
  policy: only(["moderator", "admin"]),
  by: "moderator",
});

// ---------------------------------------------------------------------------------------------
// The entries.

export const WRITES: Record<string, WriteEntry> = {
  // --- Q&A
  "routes/questions/ask.tsx": {
    cases: [
      {
        make: async (s, v) => ({ space: s.spaces[v].slug }),
        body: (p) => ({ space: p.space!, title: "How do we rotate the staging keys?", body: text("The question"), tags: "authz-tag", submissionKey: key() }),
        // Asking in a restricted space is for its members: others get the 404 of a space that does not exist.
        policy: seer(),
        by: "outsider",
      },
    ],
  },
  "routes/questions/question.tsx": {
    cases: [
      {
        label: "intent=answer",
        make: (s, v) => question(s, v),
        body: () => ({ intent: "answer", body: text("The answer"), submissionKey: key() }),
        policy: seer(),
        by: "outsider",
      },
      commentCase((s, v) => question(s, v)),
      deleteCommentCase((s, v) => question(s, v)),
      {
        label: "intent=delete",
        make: (s, v) => question(s, v),
        body: (p) => ({ intent: "delete", postId: p.postId! }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
      {
        label: "intent=undelete",
        make: async (s, v) => {
          const q = await question(s, v);
          await s.db
            .update(posts)
            .set({ deletedAt: new Date(), deletedById: s.users.admin.id })
            .where(eq(posts.id, Number(q.postId)));
          return q;
        },
        body: (p) => ({ intent: "undelete", postId: p.postId! }),
        // A deleted question is gone for everyone but those who may bring it back.
        policy: only(["moderator", "admin"], 404),
        by: "moderator",
      },
    ],
  },
  "routes/questions/close.tsx": {
    cases: [
      {
        label: "intent=close",
        make: (s, v) => question(s, v),
        body: () => ({ intent: "close", reason: "off_topic", note: "" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
      {
        label: "intent=reopen",
        make: async (s, v) => {
          const q = await question(s, v);
          await s.db
            .update(posts)
            .set({ closedAt: new Date(), closedById: s.users.admin.id, closeReason: "off_topic" })
            .where(eq(posts.id, Number(q.postId)));
          return q;
        },
        body: () => ({ intent: "reopen" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/posts/edit.tsx": {
    cases: [
      {
        make: (s, v) => question(s, v),
        body: () => ({ intent: "edit", title: "How do we rotate the staging keys now?", body: text("The edited question"), tags: "authz-tag", comment: "clearer" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/posts/accept.ts": {
    cases: [
      {
        label: "intent=accept",
        // The asker and the moderators accept: the member asks in both spaces.
        make: (s, v) => answer(s, v, { asker: s.users.member }),
        body: () => ({ intent: "accept" }),
        policy: only(["member", "moderator", "admin"]),
        by: "member",
      },
    ],
  },
  "routes/items/vote.tsx": {
    cases: [
      {
        make: (s, v) => answer(s, v),
        body: () => ({ value: "up", _fetcher: "1" }),
        policy: seer(),
        by: "outsider",
      },
    ],
  },
  "routes/items/flag.tsx": {
    cases: [
      {
        make: (s, v) => answer(s, v),
        body: () => ({ intent: "flag", reason: "spam", details: "" }),
        policy: seer(),
        by: "outsider",
      },
    ],
  },
  "routes/comments/flag.tsx": {
    cases: [
      {
        make: async (s, v) => {
          const q = await question(s, v);
          return { commentId: String(await createComment(s.db, { author: s.author, postId: Number(q.postId) })) };
        },
        body: () => ({ intent: "flag", reason: "spam", details: "" }),
        policy: seer(),
        by: "outsider",
      },
    ],
  },
  "routes/items/follow.ts": {
    cases: [{ label: "intent=follow", make: (s, v) => question(s, v), body: () => ({ intent: "follow" }), policy: seer(), by: "outsider" }],
  },

  // --- Spaces
  "routes/spaces/space.tsx": {
    cases: [
      {
        label: "intent=join",
        make: async (s, v) => ({ slug: s.spaces[v].slug }),
        body: () => ({ intent: "join" }),
        // Nobody outside a restricted space joins it by asking: it is hidden from them. The success joins the open one.
        policy: seer(),
        by: "outsider",
      },
    ],
  },

  // --- Ideas
  "routes/campaigns/submit.tsx": {
    cases: [
      {
        make: (s, v) => idea(s, v),
        body: () => ({ title: "Shorter forms for expense claims", body: text("The idea"), category: "", tags: "authz-tag", coOwners: "", submissionKey: key() }),
        policy: seer(),
        by: "outsider",
      },
    ],
  },
  "routes/ideas/idea.tsx": {
    cases: [
      commentCase((s, v) => idea(s, v)),
      {
        label: "intent=status",
        make: (s, v) => idea(s, v),
        body: () => ({ intent: "status", status: "accepted", reason: "" }),
        // The campaign's sponsor and its space's moderators decide; moderators and admins too.
        policy: only(["moderator", "admin"]),
        by: "admin",
      },
    ],
  },
  "routes/ideas/edit.tsx": {
    cases: [
      {
        make: (s, v) => idea(s, v),
        body: () => ({ title: "Shorter forms for every claim", body: text("The edited idea"), category: "", tags: "authz-tag", comment: "" }),
        policy: only(["moderator", "admin"]),
        by: "admin",
      },
    ],
  },

  // --- Wiki
  "routes/wiki/edit.tsx": {
    cases: [
      {
        make: (s, v) => wikiPage(s, v),
        body: (p) => ({ title: "Staging runbook", body: text("The page"), tags: "", comment: "", baseRevision: p.revision! }),
        // Any employee who sees an unprotected page edits it.
        policy: seer(),
        by: "outsider",
      },
    ],
  },
  "routes/wiki/page.tsx": {
    cases: [
      commentCase((s, v) => wikiPage(s, v)),
      {
        label: "intent=delete",
        make: (s, v) => wikiPage(s, v),
        body: () => ({ intent: "delete" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/wiki/suggest.tsx": {
    cases: [
      {
        make: (s, v) => wikiPage(s, v),
        body: (p) => ({ title: "Staging runbook", body: text("The suggested page"), comment: "a typo", baseRevision: p.revision!, submissionKey: key() }),
        policy: seer(),
        by: "outsider",
      },
    ],
  },
  "routes/wiki/verify.tsx": {
    cases: [
      {
        label: "intent=verify",
        make: (s, v) => wikiPage(s, v),
        body: () => ({ intent: "verify", intervalDays: "90" }),
        policy: only(["moderator", "admin"]),
        by: "admin",
      },
    ],
  },
  "routes/wiki/new.tsx": {
    cases: [
      {
        make: async (s, v) => ({ slug: s.spaces[v].slug }),
        body: () => ({ title: `New page ${key()}`, body: text("The page"), tags: "", parentId: "", submissionKey: key() }),
        policy: seer(),
        by: "outsider",
      },
    ],
  },

  // --- Articles
  "routes/articles/article.tsx": {
    cases: [
      commentCase((s, v) => article(s, v)),
      {
        label: "intent=delete",
        make: (s, v) => article(s, v),
        body: () => ({ intent: "delete" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/articles/edit.tsx": {
    cases: [
      {
        make: (s, v) => article(s, v),
        body: () => ({ type: "knowledge", title: "How we rotate keys", body: text("The article"), tags: "authz-tag", publishAt: "", comment: "", intent: "save" }),
        policy: only(["moderator", "admin"]),
        by: "admin",
      },
    ],
  },
};

Object.assign(WRITES, {
  // --- Signed-out pages: a signed-in person is sent home before the form is read.
  "routes/auth/sign-in.tsx": {
    cases: [
      {
        variants: ["open"],
        body: (_p: Params, s: Setup) => ({ email: s.author.email, password: DEFAULT_PASSWORD, redirectTo: "/" }),
        policy: signedOut,
        by: "anonymous",
      },
    ],
  },
  "routes/auth/sign-up.tsx": {
    cases: [
      {
        variants: ["open"],
        body: () => ({ name: "New Colleague", email: `new-${key()}@northwind.example`, password: "a long enough new password", redirectTo: "/" }),
        policy: signedOut,
        by: "anonymous",
      },
    ],
  },
  // Anyone may sign out, signed in or not: nobody is refused.
  "routes/auth/sign-out.tsx": { cases: [{ variants: ["open"], body: () => ({}), policy: () => "may", by: "member", ok: ["sign-in"] }] },
  // Asking for a mailed link answers the same whoever asks (it says nothing about the address): nobody is refused.
  "routes/auth/verify-email.tsx": { cases: [{ variants: ["open"], body: (_p: Params, s: Setup) => ({ email: s.colleague.email }), policy: () => "may", by: "anonymous" }] },
  "routes/auth/forgot-password.tsx": { cases: [{ variants: ["open"], body: (_p: Params, s: Setup) => ({ email: s.colleague.email }), policy: () => "may", by: "anonymous" }] },
  "routes/auth/verify-email-token.tsx": {
    none: "the token in the path is the only credential: whoever holds a live one may use it, so no actor is refused; tests/integration/auth-verify.test.ts covers dead and foreign tokens",
  },
  "routes/auth/reset-password.tsx": {
    none: "the token in the path is the only credential: whoever holds a live one may use it, so no actor is refused; tests/integration/auth-reset.test.ts covers dead and foreign tokens",
  },
  "routes/auth/sso-start.ts": {
    none: "single sign-on is not configured in the tests' server: every actor gets its 404 (the matrix checks it); tests/integration/auth-sso.test.ts covers it configured",
  },

  // --- An employee's own settings and lists: only the signed-out, customers and the deactivated are refused.
  "routes/settings/profile.tsx": {
    cases: [
      { variants: ["open"], body: () => ({ intent: "save-profile", name: "Outsider Renamed", title: "", department: "", location: "", bio: "" }), policy: anyEmployee, by: "outsider" },
    ],
  },
  "routes/settings/notifications.tsx": {
    cases: [
      {
        variants: ["open"],
        body: () => ({
          intent: "save-mail",
          ...Object.fromEntries(["answers", "mentions", "routed", "followed", "ideas", "kudos", "waiting"].map((c) => [c, "never"])),
          page_reviews: "never",
        }),
        policy: anyEmployee,
        by: "outsider",
      },
    ],
  },
  "routes/settings/tokens.tsx": {
    cases: [{ label: "intent=create", variants: ["open"], body: () => ({ intent: "create", name: "authz token", scope: "read", expires: "7" }), policy: anyEmployee, by: "outsider" }],
  },
  "routes/settings/expertise.tsx": {
    cases: [{ variants: ["open"], body: () => ({ intent: "save-availability", openToRouted: "on", awayUntil: "" }), policy: anyEmployee, by: "outsider" }],
  },
  // A customer changes their own password too (the forum's accounts): only the signed-out are refused.
  "routes/settings/password.tsx": {
    cases: [
      {
        variants: ["open"],
        body: () => ({ currentPassword: DEFAULT_PASSWORD, newPassword: "another long enough password" }),
        policy: (actor) => (actor === "anonymous" || actor === "deactivated" ? "sign-in" : "may"),
        // The customer: nobody else's sessions are revoked while the other successes run.
        by: "customer",
      },
    ],
  },
  "routes/notifications.tsx": { cases: [{ variants: ["open"], body: () => ({ intent: "mark-all-read" }), policy: anyEmployee, by: "outsider" }] },
  "routes/share/index.tsx": { cases: [{ label: "intent=join", variants: ["open"], body: () => ({ intent: "join" }), policy: anyEmployee, by: "outsider" }] },
  // Only the person themselves: anyone else gets the 404 of a page that does not exist.
  "routes/people/expertise.tsx": {
    cases: [
      {
        label: "intent=declare",
        variants: ["open"],
        make: async (s) => ({ userId: String(s.users.member.id) }),
        body: () => ({ intent: "declare", tags: "authz-tag" }),
        policy: only(["member"], 404),
        by: "member",
      },
    ],
  },
  "routes/people/follow.ts": {
    cases: [{ label: "intent=follow", variants: ["open"], make: async (s) => ({ userId: String(s.author.id) }), body: () => ({ intent: "follow" }), policy: anyEmployee, by: "outsider" }],
  },
  "routes/tags/follow.ts": {
    cases: [{ label: "intent=follow", variants: ["open"], make: async () => ({ name: "authz-tag" }), body: () => ({ intent: "follow" }), policy: anyEmployee, by: "outsider" }],
  },
  "routes/wiki/follow.ts": {
    cases: [{ label: "intent=follow", make: async (s, v) => ({ slug: s.spaces[v].slug }), body: () => ({ intent: "follow" }), policy: seer(), by: "outsider" }],
  },
  // JSON for the editors: a 401 to anyone but an active employee.
  "routes/api/preview.ts": { cases: [{ variants: ["open"], body: () => ({ text: "**bold**" }), policy: seer(JSON_GUARD), by: "outsider" }] },

  // --- Role-gated, no item: the other employees get the 404 of a page that does not exist, or a 403 where the page is theirs to see.
  "routes/rewards/manage.tsx": {
    cases: [
      {
        label: "intent=create",
        variants: ["open"],
        body: () => ({ intent: "create", name: `Reward ${key()}`, description: "", cost: "10", stock: "", active: "on" }),
        policy: only(["hr", "admin"], 404),
        by: "hr",
      },
    ],
  },
  "routes/badges/new.tsx": {
    cases: [{ variants: ["open"], body: () => ({ name: `Badge ${key()}`, description: "For the runbook.", tier: "bronze" }), policy: only(["hr", "admin"], 403), by: "hr" }],
  },
  "routes/hr/people.tsx": {
    cases: [{ variants: ["open"], body: () => ({ intent: "recompute", windowDays: "90" }), policy: only(["hr", "admin"], 404), by: "hr" }],
  },
  "routes/experts/shortlist-csv.ts": {
    cases: [{ variants: ["open"], body: (_p: Params, s: Setup) => ({ id: String(s.author.id), topic: "authz-tag" }), policy: only(["hr", "admin"], 404), by: "hr" }],
  },
  "routes/forum/responders.tsx": {
    cases: [{ label: "intent=default-sla", variants: ["open"], body: () => ({ intent: "default-sla", defaultSlaHours: "24" }), policy: only(["moderator", "admin"], 403), by: "moderator" }],
  },
  "routes/share/curators.tsx": {
    cases: [{ label: "intent=add", variants: ["open"], body: (_p: Params, s: Setup) => ({ intent: "add", person: handle(s.colleague) }), policy: only(["admin"], 404), by: "admin" }],
  },
  "routes/admin/spaces.tsx": {
    cases: [
      {
        variants: ["open"],
        body: () => ({ intent: "create-space", name: `Space ${key()}`, slug: "", description: "", visibility: "restricted" }),
        policy: only(["admin"], 404),
        by: "admin",
      },
    ],
  },
  "routes/admin/reputation.tsx": {
    cases: [{ label: "intent=restore-defaults", variants: ["open"], body: () => ({ intent: "restore-defaults" }), policy: only(["admin"], 404), by: "admin" }],
  },
  "routes/admin/search.tsx": { cases: [{ label: "intent=retry-all", variants: ["open"], body: () => ({ intent: "retry-all" }), policy: only(["admin"], 404), by: "admin" }] },
  "routes/admin/mail.tsx": { cases: [{ label: "intent=retry-all", variants: ["open"], body: () => ({ intent: "retry-all" }), policy: only(["admin"], 404), by: "admin" }] },
  "routes/admin/recognition.tsx": {
    cases: [
      {
        label: "intent=create-value",
        variants: ["open"],
        body: () => ({ intent: "create-value", name: `Value ${key()}`, emoji: "", description: "" }),
        policy: only(["admin"], 404),
        by: "admin",
      },
    ],
  },
  "routes/admin/publishing.tsx": {
    cases: [{ label: "intent=add-term", variants: ["open"], body: () => ({ intent: "add-term", kind: "codename", term: `Codename ${key()}` }), policy: only(["admin"], 404), by: "admin" }],
  },
  "routes/admin/integrations/outbound.tsx": {
    cases: [{ label: "intent=add", variants: ["open"], body: () => ({ intent: "add", pattern: "10.1.2.3", note: "" }), policy: only(["admin"], 404), by: "admin" }],
  },
  "routes/admin/integrations/scim.tsx": {
    cases: [{ label: "intent=create-token", variants: ["open"], body: () => ({ intent: "create-token", name: "The identity provider" }), policy: only(["admin"], 404), by: "admin" }],
  },
  "routes/admin/user.tsx": {
    cases: [
      {
        label: "intent=change-role",
        variants: ["open"],
        make: async (s) => ({ userId: String((await createUser(s.db)).id) }),
        body: () => ({ intent: "change-role", role: "moderator" }),
        policy: only(["admin"], 404),
        by: "admin",
      },
      {
        label: "intent=deactivate",
        variants: ["open"],
        make: async (s) => ({ userId: String((await createUser(s.db)).id) }),
        body: () => ({ intent: "deactivate" }),
        policy: only(["admin"], 404),
        by: "admin",
      },
      {
        label: "intent=anonymize",
        variants: ["open"],
        // A departed colleague: deactivated first, as the form asks.
        make: async (s) => ({ userId: String((await createUser(s.db, {}, "deactivated")).id) }),
        body: () => ({ intent: "anonymize" }),
        policy: only(["admin"], 404),
        by: "admin",
      },
    ],
  },
} satisfies Record<string, WriteEntry>);

Object.assign(WRITES, {
  // --- More of Q&A, spaces and tags
  "routes/questions/ask-expert.tsx": {
    cases: [{ make: (s, v) => question(s, v), body: (_p: Params, s: Setup) => ({ intent: "ask", userId: String(s.colleague.id) }), policy: seer(), by: "outsider" }],
  },
  "routes/posts/revisions.tsx": {
    cases: [
      {
        label: "intent=redact",
        make: async (s, v) => revised(s, await question(s, v), (p) => editPost(s.db, s.author, Number(p.postId), { ...EDITED, tags: ["authz-tag"] })),
        body: () => ({ intent: "redact", revision: "1", reason: "a password was posted" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/tags/edit.tsx": {
    cases: [
      {
        variants: ["open"],
        make: async () => ({ name: "authz-tag" }),
        body: () => ({ intent: "save-tag", description: "What the authz tests tag." }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/tags/smes.tsx": {
    cases: [
      {
        label: "intent=assign",
        variants: ["open"],
        make: async () => ({ name: "authz-tag" }),
        body: (_p: Params, s: Setup) => ({ intent: "assign", person: handle(s.colleague) }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/spaces/members.tsx": {
    cases: [
      {
        label: "intent=add-member",
        make: ownSpace,
        body: (_p: Params, s: Setup) => ({ intent: "add-member", email: s.colleague.email }),
        // The space's moderators and admins: no actor moderates these spaces, so the admin.
        policy: only(["admin"], 404),
        by: "admin",
      },
    ],
  },
  "routes/spaces/routing.tsx": {
    cases: [
      {
        make: ownSpace,
        body: () => ({ intent: "set-answer-deadline", answerDeadlineHours: "16" }),
        policy: only(["admin"]),
        by: "admin",
      },
    ],
  },
  "routes/spaces/wiki-suggestions.tsx": {
    cases: [{ label: "intent=protect-wiki", make: ownSpace, body: () => ({ intent: "protect-wiki" }), policy: only(["moderator", "admin"]), by: "admin" }],
  },

  // --- More of the wiki and articles
  "routes/wiki/owners.tsx": {
    cases: [
      {
        label: "intent=add-owner",
        make: (s, v) => wikiPage(s, v),
        body: (_p: Params, s: Setup) => ({ intent: "add-owner", person: handle(s.colleague) }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
      { label: "intent=protect", make: (s, v) => wikiPage(s, v), body: () => ({ intent: "protect" }), policy: only(["moderator", "admin"]), by: "moderator" },
    ],
  },
  "routes/wiki/move.tsx": {
    cases: [{ label: "intent=move", make: (s, v) => wikiPage(s, v), body: () => ({ intent: "move", parentId: "", beforeId: "" }), policy: seer(), by: "outsider" }],
  },
  "routes/wiki/history.tsx": {
    cases: [
      {
        label: "intent=redact",
        make: async (s, v) => revised(s, await wikiPage(s, v), (p) => savePage(s.db, s.author, Number(p.pageId), { ...EDITED, tags: [], baseRevision: Number(p.revision) })),
        body: () => ({ intent: "redact", revision: "1", reason: "a password was posted" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/wiki/template-new.tsx": {
    cases: [
      {
        variants: ["open"],
        body: () => ({ name: `Template ${key()}`, description: "", body: "## Steps", space: "" }),
        // Templates for every space: moderators and admins (a space's moderators make their space's own).
        policy: only(["moderator", "admin", "spaceModerator"]),
        by: "moderator",
      },
    ],
  },
  "routes/articles/new.tsx": {
    cases: [
      {
        make: async (s, v) => ({ space: s.spaces[v].slug }),
        body: (p) => ({
          space: p.space!,
          type: "knowledge",
          title: "How we rotate the keys",
          body: text("The article"),
          tags: "authz-tag",
          publishAt: "",
          intent: "draft",
          submissionKey: key(),
        }),
        policy: seer(),
        by: "outsider",
      },
    ],
  },
  "routes/articles/history.tsx": {
    cases: [
      {
        label: "intent=redact",
        make: async (s, v) =>
          revised(s, await article(s, v), (p) => editArticle(s.db, s.author, Number(p.articleId), { ...EDITED, type: "knowledge", tags: ["authz-tag"], publishAt: null, intent: "save" })),
        body: () => ({ intent: "redact", revision: "1", reason: "a password was posted" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/ideas/history.tsx": {
    cases: [
      {
        label: "intent=redact",
        make: async (s, v) => revised(s, await idea(s, v), (p) => editIdea(s.db, s.author, Number(p.ideaId), { ...EDITED, category: "", tags: ["authz-tag"] })),
        body: () => ({ intent: "redact", revision: "1", reason: "a password was posted" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/campaigns/campaign.tsx": {
    cases: [{ label: "intent=close", make: (s, v) => idea(s, v), body: () => ({ intent: "close" }), policy: only(["moderator", "admin"]), by: "admin" }],
  },

  // --- Kudos
  "routes/kudos/new.tsx": {
    cases: [
      {
        variants: ["open"],
        make: async (s) => ({ valueId: String((await createValue(s.db)).id) }),
        body: (p, s) => ({ receivers: handle(s.colleague), valueId: p.valueId!, pointsEach: "0", message: "Thanks for the runbook.", submissionKey: key() }),
        policy: anyEmployee,
        by: "outsider",
      },
    ],
  },
  "routes/kudos/kudos.tsx": {
    cases: [
      {
        label: "intent=withdraw",
        make: (s, v) => kudosOf(s, v),
        body: () => ({ intent: "withdraw", reason: "posted twice" }),
        // HR, admins and moderators withdraw a public kudos; a private one is hidden from every actor (none gave, got or manages it).
        policy: (actor, variant) => GUARD[actor] ?? (variant === "restricted" ? 404 : actor === "hr" || actor === "admin" || actor === "moderator" ? "may" : 403),
        by: "hr",
      },
      {
        ...commentCase((s, v) => kudosOf(s, v)),
        policy: (actor, variant) => GUARD[actor] ?? (variant === "restricted" ? 404 : "may"),
      },
    ],
  },

  // --- Admins' pages with an item
  "routes/admin/space.tsx": {
    cases: [
      {
        label: "intent=update-space",
        make: ownSpace,
        body: (p) => ({ intent: "update-space", name: `Space ${p.slug}`, slug: p.slug!, description: "", visibility: p.visibility! }),
        policy: only(["admin"], 404),
        by: "admin",
      },
    ],
  },
} satisfies Record<string, WriteEntry>);

Object.assign(WRITES, {
  "routes/admin/integrations/webhooks-new.tsx": {
    cases: [
      {
        variants: ["open"],
        // A public address written as one, so that the SSRF guard needs no name lookup.
        body: () => ({ intent: "create", url: "https://93.184.216.34/commons-hook", description: "", space: "", events: ["question.created"] }),
        policy: only(["admin"], 404),
        by: "admin",
      },
    ],
  },
  "routes/admin/expertise.tsx": { cases: [{ label: "intent=recompute", variants: ["open"], body: () => ({ intent: "recompute" }), policy: only(["admin"], 404), by: "admin" }] },
} satisfies Record<string, WriteEntry>);

// ---------------------------------------------------------------------------------------------
// The kinds that had no factory until tests/factories/kinds.ts, and the forms with dates.

/** A datetime-local field's value (read as UTC), `n` days from now at 10:00; a date field's with `date`. */
const dayAt = (n: number) => `${new Date(Date.now() + n * 24 * 60 * 60 * 1000).toISOString().slice(0, 10)}T10:00`;
const date = (n: number) => dayAt(n).slice(0, 10);

/** A wiki template of the variant's space (its moderators, the author, and admins manage it). */
async function template(s: Setup, variant: WriteVariant) {
  return { templateId: String(await createWikiTemplate(s.db, { author: s.author, space: s.spaces[variant] })) };
}

/** HR and admins manage badges, refused before the badge is looked up; a badge in a restricted space is hidden from HR as from everyone outside it. */
const badgeManagers: WritePolicy = (actor, variant) => GUARD[actor] ?? (actor === "admin" ? "may" : actor === "hr" ? (variant === "open" ? "may" : 404) : 403);

const ADMIN_ONLY = only(["admin"], 404);

/** A tiny PNG (one transparent pixel): real bytes of a type uploads take. */
const PIXEL = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"));

Object.assign(WRITES, {
  "routes/campaigns/new.tsx": {
    cases: [
      {
        make: async (s, v) => ({ space: s.spaces[v].slug }),
        body: (p) => ({
          space: p.space!,
          title: "Shorter expense claims",
          brief: text("The brief"),
          categories: "",
          criteria: "",
          startsOn: date(0),
          endsOn: date(30),
          voteBudget: "",
          evaluators: "",
          submissionKey: key(),
        }),
        // Campaigns are started by a space's moderators, moderators and admins; the rest who see the space are refused.
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  // A space's templates: its moderators (the author here) and admins; moderators too, as for every space's items.
  "routes/wiki/templates.tsx": {
    cases: [
      {
        label: "intent=delete",
        make: template,
        body: (p) => ({ intent: "delete", templateId: p.templateId! }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  "routes/wiki/template-edit.tsx": {
    cases: [
      {
        label: "intent=save",
        make: template,
        body: () => ({ intent: "save", name: `Postmortem ${key()}`, description: "", body: "## What happened" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
      { label: "intent=delete", make: template, body: () => ({ intent: "delete" }), policy: only(["moderator", "admin"]), by: "admin" },
    ],
  },
  "routes/badges/badge.tsx": {
    cases: [
      {
        label: "intent=archive",
        make: async (s, v) => ({ badgeId: String(await createBadge(s.db, { author: s.author, space: s.spaces[v] })) }),
        body: () => ({ intent: "archive" }),
        policy: badgeManagers,
        by: "hr",
      },
      {
        label: "intent=award",
        make: async (s, v) => ({ badgeId: String(await createBadge(s.db, { author: s.author, space: s.spaces[v] })) }),
        body: (_p: Params, s: Setup) => ({ intent: "award", person: handle(s.colleague), reason: "Wrote the runbook the on-call used." }),
        policy: badgeManagers,
        by: "admin",
      },
    ],
  },
  "routes/awards/new.tsx": {
    cases: [
      {
        variants: ["open"],
        body: () => ({
          title: `Colleague of the quarter ${key()}`,
          description: "Who made the quarter better?",
          reward: "",
          nomineeScope: "everyone",
          nomineeDepartment: "",
          votesPerVoter: "1",
          winnerCount: "1",
          nominationsOpenAt: dayAt(1),
          nominationsCloseAt: dayAt(2),
          votingOpenAt: dayAt(3),
          votingCloseAt: dayAt(4),
          resultsAt: dayAt(5),
          jurors: "",
          submissionKey: key(),
        }),
        // Rounds are HR's (and admins'): to others the page does not exist.
        policy: only(["hr", "admin"], 404),
        by: "hr",
      },
    ],
  },
  "routes/sessions/new.tsx": {
    cases: [
      {
        variants: ["open"],
        body: (_p: Params, s: Setup) => ({
          title: "Ask the platform team anything",
          description: "",
          topic: "authz-tag",
          audience: "forum",
          space: "",
          startsAt: dayAt(1),
          endsAt: `${date(1)}T11:00`,
          experts: handle(s.colleague),
        }),
        // Moderators, admins and the moderators of any space schedule sessions; a space's moderator only in their space, so one on the
        // public forum is a field error.
        policy: only(["moderator", "admin"], 403, { spaceModerator: 400 }),
        by: "moderator",
      },
    ],
  },
  // Share kits are the curators' (admins curate without being named): other employees are refused.
  "routes/share/new-kit.tsx": {
    cases: [{ variants: ["open"], body: () => ({ title: `Launch week ${key()}`, description: "" }), policy: only(["admin"], 403), by: "admin" }],
  },
  "routes/share/kit.tsx": {
    cases: [
      {
        label: "intent=edit-kit",
        variants: ["open"],
        make: async (s) => ({ kitId: String(await createShareKit(s.db, { author: s.author })) }),
        body: () => ({ intent: "edit-kit", title: `Launch week ${key()}`, description: "" }),
        policy: only(["admin"], 403),
        by: "admin",
      },
      {
        label: "intent=archive",
        variants: ["open"],
        make: async (s) => ({ kitId: String(await createShareKit(s.db, { author: s.author })) }),
        body: () => ({ intent: "archive" }),
        policy: only(["admin"], 403),
        by: "admin",
      },
    ],
  },

  // --- Admins' integrations and settings: to anyone else the pages do not exist.
  "routes/admin/forum.tsx": {
    cases: [
      { label: "intent=save-settings", variants: ["open"], body: () => ({ intent: "save-settings", ...escalationFormValues(DEFAULT_ESCALATION_SETTINGS) }), policy: ADMIN_ONLY, by: "admin" },
    ],
  },
  "routes/admin/integrations/webhooks-endpoint.tsx": {
    cases: [
      {
        label: "intent=save",
        variants: ["open"],
        make: async (s) => ({ endpointId: String(await createWebhookEndpoint(s.db, { author: s.author, space: s.spaces.open })) }),
        body: () => ({ intent: "save", url: "https://93.184.216.34/commons-hook", description: "", space: "", events: ["question.created"] }),
        policy: ADMIN_ONLY,
        by: "admin",
      },
      {
        label: "intent=disable",
        variants: ["open"],
        make: async (s) => ({ endpointId: String(await createWebhookEndpoint(s.db, { author: s.author, space: s.spaces.open })) }),
        body: () => ({ intent: "disable" }),
        policy: ADMIN_ONLY,
        by: "admin",
      },
    ],
  },
  "routes/admin/integrations/chat-new.tsx": {
    cases: [
      {
        label: "intent=create",
        variants: ["open"],
        // A public address written as one, so that the SSRF guard needs no name lookup.
        body: (_p: Params, s: Setup) => ({
          intent: "create",
          space: String(s.spaces.open.id),
          platform: "slack",
          url: `https://93.184.216.34/services/${key()}`,
          label: "#platform",
          events: "question.created",
          unansweredHours: "",
        }),
        policy: ADMIN_ONLY,
        by: "admin",
      },
    ],
  },
  "routes/admin/integrations/chat-connection.tsx": {
    cases: [
      {
        label: "intent=save",
        variants: ["open"],
        make: async (s) => ({ connectionId: String(await createChatConnection(s.db, { author: s.author, space: s.spaces.open })) }),
        // An empty URL keeps the one stored.
        body: () => ({ intent: "save", url: "", label: "#platform-team", events: "question.created", unansweredHours: "" }),
        policy: ADMIN_ONLY,
        by: "admin",
      },
      {
        label: "intent=disable",
        variants: ["open"],
        make: async (s) => ({ connectionId: String(await createChatConnection(s.db, { author: s.author, space: s.spaces.open })) }),
        body: () => ({ intent: "disable" }),
        policy: ADMIN_ONLY,
        by: "admin",
      },
    ],
  },
  "routes/admin/integrations/scim-rules.tsx": {
    cases: [
      {
        label: "intent=create-rule",
        variants: ["open"],
        body: () => ({ intent: "create-rule", groupName: `Group ${key()}`, target: "site", siteRole: "moderator" }),
        policy: ADMIN_ONLY,
        by: "admin",
      },
    ],
  },
} satisfies Record<string, WriteEntry>);

/** A space of its own that takes anonymous questions, with one asked in it by the author (who moderates it), not by an actor. */
async function anonymousQuestion(s: Setup, variant: WriteVariant) {
  const { slug } = await ownSpace(s, variant);
  await s.db.update(spaces).set({ anonymousQuestions: true }).where(eq(spaces.slug, slug));
  const { id } = await askAnonymously(s.db, s.author, { space: slug, title: "Can I see the salary bands somewhere?", body: text("The anonymous question"), tags: ["authz-tag"] });
  return { questionId: String(id) };
}

/** A suggested edit to a page of the variant's space, by `author` (the colleague unless given). */
async function suggestion(s: Setup, variant: WriteVariant, author: User = s.colleague) {
  const page = await wikiPage(s, variant);
  return { ...page, suggestionId: String(await createWikiSuggestion(s.db, { author, pageId: Number(page.pageId) })) };
}

/** An answer of the author's flagged by `member` (who sees both spaces), waiting in the moderation queue. */
async function flaggedAnswer(s: Setup, variant: WriteVariant) {
  const made = await answer(s, variant);
  await flagItem(s.db, s.users.member, Number(made.itemId), { reason: "spam", details: "" });
  return made;
}

/** A round in the variant's space taking nominations, or (`upcoming`) one whose dates are all ahead, on whole minutes as the form sends them. */
async function round(s: Setup, variant: WriteVariant, phase: "nominations" | "upcoming" = "nominations") {
  const id = await createAwardRound(s.db, { author: s.author, space: s.spaces[variant], phase: "nominations" });
  if (phase === "upcoming") {
    const [nominationsOpenAt, nominationsCloseAt, votingOpenAt, votingCloseAt, resultsAt] = [1, 2, 3, 4, 5].map((n) => new Date(`${dayAt(n)}:00Z`));
    await s.db.update(awardRounds).set({ nominationsOpenAt, nominationsCloseAt, votingOpenAt, votingCloseAt, resultsAt }).where(eq(awardRounds.id, id));
  }
  return { roundId: String(id) };
}

/** A reward of the company's catalogue (the open space), costing 5 points. */
async function reward(s: Setup) {
  const [row] = await s.db
    .insert(rewards)
    .values({ spaceId: s.spaces.open.id, name: `Lunch with the CTO ${key()}`, cost: 5, createdById: s.author.id })
    .returning({ id: rewards.id });
  return row!.id;
}

Object.assign(WRITES, {
  // --- Anonymous questions: only the space's own moderators and admins reach the asker (site moderators are not enough).
  "routes/questions/anonymous-relay.tsx": {
    cases: [{ make: anonymousQuestion, body: () => ({ body: "Could you say which team you are on, so we can route this?" }), policy: only(["admin"]), by: "admin" }],
  },
  "routes/questions/anonymous-break-glass.tsx": {
    cases: [
      {
        make: anonymousQuestion,
        body: () => ({ reason: "The question names a colleague's medical leave; we must reach the asker." }),
        policy: only(["admin"]),
        by: "admin",
        // The answer is the page with the asker's name on it, not a redirect.
        ok: [200],
      },
    ],
  },
  // The moderation queue: the item's space's moderators, moderators and admins resolve its flags.
  "routes/moderation/index.tsx": {
    cases: [
      {
        label: "intent=dismiss",
        make: flaggedAnswer,
        body: (p) => ({ intent: "dismiss", target: `item-${p.itemId}`, resolution: "" }),
        // The queue is not there for other employees (a 404, as its page), nor is an item outside a space moderator's own.
        policy: only(["moderator", "admin"], 404),
        by: "moderator",
        ok: [200],
      },
    ],
  },

  // --- Wiki suggestions: the page's owners and the space's moderators review; only their author changes or withdraws one.
  "routes/wiki/suggestion.tsx": {
    cases: [
      {
        label: "intent=approve",
        make: (s, v) => suggestion(s, v),
        body: (p) => ({ intent: "approve", currentRevision: p.revision!, note: "" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
      {
        label: "intent=decline",
        make: (s, v) => suggestion(s, v),
        body: () => ({ intent: "decline", note: "Not needed any more." }),
        policy: only(["moderator", "admin"]),
        by: "admin",
      },
      {
        label: "intent=withdraw",
        make: (s, v) => suggestion(s, v, s.users.member),
        body: () => ({ intent: "withdraw" }),
        policy: only(["member"]),
        by: "member",
      },
    ],
  },
  "routes/wiki/suggestion-edit.tsx": {
    cases: [
      {
        make: (s, v) => suggestion(s, v, s.users.member),
        body: () => ({ title: "Staging runbook", body: text("The suggested page, edited again"), comment: "the restart, and the flush" }),
        policy: only(["member"]),
        by: "member",
      },
    ],
  },

  // --- Award rounds: everyone who sees the round's space nominates; HR (and admins) run it.
  "routes/awards/round.tsx": {
    cases: [
      {
        label: "intent=nominate",
        make: (s, v) => round(s, v),
        body: (_p: Params, s: Setup) => ({ intent: "nominate", nominee: handle(s.colleague), statement: "Wrote the runbook the on-call used all quarter.", submissionKey: key() }),
        policy: seer(),
        by: "outsider",
      },
      {
        label: "intent=move",
        make: (s, v) => round(s, v),
        body: () => ({ intent: "move", step: "close-nominations" }),
        policy: only(["hr", "admin"]),
        by: "hr",
      },
    ],
  },
  "routes/awards/edit.tsx": {
    cases: [
      {
        make: (s, v) => round(s, v, "upcoming"),
        body: () => ({
          title: `Colleague of the quarter ${key()}`,
          description: "Who made the quarter better?",
          reward: "",
          nomineeScope: "everyone",
          nomineeDepartment: "",
          votesPerVoter: "1",
          winnerCount: "1",
          nominationsOpenAt: dayAt(1),
          nominationsCloseAt: dayAt(2),
          votingOpenAt: dayAt(3),
          votingCloseAt: dayAt(4),
          resultsAt: dayAt(5),
        }),
        policy: only(["hr", "admin"]),
        by: "hr",
      },
    ],
  },

  // --- Live sessions: an internal one is its space's; anyone there asks, its moderators start it.
  "routes/sessions/session.tsx": {
    cases: [
      {
        label: "intent=ask",
        make: async (s, v) => ({ sessionId: String(await createLiveSession(s.db, { author: s.author, space: s.spaces[v], status: "scheduled" })) }),
        body: () => ({ intent: "ask", body: "Will the migration need downtime?" }),
        policy: seer(),
        by: "outsider",
      },
      {
        label: "intent=start",
        make: async (s, v) => ({ sessionId: String(await createLiveSession(s.db, { author: s.author, space: s.spaces[v], status: "scheduled" })) }),
        body: () => ({ intent: "start" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },

  // --- The forum desk
  // An escalation is the desk's (moderators, admins) and its assignee's (none here): to others it does not exist.
  "routes/forum/escalation.tsx": {
    cases: [
      {
        label: "intent=severity",
        variants: ["open"],
        make: async (s) => ({ escalationId: String(await createEscalation(s.db, { status: "open" })) }),
        body: () => ({ intent: "severity", severity: "low" }),
        policy: only(["moderator", "admin"], 404),
        by: "moderator",
        ok: [200],
      },
    ],
  },
  // Any employee suggests an answer to a customer's question in the queue.
  "routes/forum/queue-thread.tsx": {
    cases: [
      {
        label: "intent=suggest",
        variants: ["open"],
        make: async (s) => ({ threadId: String(await createForumThread(s.db, { state: "visible" })) }),
        body: () => ({ intent: "suggest", body: text("A suggested answer for the customer") }),
        policy: anyEmployee,
        by: "outsider",
      },
    ],
  },
  // Anyone who sees a question proposes it for the public forum.
  "routes/publications/new.tsx": {
    cases: [{ make: (s, v) => question(s, v), body: (p) => ({ questionId: p.questionId! }), policy: seer(), by: "outsider" }],
  },

  // --- Rewards: any employee redeems with their points; only the person who asked cancels a redemption.
  "routes/rewards/index.tsx": {
    cases: [
      {
        label: "intent=redeem",
        variants: ["open"],
        make: async (s) => {
          const rewardId = await reward(s);
          await s.db.transaction((tx) => creditEarned(tx, [{ userId: s.users.outsider.id, points: 5 }]));
          return { rewardId: String(rewardId) };
        },
        body: (p) => ({ intent: "redeem", rewardId: p.rewardId!, submissionKey: key() }),
        policy: anyEmployee,
        by: "outsider",
      },
    ],
  },
  "routes/rewards/mine.tsx": {
    cases: [
      {
        label: "intent=cancel",
        variants: ["open"],
        make: async (s) => {
          const rewardId = await reward(s);
          const [row] = await s.db.insert(rewardRedemptions).values({ rewardId, userId: s.users.outsider.id, cost: 5 }).returning({ id: rewardRedemptions.id });
          return { redemptionId: String(row!.id) };
        },
        body: (p) => ({ intent: "cancel", redemptionId: p.redemptionId! }),
        // Someone else's redemption answers like one that does not exist.
        policy: only(["outsider"], 404),
        by: "outsider",
      },
    ],
  },
} satisfies Record<string, WriteEntry>);

Object.assign(WRITES, {
  // An accepted answer becomes a page: the space's moderators, its page owners and people with the reputation for it (no actor
  // has it); moderators and admins too.
  "routes/wiki/promote.tsx": {
    cases: [
      {
        label: "mode=page",
        make: async (s, v) => {
          const made = await answer(s, v);
          await s.db
            .update(posts)
            .set({ acceptedAnswerId: Number(made.postId) })
            .where(eq(posts.id, Number(made.questionId)));
          return made;
        },
        body: () => ({ mode: "page", title: `Rotating the staging keys ${key()}`, parentId: "", submissionKey: key() }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
  // Customers' posts held for moderation: the forum's moderators (moderators, admins); to others the page does not exist.
  "routes/forum/moderation.tsx": {
    cases: [
      {
        label: "intent=let-through",
        variants: ["open"],
        make: async (s) => ({ threadId: String(await createForumThread(s.db, { state: "pending" })) }),
        body: (p) => ({ intent: "let-through", kind: "thread", id: p.threadId! }),
        policy: only(["moderator", "admin"], 404),
        by: "moderator",
      },
    ],
  },
} satisfies Record<string, WriteEntry>);

Object.assign(WRITES, {
  // A draft publication (proposed by the author): its proposer, the space's moderators and admins discard it.
  "routes/publications/publication.tsx": {
    cases: [
      {
        label: "intent=discard",
        make: async (s, v) => {
          const q = await question(s, v);
          return { publicationId: String(await createPublication(s.db, { proposer: s.author, questionId: Number(q.questionId) })) };
        },
        body: () => ({ intent: "discard" }),
        policy: only(["moderator", "admin"]),
        by: "moderator",
      },
    ],
  },
} satisfies Record<string, WriteEntry>);

Object.assign(WRITES, {
  // The editor's file upload: JSON, so a 401 to anyone but an active employee; any employee uploads (a 201 with the stored file).
  "routes/uploads/upload.ts": {
    cases: [
      {
        variants: ["open"],
        file: { field: "file", name: "pixel.png", type: "image/png", bytes: PIXEL },
        body: () => ({}),
        policy: seer(JSON_GUARD),
        by: "outsider",
        ok: [201],
      },
    ],
  },
} satisfies Record<string, WriteEntry>);

Object.assign(WRITES, {
  // Customers' feedback on a published question: its thread's owners (the space's moderators, moderators and admins who see the
  // space, the proposer, the authors who consented) mark it reviewed; to others the thread is not theirs to see.
  "routes/publications/feedback.tsx": {
    cases: [
      {
        label: "intent=reviewed",
        make: async (s, v) => {
          const q = await question(s, v);
          const id = await createPublication(s.db, { proposer: s.author, questionId: Number(q.questionId), status: "published" });
          const threadId = await createForumThread(s.db, { state: "visible" });
          await s.db.update(publications).set({ threadId }).where(eq(publications.id, id));
          return { threadId: String(threadId) };
        },
        body: (p) => ({ intent: "reviewed", threadId: p.threadId! }),
        policy: only(["moderator", "admin"], 404),
        by: "moderator",
      },
    ],
  },
} satisfies Record<string, WriteEntry>);
