import { data, Form, href, Link, redirect } from "react-router";
import type { Route } from "./+types/verify-email-token";
import { AuthCard, linkClass } from "#app/components/auth-card.tsx";
import { FormError, SubmitButton } from "#app/components/form.tsx";
import { AUTH_MESSAGES } from "#app/features/auth/schemas.ts";
import { readSessionToken, sessionCookie } from "#app/features/auth/session.server.ts";
import { peekToken } from "#app/features/auth/tokens.server.ts";
import { confirmEmail } from "#app/features/auth/verification.server.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Confirm your address · Commons" }];
}

// GET only shows a button: mail scanners open links before people do, and must not use them up.
export async function loader({ params, context }: Route.LoaderArgs) {
  const valid = (await peekToken(context.db, params.token, "verify_email")) !== null;
  return data({ valid }, { status: valid ? 200 : 410, headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const result = await confirmEmail(context.db, params.token, {
    currentToken: readSessionToken(request),
    userAgent: request.headers.get("user-agent") ?? "",
  });
  if (!result.ok) {
    if (result.reason === "deactivated") return data({ error: AUTH_MESSAGES.deactivated }, { status: 403 });
    return data({ error: null }, { status: 410 });
  }
  context.log.info({ userId: result.user.id }, "address confirmed; signed in");
  throw redirect(href("/"), {
    headers: {
      "Set-Cookie": sessionCookie(request, result.token, result.session.absoluteExpiresAt),
    },
  });
}

export default function VerifyEmailToken({ loaderData, actionData }: Route.ComponentProps) {
  if (actionData?.error) {
    return (
      <AuthCard title="This account cannot sign in">
        <FormError message={actionData.error} />
      </AuthCard>
    );
  }
  if (!loaderData.valid || actionData) return <LinkNoLongerWorks />;
  return (
    <AuthCard title="Confirm your address" subtitle="One last step: confirm that this address is yours, and you are in.">
      <Form method="post" className="flex flex-col">
        <SubmitButton pendingText="Confirming…">Confirm my address</SubmitButton>
      </Form>
    </AuthCard>
  );
}

function LinkNoLongerWorks() {
  return (
    <AuthCard
      title="This link no longer works"
      subtitle="It was already used, it is more than 24 hours old, or a newer link was sent since."
      footer={
        <Link to={href("/sign-in")} className={linkClass}>
          Back to sign in
        </Link>
      }
    >
      <p className="text-sm text-slate-600">
        Already confirmed? Just sign in.{" "}
        <Link to={href("/verify-email")} className={linkClass}>
          Get a new link
        </Link>
      </p>
    </AuthCard>
  );
}
