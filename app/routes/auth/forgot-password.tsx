import { Form, href, Link } from "react-router";
import type { Route } from "./+types/forgot-password";
import { AuthCard, linkClass } from "#app/components/auth-card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { requestMailedLink } from "#app/features/auth/link-request.server.ts";
import { requestPasswordReset } from "#app/features/auth/password-reset.server.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Forgot your password? · Commons" }];
}

export async function action({ request, context }: Route.ActionArgs) {
  return requestMailedLink(request, context, requestPasswordReset, "password reset refused: rate limit");
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const footer = (
    <Link to={href("/sign-in")} className={linkClass}>
      Back to sign in
    </Link>
  );
  if (actionData && "sent" in actionData) {
    return (
      <AuthCard title="Check your inbox" footer={footer}>
        <p role="status" className="text-sm text-slate-700">
          If an account uses <span className="font-medium text-slate-900">{actionData.sent}</span>, we sent a link to it. Open it within an hour to choose a new password.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Forgot your password?" subtitle="Enter your address and we will mail you a link to choose a new one." footer={footer}>
      <FormError message={actionData?.formError} />
      <Form method="post">
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={actionData?.values.email} error={actionData?.fieldErrors.email} autoFocus />
        <div className="mt-6 flex flex-col">
          <SubmitButton pendingText="Sending…">Send me a link</SubmitButton>
        </div>
      </Form>
    </AuthCard>
  );
}
