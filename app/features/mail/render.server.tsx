import { renderToStaticMarkup } from "react-dom/server";
import type { MailMessage } from "./outbox.server.ts";

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
}

export function renderMail(content: MailContent): MailMessage {
  const sender = content.senderName ?? PRODUCT_NAME;
  const subject = `${sender}: ${content.subject}`;
  const text = [
    content.greeting,
    ...content.paragraphs,
    content.action ? `${content.action.label}:\n${content.action.url}` : undefined,
    content.footnote,
    `-- \n${sender}\n${content.reason}`,
  ]
    .filter((part): part is string => Boolean(part))
    .join("\n\n");
  const html = "<!doctype html>" + renderToStaticMarkup(<MailLayout content={content} subject={subject} />);
  return { to: content.to, userId: content.userId ?? null, template: content.template, subject, text: text + "\n", html };
}

const font = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

function MailLayout({ content, subject }: { content: MailContent; subject: string }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{subject}</title>
      </head>
      <body style={{ margin: 0, padding: "24px 12px", background: "#f4f4f5", fontFamily: font, color: "#18181b" }}>
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ maxWidth: 560, margin: "0 auto", background: "#ffffff", borderRadius: 8 }}>
          <tbody>
            <tr>
              <td style={{ padding: "24px 28px", fontSize: 15, lineHeight: 1.55 }}>
                <p style={{ margin: "0 0 20px", fontWeight: 700, fontSize: 17 }}>{content.senderName ?? PRODUCT_NAME}</p>
                {content.greeting ? <p style={{ margin: "0 0 14px" }}>{content.greeting}</p> : null}
                {content.paragraphs.map((p, i) => (
                  <p key={i} style={{ margin: "0 0 14px" }}>
                    {p}
                  </p>
                ))}
                {content.action ? (
                  <p style={{ margin: "22px 0" }}>
                    <a
                      href={content.action.url}
                      style={{ display: "inline-block", background: "#1d4ed8", color: "#ffffff", padding: "10px 18px", borderRadius: 6, textDecoration: "none", fontWeight: 600 }}
                    >
                      {content.action.label}
                    </a>
                  </p>
                ) : null}
                {content.action ? (
                  <p style={{ margin: "0 0 14px", fontSize: 13, color: "#52525b", wordBreak: "break-all" }}>If the button does not work, open this address: {content.action.url}</p>
                ) : null}
                {content.footnote ? <p style={{ margin: "0 0 14px", fontSize: 13, color: "#52525b" }}>{content.footnote}</p> : null}
                <p style={{ margin: "24px 0 0", paddingTop: 14, borderTop: "1px solid #e4e4e7", fontSize: 12, color: "#71717a" }}>{content.reason}</p>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>
  );
}
