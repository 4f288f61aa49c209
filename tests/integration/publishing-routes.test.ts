import { and, count, eq } from "drizzle-orm";
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createMemoryRouter, Outlet, RouterProvider, useActionData, useLoaderData } from "react-router";
import { beforeAll, describe, expect, test } from "vitest";
import type { Db } from "#db/client.server.ts";
import { confidentialTerms, forumAccounts, forumComments, publicationEvents, publicationFlags, publications, tagSmes, tags } from "#db/schema/index.ts";
import { proposePublication } from "#app/features/publishing/publishing.server.ts";
import { slugify } from "#app/features/qa/question-url.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import AdminPublishingRoute, { action as adminAction, loader as adminLoader } from "#app/routes/admin/publishing.tsx";
import { action as feedbackAction, loader as feedbackLoader } from "#app/routes/publications/feedback.tsx";
import { loader as listLoader } from "#app/routes/publications/index.tsx";
import { action as newAction, loader as newLoader } from "#app/routes/publications/new.tsx";
import PublicationRoute, { action as pubAction, loader as pubLoader } from "#app/routes/publications/publication.tsx";
import { loader as questionLoader } from "#app/routes/questions/question.tsx";
import { setupTestDb } from "#tests/db.ts";
import { browserOf, postAs, redirectTarget, requestAs, routeCaller, thrown } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { executable, parseScreen, payloads, problems, rendersAsText } from "#tests/xss-render.ts";

/**
 * The publishing pages (app/routes/publications, app/routes/admin/publishing.tsx, the question
 * page's banner), called the way React Router calls them: a draft worked through every form by the
 * people of a restricted space; everyone else gets the 404 of a missing draft (or is sent home, or
 * to sign-in) and writes nothing; the forms keep what was typed when they refuse it; and every XSS
 * payload through the editor, the consent label, a flag's reason, the term lists and the host
 * patterns renders inert. The workflow's own rules are tested in publishing.test.ts.
 */
const t = setupTestDb();
const run = routeCaller(t);

type User = Awaited<ReturnType<typeof createUser>>;
type Failure = { ok: false; fieldErrors: Record<string, string>; formError?: string; values: Record<string, string>; meanwhile?: { revision: number; title: string } | null };
type View = {
  id: number;
  status: string;
  revision: number;
  title: string;
  parts: Array<{ id: number; kind: string; body: string; bodyHtml: string; included: boolean }>;
  flags: Array<{ id: number; detector: string; status: string; match: string; reason: string }>;
  consents: Array<{ user: { id: number }; choice: string; genericLabel: string }>;
  can: { edit: boolean; approve: boolean; approveAs: string | null; consent: boolean; unpublish: boolean };
  blockers: string[];
  threadUrl: string | null;
};

const QUESTION_TITLE = "How do we roll back a failed deploy safely?";

/** A restricted space with a question whose answer holds an email address and an internal host. */
async function world() {
  const asker = await createUser(t.db, { name: "Asha Asker", title: "Support Engineer" });
  const answerer = await createUser(t.db, { name: "Arne Answerer", title: "Site Reliability Engineer" });
  const sme = await createUser(t.db, { name: "Sami Expert" });
  const mod = await createUser(t.db, { name: "Mona Moderator" });
  const outsider = await createUser(t.db);
  const customer = await createUser(t.db, {}, "customer");
  const gone = await createUser(t.db, {}, "deactivated");
  const space = await createSpace(t.db, { members: [asker, answerer, sme, gone], moderators: [mod] }, "restricted");
  const tag = `deploys-${space.id}`;
  const questionId = await createQuestion(t.db, {
    author: asker,
    space,
    title: QUESTION_TITLE,
    body: "Our deploy failed halfway and the old version is gone. What is the safe way back?",
    tags: [tag],
  });
  await createAnswer(t.db, {
    author: answerer,
    questionId,
    body: "Redeploy the previous build from the release page.\n\nIf it is stuck, mail ops@northwind.com or run it on build-01.corp.",
  });
  const [tagRow] = await t.db.select({ id: tags.id }).from(tags).where(eq(tags.name, tag));
  await t.db.insert(tagSmes).values({ tagId: tagRow!.id, userId: sme.id, source: "assigned" });
  return { asker, answerer, sme, mod, outsider, customer, gone, space, questionId };
}

const draftPath = (id: number) => `/publications/${id}`;
const params = (id: number) => ({ publicationId: String(id) });

async function view(user: User, id: number): Promise<View> {
  return ((await run(pubLoader, await requestAs(t.db, user, draftPath(id)), params(id))) as unknown as { view: View }).view;
}

/** A form on the draft's page, posted by `user`: the redirect's target, or the refusal with its status. */
async function submit(user: User, id: number, fields: Record<string, string>): Promise<{ to: string } | { status: number; failure: Failure }> {
  const outcome = await run(pubAction, await postAs(t.db, user, draftPath(id), fields), params(id)).then(
    (reply) => ({ reply }),
    (error: unknown) => ({ error }),
  );
  if ("error" in outcome) {
    const to = redirectTarget(outcome.error);
    if (to === null) throw outcome.error;
    return { to };
  }
  return { status: outcome.reply.init?.status ?? 200, failure: outcome.reply.data as unknown as Failure };
}

async function refused(user: User, id: number, fields: Record<string, string>): Promise<Failure> {
  const result = await submit(user, id, fields);
  expect(result, JSON.stringify(result)).toHaveProperty("status", 400);
  return (result as { failure: Failure }).failure;
}

async function accepted(user: User, id: number, fields: Record<string, string>): Promise<void> {
  const result = await submit(user, id, fields);
  expect(result, JSON.stringify(result)).toEqual({ to: draftPath(id) });
}

/** The editor's fields as the page fills them, with `changes` on top. */
function editorFields(v: View, changes: Record<string, string> = {}): Record<string, string> {
  const fields: Record<string, string> = { intent: "save", revision: String(v.revision), title: v.title, expiresAt: "" };
  for (const part of v.parts) {
    fields[`part-${part.id}-body`] = part.body;
    if (part.included) fields[`part-${part.id}-included`] = "on";
  }
  return { ...fields, ...changes };
}

/** The editor's form carries every part's id: URLSearchParams from entries, so `partId` repeats. */
function editorBody(fields: Record<string, string>, v: View): URLSearchParams {
  const body = new URLSearchParams(fields);
  for (const part of v.parts) body.append("partId", String(part.id));
  return body;
}

async function save(user: User, v: View, changes: Record<string, string> = {}) {
  const browser = await browserOf(t.db, user);
  const request = browser.post(draftPath(v.id), {});
  const withParts = new Request(request.url, { method: "POST", headers: request.headers, body: editorBody(editorFields(v, changes), v) });
  return run(pubAction, withParts, params(v.id)).then(
    (reply) => ({ status: reply.init?.status ?? 200, failure: reply.data as unknown as Failure }),
    (error: unknown) => {
      const to = redirectTarget(error);
      if (to === null) throw error;
      return { to };
    },
  );
}

/** A route component rendered as the app renders it, with its loader's data and an action's answer. */
function render(Component: ComponentType<never>, loaderData: unknown, user: { id: number; name: string; role: string }, actionData?: unknown): string {
  function Page() {
    return createElement(Component, { loaderData: useLoaderData(), actionData: useActionData(), params: {}, matches: [] } as never);
  }
  const router = createMemoryRouter([{ id: "root", path: "/", loader: () => null, Component: Outlet, children: [{ id: "page", path: "*", loader: () => null, Component: Page }] }], {
    initialEntries: ["/page"],
    hydrationData: { loaderData: { root: { user: { ...user, kind: "employee" } }, page: loaderData }, ...(actionData === undefined ? {} : { actionData: { page: actionData } }) },
  });
  return renderToStaticMarkup(createElement(RouterProvider, { router }));
}

async function renderDraft(user: User, id: number, actionData?: unknown): Promise<string> {
  const data = await run(pubLoader, await requestAs(t.db, user, draftPath(id)), params(id));
  return render(PublicationRoute as ComponentType<never>, data, user, actionData);
}

async function writes(db: Db) {
  const [pubs] = await db.select({ n: count() }).from(publications);
  const [events] = await db.select({ n: count() }).from(publicationEvents);
  return { publications: pubs!.n, events: events!.n };
}

describe("a draft, worked through the pages by the people of a restricted space", () => {
  test("proposed from the question, flags resolved, consents given, approved twice, a republication diffed and discarded, feedback read, unpublished", { timeout: 60_000 }, async () => {
    const w = await world();
    const questionPath = `/questions/${w.questionId}/${slugify(QUESTION_TITLE)}`;
    const questionParams = { questionId: String(w.questionId), slug: slugify(QUESTION_TITLE) };
    const banner = async (user: User) => ((await run(questionLoader, await requestAs(t.db, user, questionPath), questionParams)) as unknown as { publication: unknown }).publication;
    expect(await banner(w.asker)).toEqual({ published: null, draft: null, canPropose: true });

    // Proposing makes the draft and opens it; a second proposal opens the same one.
    const to = await redirectTarget(await thrown(run(newAction, await postAs(t.db, w.asker, "/publications/new", { questionId: String(w.questionId) }))));
    expect(to).toMatch(/^\/publications\/\d+$/);
    const id = Number(to!.split("/")[2]);
    expect(redirectTarget(await thrown(run(newAction, await postAs(t.db, w.mod, "/publications/new", { questionId: String(w.questionId) }))))).toBe(to);
    expect(redirectTarget(await thrown(run(newLoader, await requestAs(t.db, w.asker, "/publications/new"))))).toBe("/publications");
    expect(await banner(w.answerer)).toEqual({ published: null, draft: { id }, canPropose: false });

    // The proposer's list says what blocks it, in words; the answerer is asked.
    const mine = (await run(listLoader, await requestAs(t.db, w.asker, "/publications"))) as unknown as { rows: Array<{ id: number; blockers: string[] }> };
    expect(mine.rows.map((r) => r.id)).toEqual([id]);
    expect(mine.rows[0]!.blockers).toEqual(expect.arrayContaining(["2 flags are open", "Waiting for Arne Answerer to answer"]));
    const asked = (await run(listLoader, await requestAs(t.db, w.answerer, "/publications?tab=consent"))) as unknown as { rows: Array<{ id: number }>; tab: string };
    expect(asked).toMatchObject({ tab: "consent", rows: [{ id }] });

    // The answerer's page: the flags with their excerpt marked, and the consent form.
    const draft = await view(w.answerer, id);
    expect(draft.flags.map((f) => [f.detector, f.match, f.status])).toEqual(
      expect.arrayContaining([
        ["email", "ops@northwind.com", "open"],
        ["internal_host", "build-01.corp", "open"],
      ]),
    );
    const screen = parseScreen(await renderDraft(w.answerer, id));
    expect([...screen.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(expect.arrayContaining(["ops@northwind.com", "build-01.corp"]));
    const radios = [...screen.querySelectorAll<HTMLInputElement>('input[type="radio"][name="choice"]')].map((r) => screen.querySelector(`label[for="${r.id}"]`)?.textContent);
    expect(radios).toEqual([expect.stringContaining("By name and title"), "Without my name", expect.stringContaining("Not at all")]);
    expect(screen.querySelector('input[name="genericLabel"]')).not.toBeNull();
    // Only editors get the redact and accept forms; the answerer only sees the findings.
    expect(screen.querySelector('input[name="intent"][value="redact"]')).toBeNull();

    // Accepting without a reason, or with too short a one, is refused beside the field, the reason kept.
    const [email, host] = ["email", "internal_host"].map((d) => draft.flags.find((f) => f.detector === d)!);
    expect((await refused(w.asker, id, { intent: "accept", flagId: String(email!.id), reason: "" })).fieldErrors.reason).toMatch(/Write why/);
    const short = await refused(w.asker, id, { intent: "accept", flagId: String(email!.id), reason: "ok" });
    expect(short.fieldErrors.reason).toMatch(/at least 5/);
    expect(short.values.reason).toBe("ok");
    const acceptForm = parseScreen(await renderDraft(w.asker, id, { ...short, intent: "accept", flagId: email!.id, meanwhile: null }));
    expect(acceptForm.querySelector<HTMLTextAreaElement>('textarea[name="reason"][aria-invalid="true"]')?.value).toBe("ok");
    expect((await view(w.asker, id)).flags.find((f) => f.id === email!.id)?.status).toBe("open");
    await accepted(w.asker, id, { intent: "accept", flagId: String(email!.id), reason: "The public support address" });
    await accepted(w.asker, id, { intent: "redact", flagId: String(host!.id) });
    const resolved = await view(w.asker, id);
    expect(resolved.flags.filter((f) => f.status === "open")).toEqual([]);
    expect(resolved.parts[1]!.body).toContain("run it on [redacted].");

    // A save over someone else's: refused, nothing saved, the typed text kept beside the text saved meanwhile.
    expect(await save(w.mod, resolved, { title: "Rolling back a failed deploy, safely" })).toEqual({ to: draftPath(id) });
    const stale = await save(w.asker, resolved, { title: "The asker's own better title", [`part-${resolved.parts[0]!.id}-body`]: "Typed by the asker meanwhile." });
    expect(stale).toMatchObject({
      status: 400,
      failure: { formError: expect.stringMatching(/changed since you opened it/), meanwhile: { revision: resolved.revision + 1, title: "Rolling back a failed deploy, safely" } },
    });
    const failure = (stale as { failure: Failure }).failure;
    expect(failure.values.title).toBe("The asker's own better title");
    expect((await view(w.asker, id)).title).toBe("Rolling back a failed deploy, safely");
    const staleScreen = parseScreen(await renderDraft(w.asker, id, { ...failure, intent: "save" }));
    expect(staleScreen.querySelector<HTMLInputElement>('input[name="title"]')?.value).toBe("The asker's own better title");
    expect(staleScreen.querySelector<HTMLTextAreaElement>(`textarea[name="part-${resolved.parts[0]!.id}-body"]`)?.value).toBe("Typed by the asker meanwhile.");
    expect(staleScreen.querySelector<HTMLInputElement>('input[name="revision"]')?.value).toBe(String(resolved.revision + 1));
    expect(staleScreen.textContent).toContain("This draft changed since you opened it");

    // Consents: the asker by name, the answerer without theirs; a label the form can't take comes back.
    await accepted(w.asker, id, { intent: "consent", choice: "named" });
    const badLabel = await refused(w.answerer, id, { intent: "consent", choice: "generic", genericLabel: "<b>boss</b>" });
    expect(badLabel.fieldErrors.genericLabel).toMatch(/letters, spaces and hyphens/);
    expect(badLabel.values.genericLabel).toBe("<b>boss</b>");
    await accepted(w.answerer, id, { intent: "consent", choice: "generic", genericLabel: "site reliability engineer" });
    const ready = await view(w.mod, id);
    expect(ready.blockers).toEqual([]);
    expect(ready.can).toMatchObject({ approve: true, approveAs: "moderator" });
    expect(parseScreen(await renderDraft(w.mod, id)).textContent).toContain("Answer by A Northwind site reliability engineer");

    // The proposer can't approve; the moderator and the SME can, and the second approval publishes.
    expect((await view(w.asker, id)).can.approve).toBe(false);
    await accepted(w.mod, id, { intent: "approve", revision: String(ready.revision) });
    await accepted(w.sme, id, { intent: "approve", revision: String(ready.revision) });
    const published = await view(w.asker, id);
    expect(published.status).toBe("published");
    expect(published.threadUrl).toMatch(/\/t\/\d+\/rolling-back-a-failed-deploy-safely$/);
    expect(await banner(w.answerer)).toMatchObject({ published: { threadUrl: published.threadUrl, publicationId: id }, draft: null, canPropose: true });
    const listed = (await run(listLoader, await requestAs(t.db, w.outsider, "/publications?tab=published"))) as unknown as { rows: unknown[] };
    expect(listed.rows).toEqual([]);

    // Proposing it again is a republication: the page shows its changes against what is public, in words too; then it is discarded.
    const again = Number((await redirectTarget(await thrown(run(newAction, await postAs(t.db, w.mod, "/publications/new", { questionId: String(w.questionId) })))))!.split("/")[2]);
    expect(again).not.toBe(id);
    const second = await view(w.mod, again);
    expect(await save(w.mod, second, { [`part-${second.parts[0]!.id}-body`]: "Our deploy failed halfway. What is the safe way back?" })).toEqual({ to: draftPath(again) });
    const diff = parseScreen(await renderDraft(w.mod, again)).querySelector('[aria-labelledby="diff-heading"]');
    expect(diff?.textContent).toContain("Removed: Our deploy failed halfway and the old version is gone. What is the safe way back?");
    expect(diff?.textContent).toContain("Added: Our deploy failed halfway. What is the safe way back?");
    expect(await submit(w.mod, again, { intent: "discard" })).toEqual({ to: "/publications" });
    expect((await view(w.mod, again)).status).toBe("discarded");

    // A customer's comment reaches the feedback queue; hiding it and marking the thread reviewed clear it.
    const threadId = Number(/\/t\/(\d+)\//.exec(published.threadUrl!)![1]);
    const [account] = await t.db.insert(forumAccounts).values({ email: "cora@customer.example", name: "Cora Customer", passwordHash: "x", verifiedAt: new Date() }).returning();
    const [comment] = await t.db.insert(forumComments).values({ threadId, accountId: account!.id, body: "Worked for us", bodyHtml: "<p>Worked for us</p>" }).returning();
    await t.db.insert(forumComments).values({ threadId, accountId: account!.id, body: "Thanks", bodyHtml: "<p>Thanks</p>" });
    const queue = (await run(feedbackLoader, await requestAs(t.db, w.asker, "/publications/feedback"))) as unknown as {
      threads: Array<{ threadId: number; newComments: Array<{ id: number }> }>;
    };
    expect(queue.threads.map((q) => [q.threadId, q.newComments.length])).toEqual([[threadId, 2]]);
    expect(((await run(feedbackLoader, await requestAs(t.db, w.outsider, "/publications/feedback"))) as unknown as { threads: unknown[] }).threads).toEqual([]);
    const hide = { intent: "hide", commentId: String(comment!.id), threadId: String(threadId) };
    expect(await thrown(run(feedbackAction, await postAs(t.db, w.outsider, "/publications/feedback", hide)))).toBeInstanceOf(NotFoundError);
    expect(redirectTarget(await thrown(run(feedbackAction, await postAs(t.db, w.mod, "/publications/feedback", hide))))).toBe("/publications/feedback");
    const [hidden] = await t.db.select({ deletedAt: forumComments.deletedAt }).from(forumComments).where(eq(forumComments.id, comment!.id));
    expect(hidden!.deletedAt).not.toBeNull();
    await thrown(run(feedbackAction, await postAs(t.db, w.asker, "/publications/feedback", { intent: "reviewed", threadId: String(threadId) })));
    expect(((await run(feedbackLoader, await requestAs(t.db, w.asker, "/publications/feedback"))) as unknown as { threads: unknown[] }).threads).toEqual([]);

    // Unpublishing needs a reason; with one, the thread is withdrawn.
    const noReason = await refused(w.mod, id, { intent: "unpublish", reason: " " });
    expect(noReason.fieldErrors.reason).toBeDefined();
    await accepted(w.mod, id, { intent: "unpublish", reason: "The procedure changed" });
    expect((await view(w.asker, id)).status).toBe("withdrawn");
    expect(await banner(w.asker)).toEqual({ published: null, draft: null, canPropose: true });
  });
});

describe("who reaches the pages", () => {
  let w: Awaited<ReturnType<typeof world>>;
  let id: number;
  beforeAll(async () => {
    w = await world();
    ({ id } = await proposePublication(t.db, w.asker, w.questionId));
  });

  const intents = (flagId: number): Array<Record<string, string>> => [
    { intent: "save", revision: "1", title: "An outsider's title here", partId: "1", "part-1-body": "x" },
    { intent: "redact", flagId: String(flagId) },
    { intent: "accept", flagId: String(flagId), reason: "Because I say so" },
    { intent: "consent", choice: "named" },
    { intent: "approve", revision: "1" },
    { intent: "unpublish", reason: "Because I say so" },
    { intent: "discard" },
  ];

  test("a member of the space opens the draft and the lists; someone outside it gets the 404 of a missing draft and writes nothing", async () => {
    expect((await view(w.mod, id)).id).toBe(id);
    const review = (await run(listLoader, await requestAs(t.db, w.mod, "/publications?tab=review"))) as unknown as { rows: Array<{ id: number }> };
    expect(review.rows.map((r) => r.id)).toContain(id);

    const before = await writes(t.db);
    const hidden = await thrown(run(pubLoader, await requestAs(t.db, w.outsider, draftPath(id)), params(id)));
    const missing = await thrown(run(pubLoader, await requestAs(t.db, w.outsider, draftPath(999_999)), params(999_999)));
    expect(hidden).toBeInstanceOf(NotFoundError);
    expect(hidden).toEqual(missing);
    expect(await thrown(run(pubLoader, await requestAs(t.db, w.outsider, "/publications/abc"), { publicationId: "abc" }))).toBeInstanceOf(NotFoundError);
    expect(await thrown(run(newAction, await postAs(t.db, w.outsider, "/publications/new", { questionId: String(w.questionId) })))).toBeInstanceOf(NotFoundError);
    const [flag] = await t.db.select({ id: publicationFlags.id }).from(publicationFlags).where(eq(publicationFlags.publicationId, id)).limit(1);
    for (const fields of intents(flag!.id)) {
      expect(await thrown(run(pubAction, await postAs(t.db, w.outsider, draftPath(id), fields), params(id))), fields.intent).toBeInstanceOf(NotFoundError);
    }
    for (const tab of ["mine", "review", "consent", "published"]) {
      const list = (await run(listLoader, await requestAs(t.db, w.outsider, `/publications?tab=${tab}`))) as unknown as { rows: unknown[] };
      expect(list.rows, tab).toEqual([]);
    }
    expect(await writes(t.db)).toEqual(before);
  });

  test("a customer is sent home and a deactivated account to sign-in, from every page and form", async () => {
    const [flag] = await t.db.select({ id: publicationFlags.id }).from(publicationFlags).where(eq(publicationFlags.publicationId, id)).limit(1);
    const before = await writes(t.db);
    for (const [user, target] of [
      [w.customer, /^\/$/],
      [w.gone, /^\/sign-in\?redirectTo=/],
    ] as const) {
      const pages: Array<[(args: never) => unknown, string, Record<string, string>]> = [
        [listLoader, "/publications", {}],
        [newLoader, "/publications/new", {}],
        [pubLoader, draftPath(id), params(id)],
        [feedbackLoader, "/publications/feedback", {}],
        [adminLoader, "/admin/publishing", {}],
      ];
      for (const [loader, path, p] of pages) expect(redirectTarget(await thrown(run(loader, await requestAs(t.db, user, path), p))), path).toMatch(target);
      const forms: Array<[(args: never) => unknown, string, Record<string, string>, Record<string, string>]> = [
        [newAction, "/publications/new", { questionId: String(w.questionId) }, {}],
        ...intents(flag!.id).map((fields) => [pubAction, draftPath(id), fields, params(id)] as [(args: never) => unknown, string, Record<string, string>, Record<string, string>]),
        [feedbackAction, "/publications/feedback", { intent: "reviewed", threadId: "1" }, {}],
        [adminAction, "/admin/publishing", { intent: "add-term", kind: "customer", term: "Initech" }, {}],
      ];
      for (const [action, path, fields, p] of forms) expect(redirectTarget(await thrown(run(action, await postAs(t.db, user, path, fields), p))), path).toMatch(target);
    }
    expect(await writes(t.db)).toEqual(before);
    expect(await t.db.select().from(confidentialTerms)).toEqual([]);
  });

  test("the admin page answers 404 to a member, HR and a moderator, and they change nothing", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const siteMod = await createUser(t.db, {}, "moderator");
    for (const user of [w.asker, hr, siteMod]) {
      expect(await thrown(run(adminLoader, await requestAs(t.db, user, "/admin/publishing")))).toBeInstanceOf(NotFoundError);
      expect(await thrown(run(adminAction, await postAs(t.db, user, "/admin/publishing", { intent: "add-term", kind: "customer", term: "Initech" })))).toBeInstanceOf(NotFoundError);
      expect(await thrown(run(adminAction, await postAs(t.db, user, "/admin/publishing", { intent: "save-settings", internalHosts: "*.evil", internalIpRanges: "" })))).toBeInstanceOf(
        NotFoundError,
      );
    }
    expect(await t.db.select().from(confidentialTerms)).toEqual([]);
  });
});

describe("the admin page", () => {
  test("saves the address lists, keeps a refused one as typed, adds and removes terms, and refuses a duplicate beside the field", async () => {
    const admin = await createUser(t.db, { name: "Ada Admin" }, "admin");
    const post = async (fields: Record<string, string>) => run(adminAction, await postAs(t.db, admin, "/admin/publishing", fields));
    const load = async () =>
      (await run(adminLoader, await requestAs(t.db, admin, "/admin/publishing"))) as unknown as {
        settings: { internalHosts: string[]; internalIpRanges: string[] };
        customers: Array<{ id: number; term: string }>;
        codenames: Array<{ id: number; term: string }>;
      };
    const saved = await post({ intent: "save-settings", internalHosts: "*.corp\n\n  intranet.northwind.com  \n", internalIpRanges: "100.64.0.0/10" });
    expect(saved).toMatchObject({ ok: true });
    expect((await load()).settings).toEqual({ internalHosts: ["*.corp", "intranet.northwind.com"], internalIpRanges: ["100.64.0.0/10"] });

    const bad = await post({ intent: "save-settings", internalHosts: "*.corp\nnot a host!", internalIpRanges: "10.0.0.0/99" });
    expect(bad.init?.status).toBe(400);
    const failure = bad.data as unknown as Failure;
    expect(Object.keys(failure.fieldErrors).some((k) => k.startsWith("internalHosts"))).toBe(true);
    expect(Object.keys(failure.fieldErrors).some((k) => k.startsWith("internalIpRanges"))).toBe(true);
    expect(failure.values).toMatchObject({ internalHosts: "*.corp\nnot a host!", internalIpRanges: "10.0.0.0/99" });
    expect((await load()).settings.internalHosts).toEqual(["*.corp", "intranet.northwind.com"]);
    const screen = parseScreen(render(AdminPublishingRoute as ComponentType<never>, await load(), admin, { ...failure, intent: "save-settings", kind: null }));
    expect(screen.querySelector<HTMLTextAreaElement>('textarea[name="internalHosts"]')?.value).toBe("*.corp\nnot a host!");
    expect(screen.querySelector('textarea[name="internalHosts"]')?.getAttribute("aria-invalid")).toBe("true");

    expect(await post({ intent: "add-term", kind: "customer", term: "Globex Corporation" })).toMatchObject({ ok: true });
    expect(await post({ intent: "add-term", kind: "codename", term: "Bluebird" })).toMatchObject({ ok: true });
    const duplicate = await post({ intent: "add-term", kind: "customer", term: "globex corporation" });
    expect(duplicate.init?.status).toBe(400);
    expect(duplicate.data).toMatchObject({ kind: "customer", values: { term: "globex corporation" } });
    expect(Object.values((duplicate.data as unknown as Failure).fieldErrors).length + ((duplicate.data as unknown as Failure).formError ? 1 : 0)).toBeGreaterThan(0);
    const lists = await load();
    expect(lists.customers.map((c) => c.term)).toEqual(["Globex Corporation"]);
    expect(lists.codenames.map((c) => c.term)).toEqual(["Bluebird"]);
    expect(await post({ intent: "remove-term", id: String(lists.codenames[0]!.id) })).toMatchObject({ ok: true });
    expect((await load()).codenames).toEqual([]);
    // Leave no terms behind for the other tests' scans.
    expect(await post({ intent: "remove-term", id: String(lists.customers[0]!.id) })).toMatchObject({ ok: true });
    expect(await post({ intent: "save-settings", internalHosts: (await load()).settings.internalHosts.join("\n"), internalIpRanges: "" })).toMatchObject({ ok: true });
  });
});

describe("every XSS payload through the publishing pages comes out inert", () => {
  let admin: User;
  beforeAll(async () => {
    admin = await createUser(t.db, { name: "Xena Admin" }, "admin");
  });

  /** An open space's question with `answers` answers (by as many people), proposed by the admin: the draft's id. */
  async function draftOf(answers: string[]) {
    const space = await createSpace(t.db);
    const questionId = await createQuestion(t.db, { author: admin, space, title: "A question for the payloads to replace", body: "A body for the payloads to replace, long enough." });
    for (const body of answers) await createAnswer(t.db, { author: await createUser(t.db), questionId, body });
    return (await proposePublication(t.db, admin, questionId)).id;
  }

  const loadDraft = async (user: User, id: number) => run(pubLoader, await requestAs(t.db, user, draftPath(id)), params(id));
  const fitsTitle = (payload: string) => {
    const title = payload.replace(/\s+/g, " ").trim();
    return title.length >= 10 && title.length <= 200;
  };

  test("the editor's title and texts, stored and on the page", { timeout: 180_000 }, async () => {
    // Eight payloads a save, one in each part (the question and seven answers), the title from one that fits.
    const id = await draftOf(Array.from({ length: 7 }, (_, i) => `Answer ${i} before the payloads.`));
    const stored = new Set<string>();
    let titles = 0;
    const attemptSave = async (batch: string[]) => {
      const current = await view(admin, id);
      const title = batch.find(fitsTitle);
      const changes: Record<string, string> = { title: title ?? `A title for ${batch.length} payloads, ${current.revision}` };
      batch.forEach((payload, i) => (changes[`part-${current.parts[i]!.id}-body`] = payload.trim() ? payload : `${payload}padded`));
      const result = await save(admin, current, changes);
      if ("to" in result) return true;
      // Refused (a text the markdown module won't take): the form comes back with what was typed, inert.
      expect(result.status, JSON.stringify(result.failure)).toBe(400);
      expect(executable(render(PublicationRoute as ComponentType<never>, await loadDraft(admin, id), admin, { ...result.failure, intent: "save" })), batch.join(" | ")).toEqual([]);
      return false;
    };
    const check = async (batch: string[]) => {
      const data = (await loadDraft(admin, id)) as unknown as { view: View };
      if (batch.some((p) => p === data.view.title)) titles++;
      expect(rendersAsText(data.view.title), data.view.title).toBe(true);
      for (const part of data.view.parts) expect(problems(part.bodyHtml), part.body).toEqual([]);
      const html = render(PublicationRoute as ComponentType<never>, data, admin);
      expect(executable(html), batch.join(" | ")).toEqual([]);
      expect(parseScreen(html).querySelector("h1")?.textContent).toBe(data.view.title);
      for (const payload of batch) stored.add(payload);
    };
    const texts = payloads.map((p) => p.payload);
    for (let i = 0; i < texts.length; i += 8) {
      const batch = texts.slice(i, i + 8);
      if (await attemptSave(batch)) await check(batch);
      // One of them was refused: each on its own, so the others are still stored.
      else for (const payload of batch) if (await attemptSave([payload])) await check([payload]);
    }
    expect(stored.size).toBeGreaterThan(200);
    expect(titles).toBeGreaterThan(15);
  });

  test("a finding's reason and a consent's label", { timeout: 180_000 }, async () => {
    // An answer holding one email address per payload: a finding each, accepted with the payload as its reason.
    const id = await draftOf([payloads.map((_, i) => `person${i}@customer${i}.com`).join("\n\n")]);
    const flags = (await view(admin, id)).flags.filter((f) => f.status === "open");
    expect(flags.length).toBeGreaterThanOrEqual(payloads.length);
    let reasons = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const result = await submit(admin, id, { intent: "accept", flagId: String(flags[i]!.id), reason: payload });
      if ("to" in result) reasons++;
    }
    expect(reasons).toBeGreaterThan(150);
    const accepted = await t.db
      .select({ reason: publicationFlags.reason })
      .from(publicationFlags)
      .where(and(eq(publicationFlags.publicationId, id), eq(publicationFlags.status, "accepted")));
    expect(accepted).toHaveLength(reasons);
    for (const { reason } of accepted) expect(rendersAsText(reason), reason).toBe(true);
    expect(executable(render(PublicationRoute as ComponentType<never>, await loadDraft(admin, id), admin))).toEqual([]);

    // The label is letters, spaces and hyphens: a payload is refused and comes back as typed, inert.
    const own = await draftOf([]);
    let data = await loadDraft(admin, own);
    let labels = 0;
    for (const { payload } of payloads) {
      const result = await submit(admin, own, { intent: "consent", choice: "generic", genericLabel: payload });
      if ("to" in result) {
        labels++;
        data = await loadDraft(admin, own);
        expect(executable(render(PublicationRoute as ComponentType<never>, data, admin)), payload).toEqual([]);
        continue;
      }
      expect(result.failure.values.genericLabel).toBe(payload);
      expect(executable(render(PublicationRoute as ComponentType<never>, data, admin, { ...result.failure, intent: "consent", flagId: null, meanwhile: null })), payload).toEqual([]);
    }
    expect(labels).toBeLessThan(payloads.length / 2);
  });

  test("the term lists and the host patterns", { timeout: 180_000 }, async () => {
    const post = async (fields: Record<string, string>) => run(adminAction, await postAs(t.db, admin, "/admin/publishing", fields));
    const load = async () => run(adminLoader, await requestAs(t.db, admin, "/admin/publishing"));
    const page = (data: unknown, actionData?: unknown) => executable(render(AdminPublishingRoute as ComponentType<never>, data, admin, actionData));
    // Host patterns and IP ranges: refused ones come back as typed; either way the page runs nothing.
    let data = await load();
    for (const { payload } of payloads) {
      const reply = await post({ intent: "save-settings", internalHosts: payload, internalIpRanges: payload });
      if (reply.init?.status === 400) {
        expect((reply.data as unknown as Failure).values.internalHosts).toBe(payload);
        expect(page(data, reply.data), payload).toEqual([]);
      } else {
        data = await load();
        expect(page(data, reply), payload).toEqual([]);
      }
    }
    let added = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const reply = await post({ intent: "add-term", kind: i % 2 ? "customer" : "codename", term: payload });
      if (reply.init?.status === 400) expect(page(data, reply.data), payload).toEqual([]);
      else added++;
    }
    expect(added).toBeGreaterThan(100);
    for (const { term } of await t.db.select({ term: confidentialTerms.term }).from(confidentialTerms)) expect(rendersAsText(term), term).toBe(true);
    expect(page(await load())).toEqual([]);
  });
});
