import { data, Form, href, Link, redirect } from "react-router";
import type { Route } from "./+types/sign-up";
import { AuthCard, linkClass, useClearPasswordsAfter } from "#app/components/auth-card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { signUp } from "#app/features/auth/accounts.server.ts";
import { AUTH_MESSAGES, PASSWORD_HINT, safeRedirect, SignUpSchema } from "#app/features/auth/schemas.ts";
import { getAuth, readSessionToken, sessionCookie } from "#app/features/auth/session.server.ts";
import { env } from "#app/lib/env.server.ts";
import { formFailure, parseForm, readForm } from "#app/lib/forms.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Create your account · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = await getAuth(context, request);
  const headers = auth.setCookie ? { "Set-Cookie": auth.setCookie } : undefined;
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (auth.user) throw redirect(redirectTo, { headers });
  const domains = env().ALLOWED_EMAIL_DOMAINS;
  return data({ redirectTo, domains: domains.includes("*") ? null : domains }, { headers });
}

export async function action({ request, context }: Route.ActionArgs) {
  const parsed = parseForm(SignUpSchema, await readForm(request));
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await signUp(context.db, parsed.data, {
    userAgent: request.headers.get("user-agent") ?? "",
    currentToken: readSessionToken(request),
  });
  if (!result.ok) return data(formFailure(parsed.values, result.fieldErrors), { status: 400 });
  context.log.info({ userId: result.user.id }, "account created");
  throw redirect(parsed.data.redirectTo, { headers: { "Set-Cookie": sessionCookie(request, result.token, result.session.absoluteExpiresAt) } });
}

export default function SignUp({ loaderData, actionData }: Route.ComponentProps) {
  const { redirectTo, domains } = loaderData;
  const values = actionData?.values ?? {};
  const errors = actionData?.fieldErrors ?? {};
  const formRef = useClearPasswordsAfter(actionData);
  const signInHref = redirectTo === "/" ? href("/sign-in") : `${href("/sign-in")}?redirectTo=${encodeURIComponent(redirectTo)}`;
  const emailError =
    errors.email === AUTH_MESSAGES.emailTaken ? (
      <>
        An account with this email already exists.{" "}
        <Link to={signInHref} className={linkClass}>
          Sign in instead.
        </Link>
      </>
    ) : (
      errors.email
    );
  return (
    <AuthCard
      title="Create your account"
      subtitle="Join your colleagues on Commons: ask, answer, and share what you know."
      footer={
        <>
          Already have an account?{" "}
          <Link to={signInHref} className={linkClass}>
            Sign in
          </Link>
        </>
      }
    >
      <FormError message={actionData?.formError} />
      <Form method="post" ref={formRef}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field label="Name" name="name" autoComplete="name" required maxLength={100} defaultValue={values.name} error={errors.name} autoFocus />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={values.email}
          error={emailError}
          {...(domains ? { hint: `Use your work address at ${domains.join(" or ")}.` } : {})}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          error={errors.password}
          hint={PASSWORD_HINT}
        />
        <div className="mt-6 flex flex-col">
          <SubmitButton pendingText="Creating your account…">Create account</SubmitButton>
        </div>
      </Form>
    </AuthCard>
  );
}
