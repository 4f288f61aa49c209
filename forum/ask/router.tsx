import express, { type Request, type Response, type Router } from "express";
import { idParam } from "#app/lib/ids.ts";
import { clientAddress, formBody, readRequestForm, stringField } from "../accounts/forms.ts";
import { HONEYPOT, TooManyPage } from "../accounts/pages.tsx";
import type { SignedInAccount } from "../accounts/session.server.ts";
import { assets } from "../assets.ts";
import type { ForumContext } from "../context.ts";
import { liveThread, type Refused } from "../feedback/feedback.server.ts";
import { threadPath } from "../format.ts";
import { currentAccount, sendPage } from "../render.tsx";
import { GonePage, NotFoundPage } from "../views/status.tsx";
import { acceptAnswer, AskSchema, askQuestion, customerQuestions, myQuestions, QUESTION_TABS, type QuestionTab, similarThreads, toggleMeToo } from "./ask.server.ts";
import { AskPage, AskThanksPage, AskUnverifiedPage, MyQuestionsPage, QuestionsPage } from "./pages.tsx";
import { NotAllowedPage } from "../views/status.tsx";

/**
 * Customers ask: `/ask` (the form, and its similar threads as JSON for the script), `/questions`
 * (everyone's, cacheable like the home page), `/my/questions` (one's own, with their status), and
 * the two writes on a customer's thread: accepting an answer and "I have this question too".
 * Every write answers with a redirect; a refused one with a page of its own and the typed text.
 */

/** `?before=<thread id>`: undefined when absent, NaN when not an id. */
function cursor(req: Request): number | undefined {
  const value = req.query.before;
  if (value === undefined) return undefined;
  return typeof value === "string" ? idParam(value) : Number.NaN;
}

export function askRouter(ctx: ForumContext): Router {
  const router = express.Router();
  const scriptUrl = () => assets().js.url;

  const refused = (req: Request, res: Response, refusal: Refused) => {
    const options = { noindex: true, cacheable: false, status: refusal.status };
    if (refusal.status === 404) return sendPage(req, res, ctx, { ...options, title: "Page not found", body: <NotFoundPage /> });
    if (refusal.status === 410) return sendPage(req, res, ctx, { ...options, title: "No longer published", body: <GonePage /> });
    if (refusal.status === 429) return sendPage(req, res, ctx, { ...options, title: "Too many requests", body: <TooManyPage message={refusal.message} /> });
    sendPage(req, res, ctx, { ...options, title: "Not allowed", body: <NotAllowedPage message={refusal.message} /> });
  };

  /** The customer who may ask, or the answer already sent: anonymous readers sign in first, unconfirmed addresses confirm. */
  const asker = (req: Request, res: Response): SignedInAccount | null => {
    const account = currentAccount(res);
    if (!account) {
      res.redirect(303, `/signin?redirectTo=${encodeURIComponent("/ask")}`);
      return null;
    }
    if (!account.verified) {
      sendPage(req, res, ctx, { title: "Ask a question", noindex: true, status: 403, body: <AskUnverifiedPage account={account} /> });
      return null;
    }
    return account;
  };

  const askPage = (
    req: Request,
    res: Response,
    options: { status?: number; values?: Record<string, string>; errors?: Record<string, string | undefined>; similar?: Awaited<ReturnType<typeof similarThreads>>; checked?: boolean } = {},
  ) =>
    sendPage(req, res, ctx, {
      title: "Ask a question",
      noindex: true,
      status: options.status,
      // The one page with a script: our own file, in the head (the CSP allows no other).
      head: <script src={scriptUrl()} defer />,
      body: <AskPage company={ctx.company} state={{ values: options.values, errors: options.errors }} similar={options.similar ?? []} checked={options.checked ?? false} />,
    });

  const similar = (q: string) => similarThreads(ctx.db, ctx.env.MEILI_URL, q, (error) => ctx.log.warn({ err: error }, "forum similar threads failed"));

  router.get("/ask", (req, res) => {
    if (!asker(req, res)) return;
    askPage(req, res);
  });

  router.post("/ask", formBody, async (req, res) => {
    const account = asker(req, res);
    if (!account) return;
    // A bot fills every field: it is told what a person is told, and nothing is written.
    if (stringField(req.body, HONEYPOT) !== "") {
      ctx.log.info({ accountId: account.id, clientAddress: clientAddress(req) }, "forum question refused: honeypot filled");
      return res.redirect(303, "/ask/thanks");
    }
    const parsed = readRequestForm(AskSchema, req);
    const { [HONEYPOT]: _honeypot, intent, ...values } = parsed.values;
    if (intent === "check") return askPage(req, res, { values, similar: await similar(values.title ?? ""), checked: true });
    if (!parsed.ok) return askPage(req, res, { status: 400, values, errors: parsed.fieldErrors });
    const result = await askQuestion(ctx.db, account, parsed.data, { clientAddress: clientAddress(req), questionsPerHour: ctx.env.FORUM_QUESTIONS_PER_HOUR });
    if (!result.ok) {
      if (result.status === 429) ctx.log.warn({ accountId: account.id, clientAddress: clientAddress(req) }, "forum question refused: rate limit");
      return askPage(req, res, { status: result.status, values, errors: result.status === 400 ? result.errors : { form: result.message } });
    }
    ctx.log.info({ accountId: account.id, threadId: result.id, pending: result.pending }, "forum question asked");
    if (!result.pending) ctx.invalidate(result.id);
    res.redirect(303, threadPath(result));
  });

  router.get("/ask/thanks", (req, res) => {
    sendPage(req, res, ctx, { title: "Thanks, we got it", noindex: true, body: <AskThanksPage /> });
  });

  // The script asks this while the title is typed; it needs no session and is never cached.
  router.get("/ask/similar", async (req, res) => {
    const q = typeof req.query.q === "string" ? req.query.q : "";
    res.setHeader("Cache-Control", "no-store");
    res.json({ threads: await similar(q) });
  });

  router.get("/questions", async (req, res) => {
    const tabValue = req.query.tab ?? "all";
    const before = cursor(req);
    if (typeof tabValue !== "string" || !(QUESTION_TABS as readonly string[]).includes(tabValue) || Number.isNaN(before)) {
      return sendPage(req, res, ctx, { title: "Page not found", status: 404, noindex: true, body: <NotFoundPage /> });
    }
    const tab = tabValue as QuestionTab;
    const { questions, next } = await customerQuestions(ctx.db, { tab, before });
    sendPage(req, res, ctx, {
      title: "Questions from customers",
      description: `Questions customers asked on the ${ctx.company} Community, answered by ${ctx.company}'s engineers.`,
      canonicalPath: tab === "all" ? "/questions" : `/questions?tab=${tab}`,
      noindex: before !== undefined,
      cacheable: true,
      body: <QuestionsPage tab={tab} questions={questions} next={next} paged={before !== undefined} />,
    });
  });

  router.get("/my/questions", async (req, res) => {
    const account = currentAccount(res);
    if (!account) return res.redirect(303, `/signin?redirectTo=${encodeURIComponent("/my/questions")}`);
    const before = cursor(req);
    if (Number.isNaN(before)) return sendPage(req, res, ctx, { title: "Page not found", status: 404, noindex: true, body: <NotFoundPage /> });
    const { questions, next } = await myQuestions(ctx.db, account.id, { before });
    sendPage(req, res, ctx, { title: "My questions", noindex: true, body: <MyQuestionsPage questions={questions} next={next} paged={before !== undefined} /> });
  });

  /** The live thread of the URL and the signed-in account, or the answer already sent. */
  const prepare = async (req: Request, res: Response, fragment: string) => {
    const live = await liveThread(ctx.db, idParam(req.params.id as string));
    if (!live.ok) {
      refused(req, res, live);
      return null;
    }
    const account = currentAccount(res);
    if (!account) {
      res.redirect(303, `/signin?redirectTo=${encodeURIComponent(live.thread.path + fragment)}`);
      return null;
    }
    return { thread: live.thread, account };
  };

  router.post("/t/:id/accept", formBody, async (req, res) => {
    const found = await prepare(req, res, "");
    if (!found) return;
    const answerId = idParam(stringField(req.body, "answerId"));
    if (Number.isNaN(answerId)) return refused(req, res, { ok: false, status: 404, reason: "missing" });
    const result = await acceptAnswer(ctx.db, found.account, found.thread, answerId);
    if (!result.ok) return refused(req, res, result);
    ctx.log.info({ accountId: found.account.id, threadId: found.thread.id, answerId }, "forum answer accepted");
    ctx.invalidate(found.thread.id);
    res.redirect(303, `${found.thread.path}#answer-${answerId}`);
  });

  router.post("/t/:id/me-too", formBody, async (req, res) => {
    const found = await prepare(req, res, "#me-too");
    if (!found) return;
    const result = await toggleMeToo(ctx.db, found.account, found.thread);
    if (!result.ok) return refused(req, res, result);
    ctx.invalidate(found.thread.id);
    res.redirect(303, `${found.thread.path}#me-too`);
  });

  return router;
}
