import { href, redirect } from "react-router";
import type { Route } from "./+types/sso-start";
import { safeRedirect } from "#app/features/auth/schemas.ts";
import { requireUser } from "#app/features/auth/session.server.ts";
import { readForm } from "#app/lib/forms.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { ssoConfiguration, ssoRedirectUri, ssoSettings, ssoStateCookie, SsoUnavailableError, startSso, type SsoState } from "#app/features/auth/sso.server.ts";

// GET: sign in through the company's OpenID provider (the "Sign in with …" link).
export async function loader({ request, context }: Route.LoaderArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  return start(request, context, { mode: "sign-in", redirectTo });
}

// POST: a signed-in user links their provider account, or signs in again through it before
// setting a first password (from settings; a POST so that only our own pages can start it, the
// Origin check applies).
export async function action({ request, context }: Route.ActionArgs) {
  await requireUser(context, request);
  const form = await readForm(request);
  if (form.get("intent") === "sign-in") return start(request, context, { mode: "sign-in", redirectTo: safeRedirect(form.get("redirectTo")) });
  return start(request, context, { mode: "link", redirectTo: href("/settings/password") });
}

async function start(request: Request, context: Route.LoaderArgs["context"], options: Pick<SsoState, "mode" | "redirectTo">) {
  const settings = ssoSettings();
  if (!settings) throw new NotFoundError();
  let config;
  try {
    config = await ssoConfiguration(settings);
  } catch (error) {
    if (!(error instanceof SsoUnavailableError)) throw error;
    context.log.warn({ err: error, issuer: settings.issuer }, "SSO provider unavailable");
    const back = options.mode === "link" ? href("/settings/password") : href("/sign-in");
    const params = new URLSearchParams({ error: "sso-unavailable" });
    if (options.mode === "sign-in" && options.redirectTo !== "/") params.set("redirectTo", options.redirectTo);
    throw redirect(`${back}?${params}`);
  }
  const { url, state } = await startSso(config, { redirectUri: ssoRedirectUri(request), ...options });
  throw redirect(url.href, { headers: { "Set-Cookie": ssoStateCookie(request, state), "Cache-Control": "no-store" } });
}
