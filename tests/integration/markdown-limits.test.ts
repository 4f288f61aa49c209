import { eq, sql } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ZodError } from "zod";
import {
  forumAccounts,
  forumAnswers,
  forumComments,
  forumResponders,
  forumThreads,
  publicationParts,
  articles,
  awardNominations,
  awardRounds,
  campaigns,
  comments,
  ideas,
  kudos,
  liveSessionQuestions,
  liveSessions,
  posts,
  revisions,
  tags,
  wikiPages,
  wikiSuggestions,
  wikiTemplates,
} from "#db/schema/index.ts";
import { apiEndpoints } from "#app/features/api/endpoints.server.ts";
import { askTool } from "#app/features/mcp/ask-tool.server.ts";
import { MARKDOWN_MAX_DEPTH, MARKDOWN_MAX_LENGTH } from "#app/lib/markdown-limits.ts";
import { InputError } from "#app/lib/errors.ts";
import { action as askAction } from "#app/routes/questions/ask.tsx";
import { action as questionAction } from "#app/routes/questions/question.tsx";
import { action as editPostAction } from "#app/routes/posts/edit.tsx";
import { action as newArticleAction } from "#app/routes/articles/new.tsx";
import { action as editArticleAction } from "#app/routes/articles/edit.tsx";
import { action as editTagAction } from "#app/routes/tags/edit.tsx";
import { action as newPageAction } from "#app/routes/wiki/new.tsx";
import { action as editPageAction } from "#app/routes/wiki/edit.tsx";
import { action as suggestAction } from "#app/routes/wiki/suggest.tsx";
import { action as suggestionEditAction } from "#app/routes/wiki/suggestion-edit.tsx";
import { action as suggestionAction } from "#app/routes/wiki/suggestion.tsx";
import { action as newTemplateAction } from "#app/routes/wiki/template-new.tsx";
import { action as editTemplateAction } from "#app/routes/wiki/template-edit.tsx";
import { action as newCampaignAction } from "#app/routes/campaigns/new.tsx";
import { action as submitIdeaAction } from "#app/routes/campaigns/submit.tsx";
import { action as editIdeaAction } from "#app/routes/ideas/edit.tsx";
import { action as giveKudosAction } from "#app/routes/kudos/new.tsx";
import { action as newRoundAction } from "#app/routes/awards/new.tsx";
import { action as editRoundAction } from "#app/routes/awards/edit.tsx";
import { action as roundAction } from "#app/routes/awards/round.tsx";
import { action as newSessionAction } from "#app/routes/sessions/new.tsx";
import { action as sessionAction } from "#app/routes/sessions/session.tsx";
import { action as publicationAction } from "#app/routes/publications/publication.tsx";
import { action as queueThreadAction } from "#app/routes/forum/queue-thread.tsx";
import { createForumSession, SESSION_COOKIE as FORUM_SESSION_COOKIE } from "#forum/accounts/session.server.ts";
import type { RunningForum } from "#forum/main.ts";
import { datetimeLocalValue } from "#app/features/articles/schemas.ts";
import { SessionSchema } from "#app/features/live/schemas.ts";
import { askLiveQuestion, moveSession, scheduleSession } from "#app/features/live/sessions.server.ts";
import { getPublication, proposePublication } from "#app/features/publishing/publishing.server.ts";
import { partBodyField, partIncludedField } from "#app/features/publishing/rules.ts";
import { RoundSchema } from "#app/features/recognition/award-schemas.ts";
import { createRound } from "#app/features/recognition/awards.server.ts";
import { SuggestSchema } from "#app/features/wiki/governance-schemas.ts";
import { savePage } from "#app/features/wiki/pages.server.ts";
import { EditPageSchema, NewTemplateSchema } from "#app/features/wiki/schemas.ts";
import { submitSuggestion } from "#app/features/wiki/suggestions.server.ts";
import { createTemplate } from "#app/features/wiki/templates.server.ts";
import { setupTestDb } from "../db.ts";
import { endpointCaller } from "../api-endpoints.ts";
import { startTestForum } from "../forum.ts";
import { createAnswer, createArticle, createQuestion, createSpace, createTags, createUser, createValue } from "../factories/index.ts";
import { createCampaign, createIdea } from "../factories/ideas.ts";
import { createWikiPage } from "../factories/wiki.ts";
import { MAY_CHANGE_ON_REFUSAL } from "../fuzz/rows.ts";
import { browserOf, routeCaller, routeContext, type RouteHandler } from "../helpers.ts";
import { XSS_FIELDS } from "../xss-fields.ts";

/**
 * Issue 23: the markdown nesting limits through every field that renders user text. The markdown
 * module refuses quotes or lists nested deeper than MARKDOWN_MAX_DEPTH, and text longer than
 * MARKDOWN_MAX_LENGTH (its unit test proves that); this file proves every write path of every
 * markdown column asks it. Per path, through the real route action (or /api/v1 endpoint, or MCP
 * tool): text nested one level too deep is refused with the depth message on the field, the form
 * comes back with the text as typed, and no row anywhere was inserted, updated or deleted; text
 * nested exactly as deep as allowed is stored; text over the length limit is refused the same way.
 *
 * Every markdown source column of tests/xss-fields.ts (the `…Html` beside it is its output) must
 * have a case here: a new one fails the first test until it has one.
 */

const t = setupTestDb();
const call = routeCaller(t);

const TOO_DEEP = `${"> ".repeat(MARKDOWN_MAX_DEPTH + 1)}A quote nested one level too deep to format.`;
const DEEPEST = (n: number) => `${"> ".repeat(MARKDOWN_MAX_DEPTH)}A quote nested as deep as allowed, number ${n}.`;
const TOO_LONG = `${"A sentence long enough to fill a page. ".repeat(Math.ceil(MARKDOWN_MAX_LENGTH / 39))}The end.`;
const DEPTH_MESSAGE = new RegExp(`nested more than ${MARKDOWN_MAX_DEPTH} levels deep`);

/**
 * A write path of a markdown column. `form` paths answer a route's `data(failure, { status: 400 })`
 * with `fieldErrors[field]` and `values[field]`; `api` paths throw an InputError (or the endpoint
 * schema's ZodError, which the router answers 400) naming `field`; `mcp` paths answer a tool error;
 * `forum` paths are the public forum's pages, over HTTP, which answer a 400 page with the form
 * again, holding what was typed.
 * `submit` sends one text; `stored` says whether that text is now in the column.
 */
type Case = {
  column: string;
  path: string;
  kind: "form" | "api" | "mcp" | "forum";
  /** The form field (or JSON property) the text goes in, and the refusal names. */
  fieldName: () => string;
  submit: (text: string) => Promise<unknown>;
  stored: (text: string) => Promise<boolean>;
};

/**
 * Markdown columns that are no person's source text, so no write path of people reaches them, with why.
 * Every other markdown column that is not an `…Html` output needs a case.
 */
const NOT_WRITTEN_BY_PEOPLE: Readonly<Record<string, string>> = {
  "mail_outbox.html": "the app's own mail, built from the HTML the markdown module already made",
};

/** The markdown source columns of tests/xss-fields.ts. */
function markdownSources(): string[] {
  return Object.entries(XSS_FIELDS)
    .filter(([column, use]) => use.kind === "markdown" && !/html$/i.test(column.split(".")[1]!))
    .map(([column]) => column)
    .filter((column) => !(column in NOT_WRITTEN_BY_PEOPLE))
    .sort();
}

// ---- what a request wrote ---------------------------------------------------------------------

/**
 * Statement-level triggers on every table (in this file's database only) note each INSERT, UPDATE
 * and DELETE: a refused request must leave all three untouched. The tables a refusal may rightly
 * write (a dead session deleted, the mailer's rows) are tests/fuzz/rows.ts's list.
 */
async function watchWrites(): Promise<void> {
  await t.db.execute(sql`create unlogged table limit_writes (id bigserial primary key, table_name text not null, op text not null)`);
  await t.db.execute(
    sql.raw(`create function limit_note() returns trigger language plpgsql security definer as $$
      begin insert into limit_writes (table_name, op) values (TG_TABLE_NAME, TG_OP); return null; end $$`),
  );
  const tables = await t.db.execute<{ name: string }>(sql`select tablename as name from pg_tables where schemaname = 'public' and tablename <> 'limit_writes'`);
  const statements = tables.flatMap(({ name }) =>
    ["insert", "update", "delete"].map((op) => `create trigger limit_${op} after ${op} on public."${name}" for each statement execute function limit_note();`),
  );
  await t.db.execute(sql.raw(statements.join("\n")));
}

async function writeMark(): Promise<number> {
  const [row] = await t.db.execute<{ id: string | null }>(sql`select max(id)::text as id from limit_writes`);
  return Number(row?.id ?? 0);
}

/** "table: OP" for each write after `mark`, leaving out the tables a refusal may change. */
async function writesSince(mark: number): Promise<string[]> {
  const rows = await t.db.execute<{ table_name: string; op: string }>(sql`select distinct table_name, op from limit_writes where id > ${mark} order by 1, 2`);
  return rows.filter((r) => !(r.table_name in MAY_CHANGE_ON_REFUSAL)).map((r) => `${r.table_name}: ${r.op}`);
}

// ---- the world --------------------------------------------------------------------------------

type User = Awaited<ReturnType<typeof createUser>>;
let admin: User;
let hr: User;
let member: User;
let colleague: User;
let space: Awaited<ReturnType<typeof createSpace>>;

const handle = (user: User) => `@${user.email.split("@")[0]}`;
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const local = (ms: number) => datetimeLocalValue(new Date(Date.now() + ms));
/** What `promise` resolved to, or what it threw: a route answers its form failures and throws its redirects. */
const settle = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value, error: null as unknown }),
    (error: unknown) => ({ value: null as unknown, error }),
  );

/** One browser (one session) per person for the whole file. */
const browsers = new Map<number, ReturnType<typeof browserOf>>();
const browserFor = (user: User) => {
  if (!browsers.has(user.id)) browsers.set(user.id, browserOf(t.db, user));
  return browsers.get(user.id)!;
};

/** A route action's path: a form POST to `url()` as `user()`, the text in `field` beside `fields`. */
function formCase(
  column: string,
  path: string,
  opts: {
    user: () => User;
    handler: RouteHandler;
    url: () => string;
    params?: () => Record<string, string>;
    field?: () => string;
    fields: (n: number) => Record<string, string>;
    stored: (text: string) => Promise<boolean>;
  },
): Case {
  let n = 0;
  return {
    column,
    path,
    kind: "form",
    fieldName: () => (opts.field ?? (() => "body"))(),
    submit: async (text) => {
      const browser = await browserFor(opts.user());
      return call(opts.handler, browser.post(opts.url(), { ...opts.fields(++n), [(opts.field ?? (() => "body"))()]: text }), opts.params?.() ?? {});
    },
    stored: opts.stored,
  };
}

/** An /api/v1 endpoint's path, called as its router calls it (tests/api-endpoints.ts). */
function apiCase(
  column: string,
  operationId: string,
  opts: { user: () => User; field: string; input: (text: string) => { params?: unknown; body: unknown }; stored: (text: string) => Promise<boolean> },
): Case {
  return {
    column,
    path: `/api/v1 ${operationId}`,
    kind: "api",
    fieldName: () => opts.field,
    submit: (text) => api.call(operationId, opts.user() as never, opts.input(text)),
    stored: opts.stored,
  };
}

/** A page of the public forum, over HTTP, as a signed-in customer's browser posts its form. */
function forumCase(column: string, path: string | (() => string), form: (text: string) => Record<string, string>, stored: (text: string) => Promise<boolean>): Case {
  const url = () => (typeof path === "string" ? path : path());
  return {
    column,
    path: `forum POST ${typeof path === "string" ? path : path().replace(/\d+/g, ":id")}`,
    kind: "forum",
    fieldName: () => "body",
    submit: async (text) => {
      const response = await fetch(forumBase + url(), {
        method: "POST",
        headers: { cookie: customerCookie, origin: forumBase, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form(text)).toString(),
        redirect: "manual",
      });
      return { status: response.status, html: await response.text() };
    },
    stored,
  };
}

/** `text` as a page's HTML holds it in a text area: React's escaping. */
const escaped = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#x27;");

const api = endpointCaller(t, apiEndpoints);
const has = async (rows: Promise<unknown[]>) => (await rows).length > 0;

let forum: RunningForum | undefined;
let forumBase = "";
let customerCookie = "";
let forumThreadId = 0;
let customerThreadId = 0;
let anonymousSpace: Awaited<ReturnType<typeof createSpace>>;
let forumSessionId = 0;

const ids = {
  conflictPage: 0,
  conflictSuggestion: 0,
  question: 0,
  questionItem: 0,
  answer: 0,
  article: 0,
  page: 0,
  suggestion: 0,
  template: 0,
  campaign: 0,
  idea: 0,
  round: 0,
  session: 0,
  liveQuestion: 0,
  value: 0,
  publication: 0,
};
const revisionOf = { page: 1, publication: 1, part: 0, otherParts: [] as Array<{ id: number; body: string }> };

const cases: Case[] = [
  // Questions and answers: the ask page, the question page's answer form, the edit page; the API; MCP.
  formCase("posts.body", "POST /questions/ask", {
    user: () => member,
    handler: askAction as RouteHandler,
    url: () => "/questions/ask",
    fields: (n) => ({ space: space.slug, title: `A question about nesting, number ${n}`, tags: "limits" }),
    stored: (text) => has(t.db.select({ id: posts.id }).from(posts).where(eq(posts.body, text))),
  }),
  formCase("posts.body", "POST /questions/ask (anonymously)", {
    user: () => member,
    handler: askAction as RouteHandler,
    url: () => "/questions/ask",
    fields: (n) => ({ space: anonymousSpace.slug, title: `An anonymous question about nesting, number ${n}`, tags: "limits", anonymous: "on" }),
    stored: (text) => has(t.db.select({ id: posts.id }).from(posts).where(eq(posts.body, text))),
  }),
  formCase("posts.body", "POST /questions/:id (answer)", {
    user: () => colleague,
    handler: questionAction as RouteHandler,
    url: () => `/questions/${ids.question}`,
    params: () => ({ questionId: String(ids.question) }),
    fields: () => ({ intent: "answer" }),
    stored: (text) => has(t.db.select({ id: posts.id }).from(posts).where(eq(posts.body, text))),
  }),
  formCase("posts.body", "POST /posts/:id/edit (an answer)", {
    user: () => member,
    handler: editPostAction as RouteHandler,
    url: () => `/posts/${ids.answer}/edit`,
    params: () => ({ postId: String(ids.answer) }),
    fields: () => ({ intent: "edit", comment: "Nesting" }),
    stored: (text) => has(t.db.select({ id: posts.id }).from(posts).where(eq(posts.body, text))),
  }),
  formCase("revisions.body", "POST /posts/:id/edit (a question)", {
    user: () => member,
    handler: editPostAction as RouteHandler,
    url: () => `/posts/${ids.question}/edit`,
    params: () => ({ postId: String(ids.question) }),
    fields: (n) => ({ intent: "edit", title: `A question about nesting, edited ${n}`, tags: "limits", comment: "Nesting" }),
    stored: (text) => has(t.db.select({ id: revisions.id }).from(revisions).where(eq(revisions.body, text))),
  }),
  apiCase("posts.body", "askQuestion", {
    user: () => member,
    field: "body",
    input: (text) => ({ body: { space: space.slug, title: `A question through the API about ${text.length} letters`, body: text, tags: ["limits"] } }),
    stored: (text) => has(t.db.select({ id: posts.id }).from(posts).where(eq(posts.body, text))),
  }),
  apiCase("posts.body", "postAnswer", {
    user: () => colleague,
    field: "body",
    input: (text) => ({ params: { id: ids.question }, body: { body: text } }),
    stored: (text) => has(t.db.select({ id: posts.id }).from(posts).where(eq(posts.body, text))),
  }),
  {
    column: "posts.body",
    path: "MCP ask_question",
    kind: "mcp",
    fieldName: () => "body",
    submit: (text) =>
      askTool(
        {
          db: t.db,
          search: routeContext(t.db).context.search,
          log: pino({ level: "silent" }),
          user: member as never,
          token: { id: 0, scope: "write", name: "limits" },
          searchPrefix: "",
          requestId: "limits",
        },
        { space: space.slug, title: `A question through MCP about ${text.length} letters`, body: text, tags: ["limits"] },
      ),
    stored: (text) => has(t.db.select({ id: posts.id }).from(posts).where(eq(posts.body, text))),
  },
  // Comments: the comment form every page shares (here a question's), and the API.
  formCase("comments.body", "POST /questions/:id (comment)", {
    user: () => colleague,
    handler: questionAction as RouteHandler,
    url: () => `/questions/${ids.question}`,
    params: () => ({ questionId: String(ids.question) }),
    fields: () => ({ intent: "comment", itemId: String(ids.questionItem) }),
    stored: (text) => has(t.db.select({ id: comments.id }).from(comments).where(eq(comments.body, text))),
  }),
  apiCase("comments.body", "addComment", {
    user: () => colleague,
    field: "body",
    input: (text) => ({ params: { id: ids.question }, body: { body: text } }),
    stored: (text) => has(t.db.select({ id: comments.id }).from(comments).where(eq(comments.body, text))),
  }),
  // Articles: new and edit.
  formCase("articles.body", "POST /articles/new", {
    user: () => member,
    handler: newArticleAction as RouteHandler,
    url: () => "/articles/new",
    fields: (n) => ({ space: space.slug, type: "how_to", title: `An article about nesting, number ${n}`, tags: "limits", intent: "publish" }),
    stored: (text) => has(t.db.select({ id: articles.id }).from(articles).where(eq(articles.body, text))),
  }),
  formCase("articles.body", "POST /articles/:id/edit", {
    user: () => member,
    handler: editArticleAction as RouteHandler,
    url: () => `/articles/${ids.article}/edit`,
    params: () => ({ articleId: String(ids.article) }),
    fields: (n) => ({ type: "how_to", title: `An article about nesting, edited ${n}`, tags: "limits", intent: "save", comment: "Nesting" }),
    stored: (text) => has(t.db.select({ id: articles.id }).from(articles).where(eq(articles.body, text))),
  }),
  // A tag's description.
  formCase("tags.description", "POST /tags/:name/edit", {
    user: () => member,
    handler: editTagAction as RouteHandler,
    url: () => "/tags/limits/edit",
    params: () => ({ name: "limits" }),
    field: () => "description",
    fields: () => ({ intent: "save-tag" }),
    stored: (text) => has(t.db.select({ id: tags.id }).from(tags).where(eq(tags.description, text))),
  }),
  // The wiki: a new page, an edit, a suggestion and its edit, templates.
  formCase("wiki_pages.body", "POST /spaces/:slug/wiki/new", {
    user: () => member,
    handler: newPageAction as RouteHandler,
    url: () => `/spaces/${space.slug}/wiki/new`,
    params: () => ({ slug: space.slug }),
    fields: (n) => ({ title: `Nesting page ${n}` }),
    stored: (text) => has(t.db.select({ id: wikiPages.id }).from(wikiPages).where(eq(wikiPages.body, text))),
  }),
  formCase("wiki_pages.body", "POST /wiki/:id/edit", {
    user: () => member,
    handler: editPageAction as RouteHandler,
    url: () => `/wiki/${ids.page}/edit`,
    params: () => ({ pageId: String(ids.page) }),
    fields: () => ({ title: "The nesting page", comment: "Nesting", baseRevision: String(revisionOf.page) }),
    stored: async (text) => {
      const found = await has(t.db.select({ id: wikiPages.id }).from(wikiPages).where(eq(wikiPages.body, text)));
      if (found) revisionOf.page++;
      return found;
    },
  }),
  formCase("wiki_suggestions.body", "POST /wiki/:id/suggest", {
    user: () => colleague,
    handler: suggestAction as RouteHandler,
    url: () => `/wiki/${ids.page}/suggest`,
    params: () => ({ pageId: String(ids.page) }),
    fields: () => ({ title: "The nesting page", comment: "A deeper quote", baseRevision: "1" }),
    stored: (text) => has(t.db.select({ id: wikiSuggestions.id }).from(wikiSuggestions).where(eq(wikiSuggestions.body, text))),
  }),
  formCase("wiki_suggestions.body", "POST /wiki/:id/suggestions/:id/edit", {
    user: () => colleague,
    handler: suggestionEditAction as RouteHandler,
    url: () => `/wiki/${ids.page}/suggestions/${ids.suggestion}/edit`,
    params: () => ({ pageId: String(ids.page), suggestionId: String(ids.suggestion) }),
    fields: () => ({ title: "The nesting page", comment: "A deeper quote, changed" }),
    stored: (text) => has(t.db.select({ id: wikiSuggestions.id }).from(wikiSuggestions).where(eq(wikiSuggestions.body, text))),
  }),
  // An owner approves a suggestion the page moved on from, with the text they resolved the two into.
  formCase("wiki_pages.body", "POST /wiki/:id/suggestions/:id (approve, resolved)", {
    user: () => member,
    handler: suggestionAction as RouteHandler,
    url: () => `/wiki/${ids.conflictPage}/suggestions/${ids.conflictSuggestion}`,
    params: () => ({ pageId: String(ids.conflictPage), suggestionId: String(ids.conflictSuggestion) }),
    field: () => "resolvedBody",
    fields: () => ({ intent: "approve", currentRevision: "2", resolvedTitle: "The conflicting page", note: "" }),
    stored: (text) => has(t.db.select({ id: wikiPages.id }).from(wikiPages).where(eq(wikiPages.body, text))),
  }),
  formCase("wiki_templates.body", "POST /wiki/templates/new", {
    user: () => member,
    handler: newTemplateAction as RouteHandler,
    url: () => "/wiki/templates/new",
    fields: (n) => ({ name: `Nesting template ${n}`, space: space.slug }),
    stored: (text) => has(t.db.select({ id: wikiTemplates.id }).from(wikiTemplates).where(eq(wikiTemplates.body, text))),
  }),
  formCase("wiki_templates.body", "POST /wiki/templates/:id (save)", {
    user: () => member,
    handler: editTemplateAction as RouteHandler,
    url: () => `/wiki/templates/${ids.template}`,
    params: () => ({ templateId: String(ids.template) }),
    fields: () => ({ intent: "save", name: "The nesting template" }),
    stored: (text) => has(t.db.select({ id: wikiTemplates.id }).from(wikiTemplates).where(eq(wikiTemplates.body, text))),
  }),
  // Ideas: a campaign's brief, an idea given and edited, and through the API.
  formCase("campaigns.brief", "POST /campaigns/new", {
    user: () => admin,
    handler: newCampaignAction as RouteHandler,
    url: () => "/campaigns/new",
    field: () => "brief",
    fields: (n) => ({ space: space.slug, title: `A campaign about nesting, number ${n}`, startsOn: day(0), endsOn: day(30), voteBudget: "", evaluators: "", categories: "", criteria: "" }),
    stored: (text) => has(t.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.brief, text))),
  }),
  formCase("ideas.body", "POST /campaigns/:id/submit", {
    user: () => colleague,
    handler: submitIdeaAction as RouteHandler,
    url: () => `/campaigns/${ids.campaign}/submit`,
    params: () => ({ campaignId: String(ids.campaign) }),
    fields: (n) => ({ title: `An idea about nesting, number ${n}`, tags: "limits" }),
    stored: (text) => has(t.db.select({ id: ideas.id }).from(ideas).where(eq(ideas.body, text))),
  }),
  formCase("ideas.body", "POST /ideas/:id/edit", {
    user: () => colleague,
    handler: editIdeaAction as RouteHandler,
    url: () => `/ideas/${ids.idea}/edit`,
    params: () => ({ ideaId: String(ids.idea) }),
    fields: (n) => ({ title: `An idea about nesting, edited ${n}`, tags: "limits", comment: "Nesting" }),
    stored: (text) => has(t.db.select({ id: ideas.id }).from(ideas).where(eq(ideas.body, text))),
  }),
  apiCase("ideas.body", "submitIdea", {
    user: () => colleague,
    field: "body",
    input: (text) => ({ params: { id: ids.campaign }, body: { title: `An idea through the API, ${text.length} letters`, body: text, tags: "limits" } }),
    stored: (text) => has(t.db.select({ id: ideas.id }).from(ideas).where(eq(ideas.body, text))),
  }),
  // Kudos: the give form and the API.
  formCase("kudos.message", "POST /kudos/new", {
    user: () => member,
    handler: giveKudosAction as RouteHandler,
    url: () => "/kudos/new",
    field: () => "message",
    fields: () => ({ receivers: handle(colleague), valueId: String(ids.value), pointsEach: "0" }),
    stored: (text) => has(t.db.select({ id: kudos.id }).from(kudos).where(eq(kudos.message, text))),
  }),
  apiCase("kudos.message", "giveKudos", {
    user: () => member,
    field: "message",
    input: (text) => ({ body: { receiverIds: [colleague.id], valueId: ids.value, pointsEach: 0, message: text } }),
    stored: (text) => has(t.db.select({ id: kudos.id }).from(kudos).where(eq(kudos.message, text))),
  }),
  // Awards: a round's description (new and edit) and a nomination's statement.
  formCase("award_rounds.description", "POST /awards/new", {
    user: () => hr,
    handler: newRoundAction as RouteHandler,
    url: () => "/awards/new",
    field: () => "description",
    fields: (n) => roundFields(`Nesting hero, round ${n}`),
    stored: (text) => has(t.db.select({ id: awardRounds.id }).from(awardRounds).where(eq(awardRounds.description, text))),
  }),
  formCase("award_rounds.description", "POST /awards/:id/edit", {
    user: () => hr,
    handler: editRoundAction as RouteHandler,
    url: () => `/awards/${ids.round}/edit`,
    params: () => ({ roundId: String(ids.round) }),
    field: () => "description",
    fields: () => roundFields("The nesting hero"),
    stored: (text) => has(t.db.select({ id: awardRounds.id }).from(awardRounds).where(eq(awardRounds.description, text))),
  }),
  formCase("award_nominations.statement", "POST /awards/:id (nominate)", {
    user: () => member,
    handler: roundAction as RouteHandler,
    url: () => `/awards/${ids.round}`,
    params: () => ({ roundId: String(ids.round) }),
    field: () => "statement",
    fields: () => ({ intent: "nominate", nominee: handle(colleague) }),
    stored: (text) => has(t.db.select({ id: awardNominations.id }).from(awardNominations).where(eq(awardNominations.statement, text))),
  }),
  // Live sessions: the description, a question asked and its answer.
  formCase("live_sessions.description", "POST /sessions/new", {
    user: () => member,
    handler: newSessionAction as RouteHandler,
    url: () => "/sessions/new",
    field: () => "description",
    fields: (n) => ({
      title: `Ask about nesting, hour ${n}`,
      topic: "limits",
      audience: "internal",
      space: space.slug,
      startsAt: local(DAY),
      endsAt: local(DAY + HOUR),
      experts: handle(member),
    }),
    stored: (text) => has(t.db.select({ id: liveSessions.id }).from(liveSessions).where(eq(liveSessions.description, text))),
  }),
  formCase("live_session_questions.body", "POST /sessions/:id (ask)", {
    user: () => colleague,
    handler: sessionAction as RouteHandler,
    url: () => `/sessions/${ids.session}`,
    params: () => ({ sessionId: String(ids.session) }),
    fields: () => ({ intent: "ask" }),
    stored: (text) => has(t.db.select({ id: liveSessionQuestions.id }).from(liveSessionQuestions).where(eq(liveSessionQuestions.body, text))),
  }),
  formCase("live_session_questions.answer", "POST /sessions/:id (answer)", {
    user: () => member,
    handler: sessionAction as RouteHandler,
    url: () => `/sessions/${ids.session}`,
    params: () => ({ sessionId: String(ids.session) }),
    fields: () => ({ intent: "answer", questionId: String(ids.liveQuestion) }),
    stored: (text) => has(t.db.select({ id: liveSessionQuestions.id }).from(liveSessionQuestions).where(eq(liveSessionQuestions.answer, text))),
  }),
  // A draft publication of a question for the public forum: each part's text.
  formCase("publication_parts.body", "POST /publications/:id (save)", {
    user: () => admin,
    handler: publicationAction as RouteHandler,
    url: () => `/publications/${ids.publication}`,
    params: () => ({ publicationId: String(ids.publication) }),
    field: () => partBodyField(revisionOf.part),
    fields: () => ({
      intent: "save",
      revision: String(revisionOf.publication),
      title: "How deep may a quote go in a public answer?",
      partId: String(revisionOf.part),
      [partIncludedField(revisionOf.part)]: "on",
    }),
    stored: async (text) => {
      const found = await has(t.db.select({ id: publicationParts.id }).from(publicationParts).where(eq(publicationParts.body, text)));
      if (found) revisionOf.publication = (await getPublication(t.db, admin, ids.publication)).revision;
      return found;
    },
  }),
  // An answer posted on a customer's forum question from the responders' queue: no source column, only its HTML.
  formCase("forum_answers.bodyHtml", "POST /forum/queue/:id (answer)", {
    user: () => member,
    handler: queueThreadAction as RouteHandler,
    url: () => `/forum/queue/${customerThreadId}`,
    params: () => ({ threadId: String(customerThreadId) }),
    fields: () => ({ intent: "answer", confirmed: "on" }),
    stored: async (text) => {
      const rows = await t.db.select({ html: forumAnswers.bodyHtml }).from(forumAnswers).where(eq(forumAnswers.threadId, customerThreadId));
      const said = /number \d+/.exec(text)?.[0];
      return said !== undefined && rows.some((r) => r.html.includes(said) && (r.html.match(/<blockquote>/g) ?? []).length === MARKDOWN_MAX_DEPTH);
    },
  }),
  // The public forum: a customer's question, a comment on a thread, a question in a live session.
  forumCase(
    "forum_threads.body",
    "/ask",
    (text) => ({ title: `How deep may a quote go, in ${text.length} letters?`, body: text, topics: "" }),
    (text) => has(t.db.select({ id: forumThreads.id }).from(forumThreads).where(eq(forumThreads.body, text))),
  ),
  forumCase(
    "forum_comments.body",
    () => `/t/${forumThreadId}/comments`,
    (text) => ({ body: text }),
    (text) => has(t.db.select({ id: forumComments.id }).from(forumComments).where(eq(forumComments.body, text))),
  ),
  forumCase(
    "live_session_questions.body",
    () => `/sessions/${forumSessionId}/questions`,
    (text) => ({ body: text }),
    (text) => has(t.db.select({ id: liveSessionQuestions.id }).from(liveSessionQuestions).where(eq(liveSessionQuestions.body, text))),
  ),
];

const day = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

/** The award round form as a browser sends it: nominations open now for a week, then a week of voting. */
const roundFields = (title: string) => ({
  title,
  reward: "Dinner for two",
  nomineeScope: "everyone",
  votesPerVoter: "1",
  winnerCount: "1",
  nominationsOpenAt: local(-60_000),
  nominationsCloseAt: local(7 * DAY),
  votingOpenAt: local(7 * DAY),
  votingCloseAt: local(14 * DAY),
  resultsAt: local(14 * DAY),
});

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
  hr = await createUser(t.db, { name: "Hana HR" }, "hr");
  member = await createUser(t.db, { name: "Mia Member" }, "moderator");
  colleague = await createUser(t.db, { name: "Cole Colleague" });
  space = await createSpace(t.db, { slug: "limits", moderators: [admin, member] });
  await createTags(t.db, ["limits"]);
  ids.question = await createQuestion(t.db, { author: member, space, tags: ["limits"] });
  ids.questionItem = (await t.db.select({ itemId: posts.itemId }).from(posts).where(eq(posts.id, ids.question)))[0]!.itemId;
  ids.answer = await createAnswer(t.db, { author: member, questionId: ids.question });
  ids.article = await createArticle(t.db, { author: member, space, tags: ["limits"] });
  ids.page = await createWikiPage(t.db, { author: member, space, title: "The nesting page" });
  ids.conflictPage = await createWikiPage(t.db, { author: member, space, title: "The conflicting page" });
  const suggestion = SuggestSchema.parse({ title: "The conflicting page", body: "A suggested first line.", comment: "Clearer", baseRevision: "1" });
  ids.conflictSuggestion = (await submitSuggestion(t.db, colleague, ids.conflictPage, suggestion)).id;
  await savePage(t.db, member, ids.conflictPage, EditPageSchema.parse({ title: "The conflicting page", body: "Changed meanwhile by an owner.", comment: "", baseRevision: "1" }));
  ids.suggestion = (
    await submitSuggestion(t.db, colleague, ids.page, SuggestSchema.parse({ title: "The nesting page", body: "A better first line.", comment: "Clearer", baseRevision: "1" }))
  ).id;
  ids.template = (await createTemplate(t.db, member, NewTemplateSchema.parse({ name: "The nesting template", body: "## Why", space: space.slug }))).id;
  ids.campaign = await createCampaign(t.db, { sponsor: admin, space });
  ids.idea = await createIdea(t.db, { author: colleague, campaignId: ids.campaign, tags: ["limits"] });
  ids.value = (await createValue(t.db, { name: "Depth" })).id;
  ids.round = (await createRound(t.db, hr, RoundSchema.parse({ ...roundFields("The nesting hero"), description: "Who went deepest?" }))).id;
  ids.session = (
    await scheduleSession(
      t.db,
      member,
      SessionSchema.parse({ title: "Ask about nesting", topic: "limits", audience: "internal", space: space.slug, startsAt: local(-HOUR), endsAt: local(HOUR), experts: handle(member) }),
    )
  ).id;
  await moveSession(t.db, member, ids.session, "start");
  ids.liveQuestion = (await askLiveQuestion(t.db, colleague, ids.session, { body: "How deep may a quote go?" })).id;
  ids.publication = (await proposePublication(t.db, admin, ids.question)).id;
  const draft = await getPublication(t.db, admin, ids.publication);
  revisionOf.publication = draft.revision;
  revisionOf.part = draft.parts[0]!.id;
  const [account] = await t.db
    .insert(forumAccounts)
    .values({ email: "deep@customer.example", name: "Dee Customer", passwordHash: "not-a-hash", verifiedAt: new Date(), trustedAt: new Date() })
    .returning();
  customerCookie = `${FORUM_SESSION_COOKIE}=${(await createForumSession(t.db, account!.id)).token}`;
  const [thread] = await t.db
    .insert(forumThreads)
    .values({ slug: "how-deep", title: "How deep?", bodyHtml: "<p>How deep may a quote go?</p>", authorName: "A customer", askedAt: new Date() })
    .returning();
  forumThreadId = thread!.id;
  const [asked] = await t.db
    .insert(forumThreads)
    .values({
      slug: "how-deep-asked",
      title: "How deep, asked?",
      body: "How deep may a quote go?",
      bodyHtml: "<p>How deep may a quote go?</p>",
      authorName: "Dee Customer",
      askedAt: new Date(),
      origin: "customer",
      accountId: account!.id,
      tags: ["limits"],
    })
    .returning();
  customerThreadId = asked!.id;
  await t.db.insert(forumResponders).values({ topic: "limits", userId: member.id });
  anonymousSpace = await createSpace(t.db, { slug: "limits-anonymous", anonymousQuestions: true });
  forumSessionId = (
    await scheduleSession(
      t.db,
      member,
      SessionSchema.parse({ title: "Ask about nesting, in public", topic: "limits", audience: "forum", startsAt: local(-HOUR), endsAt: local(HOUR), experts: handle(member) }),
    )
  ).id;
  await moveSession(t.db, member, forumSessionId, "start");
  ({ forum, base: forumBase } = await startTestForum(t));
  await watchWrites();
});

afterAll(async () => {
  await forum?.stop();
});

test("every markdown source column of tests/xss-fields.ts has a case here", () => {
  const covered = new Set(cases.map((c) => c.column));
  const missing = markdownSources().filter((c) => !covered.has(c));
  expect(missing, "give these markdown columns a case in tests/integration/markdown-limits.test.ts, one per write path").toEqual([]);
  const unknown = [...covered, ...Object.keys(NOT_WRITTEN_BY_PEOPLE)].filter((c) => XSS_FIELDS[c]?.kind !== "markdown");
  expect(unknown, "these are not markdown columns of tests/xss-fields.ts").toEqual([]);
});

/** What a refusal said about `field`, by the kind of path; fails the test when the path did not refuse. */
async function refusal(c: Case, text: string): Promise<string> {
  const { value, error } = await settle(c.submit(text));
  const field = c.fieldName();
  if (c.kind === "form") {
    expect(error, `${c.path} threw ${String(error)}`).toBeNull();
    const reply = value as { data?: { fieldErrors?: Record<string, string>; values?: Record<string, string> }; init?: { status?: number } };
    expect(reply.init?.status).toBe(400);
    // The form comes back with the text as typed.
    expect(reply.data?.values?.[field]).toBe(text);
    return reply.data?.fieldErrors?.[field] ?? "";
  }
  if (c.kind === "api") {
    if (error instanceof InputError) return error.fieldErrors[field] ?? "";
    expect(error, `${c.path} answered ${JSON.stringify(value)?.slice(0, 200)}`).toBeInstanceOf(ZodError);
    return (error as ZodError).issues.find((i) => i.path[0] === field)?.message ?? "";
  }
  if (c.kind === "forum") {
    expect(error, `${c.path} threw ${String(error)}`).toBeNull();
    const reply = value as { status: number; html: string };
    expect(reply.status).toBe(400);
    // The page comes back with the text as typed (and the message, somewhere on it).
    expect(reply.html.includes(escaped(text)), `${c.path}: the typed text is not on the page`).toBe(true);
    // What the page says besides the typed text.
    return reply.html.replaceAll(escaped(text), "");
  }
  const result = value as { isError?: boolean; content: Array<{ text?: string }> };
  expect(result.isError).toBe(true);
  return result.content.map((p) => p.text ?? "").join("\n");
}

describe.each(cases)("$column through $path", (c) => {
  test("nested one level too deep: refused on the field with the depth message, the text kept, nothing written", async () => {
    const mark = await writeMark();
    expect(await refusal(c, TOO_DEEP)).toMatch(DEPTH_MESSAGE);
    expect(await writesSince(mark)).toEqual([]);
    expect(await c.stored(TOO_DEEP)).toBe(false);
  });

  test("longer than the limit: refused the same way", async () => {
    const mark = await writeMark();
    expect(await refusal(c, TOO_LONG)).toMatch(/characters/);
    expect(await writesSince(mark)).toEqual([]);
    expect(await c.stored(TOO_LONG)).toBe(false);
  });

  test("nested exactly as deep as allowed: stored", async () => {
    const text = DEEPEST(cases.indexOf(c));
    const { value, error } = await settle(c.submit(text));
    if (error instanceof Error) throw error;
    expect(await c.stored(text), `${c.path} did not store the text: ${JSON.stringify(value)?.slice(0, 300)}`).toBe(true);
  });
});
