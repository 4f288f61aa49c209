import { setTimeout as sleep } from "node:timers/promises";

/**
 * The mail the app under test sent, read from its embedded MailDev through MailDev's REST API
 * (`GET /api/email`), on the inbox port playwright.config.ts chose (E2E_MAILDEV_PORT).
 */

export interface ReceivedMail {
  subject: string;
  text: string;
  html: string;
  /** The href of every link in the HTML part, in order, entities decoded. */
  links: string[];
}

export interface Mailbox {
  /** Polls until a mail to `to` (and with a matching subject, if given) has arrived; the newest such mail. */
  waitFor: (query: { to: string; subject?: RegExp | string }) => Promise<ReceivedMail>;
}

interface MailDevEmail {
  subject?: string;
  text?: string;
  html?: string;
  to?: Array<{ address: string }>;
}

const WAIT_MS = 10_000;

function decodeEntities(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|#x27|#(\d+)|#x([0-9a-f]+));/gi, (entity, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
    return ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" } as Record<string, string>)[name.toLowerCase()] ?? entity;
  });
}

export function linksOf(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((m) => decodeEntities(m[1] ?? m[2] ?? ""));
}

function matches(mail: MailDevEmail, to: string, subject: RegExp | string | undefined): boolean {
  if (!(mail.to ?? []).some((r) => r.address.toLowerCase() === to.toLowerCase())) return false;
  if (subject === undefined) return true;
  const actual = mail.subject ?? "";
  return typeof subject === "string" ? actual.includes(subject) : subject.test(actual);
}

export function mailboxAt(inboxUrl: string): Mailbox {
  return {
    waitFor: async ({ to, subject }) => {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        // Arrival order, reversed: MailDev's own sort is by a time in whole seconds, which leaves ties.
        const response = await fetch(`${inboxUrl}/api/email`);
        if (!response.ok) throw new Error(`MailDev answered ${response.status} at ${inboxUrl}/api/email`);
        const seen = ((await response.json()) as MailDevEmail[]).reverse();
        const found = seen.find((mail) => matches(mail, to, subject));
        if (found) {
          const html = found.html ?? "";
          return { subject: found.subject ?? "", text: found.text ?? "", html, links: linksOf(html) };
        }
        if (Date.now() > deadline) {
          const near = seen.filter((mail) => (mail.to ?? []).some((r) => r.address.toLowerCase() === to.toLowerCase())).map((mail) => mail.subject);
          throw new Error(`no mail to ${to}${subject ? ` with subject ${String(subject)}` : ""} within ${WAIT_MS / 1000} s; mail to that address: ${JSON.stringify(near)}`);
        }
        await sleep(100);
      }
    },
  };
}
