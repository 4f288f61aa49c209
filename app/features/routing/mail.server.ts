import { appUrl } from "#app/features/auth/mails.server.ts";
import type { MailMessage } from "#app/features/mail/outbox.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";
import { mailSettingsLink } from "#app/features/mail-prefs/unsubscribe.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { absoluteTime } from "#app/lib/time.ts";

/**
 * The mail a person gets when a question is sent to them, besides their inbox: by routing (an
 * expert round, or the space's moderators) or by a colleague's "Ask this person". It names the
 * question and the space, never quotes its text: mail is forwarded and read elsewhere, and the
 * question page applies the space's rules.
 */

const REASON = "You get this because Commons sends questions to the people who know their topic. You can set yourself away, or turn routed questions off, in your settings.";

export type RoutedMailInput = {
  to: { email: string; name: string; id: number };
  question: { id: number; title: string };
  spaceName: string;
  reason: "expert" | "moderator" | "asked";
  /** Who asked them (null for routing, and for an anonymous question's asker). */
  askedBy: string | null;
  /** The evidence line they were picked for, if any. */
  why: string;
  /** When the round runs out (expert rounds). */
  dueAt: Date | null;
};

export function routedMail(input: RoutedMailInput): MailMessage {
  const title = input.question.title;
  const paragraphs: string[] = [];
  let subject: string;
  if (input.reason === "asked") {
    const who = input.askedBy ?? "A colleague";
    subject = `${who} asks you to answer a question`;
    paragraphs.push(`${who} asked you to answer “${title}” in ${input.spaceName}.`);
    if (input.why) paragraphs.push(`They asked you because of your work: ${input.why}.`);
  } else if (input.reason === "moderator") {
    subject = `A question in ${input.spaceName} is still unanswered`;
    paragraphs.push(
      `“${title}” has waited past its answer deadline, and the people who know its topic have not answered it. As a moderator of ${input.spaceName}, could you answer it or find someone who can?`,
    );
  } else {
    subject = "A question for you";
    paragraphs.push(`“${title}” in ${input.spaceName} is waiting for an answer, and you are one of the people who know its topic${input.why ? `: ${input.why}` : ""}.`);
    if (input.dueAt) paragraphs.push(`If it is still unanswered by ${absoluteTime(input.dueAt)}, it goes to others.`);
  }
  return renderMail({
    to: input.to.email,
    userId: input.to.id,
    template: `routed-${input.reason}`,
    subject,
    reason: REASON,
    greeting: `Hello ${input.to.name},`,
    paragraphs,
    action: { label: "Open the question", url: appUrl(questionUrl(input.question)) },
    // Issue 21: sent only while the person wants routed questions "immediately" (enqueueMail checks).
    category: "routed",
    manage: mailSettingsLink(),
  });
}
