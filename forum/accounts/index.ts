/**
 * Customer accounts of the public forum: sign-up with a mailed link that proves the address,
 * sign-in, sessions in their own cookie, "forgot password". See docs/forum-accounts.md.
 */
export { SESSION_COOKIE, type SignedInAccount } from "./session.server.ts";
export { accountRouter, sessionMiddleware } from "./router.tsx";
export { UnverifiedNotice } from "./pages.tsx";
