import { Form, href, Link } from "react-router";
import type { Route } from "./+types/verify-email";
import { AuthCard, linkClass } from "#app/components/auth-card.tsx";
import { Field, FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { requestMailedLink } from "#app/features/auth/link-request.server.ts";
import { resendVerification } from "#app/features/auth/verification.server.ts";

// Asking for a new confirmation link (from the sign-up's "check your inbox", the sign-in page of a
// pending account, or a link that no longer works).
export function meta(_: Route.MetaArgs) {
  return [{ title: "Confirm your address · Commons" }];
}

export function loader({ request }: Route.LoaderArgs) {
  return {
    email: new URL(request.url).searchParams.get("email")?.slice(0, 254) ?? "",
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  return requestMailedLink(request, context, resendVerification, "new confirmation link refused: rate limit");
}

export default function VerifyEmail({ loaderData, actionData }: Route.ComponentProps) {
  const sent = actionData && "sent" in actionData ? actionData.sent : null;
  const failure = actionData && !("sent" in actionData) ? actionData : null;
  return (
    <AuthCard
      title="Confirm your address"
      subtitle="A new account works once its address is confirmed. We can mail you a new link."
      footer={
        <Link to={href("/sign-in")} className={linkClass}>
          Back to sign in
        </Link>
      }
    >
      {/* The same words whether or not such an account exists, so this form tells no one who has one. */}
      <Notice message={sent ? `If an account waiting for confirmation uses ${sent}, we sent a new link to it. It works for 24 hours.` : null} />
      <FormError message={failure?.formError} />
      <Form method="post">
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={failure?.values.email ?? sent ?? loaderData.email} error={failure?.fieldErrors.email} />
        <div className="mt-6 flex flex-col">
          <SubmitButton pendingText="Sending…">Send a new link</SubmitButton>
        </div>
      </Form>
    </AuthCard>
  );
}
