import { appUrl } from "#app/features/auth/mails.server.ts";
import type { MailMessage } from "#app/features/mail/outbox.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";
import { absoluteTime } from "#app/lib/time.ts";

/**
 * The mail a person gets when a customer's question on the public forum is routed to them. It
 * names the question (already public) and links to the internal queue, where they answer.
 */

const REASON =
  "You get this because customers' questions on the public forum go to the SMEs and responders of their topics. You can set yourself away, or turn routed questions off, in your settings.";

export function forumRoutedMail(input: { to: { id: number; email: string; name: string }; threadId: number; title: string; topic: string; dueAt: Date }): MailMessage {
  return renderMail({
    to: input.to.email,
    userId: input.to.id,
    template: "forum-routed",
    subject: `A customer asked on the public forum: ${input.title}`,
    reason: REASON,
    greeting: `Hello ${input.to.name},`,
    paragraphs: [
      `A customer asked “${input.title}” on the public forum, and you are one of the people who know ${input.topic}.`,
      `Customers are promised a first answer by ${absoluteTime(input.dueAt)}.`,
    ],
    action: { label: "Open it in the forum queue", url: appUrl(`/forum/queue/${input.threadId}`) },
  });
}
