import type { MailMessage } from "#app/features/mail/outbox.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";

/**
 * The forum's account mails, rendered like every mail of ours and written to the same outbox (the
 * forum's role may add a mail, never read one). Links are built on FORUM_URL, never on the
 * request's Host header: a forged Host would otherwise put another site in a mail to a real
 * person. They are not `users`, so no userId.
 */

type Site = { baseUrl: string; company: string };
type To = { email: string; name: string };

const forumName = (site: Site) => `the ${site.company} community forum`;

export function verifyEmailMail(site: Site, to: To, token: string): MailMessage {
  return renderMail({
    to: to.email,
    userId: null,
    senderName: `${site.company} Community`,
    template: "forum-verify-email",
    subject: `confirm your address for ${forumName(site)}`,
    reason: `You are receiving this because someone signed up to ${forumName(site)} with this address.`,
    // No name: whoever signed up typed it, and it must not put their words in a mail to someone else.
    greeting: "Hello,",
    paragraphs: [`Confirm that this address is yours to comment and react on ${forumName(site)}.`],
    action: { label: "Confirm my address", url: `${site.baseUrl}/verify?token=${token}` },
    footnote: "The link works once, for 24 hours. If you did not sign up, ignore this mail: without the link the account can't post anything.",
  });
}

/** To the owner of an address that already has an account: someone tried to sign up with it. */
export function signUpAttemptMail(site: Site, to: To): MailMessage {
  return renderMail({
    to: to.email,
    userId: null,
    senderName: `${site.company} Community`,
    template: "forum-sign-up-attempt",
    subject: `someone tried to sign up to ${forumName(site)} with your address`,
    reason: `You are receiving this because someone signed up to ${forumName(site)} with this address.`,
    greeting: `Hello ${to.name},`,
    paragraphs: [
      `Someone tried to create an account on ${forumName(site)} with this address. You already have one, so nothing was changed.`,
      "If it was you, sign in instead; if you forgot your password, you can choose a new one from the sign-in page. If it was not you, you can ignore this mail.",
    ],
    action: { label: "Sign in", url: `${site.baseUrl}/signin` },
    footnote: `Forgot your password? ${site.baseUrl}/forgot`,
  });
}

export function resetPasswordMail(site: Site, to: To, token: string): MailMessage {
  return renderMail({
    to: to.email,
    userId: null,
    senderName: `${site.company} Community`,
    template: "forum-reset-password",
    subject: `reset your password for ${forumName(site)}`,
    reason: `You are receiving this because someone asked to reset the password of the account with this address on ${forumName(site)}.`,
    greeting: `Hello ${to.name},`,
    paragraphs: ["Choose a new password with the link below. Setting it signs you out on every device."],
    action: { label: "Choose a new password", url: `${site.baseUrl}/reset?token=${token}` },
    footnote: "The link works once, for one hour. If you did not ask for it, ignore this mail: your password stays as it is.",
  });
}
