import { data, Form, href, Link, redirect } from "react-router";
import type { Route } from "./+types/sign-up";
import { AuthCard, linkClass, useClearPasswordsAfter } from "#app/components/auth-card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { signUp } from "#app/features/auth/accounts.server.ts";
import { PASSWORD_HINT, safeRedirect, SignUpSchema } from "#app/features/auth/schemas.ts";
import { getAuth } from "#app/features/auth/session.server.ts";
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
  // Someone signed in is sent on before the form is read, as the page does: the loader's redirect
  // after the action would hide an account made and a mail sent (found by tests/integration/authz-writes.test.ts).
  const auth = await getAuth(context, request);
  if (auth.user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")), auth.setCookie ? { headers: { "Set-Cookie": auth.setCookie } } : undefined);
  const parsed = parseForm(SignUpSchema, await readForm(request));
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await signUp(context.db, parsed.data, {
    clientAddress: context.clientAddress,
  });
  if (!result.ok) {
    if ("fieldErrors" in result)
      return data(formFailure(parsed.values, result.fieldErrors), {
        status: 400,
      });
    context.log.warn(
      {
        clientAddress: context.clientAddress,
        retryAfterMinutes: result.retryAfterMinutes,
      },
      "sign-up refused: rate limit",
    );
    return data(formFailure(parsed.values, {}, result.message), {
      status: result.status,
    });
  }
  context.log.info({ userId: result.userId, outcome: result.outcome }, "sign-up answered");
  // The same answer whether the address was new, pending or taken: the mail says which.
  return { sent: parsed.data.email };
}

export default function SignUp({ loaderData, actionData }: Route.ComponentProps) {
  const { redirectTo, domains } = loaderData;
  const formRef = useClearPasswordsAfter(actionData);
  const signInHref = redirectTo === "/" ? href("/sign-in") : `${href("/sign-in")}?redirectTo=${encodeURIComponent(redirectTo)}`;
  if (actionData && "sent" in actionData) return <CheckInbox email={actionData.sent} signInHref={signInHref} />;
  const values = actionData?.values ?? {};
  const errors = actionData?.fieldErrors ?? {};
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
          error={errors.email}
          {...(domains ? { hint: `Use your work address at ${domains.join(" or ")}.` } : {})}
        />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required error={errors.password} hint={PASSWORD_HINT} />
        <div className="mt-6 flex flex-col">
          <SubmitButton pendingText="Creating your account…">Create account</SubmitButton>
        </div>
      </Form>
    </AuthCard>
  );
}

function CheckInbox({ email, signInHref }: { email: string; signInHref: string }) {
  return (
    <AuthCard
      title="Check your inbox"
      subtitle={
        <>
          We sent a mail to <span className="font-medium text-slate-800">{email}</span>. Open the link in it to finish: it works for 24 hours.
        </>
      }
      footer={
        <Link to={signInHref} className={linkClass}>
          Back to sign in
        </Link>
      }
    >
      <p className="mb-4 text-sm text-slate-600">Nothing there after a few minutes? Look in your spam folder, or ask for a new link.</p>
      <Form method="post" action={href("/verify-email")} className="flex flex-col">
        <input type="hidden" name="email" value={email} />
        <SubmitButton variant="secondary" pendingText="Sending…">
          Send the link again
        </SubmitButton>
      </Form>
    </AuthCard>
  );
}
