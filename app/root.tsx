import { Links, Meta, Outlet, Scripts, ScrollRestoration, data, href, Link } from "react-router";
import type { Route } from "./+types/root";
import { getAuth } from "#app/features/auth/session.server.ts";
import { userSummary } from "#app/features/users/actor.server.ts";
import { publicEnv } from "#app/lib/env.server.ts";
import { errorViewOf } from "#app/lib/error-view.ts";
import { AppShell } from "#app/components/app-shell.tsx";
import { buttonClass } from "#app/components/button.tsx";
import { AlertIcon, CompassIcon } from "#app/components/icons.tsx";
import { useOptionalUser, useRequestId } from "#app/components/use-user.ts";
import "./app.css";

export function meta({ error }: Route.MetaArgs) {
  if (!error) return [{ title: "Commons" }];
  return [{ title: `${errorViewOf(error).title} · Commons` }];
}

/** Who is signed in (a summary, never the whole row) and the allowlisted public settings. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = await getAuth(context, request);
  const headers = auth.setCookie ? { "Set-Cookie": auth.setCookie } : undefined;
  return data({ user: auth.user ? userSummary(auth.user) : null, env: publicEnv(), requestId: context.requestId }, { headers });
}

// Runs with every navigation: it is the one loader that re-sends a refreshed session cookie, and a
// deactivated or signed-out account must drop out of the header at once.
export function shouldRevalidate() {
  return true;
}

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/**
 * The error boundary's answer keeps the Retry-After of the error it shows (the 503 of a database
 * that is away, server/route-errors.ts): React Router passes a thrown response's headers on only
 * through a route's `headers`. Cookies pass through as before.
 */
export function headers({ errorHeaders }: Route.HeadersArgs) {
  const retryAfter = errorHeaders?.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
}

/** The one error boundary, inside the same shell as every page: a view per status (app/lib/error-view.ts). */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const user = useOptionalUser();
  const requestId = useRequestId();
  const view = errorViewOf(error);
  const missing = view.tone === "missing";
  const employee = user?.kind === "employee";

  let detail: string | null = null;
  if (import.meta.env.DEV && error instanceof Error) detail = error.stack ?? error.message;

  return (
    <AppShell user={user}>
      <div className="mx-auto max-w-xl py-12 text-center sm:py-20">
        <div className={`mx-auto mb-6 flex size-14 items-center justify-center rounded-full ${missing ? "bg-brand-50 text-brand-600" : "bg-red-50 text-red-600"}`}>
          {missing ? <CompassIcon className="size-7" /> : <AlertIcon className="size-7" />}
        </div>
        <p className="text-sm font-semibold text-brand-600">{view.label}</p>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900">{view.heading}</h1>
        <p className="mt-3 text-base text-slate-600">{view.text}</p>
        {view.reference && requestId ? (
          <p className="mt-3 text-sm text-slate-500">
            If it keeps happening, give your administrator this reference: <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{requestId}</code>
          </p>
        ) : null}
        <div className="mt-8 flex flex-wrap justify-center gap-3">
          {user ? (
            <Link to={href("/")} className={buttonClass("primary")}>
              Go to your home page
            </Link>
          ) : (
            <Link to={href("/sign-in")} className={buttonClass("primary")}>
              Sign in
            </Link>
          )}
          {employee ? (
            <Link to={href("/spaces")} className={buttonClass("secondary")}>
              Browse spaces
            </Link>
          ) : null}
        </div>
        {detail ? <pre className="mt-10 overflow-x-auto rounded-lg bg-slate-900 p-4 text-left text-xs text-slate-100">{detail}</pre> : null}
      </div>
    </AppShell>
  );
}
