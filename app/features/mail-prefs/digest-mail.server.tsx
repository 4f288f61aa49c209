import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Hr } from "@react-email/hr";
import { Link } from "@react-email/link";
import { Preview } from "@react-email/preview";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { href } from "react-router";
import { appUrl } from "#app/features/auth/mails.server.ts";
import type { MailMessage } from "#app/features/mail/message.ts";
import { MailShell, PRODUCT_NAME, linkStyle, paragraph, renderMailHtml, small, textFooter } from "#app/features/mail/render.server.tsx";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { CATEGORY_INFO, type Category } from "./categories.ts";
import type { Digest, Period } from "./digest.server.ts";
import { mailSettingsLink } from "./unsubscribe.server.ts";

/**
 * A digest as a mail: the HTML part with react-email components, the text part from the same
 * sections, so both always say the same. Every title and name is a React text child in the
 * HTML (escaped) and plain text in the other part.
 */

type Line = { text: string; url: string; note?: string };
type Block = { heading: string; intro?: string; lines: Line[]; more?: string };

const dateWords = (d: Date) => d.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" });
const shortDate = (d: Date) => d.toLocaleDateString("en-GB", { day: "numeric", month: "long", timeZone: "UTC" });

export function periodWords(p: Period): string {
  if (p.cadence === "daily") return dateWords(p.start);
  return `${shortDate(p.start)} to ${shortDate(new Date(p.end.getTime() - 1))}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The digest's sections, in the order the reader meets them. */
export function digestBlocks(d: Digest): Block[] {
  const blocks: Block[] = d.groups.map((g) => ({
    heading: g.label,
    lines: g.entries.map((e) => ({ text: `${e.lead} “${e.title}”`, url: appUrl(e.path) })),
    ...(g.more ? { more: `And ${plural(g.more, "more notification")} in your inbox.` } : {}),
  }));
  if (d.questions.length) {
    blocks.push({
      heading: "Questions you could answer",
      intro: d.questionsBy === "expertise" ? "Still unanswered, in topics you know." : "Still unanswered, in tags you follow.",
      lines: d.questions.map((q) => ({ text: q.title, url: appUrl(q.path), note: q.space })),
    });
  }
  if (d.ideas.length) {
    blocks.push({
      heading: "Ideas waiting for your review",
      intro: "In campaigns you sponsor.",
      lines: d.ideas.map((i) => ({ text: i.title, url: appUrl(i.path), note: `${i.campaign} · ${i.status}` })),
      ...(d.ideasMore ? { more: `And ${plural(d.ideasMore, "more idea")}.` } : {}),
    });
  }
  if (d.moderation) {
    blocks.push({
      heading: "Your moderation queue",
      lines: [{ text: `${plural(d.moderation, "flagged item")} ${d.moderation === 1 ? "waits" : "wait"} for a moderator in spaces you moderate.`, url: appUrl(href("/moderation")) }],
    });
  }
  if (d.pages.length) {
    blocks.push({
      heading: "Pages due for review",
      lines: d.pages.map((p) => ({
        text: p.title,
        url: appUrl(p.path),
        note: p.daysOverdue > 0 ? `${plural(p.daysOverdue, "day")} overdue` : p.daysOverdue === 0 ? "due today" : `due in ${plural(-p.daysOverdue, "day")}`,
      })),
    });
  }
  return blocks;
}

export function digestMail(reader: Actor & { email: string; name: string }, d: Digest, p: Period, categories: readonly Category[], headers: Record<string, string>): MailMessage {
  const title = `Your ${p.cadence} digest`;
  const subject = `${PRODUCT_NAME}: ${title} for ${periodWords(p)}`;
  const blocks = digestBlocks(d);
  const labels = categories.map((c) => CATEGORY_INFO[c].label);
  const footer = {
    reason: `You get this because you chose a ${p.cadence} digest for: ${labels.join(", ")}. The unsubscribe link of this mail turns all of them off.`,
    manage: mailSettingsLink(),
  };
  const inbox = appUrl(href("/notifications"));
  const summary = blocks.map((b) => b.heading).join(", ");

  const text = [
    `Hello ${reader.name},`,
    `${title} for ${periodWords(p)}.`,
    ...blocks.map((b) => [b.heading.toUpperCase(), b.intro, ...b.lines.map((l) => `- ${l.text}${l.note ? ` (${l.note})` : ""}\n  ${l.url}`), b.more].filter(Boolean).join("\n")),
    `Your inbox: ${inbox}`,
    textFooter(PRODUCT_NAME, footer),
  ].join("\n\n");

  const html = renderMailHtml(
    <MailShell sender={PRODUCT_NAME} subject={subject} footer={footer}>
      <Preview>{summary}</Preview>
      <Text style={paragraph}>Hello {reader.name},</Text>
      <Heading as="h1" style={{ margin: "0 0 8px", fontSize: 20 }}>
        {title} for {periodWords(p)}
      </Heading>
      {blocks.map((b) => (
        <Section key={b.heading} style={{ margin: "18px 0 0" }}>
          <Heading as="h2" style={{ margin: "0 0 6px", fontSize: 16 }}>
            {b.heading}
          </Heading>
          {b.intro ? <Text style={small}>{b.intro}</Text> : null}
          {b.lines.map((l, i) => (
            <Text key={i} style={{ margin: "0 0 8px", fontSize: 15, lineHeight: 1.5 }}>
              <Link href={l.url} style={linkStyle}>
                {l.text}
              </Link>
              {l.note ? <span style={{ color: "#71717a", fontSize: 13 }}> · {l.note}</span> : null}
            </Text>
          ))}
          {b.more ? <Text style={small}>{b.more}</Text> : null}
        </Section>
      ))}
      <Hr style={{ margin: "22px 0", borderColor: "#e4e4e7" }} />
      <Button href={inbox} style={{ background: "#1d4ed8", color: "#ffffff", padding: "10px 18px", borderRadius: 6, fontWeight: 600, fontSize: 15 }}>
        Open your inbox
      </Button>
    </MailShell>,
  );
  return { to: reader.email, userId: reader.id, template: `digest-${p.cadence}`, subject, text: text + "\n", html, headers };
}
