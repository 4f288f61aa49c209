import { href } from "react-router";
import { env } from "#app/lib/env.server.ts";
import type { MailMessage } from "#app/features/mail/outbox.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";

/**
 * The mails of sign-up and password reset. Links are built on APP_URL (or, unset, the
 * `http://localhost:<PORT>` the start banner prints), never on the request's Host header: a
 * forged Host would otherwise put an attacker's site in a reset mail sent to a real person.
 */

export function appUrl(path: string): string {
  const e = env();
  return new URL(path, e.APP_URL ?? `http://localhost:${e.PORT}`).href;
}

type To = { email: string; name: string; id: number };

const SIGNED_UP = "You are receiving this because someone signed up to Commons with this address.";
const RESET = "You are receiving this because someone asked to reset the password of the Commons account with this address.";

export function verifyEmailMail(to: To, token: string): MailMessage {
  return renderMail({
    to: to.email,
    userId: to.id,
    template: "verify-email",
    subject: "confirm your address",
    reason: SIGNED_UP,
    // No name: whoever signed up typed it, and it must not put their words in a mail to someone else.
    greeting: "Hello,",
    paragraphs: ["Welcome to Commons. Confirm that this address is yours to finish creating your account."],
    action: {
      label: "Confirm my address",
      url: appUrl(href("/verify-email/:token", { token })),
    },
    footnote: "The link works once, for 24 hours. If you did not sign up, ignore this mail: without the link the account stays unusable.",
  });
}

/** To the owner of an address that already has an account: someone tried to sign up with it. */
export function signUpAttemptMail(to: To): MailMessage {
  return renderMail({
    to: to.email,
    userId: to.id,
    template: "sign-up-attempt",
    subject: "someone tried to sign up with your address",
    reason: SIGNED_UP,
    greeting: `Hello ${to.name},`,
    paragraphs: [
      "Someone tried to create a Commons account with this address. You already have one, so nothing was changed.",
      "If it was you, sign in instead. If you forgot your password, you can set a new one from the sign-in page. If it was not you, you can ignore this mail.",
    ],
    action: { label: "Sign in to Commons", url: appUrl(href("/sign-in")) },
    footnote: `Forgot your password? ${appUrl(href("/forgot-password"))}`,
  });
}

export function resetPasswordMail(to: To, token: string): MailMessage {
  return renderMail({
    to: to.email,
    userId: to.id,
    template: "reset-password",
    subject: "reset your password",
    reason: RESET,
    greeting: `Hello ${to.name},`,
    paragraphs: ["Choose a new password with the link below. Setting it signs you out on every device."],
    action: {
      label: "Choose a new password",
      url: appUrl(href("/reset-password/:token", { token })),
    },
    footnote: "The link works once, for one hour. If you did not ask for it, ignore this mail: your password stays as it is.",
  });
}

/** A reset asked for an account that signs in only through the company's SSO: there is no password to reset. */
export function ssoOnlyResetMail(to: To, ssoLabel: string): MailMessage {
  return renderMail({
    to: to.email,
    userId: to.id,
    template: "reset-password-sso",
    subject: "how you sign in",
    reason: RESET,
    greeting: `Hello ${to.name},`,
    paragraphs: [`Your Commons account has no password: you sign in with ${ssoLabel}.`, `To add a password, sign in with ${ssoLabel}, then set one under Settings, Password and sign-in.`],
    action: {
      label: `Sign in with ${ssoLabel}`,
      url: appUrl(href("/sign-in")),
    },
  });
}
