import express, { type Request, type Response, type Router } from "express";
import { idParam } from "#app/lib/ids.ts";
import { type LiveHub, liveExpressStream } from "../../server/live-hub.ts";
import { clientAddress, formBody, stringField } from "../accounts/forms.ts";
import { TooManyPage } from "../accounts/pages.tsx";
import type { ForumContext } from "../context.ts";
import { currentAccount, sendPage } from "../render.tsx";
import { NotFoundPage } from "../views/status.tsx";
import { liveScript } from "./hub.tsx";
import { askForumLiveQuestion, forumSession, forumSessionExperts, forumSessionList, forumSessionQuestions, type LiveRefusal, toggleForumLiveVote } from "./live.server.ts";
import { SessionPage, SessionsPage, sessionPath } from "./views.tsx";

/**
 * The forum's live session pages: the list, a session (questions, votes, answers), its events
 * stream and the page's script. The pages are never cached (they change by the second, and the
 * script keeps them current); the stream is the same for every reader and goes through the hub.
 * An internal session answers 404 everywhere here: the forum's role cannot see it.
 */
export function liveRouter(ctx: ForumContext, hub: LiveHub): Router {
  const router = express.Router();
  const script = liveScript();

  router.get(script.url, (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.type("text/javascript; charset=utf-8").send(script.body);
  });

  const notFound = (req: Request, res: Response) => sendPage(req, res, ctx, { title: "Page not found", status: 404, noindex: true, body: <NotFoundPage /> });

  const refused = (req: Request, res: Response, refusal: Exclude<LiveRefusal, { status: 400 }>) => {
    if (refusal.status === 404) return notFound(req, res);
    if (refusal.status === 429) return sendPage(req, res, ctx, { title: "Too many requests", status: 429, noindex: true, body: <TooManyPage message={refusal.message} /> });
    sendPage(req, res, ctx, {
      title: "Not possible",
      status: refusal.status,
      noindex: true,
      body: (
        <div className="status-page">
          <h1>Not possible</h1>
          <p>{refusal.message}</p>
          <p>
            <a href={sessionPath(Number(req.params.id))}>Back to the session</a>
          </p>
        </div>
      ),
    });
  };

  router.get("/sessions", async (req, res) => {
    const { current, past } = await forumSessionList(ctx.db);
    sendPage(req, res, ctx, {
      title: "Live sessions",
      description: `Live question and answer sessions with ${ctx.company}'s experts.`,
      body: <SessionsPage current={current} past={past} company={ctx.company} />,
    });
  });

  /** The session page, or again with a refused question's text and messages. */
  const showSession = async (req: Request, res: Response, form?: { status: number; values: Record<string, string>; errors: Record<string, string | undefined> }) => {
    const id = idParam(req.params.id);
    const session = Number.isNaN(id) ? null : await forumSession(ctx.db, id);
    if (!session) return notFound(req, res);
    const [experts, questions] = await Promise.all([forumSessionExperts(ctx.db, session.id), forumSessionQuestions(ctx.db, session.id)]);
    sendPage(req, res, ctx, {
      title: session.title,
      description: `A live session with ${experts.map((e) => e.name).join(", ")} on ${session.topic}.`,
      canonicalPath: sessionPath(session.id),
      status: form?.status,
      noindex: form !== undefined,
      body: (
        <SessionPage
          session={session}
          experts={experts}
          questions={questions}
          account={currentAccount(res)}
          company={ctx.company}
          scriptUrl={script.url}
          {...(form ? { form: { values: form.values, errors: form.errors } } : {})}
        />
      ),
    });
  };

  router.get("/sessions/:id", (req, res) => showSession(req, res));

  router.get("/sessions/:id/events", async (req, res) => {
    const id = idParam(req.params.id);
    const session = Number.isNaN(id) ? null : await forumSession(ctx.db, id);
    if (!session) return notFound(req, res);
    if (!liveExpressStream(hub, session.id, req, res)) {
      ctx.log.warn({ streams: hub.size }, "forum live: too many open streams; a reader goes without updates");
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("Retry-After", "30");
      res.status(503).type("text/plain").send("Too many readers right now: reload the page to see the latest answers.");
    }
  });

  router.post("/sessions/:id/questions", formBody, async (req, res) => {
    const account = currentAccount(res);
    const id = idParam(req.params.id);
    if (Number.isNaN(id)) return notFound(req, res);
    if (!account) return res.redirect(303, `/signin?redirectTo=${encodeURIComponent(sessionPath(id))}`);
    const body = stringField(req.body, "body");
    const result = await askForumLiveQuestion(ctx.db, account, id, body, clientAddress(req));
    if (result.ok) {
      ctx.log.info({ accountId: account.id, sessionId: id, questionId: result.id }, "forum live question asked");
      return res.redirect(303, `${sessionPath(id)}#question-${result.id}`);
    }
    if (result.status === 400) return showSession(req, res, { status: 400, values: { body }, errors: result.errors });
    if (result.status === 429) {
      ctx.log.warn({ accountId: account.id, clientAddress: clientAddress(req) }, "forum live question refused: rate limit");
      return showSession(req, res, { status: 429, values: { body }, errors: { form: result.message } });
    }
    refused(req, res, result);
  });

  router.post("/sessions/:id/questions/:questionId/vote", formBody, async (req, res) => {
    const account = currentAccount(res);
    const id = idParam(req.params.id);
    if (Number.isNaN(id)) return notFound(req, res);
    if (!account) return res.redirect(303, `/signin?redirectTo=${encodeURIComponent(sessionPath(id))}`);
    const questionId = idParam(req.params.questionId);
    const result = await toggleForumLiveVote(ctx.db, account, id, questionId);
    if (!result.ok) return result.status === 400 ? notFound(req, res) : refused(req, res, result);
    res.redirect(303, `${sessionPath(id)}#question-${questionId}`);
  });

  return router;
}
