import { data, href, Link } from "react-router";
import type { Route } from "./+types/unsubscribe";
import { AuthCard, linkClass } from "#app/components/auth-card.tsx";
import { describeScope, readUnsubscribeToken } from "#app/features/mail-prefs/unsubscribe.server.ts";

/**
 * The page a mail's unsubscribe link opens, signed out: what the link stops, and a button that
 * posts the one-click unsubscribe (answered by express, app/features/mail-prefs/one-click.server.ts,
 * which comes back here with `?done=1`). Opening the page changes nothing: mail scanners follow links.
 */

export function meta(_: Route.MetaArgs) {
  return [{ title: "Unsubscribe · Commons" }, { name: "robots", content: "noindex" }];
}

export async function loader({ params, request, context }: Route.LoaderArgs) {
  const read = await readUnsubscribeToken(context.db, params.token);
  if (!read) return data({ valid: false as const }, { status: 400, headers: { "Cache-Control": "no-store" } });
  const scope = await describeScope(context.db, read.userId, read.scope);
  const done = new URL(request.url).searchParams.get("done") === "1";
  return data({ valid: true as const, token: params.token, digest: read.scope === "daily" || read.scope === "weekly", done, ...scope }, { headers: { "Cache-Control": "no-store" } });
}

export default function Unsubscribe({ loaderData }: Route.ComponentProps) {
  const settings = (
    <Link to={href("/settings/notifications")} className={linkClass}>
      Choose what Commons mails you
    </Link>
  );
  if (!loaderData.valid) {
    return (
      <AuthCard title="This unsubscribe link does not work" subtitle="It may have been cut short when it was copied. Open it from the mail again, or sign in and choose in your settings.">
        <p className="text-sm">{settings}</p>
      </AuthCard>
    );
  }
  if (loaderData.done) {
    return (
      <AuthCard title="You are unsubscribed" subtitle={`Commons will not mail you about ${loaderData.title} any more. Your inbox on Commons still shows everything.`}>
        <p className="text-sm">Changed your mind? {settings}.</p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={`Stop mail about ${loaderData.title}?`} subtitle="Only this changes; other mail from Commons stays as you chose it. Your inbox on Commons still shows everything.">
      {loaderData.digest ? (
        loaderData.categories.length ? (
          <div className="mb-5 text-sm text-slate-700">
            <p>This digest brings you:</p>
            <ul className="mt-1 list-disc pl-5">
              {loaderData.categories.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
            <p className="mt-2">Unsubscribing turns all of them off by mail.</p>
          </div>
        ) : (
          <p className="mb-5 text-sm text-slate-700">This digest is already off.</p>
        )
      ) : null}
      {/* A document POST (not a fetch): express answers it before React Router, then redirects back here. */}
      <form method="post" action={href("/unsubscribe/:token", { token: loaderData.token })} className="flex flex-col gap-4">
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <input type="hidden" name="from" value="page" />
        <button
          type="submit"
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        >
          Unsubscribe
        </button>
        <p className="text-sm">Or {settings}.</p>
      </form>
    </AuthCard>
  );
}
