import { appUrl } from "#app/features/auth/mails.server.ts";
import type { MailMessage } from "#app/features/mail/outbox.server.ts";
import { renderMail } from "#app/features/mail/render.server.tsx";
import type { Severity } from "./model.ts";
import { SEVERITY_LABELS } from "./settings-form.ts";

/**
 * "Escalated: <title>" to the moderators and admins. It names the customer's question and why it
 * escalated, never quotes the customer's text (the page has it).
 */
export function escalatedMail(input: { to: { id: number; email: string; name: string }; escalation: { id: number; title: string; severity: Severity; reasons: string[] } }): MailMessage {
  const { to, escalation } = input;
  return renderMail({
    to: to.email,
    userId: to.id,
    template: "forum-escalated",
    subject: `Escalated: ${escalation.title}`,
    reason: "You get this because you are a moderator or admin of Commons, who are told when a customer's question on the public forum escalates.",
    greeting: `Hello ${to.name},`,
    paragraphs: [
      `A customer's question on the public forum escalated, with ${SEVERITY_LABELS[escalation.severity].toLowerCase()} severity: “${escalation.title}”.`,
      `Why: ${escalation.reasons.join("; ")}.`,
      "Someone should take it: assign it, and open an internal question where colleagues can work it.",
    ],
    action: { label: "Open the escalation", url: appUrl(`/forum/escalations/${escalation.id}`) },
  });
}
