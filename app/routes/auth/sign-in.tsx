import { data, Form, href, Link, redirect } from "react-router";
import type { Route } from "./+types/sign-in";
import { AuthCard, Divider, linkClass, useClearPasswordsAfter } from "#app/components/auth-card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { signIn } from "#app/features/auth/accounts.server.ts";
import { safeRedirect, SignInSchema } from "#app/features/auth/schemas.ts";
import { getAuth, readSessionToken, sessionCookie } from "#app/features/auth/session.server.ts";
import { ssoErrorMessage } from "#app/features/auth/sso.server.ts";
import { publicEnv } from "#app/lib/env.server.ts";
import { formFailure, parseForm, readForm } from "#app/lib/forms.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Sign in · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = await getAuth(context, request);
  const headers = auth.setCookie ? { "Set-Cookie": auth.setCookie } : undefined;
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"));
  if (auth.user) throw redirect(redirectTo, { headers });
  const { ssoLabel } = publicEnv();
  const error = ssoErrorMessage(url.searchParams.get("error"), ssoLabel ?? "SSO");
  return data({ ssoLabel, redirectTo, error }, { headers });
}

export async function action({ request, context }: Route.ActionArgs) {
  const parsed = parseForm(SignInSchema, await readForm(request));
  if (!parsed.ok) return data({ ...parsed, pendingEmail: null }, { status: 400 });
  const result = await signIn(context.db, parsed.data, {
    address: context.clientAddress,
    currentToken: readSessionToken(request),
    userAgent: request.headers.get("user-agent") ?? "",
  });
  if (!result.ok) {
    if (result.reason === "rate-limited") context.log.warn({ clientAddress: context.clientAddress, retryAfterMinutes: result.retryAfterMinutes }, "sign-in refused: rate limit");
    // A pending account (right password, address not proven yet) gets a button for a new link.
    const pendingEmail = result.reason === "pending" ? result.email : null;
    return data({ ...formFailure(parsed.values, {}, result.message), pendingEmail }, { status: result.status });
  }
  throw redirect(parsed.data.redirectTo, { headers: { "Set-Cookie": sessionCookie(request, result.token, result.session.absoluteExpiresAt) } });
}

export default function SignIn({ loaderData, actionData }: Route.ComponentProps) {
  const { ssoLabel, redirectTo } = loaderData;
  const values = actionData?.values ?? {};
  const errors = actionData?.fieldErrors ?? {};
  const formRef = useClearPasswordsAfter(actionData);
  const withRedirect = (path: string) => (redirectTo === "/" ? path : `${path}?redirectTo=${encodeURIComponent(redirectTo)}`);
  return (
    <AuthCard
      title="Sign in to Commons"
      subtitle="Ask questions, share what you know and find the colleagues who can help."
      footer={
        <>
          New to Commons?{" "}
          <Link to={withRedirect(href("/sign-up"))} className={linkClass}>
            Create an account
          </Link>
        </>
      }
    >
      <FormError message={actionData?.formError ?? loaderData.error ?? undefined} />
      {actionData?.pendingEmail ? (
        <Form method="post" action={href("/verify-email")} className="mb-6 flex flex-col">
          <input type="hidden" name="email" value={actionData.pendingEmail} />
          <SubmitButton variant="secondary" pendingText="Sending…">
            Send the link again
          </SubmitButton>
        </Form>
      ) : null}
      <Form method="post" ref={formRef}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={values.email} error={errors.email} autoFocus={!values.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={errors.password} autoFocus={Boolean(values.email)} />
        <p className="-mt-2 text-right text-sm">
          <Link to={href("/forgot-password")} className={linkClass}>
            Forgot your password?
          </Link>
        </p>
        <div className="mt-6 flex flex-col">
          <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
        </div>
      </Form>
      {ssoLabel ? (
        <>
          <Divider label="or" />
          {/* A plain link: the SSO start is a resource route that redirects to the provider. */}
          <a
            href={withRedirect(href("/auth/sso"))}
            className="flex w-full items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          >
            Sign in with {ssoLabel}
          </a>
        </>
      ) : null}
    </AuthCard>
  );
}
