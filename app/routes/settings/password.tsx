import { data, Form, href, redirect } from "react-router";
import type { Route } from "./+types/password";
import { useClearPasswordsAfter } from "#app/components/auth-card.tsx";
import { Field, FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { changePassword, recentSsoSignIn } from "#app/features/auth/accounts.server.ts";
import { ChangePasswordSchema, PASSWORD_HINT, SSO_REAUTH_MINUTES } from "#app/features/auth/schemas.ts";
import { getAuth, requireUser, sessionCookie } from "#app/features/auth/session.server.ts";
import { hasSsoLink, ssoErrorMessage } from "#app/features/auth/sso.server.ts";
import { publicEnv } from "#app/lib/env.server.ts";
import { formFailure, parseForm, readForm } from "#app/lib/forms.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Password and sign-in · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  const { session } = await getAuth(context, request);
  const { ssoLabel } = publicEnv();
  const params = new URL(request.url).searchParams;
  const notice = params.has("changed")
    ? "Password changed. You were signed out everywhere else."
    : params.has("linked") && ssoLabel
      ? `Your account is now linked with ${ssoLabel}. You can sign in with it from now on.`
      : null;
  return {
    name: user.name,
    email: user.email,
    hasPassword: Boolean(user.passwordHash),
    // Without a password, only a fresh SSO sign-in may add one (see changePassword).
    mustSignInAgain: !user.passwordHash && !recentSsoSignIn(session),
    ssoLabel,
    ssoLinked: ssoLabel ? await hasSsoLink(context.db, user.id) : false,
    notice,
    error: ssoErrorMessage(params.get("error"), ssoLabel ?? "SSO"),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = await requireUser(context, request);
  const { session } = await getAuth(context, request);
  const parsed = parseForm(ChangePasswordSchema, await readForm(request));
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await changePassword(context.db, user.id, parsed.data, {
    userAgent: request.headers.get("user-agent") ?? "",
    session,
    clientAddress: context.clientAddress,
    ssoLabel: publicEnv().ssoLabel ?? "SSO",
  });
  if (!result.ok) {
    if (result.status === 429) context.log.warn({ userId: user.id, clientAddress: context.clientAddress }, "password check refused: rate limit");
    return data(formFailure(parsed.values, result.fieldErrors, result.formError), { status: result.status });
  }
  context.log.info({ userId: user.id }, "password changed; all other sessions revoked");
  throw redirect(`${href("/settings/password")}?changed=1`, {
    headers: { "Set-Cookie": sessionCookie(request, result.token, result.session.absoluteExpiresAt) },
  });
}

export default function PasswordSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { hasPassword, mustSignInAgain, ssoLabel, ssoLinked } = loaderData;
  const errors = actionData?.fieldErrors ?? {};
  const formRef = useClearPasswordsAfter(actionData);
  return (
    // The app shell supplies <main>; this page is one column inside it.
    <div className="mx-auto w-full max-w-2xl">
      <h1 className="text-2xl font-semibold text-slate-900">Password and sign-in</h1>
      <p className="mt-1 text-sm text-slate-600">
        Signed in as <span className="font-medium text-slate-800">{loaderData.name}</span> ({loaderData.email})
      </p>

      <div className="mt-6">
        <Notice message={loaderData.notice} />
        <FormError message={loaderData.error ?? undefined} />
      </div>

      <section aria-labelledby="password-heading" className="mt-2 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 id="password-heading" className="text-lg font-semibold text-slate-900">
          {hasPassword ? "Change your password" : "Set a password"}
        </h2>
        <p className="mt-1 mb-5 text-sm text-slate-600">
          {hasPassword ? "Changing your password signs you out on every other device." : `You sign in with ${ssoLabel ?? "SSO"} so far. A password lets you sign in without it too.`}
        </p>
        <FormError message={actionData?.formError} />
        {mustSignInAgain ? (
          <SignInAgain ssoLabel={ssoLabel} />
        ) : (
          <Form method="post" ref={formRef} className="max-w-md">
            {hasPassword ? <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={errors.currentPassword} /> : null}
            <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required error={errors.newPassword} hint={PASSWORD_HINT} />
            <SubmitButton pendingText="Saving…">{hasPassword ? "Change password" : "Set password"}</SubmitButton>
          </Form>
        )}
      </section>

      {ssoLabel ? (
        <section aria-labelledby="sso-heading" className="mt-6 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h2 id="sso-heading" className="text-lg font-semibold text-slate-900">
            {ssoLabel}
          </h2>
          {ssoLinked ? (
            <p className="mt-1 text-sm text-slate-600">Your account is linked: you can sign in with {ssoLabel}.</p>
          ) : (
            <>
              <p className="mt-1 mb-5 text-sm text-slate-600">Link your {ssoLabel} account to sign in with it instead of a password.</p>
              {/* A document submission: the answer is a redirect to the provider. */}
              <Form method="post" action={href("/auth/sso")} reloadDocument>
                <SubmitButton variant="secondary">Link {ssoLabel}</SubmitButton>
              </Form>
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}

/** An account without a password, whose session did not sign in through SSO in the last few minutes. */
function SignInAgain({ ssoLabel }: { ssoLabel: string | null }) {
  if (!ssoLabel) {
    return <p className="text-sm text-slate-700">To set a password, sign out and use &ldquo;Forgot your password?&rdquo; on the sign-in page: we will mail you a link.</p>;
  }
  return (
    <>
      <p className="mb-4 text-sm text-slate-700">
        To set a password, first sign in again with {ssoLabel}. You then have {SSO_REAUTH_MINUTES} minutes to choose it.
      </p>
      {/* A document submission: the answer is a redirect to the provider, which brings you back here. */}
      <Form method="post" action={href("/auth/sso")} reloadDocument>
        <input type="hidden" name="intent" value="sign-in" />
        <input type="hidden" name="redirectTo" value={href("/settings/password")} />
        <SubmitButton>Sign in again with {ssoLabel}</SubmitButton>
      </Form>
    </>
  );
}
