import { data, Form, href, Link, redirect } from "react-router";
import type { Route } from "./+types/reset-password";
import { AuthCard, linkClass, useClearPasswordsAfter } from "#app/components/auth-card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { resetLinkTarget, resetPassword } from "#app/features/auth/password-reset.server.ts";
import { AUTH_MESSAGES, PASSWORD_HINT, ResetPasswordSchema } from "#app/features/auth/schemas.ts";
import { sessionCookie } from "#app/features/auth/session.server.ts";
import { formFailure, parseForm, readForm } from "#app/lib/forms.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Choose a new password · Commons" }];
}

export async function loader({ params, context }: Route.LoaderArgs) {
  const target = await resetLinkTarget(context.db, params.token);
  return data({ email: target?.email ?? null }, { status: target ? 200 : 410, headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const parsed = parseForm(ResetPasswordSchema, await readForm(request));
  if (!parsed.ok) return data({ ...parsed, gone: false }, { status: 400 });
  const result = await resetPassword(context.db, params.token, parsed.data.newPassword, { userAgent: request.headers.get("user-agent") ?? "" });
  if (!result.ok) {
    if (result.reason === "input") return data({ ...formFailure(parsed.values, result.fieldErrors), gone: false }, { status: 400 });
    if (result.reason === "deactivated") return data({ ...formFailure({}, {}, AUTH_MESSAGES.deactivated), gone: true }, { status: 403 });
    return data({ ...formFailure({}, {}), gone: true }, { status: 410 });
  }
  context.log.info({ userId: result.userId }, "password reset; all other sessions revoked");
  // Signed in afresh: the person just proved they read this address's mail and chose the password.
  throw redirect(href("/"), {
    headers: {
      "Set-Cookie": sessionCookie(request, result.token, result.session.absoluteExpiresAt),
    },
  });
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const formRef = useClearPasswordsAfter(actionData);
  const askAgain = (
    <Link to={href("/forgot-password")} className={linkClass}>
      Ask for a new link
    </Link>
  );
  if (!loaderData.email || actionData?.gone) {
    return (
      <AuthCard title="This link no longer works" subtitle="It was already used, it is more than an hour old, or a newer link was sent since." footer={askAgain}>
        <FormError message={actionData?.formError} />
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Choose a new password"
      subtitle={
        <>
          For <span className="font-medium text-slate-800">{loaderData.email}</span>. Every device signed in to this account will be signed out.
        </>
      }
    >
      <FormError message={actionData?.formError} />
      <Form method="post" ref={formRef}>
        {/* Lets a password manager file the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={loaderData.email} />
        <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required error={actionData?.fieldErrors.newPassword} hint={PASSWORD_HINT} autoFocus />
        <div className="mt-6 flex flex-col">
          <SubmitButton pendingText="Saving…">Set my new password</SubmitButton>
        </div>
      </Form>
    </AuthCard>
  );
}
