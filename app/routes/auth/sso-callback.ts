import { href, redirect } from "react-router";
import type { Route } from "./+types/sso-callback";
import { getAuth, readSessionToken, rotateSession, sessionCookie } from "#app/features/auth/session.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import {
  clearSsoStateCookie,
  finishSso,
  linkSsoAccount,
  readSsoState,
  resolveSsoUser,
  ssoConfiguration,
  ssoRedirectUri,
  ssoSettings,
  SsoUnavailableError,
  type SsoErrorCode,
} from "#app/features/auth/sso.server.ts";

// The provider sends the browser back here with a code (or an error).
export async function loader({ request, context }: Route.LoaderArgs) {
  const settings = ssoSettings();
  if (!settings) throw new NotFoundError();
  const stored = readSsoState(request);
  // Whatever happens, the one-time state is used up.
  const headers = new Headers({ "Set-Cookie": clearSsoStateCookie(request), "Cache-Control": "no-store" });
  const mode = stored?.mode ?? "sign-in";
  const fail = (code: SsoErrorCode, reason: string) => {
    context.log.warn({ code, reason, mode }, "SSO sign-in refused");
    const params = new URLSearchParams({ error: code });
    if (mode === "sign-in" && stored && stored.redirectTo !== "/") params.set("redirectTo", stored.redirectTo);
    return redirect(`${mode === "link" ? href("/settings/password") : href("/sign-in")}?${params}`, { headers });
  };
  if (!stored) return fail("sso-failed", "no SSO state cookie: it expired, or the flow was not started in this browser");

  let config;
  try {
    config = await ssoConfiguration(settings);
  } catch (error) {
    if (error instanceof SsoUnavailableError) return fail("sso-unavailable", error.message);
    throw error;
  }
  const currentUrl = ssoRedirectUri(request);
  currentUrl.search = new URL(request.url).search;
  const finished = await finishSso(config, currentUrl, stored);
  if (!finished.ok) return fail(finished.code, finished.reason);
  const { identity } = finished;

  if (stored.mode === "link") {
    const auth = await getAuth(context, request);
    if (!auth.user) return fail("sso-failed", "linking finished without a signed-in user");
    const linked = await linkSsoAccount(context.db, auth.user.id, identity);
    if (!linked.ok) return fail(linked.code, `cannot link ${identity.issuer} ${identity.subject} to user ${auth.user.id}`);
    context.log.info({ userId: auth.user.id, issuer: identity.issuer }, "SSO account linked");
    return redirect(`${href("/settings/password")}?linked=1`, { headers });
  }

  const resolved = await resolveSsoUser(context.db, identity);
  if (!resolved.ok) return fail(resolved.code, `account refused for ${identity.issuer} ${identity.subject}`);
  if (resolved.created) context.log.info({ userId: resolved.user.id, issuer: identity.issuer }, "account created through SSO");
  const { token, session } = await context.db.transaction((tx) =>
    // The SSO time lets an account without a password set one shortly after (settings/password).
    rotateSession(tx, resolved.user.id, { currentToken: readSessionToken(request), userAgent: request.headers.get("user-agent") ?? "", ssoAuthenticatedAt: new Date() }),
  );
  headers.append("Set-Cookie", sessionCookie(request, token, session.absoluteExpiresAt));
  return redirect(stored.redirectTo, { headers });
}
