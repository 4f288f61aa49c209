import type { ReactNode } from "react";
import { PASSWORD_HINT } from "#app/features/auth/schemas.ts";
import { ErrorSummary, Field } from "../views/form.tsx";
import type { SignedInAccount } from "./session.server.ts";

/**
 * The account pages' bodies (the layout comes from forum/render.tsx). Plain forms: the forum sends
 * no scripts. A form that comes back has its error summary first and what was typed in its
 * fields, never a password.
 */

export type FormState = { values?: Record<string, string>; errors?: Record<string, string | undefined> };

/** The honeypot: hidden from people (and screen readers), filled by bots that fill every field. */
export const HONEYPOT = "website";

function withReturn(path: string, returnTo: string): string {
  return returnTo === "/" ? path : `${path}?redirectTo=${encodeURIComponent(returnTo)}`;
}

function AccountCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <section className="account-card" aria-labelledby="account-title">
      <h1 id="account-title">{title}</h1>
      {children}
      {footer ? <p className="account-footer">{footer}</p> : null}
    </section>
  );
}

export function SignUpPage({ company, returnTo, state }: { company: string; returnTo: string; state?: FormState }) {
  const values = state?.values ?? {};
  const errors = state?.errors ?? {};
  return (
    <AccountCard
      title="Create your account"
      footer={
        <>
          Already have an account? <a href={withReturn("/signin", returnTo)}>Sign in</a>
        </>
      }
    >
      <p>Reading the {company} Community needs no account. With one you can comment and say which answers helped.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/signup" noValidate>
        <input type="hidden" name="redirectTo" value={returnTo} />
        <Field label="Name" name="name" autoComplete="name" required maxLength={100} defaultValue={values.name} error={errors.name} hint="Shown with your comments." />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          maxLength={254}
          defaultValue={values.email}
          error={errors.email}
          hint="Never shown. We send a link to confirm it."
        />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required error={errors.password} hint={PASSWORD_HINT} />
        <div className="visually-hidden" aria-hidden="true">
          <label htmlFor="field-website">Leave this field empty</label>
          <input id="field-website" name={HONEYPOT} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>
        <button type="submit">Create account</button>
      </form>
    </AccountCard>
  );
}

export function CheckMailPage({ email }: { email: string }) {
  return (
    <AccountCard title="Check your mail" footer={<a href="/signin">Sign in</a>}>
      <p>
        We sent a mail to <strong>{email}</strong>. Open the link in it to confirm your address: it works for 24 hours.
      </p>
      <p>Nothing there after a few minutes? Look in your spam folder. You can sign in meanwhile and ask for a new link.</p>
    </AccountCard>
  );
}

export function SignInPage({ returnTo, state }: { returnTo: string; state?: FormState }) {
  const values = state?.values ?? {};
  const errors = state?.errors ?? {};
  return (
    <AccountCard
      title="Sign in"
      footer={
        <>
          New here? <a href={withReturn("/signup", returnTo)}>Create an account</a> · <a href="/forgot">Forgot your password?</a>
        </>
      }
    >
      <ErrorSummary errors={errors} />
      <form method="post" action="/signin" noValidate>
        <input type="hidden" name="redirectTo" value={returnTo} />
        <Field label="Email" name="email" type="email" autoComplete="email" required maxLength={254} defaultValue={values.email} error={errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={errors.password} />
        <button type="submit">Sign in</button>
      </form>
    </AccountCard>
  );
}

/** The mailed link opens this page; only its button uses the link (mail scanners open links too). */
export function VerifyPage({ token }: { token: string }) {
  return (
    <AccountCard title="Confirm your address">
      <p>Confirm that this address is yours to comment and react on the forum.</p>
      <form method="post" action="/verify">
        <input type="hidden" name="token" value={token} />
        <button type="submit">Confirm my address</button>
      </form>
    </AccountCard>
  );
}

/** A link that no longer works: used, expired, replaced by a newer one, or never ours. */
export function LinkGonePage({ account, kind }: { account: SignedInAccount | null; kind: "verify" | "reset" }) {
  return (
    <AccountCard title="This link no longer works">
      <p>Links work once, and only the newest one does: {kind === "verify" ? "a confirmation link for 24 hours" : "a password link for one hour"}.</p>
      {kind === "reset" ? (
        <p>
          <a href="/forgot">Ask for a new link</a>
        </p>
      ) : account && !account.verified ? (
        <ResendForm returnTo="/" />
      ) : account ? (
        <p>
          Your address is confirmed. <a href="/">Back to the forum</a>
        </p>
      ) : (
        <p>
          <a href="/signin">Sign in</a> to ask for a new one.
        </p>
      )}
    </AccountCard>
  );
}

export function ResendForm({ returnTo, label = "Send the link again" }: { returnTo: string; label?: string }) {
  return (
    <form method="post" action="/verify/resend" className="inline-form">
      <input type="hidden" name="redirectTo" value={returnTo} />
      <button type="submit">{label}</button>
    </form>
  );
}

/**
 * What an account whose address is not proven yet sees where it would comment or react: why it
 * can't yet, and a new link.
 */
export function UnverifiedNotice({ account, returnTo }: { account: SignedInAccount; returnTo: string }) {
  return (
    <div className="notice" role="status">
      <p>
        Confirm your address to comment and react: open the link we sent to <strong>{account.email}</strong>.
      </p>
      <ResendForm returnTo={returnTo} />
    </div>
  );
}

export function LinkSentPage({ email, returnTo, message }: { email: string; returnTo: string; message?: string }) {
  return (
    <AccountCard title={message ? "Not sent" : "Check your mail"} footer={<a href={returnTo}>Back</a>}>
      {message ? (
        <p role="alert">{message}</p>
      ) : (
        <p>
          We sent a new link to <strong>{email}</strong>. Only the newest link works.
        </p>
      )}
    </AccountCard>
  );
}

export function ForgotPage({ state, sentTo }: { state?: FormState; sentTo?: string }) {
  if (sentTo) {
    return (
      <AccountCard title="Check your mail" footer={<a href="/signin">Back to sign in</a>}>
        <p>
          If <strong>{sentTo}</strong> has an account, a link to choose a new password is on its way. It works for one hour.
        </p>
      </AccountCard>
    );
  }
  const errors = state?.errors ?? {};
  return (
    <AccountCard title="Forgot your password?" footer={<a href="/signin">Back to sign in</a>}>
      <p>We&rsquo;ll mail you a link to choose a new one.</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/forgot" noValidate>
        <Field label="Email" name="email" type="email" autoComplete="email" required maxLength={254} defaultValue={state?.values?.email} error={errors.email} />
        <button type="submit">Send the link</button>
      </form>
    </AccountCard>
  );
}

export function ResetPage({ token, email, state }: { token: string; email: string; state?: FormState }) {
  const errors = state?.errors ?? {};
  return (
    <AccountCard title="Choose a new password">
      <p>
        For <strong>{email}</strong>. Setting it signs you out on every other device.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/reset" noValidate>
        <input type="hidden" name="token" value={token} />
        <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required error={errors.newPassword} hint={PASSWORD_HINT} />
        <button type="submit">Set the password</button>
      </form>
    </AccountCard>
  );
}

/** A refusal by a rate limit, for forms that have no page of their own to come back to. */
export function TooManyPage({ message }: { message: string }) {
  return (
    <AccountCard title="Too many requests">
      <p role="alert">{message}</p>
    </AccountCard>
  );
}

export function VerifiedPage({ account }: { account: SignedInAccount | null }) {
  return (
    <AccountCard title={account?.verified ? "Address confirmed" : "Confirm your address"}>
      <p>{account?.verified ? `Thank you, ${account.name}: you can now comment and say which answers helped.` : "Open the link we sent you to confirm your address."}</p>
      <p>
        <a href="/">Back to the forum</a>
      </p>
    </AccountCard>
  );
}
