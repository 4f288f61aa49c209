import { data, Form, href, Link, redirect } from "react-router";
import type { Route } from "./+types/sign-out";
import { AuthCard, linkClass } from "#app/components/auth-card.tsx";
import { SubmitButton } from "#app/components/form.tsx";
import { clearSessionCookie, getAuth, invalidateSession, readSessionToken, sessionIdFromToken } from "#app/features/auth/session.server.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Sign out · Commons" }];
}

// GET only shows a button: a link or a prefetch must never sign anyone out.
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = await getAuth(context, request);
  const headers = auth.setCookie ? { "Set-Cookie": auth.setCookie } : undefined;
  if (!auth.user) throw redirect(href("/sign-in"), { headers });
  return data({ name: auth.user.name, email: auth.user.email }, { headers });
}

export async function action({ request, context }: Route.ActionArgs) {
  const token = readSessionToken(request);
  if (token) await invalidateSession(context.db, sessionIdFromToken(token));
  throw redirect(href("/sign-in"), { headers: { "Set-Cookie": clearSessionCookie(request) } });
}

export default function SignOut({ loaderData }: Route.ComponentProps) {
  return (
    <AuthCard
      title="Sign out of Commons?"
      subtitle={
        <>
          You are signed in as <span className="font-medium text-slate-800">{loaderData.name}</span> ({loaderData.email}).
        </>
      }
      footer={
        <Link to={href("/")} className={linkClass}>
          Back to Commons
        </Link>
      }
    >
      <Form method="post" className="flex flex-col">
        <SubmitButton pendingText="Signing out…">Sign out</SubmitButton>
      </Form>
    </AuthCard>
  );
}
