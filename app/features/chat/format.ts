import type { EventPerson, EventSpace, EventType, WebhookBody } from "#app/features/webhooks/events.ts";
import { STATUS_LABELS, type IdeaStatus } from "#app/features/ideas/schemas.ts";

/**
 * The messages chat connections post (issue 21): Slack blocks, or a Microsoft Teams Adaptive Card
 * in the incoming-webhook envelope. Each event is first described once, platform-neutral (a
 * title, a short text, a few facts and the link back), then drawn for each platform.
 *
 * Everything people wrote (titles, names, tags, messages) is escaped for the platform's markup, so
 * a title can never become a link, a mention that pings a whole channel, or formatting that hides
 * text. Only our own URLs (absolute, http or https, from the event) are ever links.
 */

export type ChatPlatform = "slack" | "teams";

/** What a message says, before either platform draws it. Every string here is plain text. */
export interface ChatMessage {
  /** One line for notifications and clients that show no blocks ("New question in Support: …"). */
  fallback: string;
  /** The headline: a question's or idea's title, who gave kudos to whom. */
  title: string;
  /** A short text under the title (at most EXCERPT_MAX characters). */
  text: string;
  /** Label and value pairs (Space, Asked by, Tags). */
  facts: Array<{ label: string; value: string }>;
  /** The page in Commons the message links back to. */
  url: string;
}

/** Chat messages stay short: a glance in a channel, with the page a click away. */
export const EXCERPT_MAX = 280;
/** Titles in Commons are short already; a cap keeps a hand-made event inside Slack's block limits. */
const TITLE_MAX = 200;

/** `text` on one line, at most `max` characters (an ellipsis when cut, never mid-surrogate). */
export function shorten(text: string, max = EXCERPT_MAX): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  if (chars.length <= max) return flat;
  return `${chars
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}

/** Only an absolute http(s) URL may be a link or a button; anything else is left out. */
export function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    // Not a URL at all: no link rather than a broken one.
    return null;
  }
}

const ANONYMOUS = "Anonymous";
const personName = (person: EventPerson | null) => (person ? person.name : ANONYMOUS);
const tagList = (tags: string[]) => (tags.length > 0 ? tags.join(", ") : "None");
const statusLabel = (status: string) => STATUS_LABELS[status as IdeaStatus] ?? status;

function names(people: EventPerson[]): string {
  const all = people.map((p) => p.name);
  if (all.length <= 1) return all[0] ?? "";
  if (all.length <= 3) return `${all.slice(0, -1).join(", ")} and ${all.at(-1)}`;
  return `${all.slice(0, 2).join(", ")} and ${all.length - 2} others`;
}

/** The platform-neutral message for one event. */
export function describeEvent(body: WebhookBody): ChatMessage {
  const space = body.space.name;
  switch (body.type) {
    case "question.created": {
      const { question, excerpt } = (body as WebhookBody<"question.created">).data;
      return {
        fallback: `New question in ${space}: ${question.title}`,
        title: question.title,
        text: excerpt,
        facts: [
          { label: "Space", value: space },
          { label: "Asked by", value: personName(question.author) },
          { label: "Tags", value: tagList(question.tags) },
        ],
        url: question.url,
      };
    }
    case "question.unanswered": {
      const { question, hoursUnanswered } = (body as WebhookBody<"question.unanswered">).data;
      const hours = `${hoursUnanswered} ${hoursUnanswered === 1 ? "hour" : "hours"}`;
      return {
        fallback: `Still unanswered after ${hours} in ${space}: ${question.title}`,
        title: question.title,
        text: `No answer yet after ${hours}. Can you help?`,
        facts: [
          { label: "Space", value: space },
          { label: "Asked by", value: personName(question.author) },
          { label: "Tags", value: tagList(question.tags) },
        ],
        url: question.url,
      };
    }
    case "answer.created": {
      const { question, answer } = (body as WebhookBody<"answer.created">).data;
      return {
        fallback: `${answer.author.name} answered in ${space}: ${question.title}`,
        title: question.title,
        text: answer.excerpt,
        facts: [
          { label: "Space", value: space },
          { label: "Answered by", value: answer.author.name },
          { label: "Tags", value: tagList(question.tags) },
        ],
        url: answer.url,
      };
    }
    case "answer.accepted": {
      const { question, answer } = (body as WebhookBody<"answer.accepted">).data;
      return {
        fallback: `An answer by ${answer.author.name} was accepted in ${space}: ${question.title}`,
        title: question.title,
        text: `The answer by ${answer.author.name} was accepted.`,
        facts: [
          { label: "Space", value: space },
          { label: "Answered by", value: answer.author.name },
          { label: "Tags", value: tagList(question.tags) },
        ],
        url: answer.url,
      };
    }
    case "idea.created": {
      const { idea } = (body as WebhookBody<"idea.created">).data;
      return {
        fallback: `New idea in ${idea.campaign.title}: ${idea.title}`,
        title: idea.title,
        text: idea.excerpt,
        facts: [
          { label: "Space", value: space },
          { label: "Campaign", value: idea.campaign.title },
          { label: "Submitted by", value: idea.author.name },
        ],
        url: idea.url,
      };
    }
    case "idea.status_changed": {
      const { idea, from, toLabel, changedBy } = (body as WebhookBody<"idea.status_changed">).data;
      return {
        fallback: `Idea now ${toLabel}: ${idea.title}`,
        title: idea.title,
        text: `Now ${toLabel} (was ${statusLabel(from)}), changed by ${changedBy.name}.`,
        facts: [
          { label: "Space", value: space },
          { label: "Campaign", value: idea.campaign.title },
          { label: "Status", value: toLabel },
        ],
        url: idea.url,
      };
    }
    case "kudos.given": {
      const { kudos, from, to } = (body as WebhookBody<"kudos.given">).data;
      const facts = [
        { label: "Space", value: space },
        { label: "Points", value: String(kudos.points) },
      ];
      if (kudos.value) facts.push({ label: "Value", value: kudos.value });
      return { fallback: `${from.name} gave kudos to ${names(to)}`, title: `${from.name} gave kudos to ${names(to)}`, text: kudos.message, facts, url: kudos.url };
    }
  }
}

/** The event type of "Send a test message" deliveries in the log. */
export const TEST_EVENT_TYPE = "chat.test";

/** The message "Send a test message" posts: says where it comes from and what will follow. */
export function describeTest(input: { space: Pick<EventSpace, "name">; label: string; events: readonly EventType[]; url: string }): ChatMessage {
  return {
    fallback: `Commons is connected to this channel for ${input.space.name}`,
    title: "Commons is connected",
    text: `This is a test message. This channel will get the ${input.space.name} space's ${input.events.length === 1 ? "event" : "events"} chosen for this connection.`,
    facts: [{ label: "Space", value: input.space.name }, ...(input.label ? [{ label: "Connection", value: input.label }] : [])],
    url: input.url,
  };
}

// ---------------------------------------------------------------------------------------------
// Slack

/**
 * Slack's mrkdwn reads `&`, `<` and `>` as markup (links, mentions such as `<!channel>` and
 * `<@U123>`), and asks for exactly these three as HTML entities; nothing else is decoded.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A link `<url|label>`: the URL may hold no `|`, `<` or `>` of its own (ours never do; encoded if so). */
function slackLink(url: string | null, label: string): string {
  if (!url) return escapeSlack(label);
  const target = url.replace(/&/g, "&amp;").replace(/\|/g, "%7C").replace(/</g, "%3C").replace(/>/g, "%3E");
  return `<${target}|${escapeSlack(label)}>`;
}

export function slackPayload(message: ChatMessage) {
  const url = safeUrl(message.url);
  const title = shorten(message.title, TITLE_MAX);
  const text = shorten(message.text);
  return {
    text: escapeSlack(shorten(message.fallback, TITLE_MAX + 100)),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${slackLink(url, title)}*${text ? `\n${escapeSlack(text)}` : ""}` } },
      // Context blocks take at most ten elements; ours have three or four.
      { type: "context", elements: message.facts.slice(0, 10).map((f) => ({ type: "mrkdwn", text: `*${escapeSlack(f.label)}:* ${escapeSlack(shorten(f.value, 150))}` })) },
      ...(url ? [{ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in Commons" }, url }] }] : []),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft Teams

/**
 * Adaptive Cards' TextBlocks (and fact values) render a subset of markdown: `[x](url)` links,
 * `**bold**`, `_italic_`, lists and numbered lists. A backslash before each markdown-significant
 * character keeps people's text literal, so a title can't become a link or formatting.
 */
export function escapeTeams(text: string): string {
  return (
    text
      .replace(/[\\`*_[\]()<>]/g, (c) => `\\${c}`)
      // A list marker counts only at the start of a line (our text is one line): "- x", "+ x", "1. x".
      .replace(/^(\s*)([-+])/, "$1\\$2")
      .replace(/^(\s*\d+)([.)])/, "$1\\$2")
  );
}

export function teamsPayload(message: ChatMessage) {
  const url = safeUrl(message.url);
  const text = shorten(message.text);
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          // The fallback is what notifications and screen readers announce for the card.
          speak: shorten(message.fallback, TITLE_MAX + 100),
          body: [
            { type: "TextBlock", text: escapeTeams(shorten(message.title, TITLE_MAX)), weight: "bolder", size: "medium", wrap: true },
            ...(text ? [{ type: "TextBlock", text: escapeTeams(text), wrap: true }] : []),
            { type: "FactSet", facts: message.facts.map((f) => ({ title: escapeTeams(f.label), value: escapeTeams(shorten(f.value, 150)) })) },
          ],
          actions: url ? [{ type: "Action.OpenUrl", title: "Open in Commons", url }] : [],
        },
      },
    ],
  };
}

/** A message drawn for its platform. */
export function drawMessage(platform: ChatPlatform, message: ChatMessage): unknown {
  return platform === "slack" ? slackPayload(message) : teamsPayload(message);
}

/**
 * The message a chat connection posts for an event: Slack blocks, or a Teams Adaptive Card in the
 * incoming-webhook envelope. Called by emitEvent for every connection that takes the event.
 */
export function chatPayload(platform: ChatPlatform, body: WebhookBody): unknown {
  return drawMessage(platform, describeEvent(body));
}
