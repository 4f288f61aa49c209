import express, { type Request, type Response, type Router } from "express";
import { idParam } from "#app/lib/ids.ts";
import { clientAddress, formBody, readRequestForm } from "../accounts/forms.ts";
import { TooManyPage } from "../accounts/pages.tsx";
import type { ForumContext } from "../context.ts";
import { currentAccount, sendPage } from "../render.tsx";
import { GonePage, NotFoundPage } from "../views/status.tsx";
import {
  CommentSchema,
  deleteComment,
  flagPost,
  FlagSchema,
  flagTarget,
  FlagTargetSchema,
  flagTargetLabel,
  liveThread,
  postComment,
  react,
  ReactionSchema,
  type Refused,
  threadFeedback,
} from "./feedback.server.ts";
import { AllCommentsPage, CommentFormPage, FlaggedPage, FlagPage } from "./thread-feedback.tsx";
import { NotAllowedPage } from "../views/status.tsx";

/**
 * The feedback's writes (and the page of every comment). Each write answers with a redirect back to
 * the thread's canonical address, at the place it changed; a refused comment comes back on a page
 * of its own with what was typed. A missing thread is a 404, a withdrawn or expired one a 410, and
 * nothing is written for either. After a write the page cache forgets the thread's pages, so the
 * next anonymous reader sees the change.
 */
export function feedbackRouter(ctx: ForumContext): Router {
  const router = express.Router();

  const refused = (req: Request, res: Response, refusal: Refused) => {
    const options = { noindex: true, cacheable: false, status: refusal.status };
    if (refusal.status === 404) return sendPage(req, res, ctx, { ...options, title: "Page not found", body: <NotFoundPage /> });
    if (refusal.status === 410) return sendPage(req, res, ctx, { ...options, title: "No longer published", body: <GonePage /> });
    if (refusal.status === 429) return sendPage(req, res, ctx, { ...options, title: "Too many requests", body: <TooManyPage message={refusal.message} /> });
    sendPage(req, res, ctx, { ...options, title: "Not allowed", body: <NotAllowedPage message={refusal.message} /> });
  };

  /** The live thread of the URL and the signed-in account, or the answer already sent. */
  const prepare = async (req: Request, res: Response) => {
    const live = await liveThread(ctx.db, idParam(req.params.id));
    if (!live.ok) {
      refused(req, res, live);
      return null;
    }
    const { thread } = live;
    const account = currentAccount(res);
    if (!account) {
      res.redirect(303, `/signin?redirectTo=${encodeURIComponent(`${thread.path}#comments`)}`);
      return null;
    }
    return { thread, account };
  };

  router.post("/t/:id/comments", formBody, async (req, res) => {
    const found = await prepare(req, res);
    if (!found) return;
    const { thread, account } = found;
    const parsed = readRequestForm(CommentSchema, req);
    const again = (errors: Record<string, string | undefined>, status: number) =>
      sendPage(req, res, ctx, { title: "Your comment", noindex: true, status, body: <CommentFormPage thread={thread} values={parsed.values} errors={errors} /> });
    if (!parsed.ok) return again(parsed.fieldErrors, 400);
    const result = await postComment(ctx.db, account, thread.id, parsed.data.body, new Date(), { clientAddress: clientAddress(req) });
    if (!result.ok) {
      if (result.reason === "input") return again(result.errors, 400);
      if (result.reason === "rate-limited") {
        ctx.log.warn({ accountId: account.id, clientAddress: clientAddress(req) }, "forum comment refused: rate limit");
        return again({ form: result.message }, 429);
      }
      return refused(req, res, result);
    }
    ctx.log.info({ accountId: account.id, threadId: thread.id, commentId: result.id, pending: result.pending }, "forum comment posted");
    ctx.invalidate(thread.id);
    res.redirect(303, `${thread.path}#comment-${result.id}`);
  });

  router.post("/t/:id/comments/:commentId/delete", formBody, async (req, res) => {
    const found = await prepare(req, res);
    if (!found) return;
    const commentId = idParam(req.params.commentId);
    const result = Number.isNaN(commentId) ? ({ ok: false, status: 404, reason: "missing" } as const) : await deleteComment(ctx.db, found.account, found.thread.id, commentId);
    if (!result.ok) return refused(req, res, result);
    ctx.invalidate(found.thread.id);
    res.redirect(303, `${found.thread.path}#comments`);
  });

  router.post("/t/:id/reactions", formBody, async (req, res) => {
    const found = await prepare(req, res);
    if (!found) return;
    const parsed = readRequestForm(ReactionSchema, req);
    // The fields come from our own buttons: anything else is no target of this thread.
    if (!parsed.ok) return refused(req, res, { ok: false, status: 404, reason: "missing" });
    const result = await react(ctx.db, found.account, found.thread.id, parsed.data);
    if (!result.ok) return refused(req, res, result);
    ctx.invalidate(found.thread.id);
    res.redirect(303, `${found.thread.path}#reactions-${parsed.data.answerId}`);
  });

  // Reports: a page with the form (reached from a "Report" link), and its post. The target is the
  // thread, `answer=<id>` or `comment=<id>`; one not on this thread is a 404.
  router.get("/t/:id/report", async (req, res) => {
    const found = await prepare(req, res);
    if (!found) return;
    const target = FlagTargetSchema.safeParse({ answer: req.query.answer, comment: req.query.comment });
    if (!target.success) return refused(req, res, { ok: false, status: 404, reason: "missing" });
    const label = await flagTargetLabel(ctx.db, found.thread.id, flagTarget(target.data), found.account.id);
    if (label === null) return refused(req, res, { ok: false, status: 404, reason: "missing" });
    sendPage(req, res, ctx, { title: "Report", noindex: true, body: <FlagPage thread={found.thread} target={target.data} label={label} /> });
  });

  router.post("/t/:id/report", formBody, async (req, res) => {
    const found = await prepare(req, res);
    if (!found) return;
    const { thread, account } = found;
    const parsed = readRequestForm(FlagSchema, req);
    const target = FlagTargetSchema.safeParse({ answer: req.body?.answer || undefined, comment: req.body?.comment || undefined });
    if (!target.success) return refused(req, res, { ok: false, status: 404, reason: "missing" });
    const label = await flagTargetLabel(ctx.db, thread.id, flagTarget(target.data), account.id);
    if (label === null) return refused(req, res, { ok: false, status: 404, reason: "missing" });
    const again = (errors: Record<string, string | undefined>, status: number) =>
      sendPage(req, res, ctx, { title: "Report", noindex: true, status, body: <FlagPage thread={thread} target={target.data} label={label} values={parsed.values} errors={errors} /> });
    if (!parsed.ok) return again(parsed.fieldErrors, 400);
    const result = await flagPost(ctx.db, account, thread.id, { target: flagTarget(target.data), reason: parsed.data.reason, note: parsed.data.note });
    if (!result.ok) {
      if (result.reason === "rate-limited") return again({ form: result.message }, 429);
      return refused(req, res, result);
    }
    ctx.log.info({ accountId: account.id, threadId: thread.id, already: result.already }, "forum report");
    sendPage(req, res, ctx, { title: "Report", noindex: true, body: <FlaggedPage thread={thread} already={result.already} /> });
  });

  router.get("/t/:id/comments/all", async (req, res) => {
    const live = await liveThread(ctx.db, idParam(req.params.id));
    if (!live.ok) return refused(req, res, live);
    const { thread } = live;
    const account = currentAccount(res);
    const data = await threadFeedback(ctx.db, thread.id, account?.id ?? null, { all: true });
    sendPage(req, res, ctx, {
      title: `Comments on ${thread.title}`,
      canonicalPath: `/t/${thread.id}/comments/all`,
      noindex: true,
      cacheable: true,
      expiresAt: thread.expiresAt,
      body: <AllCommentsPage thread={thread} data={data} account={account} />,
    });
  });

  return router;
}
