import { Body } from "@react-email/body";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Html } from "@react-email/html";
import { Link } from "@react-email/link";
import { Text } from "@react-email/text";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { Category } from "#app/features/mail-prefs/categories.ts";
import type { MailMessage } from "./message.ts";

/** The product's name, in every mail's subject line and signature. */
export const PRODUCT_NAME = "Commons";

/**
 * What every mail says: whom it is for, a one-line reason it was sent ("You signed up ..."), a few
 * paragraphs and at most one action (a link). Both parts are made from the same content, so the
 * text part never lags behind the HTML one. React escapes every value in the HTML part.
 */
export interface MailContent {
  to: string;
  userId?: number | null;
  template: string;
  /** The subject without the product's name, which is added in front. */
  subject: string;
  /** One line: why this mail was sent to this address. */
  reason: string;
  greeting?: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Said after the action, e.g. how long the link works. */
  footnote?: string;
  /** Who the mail is from, in front of the subject and atop the text: the product's name unless
   * said otherwise (the public forum's mails go to customers as "<Company> Community"). */
  senderName?: string;
  /** Under the reason: where to choose what mail arrives (notification mails link their settings). */
  manage?: { label: string; url: string };
  headers?: Record<string, string>;
  /** A notification category: see MailMessage.category. */
  category?: Category;
}

/** The footer lines both parts end with: the reason, and where to change it. */
export type MailFooter = { reason: string; manage?: { label: string; url: string } | undefined };

/** The text part's signature: "-- ", the sender, the reason, the settings link. */
export function textFooter(sender: string, footer: MailFooter): string {
  return [`-- \n${sender}`, footer.reason, footer.manage ? `${footer.manage.label}: ${footer.manage.url}` : undefined].filter(Boolean).join("\n");
}

export function renderMail(content: MailContent): MailMessage {
  const sender = content.senderName ?? PRODUCT_NAME;
  const subject = `${sender}: ${content.subject}`;
  const text = [content.greeting, ...content.paragraphs, content.action ? `${content.action.label}:\n${content.action.url}` : undefined, content.footnote, textFooter(sender, content)]
    .filter((part): part is string => Boolean(part))
    .join("\n\n");
  const html = renderMailHtml(
    <MailShell sender={sender} subject={subject} footer={content}>
      {content.greeting ? <Text style={paragraph}>{content.greeting}</Text> : null}
      {content.paragraphs.map((p, i) => (
        <Text key={i} style={paragraph}>
          {p}
        </Text>
      ))}
      {content.action ? <ActionLink {...content.action} /> : null}
      {content.footnote ? <Text style={small}>{content.footnote}</Text> : null}
    </MailShell>,
  );
  return {
    to: content.to,
    userId: content.userId ?? null,
    template: content.template,
    subject,
    text: text + "\n",
    html,
    ...(content.headers ? { headers: content.headers } : {}),
    ...(content.category ? { category: content.category } : {}),
  };
}

/** A react-email tree as the HTML part: static markup (no React attributes), with its doctype. */
export function renderMailHtml(tree: ReactNode): string {
  return "<!doctype html>" + renderToStaticMarkup(tree);
}

const font = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
export const paragraph = { margin: "0 0 14px", fontSize: 15, lineHeight: 1.55 } as const;
export const small = { margin: "0 0 14px", fontSize: 13, lineHeight: 1.5, color: "#52525b" } as const;
export const linkStyle = { color: "#1d4ed8", textDecoration: "underline" } as const;

/**
 * The frame of every mail (react-email components): the sender's name, the content, and the
 * footer with the reason it was sent and, for notification mails, the settings link. Only
 * components that render tables, paragraphs and links, which every mail client shows alike.
 */
export function MailShell({ sender, subject, footer, children }: { sender: string; subject: string; footer: MailFooter; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{subject}</title>
      </Head>
      <Body style={{ margin: 0, padding: "24px 12px", background: "#f4f4f5", fontFamily: font, color: "#18181b" }}>
        <Container style={{ maxWidth: 560, margin: "0 auto", padding: "24px 28px", background: "#ffffff", borderRadius: 8 }}>
          <Text style={{ margin: "0 0 20px", fontWeight: 700, fontSize: 17 }}>{sender}</Text>
          {children}
          <Text style={{ margin: "24px 0 0", paddingTop: 14, borderTop: "1px solid #e4e4e7", fontSize: 12, lineHeight: 1.5, color: "#71717a" }}>{footer.reason}</Text>
          {footer.manage ? (
            <Text style={{ margin: "6px 0 0", fontSize: 12, lineHeight: 1.5, color: "#71717a" }}>
              <Link href={footer.manage.url} style={{ color: "#52525b", textDecoration: "underline" }}>
                {footer.manage.label}
              </Link>
            </Text>
          ) : null}
        </Container>
      </Body>
    </Html>
  );
}

/** The one action: a link that looks like a button, and its address in words for when it does not work. */
export function ActionLink({ label, url }: { label: string; url: string }) {
  return (
    <>
      <Text style={{ margin: "22px 0" }}>
        <Link
          href={url}
          style={{ display: "inline-block", background: "#1d4ed8", color: "#ffffff", padding: "10px 18px", borderRadius: 6, textDecoration: "none", fontWeight: 600, fontSize: 15 }}
        >
          {label}
        </Link>
      </Text>
      <Text style={{ ...small, wordBreak: "break-all" }}>If the button does not work, open this address: {url}</Text>
    </>
  );
}
