import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { ReactNode } from "react";
import { EmailOnlySchema, ResetPasswordSchema, safeRedirect, SignInSchema, SignUpSchema } from "#app/features/auth/schemas.ts";
import type { ForumContext } from "../context.ts";
import { currentAccount, sendPage } from "../render.tsx";
import { confirmEmail, requestPasswordReset, resendVerification, resetLinkTarget, resetPassword, signIn, signUp, verifyLinkWorks } from "./accounts.server.ts";
import { clientAddress, formBody, readRequestForm, stringField } from "./forms.ts";
import { CheckMailPage, ForgotPage, HONEYPOT, LinkGonePage, LinkSentPage, ResetPage, SignInPage, SignUpPage, VerifyPage, VerifiedPage } from "./pages.tsx";
import { clearSessionCookie, deleteForumSession, readSessionToken, sessionCookie, signedInAccount, validateForumSession } from "./session.server.ts";

/**
 * Who is asking: `res.locals.account` is the signed-in customer or null. The database is asked
 * only when the request carries the session cookie; a cookie that signs no one in any more
 * (expired, signed out elsewhere, account deactivated) is cleared.
 */
export function sessionMiddleware(ctx: ForumContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.account = null;
    const token = readSessionToken(req.headers.cookie);
    if (!token) return next();
    const found = await validateForumSession(ctx.db, token);
    if (found) res.locals.account = signedInAccount(found.account);
    else res.append("Set-Cookie", clearSessionCookie(ctx.baseUrl));
    next();
  };
}

/** The return path of a form or a link: a path on this site, else the home page. */
function returnPath(req: Request): string {
  return safeRedirect(stringField(req.body, "redirectTo") || stringField(req.query, "redirectTo"));
}

/** `/signup`, `/signin`, `/signout`, `/verify`, `/forgot`, `/reset`: pages nobody indexes or caches. */
export function accountRouter(ctx: ForumContext): Router {
  const router = express.Router();
  const site = { baseUrl: ctx.baseUrl, company: ctx.company };
  const page = (req: Request, res: Response, title: string, body: ReactNode, status = 200) => sendPage(req, res, ctx, { title, body, status, noindex: true, cacheable: false });
  const signInAs = (res: Response, token: string, expiresAt: Date) => res.setHeader("Set-Cookie", sessionCookie(ctx.baseUrl, token, expiresAt));

  router.get("/signup", (req, res) => {
    const returnTo = returnPath(req);
    if (currentAccount(res)) return res.redirect(303, returnTo);
    page(req, res, "Create your account", <SignUpPage company={ctx.company} returnTo={returnTo} />);
  });

  router.post("/signup", formBody, async (req, res) => {
    const returnTo = returnPath(req);
    // A bot fills every field: it is told what a person is told, and nothing is written or sent.
    if (stringField(req.body, HONEYPOT) !== "") {
      ctx.log.info({ clientAddress: clientAddress(req) }, "forum sign-up refused: honeypot filled");
      return page(req, res, "Check your mail", <CheckMailPage email={stringField(req.body, "email").trim()} />);
    }
    const parsed = readRequestForm(SignUpSchema, req);
    if (!parsed.ok) return page(req, res, "Create your account", <SignUpPage company={ctx.company} returnTo={returnTo} state={{ values: parsed.values, errors: parsed.fieldErrors }} />, 400);
    const result = await signUp(ctx.db, site, parsed.data, { clientAddress: clientAddress(req) });
    if (!result.ok) {
      ctx.log.warn({ clientAddress: clientAddress(req) }, "forum sign-up refused: rate limit");
      return page(
        req,
        res,
        "Create your account",
        <SignUpPage company={ctx.company} returnTo={returnTo} state={{ values: parsed.values, errors: { form: result.message } }} />,
        result.status,
      );
    }
    ctx.log.info({ accountId: result.accountId, outcome: result.outcome }, "forum sign-up answered");
    // The same answer whether the address was new or taken: the mail says which.
    page(req, res, "Check your mail", <CheckMailPage email={parsed.data.email} />);
  });

  router.get("/signin", (req, res) => {
    const returnTo = returnPath(req);
    if (currentAccount(res)) return res.redirect(303, returnTo);
    page(req, res, "Sign in", <SignInPage returnTo={returnTo} />);
  });

  router.post("/signin", formBody, async (req, res) => {
    const returnTo = returnPath(req);
    const parsed = readRequestForm(SignInSchema, req);
    const again = (errors: Record<string, string | undefined>, status: number) =>
      page(req, res, "Sign in", <SignInPage returnTo={returnTo} state={{ values: parsed.values, errors }} />, status);
    if (!parsed.ok) return again(parsed.fieldErrors, 400);
    const result = await signIn(ctx.db, parsed.data, { address: clientAddress(req), currentToken: readSessionToken(req.headers.cookie) });
    if (!result.ok) {
      if (result.reason === "rate-limited") ctx.log.warn({ clientAddress: clientAddress(req) }, "forum sign-in refused: rate limit");
      return again({ form: result.message }, result.status);
    }
    ctx.log.info({ accountId: result.account.id }, "forum sign-in");
    signInAs(res, result.token, result.session.absoluteExpiresAt);
    res.redirect(303, returnTo);
  });

  router.post("/signout", formBody, async (req, res) => {
    const token = readSessionToken(req.headers.cookie);
    if (token) await deleteForumSession(ctx.db, token);
    res.setHeader("Set-Cookie", clearSessionCookie(ctx.baseUrl));
    res.redirect(303, "/");
  });

  router.get("/verify", async (req, res) => {
    const token = stringField(req.query, "token");
    if (!(await verifyLinkWorks(ctx.db, token))) return page(req, res, "This link no longer works", <LinkGonePage account={currentAccount(res)} kind="verify" />, 410);
    page(req, res, "Confirm your address", <VerifyPage token={token} />);
  });

  router.post("/verify", formBody, async (req, res) => {
    const result = await confirmEmail(ctx.db, stringField(req.body, "token"), readSessionToken(req.headers.cookie));
    if (!result.ok) return page(req, res, "This link no longer works", <LinkGonePage account={currentAccount(res)} kind="verify" />, 410);
    ctx.log.info({ accountId: result.account.id }, "forum address confirmed");
    signInAs(res, result.token, result.session.absoluteExpiresAt);
    res.redirect(303, "/verified");
  });

  router.get("/verified", (req, res) => {
    page(req, res, "Address confirmed", <VerifiedPage account={currentAccount(res)} />);
  });

  router.post("/verify/resend", formBody, async (req, res) => {
    const returnTo = returnPath(req);
    const account = currentAccount(res);
    if (!account) return res.redirect(303, `/signin?redirectTo=${encodeURIComponent(returnTo)}`);
    const result = await resendVerification(ctx.db, site, account);
    if (!result.ok) return page(req, res, "Not sent", <LinkSentPage email={account.email} returnTo={returnTo} message={result.message} />, result.status);
    if (!result.sent) return res.redirect(303, returnTo);
    page(req, res, "Check your mail", <LinkSentPage email={account.email} returnTo={returnTo} />);
  });

  router.get("/forgot", (req, res) => {
    page(req, res, "Forgot your password?", <ForgotPage />);
  });

  router.post("/forgot", formBody, async (req, res) => {
    const parsed = readRequestForm(EmailOnlySchema, req);
    if (!parsed.ok) return page(req, res, "Forgot your password?", <ForgotPage state={{ values: parsed.values, errors: parsed.fieldErrors }} />, 400);
    const result = await requestPasswordReset(ctx.db, site, parsed.data.email, { clientAddress: clientAddress(req) });
    if (!result.ok) return page(req, res, "Forgot your password?", <ForgotPage state={{ values: parsed.values, errors: { form: result.message } }} />, result.status);
    page(req, res, "Check your mail", <ForgotPage sentTo={parsed.data.email} />);
  });

  router.get("/reset", async (req, res) => {
    const token = stringField(req.query, "token");
    const target = await resetLinkTarget(ctx.db, token);
    if (!target) return page(req, res, "This link no longer works", <LinkGonePage account={currentAccount(res)} kind="reset" />, 410);
    page(req, res, "Choose a new password", <ResetPage token={token} email={target.email} />);
  });

  router.post("/reset", formBody, async (req, res) => {
    const token = stringField(req.body, "token");
    const gone = () => page(req, res, "This link no longer works", <LinkGonePage account={currentAccount(res)} kind="reset" />, 410);
    const parsed = readRequestForm(ResetPasswordSchema, req);
    const result = parsed.ok ? await resetPassword(ctx.db, token, parsed.data.newPassword) : null;
    if (result?.ok) {
      ctx.log.info({ accountId: result.account.id }, "forum password reset");
      signInAs(res, result.token, result.session.absoluteExpiresAt);
      return res.redirect(303, "/");
    }
    if (result && result.reason === "invalid") return gone();
    const target = await resetLinkTarget(ctx.db, token);
    if (!target) return gone();
    const errors = parsed.ok ? (result && result.reason === "input" ? result.fieldErrors : {}) : parsed.fieldErrors;
    page(req, res, "Choose a new password", <ResetPage token={token} email={target.email} state={{ errors }} />, 400);
  });

  return router;
}
