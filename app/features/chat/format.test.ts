import { describe, expect, test } from "vitest";
import { CHAT_EVENT_TYPES, type EventPerson, type EventQuestion, type EventType, type WebhookBody } from "#app/features/webhooks/events.ts";
import { EXCERPT_MAX, chatPayload, describeTest, drawMessage, escapeSlack, escapeTeams, safeUrl, shorten } from "./format.ts";
import { EditConnectionSchema, NewConnectionSchema, maskUrl } from "./schemas.ts";

/**
 * The chat formats, exactly: Slack's blocks and Teams' Adaptive Card for every event a connection
 * takes, people's text escaped for each platform's markup, and the forms' rules.
 */

const EVIL = "<!channel> *bold* <http://evil|click> [x](http://evil) <@U123> & co";
const APP = "https://commons.example.com";
const space = { id: 3, slug: "support", name: "Support", visibility: "open" as const };
const ada: EventPerson = { id: 7, name: "Ada Lovelace", url: `${APP}/people/7` };
const question = (over: Partial<EventQuestion> = {}): EventQuestion => ({
  id: 42,
  title: "How do we restore a backup?",
  url: `${APP}/questions/42/how-do-we-restore-a-backup`,
  tags: ["postgres", "backup"],
  author: ada,
  createdAt: "2025-01-01T09:00:00.000Z",
  ...over,
});
const body = <T extends EventType>(type: T, data: WebhookBody<T>["data"]): WebhookBody => ({ type, timestamp: "2025-01-01T10:00:00.000Z", space, data }) as WebhookBody;

type ChatEvent = "question.created" | "question.unanswered" | "idea.status_changed" | "kudos.given";
const bodies: Record<ChatEvent, (title: string, text: string) => WebhookBody> = {
  "question.created": (title, text) => body("question.created", { question: question({ title }), excerpt: text }),
  "question.unanswered": (title) => body("question.unanswered", { question: question({ title }), hoursUnanswered: 5 }),
  "idea.status_changed": (title) =>
    body("idea.status_changed", {
      idea: { id: 9, title, url: `${APP}/ideas/9`, campaign: { id: 2, title: "Simpler HR", url: `${APP}/campaigns/2` } },
      from: "submitted",
      to: "under_review",
      toLabel: "Under review",
      changedBy: ada,
    }),
  "kudos.given": (title, text) =>
    body("kudos.given", {
      kudos: { id: 5, url: `${APP}/kudos/5`, message: text, value: "Helpful", points: 10 },
      from: { ...ada, name: title },
      to: [{ id: 8, name: "Grace Hopper", url: `${APP}/people/8` }],
    }),
};

type Slack = { text: string; blocks: Array<{ type: string; text?: { type: string; text: string }; elements?: Array<{ type: string; text: unknown; url?: string }> }> };
type Teams = {
  type: string;
  attachments: Array<{
    contentType: string;
    contentUrl: null;
    content: {
      $schema: string;
      type: string;
      version: string;
      body: Array<{ type: string; text?: string; weight?: string; wrap?: boolean; facts?: Array<{ title: string; value: string }> }>;
      actions: Array<{ type: string; title: string; url: string }>;
    };
  }>;
};

describe("Slack", () => {
  test("a new question: a section with the link, a context line, a button back", () => {
    expect(chatPayload("slack", bodies["question.created"]("How do we restore a backup?", "We lost a table yesterday."))).toEqual({
      text: "New question in Support: How do we restore a backup?",
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: "*<https://commons.example.com/questions/42/how-do-we-restore-a-backup|How do we restore a backup?>*\nWe lost a table yesterday." },
        },
        {
          type: "context",
          elements: [
            { type: "mrkdwn", text: "*Space:* Support" },
            { type: "mrkdwn", text: "*Asked by:* Ada Lovelace" },
            { type: "mrkdwn", text: "*Tags:* postgres, backup" },
          ],
        },
        {
          type: "actions",
          elements: [{ type: "button", text: { type: "plain_text", text: "Open in Commons" }, url: "https://commons.example.com/questions/42/how-do-we-restore-a-backup" }],
        },
      ],
    });
  });

  test("each chat event has its own words", () => {
    // A new chat event type needs its words here too.
    expect(Object.keys(bodies).sort()).toEqual([...CHAT_EVENT_TYPES].sort());
    const text = (type: ChatEvent) => (chatPayload("slack", bodies[type]("Title", "Text")) as Slack).text;
    expect(text("question.created")).toBe("New question in Support: Title");
    expect(text("question.unanswered")).toBe("Still unanswered after 5 hours in Support: Title");
    expect(text("idea.status_changed")).toBe("Idea now Under review: Title");
    expect(text("kudos.given")).toBe("Title gave kudos to Grace Hopper");
    const unanswered = chatPayload("slack", bodies["question.unanswered"]("Title", "")) as Slack;
    expect(unanswered.blocks[0]!.text!.text).toBe("*<https://commons.example.com/questions/42/how-do-we-restore-a-backup|Title>*\nNo answer yet after 5 hours. Can you help?");
    const idea = chatPayload("slack", bodies["idea.status_changed"]("Title", "")) as Slack;
    expect(idea.blocks[0]!.text!.text).toBe("*<https://commons.example.com/ideas/9|Title>*\nNow Under review (was Submitted), changed by Ada Lovelace.");
    expect(idea.blocks[1]!.elements!.map((e) => e.text)).toEqual(["*Space:* Support", "*Campaign:* Simpler HR", "*Status:* Under review"]);
    const kudos = chatPayload("slack", bodies["kudos.given"]("Ada Lovelace", "Thanks for the migration!")) as Slack;
    expect(kudos.blocks[1]!.elements!.map((e) => e.text)).toEqual(["*Space:* Support", "*Points:* 10", "*Value:* Helpful"]);
    expect(kudos.blocks[2]!.elements![0]!.url).toBe("https://commons.example.com/kudos/5");
  });

  test("people's text can form no link, mention or entity: only our own link is one", () => {
    for (const type of CHAT_EVENT_TYPES as ChatEvent[]) {
      const slack = chatPayload("slack", bodies[type](EVIL, EVIL)) as Slack;
      const all = JSON.stringify(slack);
      expect(all, type).not.toContain("<!channel>");
      expect(all, type).not.toContain("<@U123>");
      expect(all, type).not.toContain("<http://evil");
      expect(all, type).toContain("&lt;!channel&gt;");
      // The one "<" left is the opening of our own link in the section.
      const section = slack.blocks[0]!.text!.text;
      expect(section.match(/</g)?.length ?? 0, type).toBe(1);
      expect(section, type).toMatch(/^\*<https:\/\/commons\.example\.com\/[^|<>]+\|/);
      for (const e of slack.blocks[1]!.elements!) expect(String(e.text), type).not.toMatch(/[<>]/);
      expect(slack.text, type).not.toMatch(/[<>]/);
    }
    expect(escapeSlack("a & b < c > d")).toBe("a &amp; b &lt; c &gt; d");
  });

  test("an anonymous asker stays anonymous", () => {
    const slack = chatPayload("slack", body("question.created", { question: question({ author: null }), excerpt: "Who am I?" })) as Slack;
    expect(slack.blocks[1]!.elements![1]!.text).toBe("*Asked by:* Anonymous");
    expect(JSON.stringify(slack)).not.toContain("Lovelace");
  });
});

describe("Microsoft Teams", () => {
  test("a new question: an Adaptive Card 1.4 in the incoming-webhook envelope", () => {
    expect(chatPayload("teams", bodies["question.created"]("How do we restore a backup?", "We lost a table yesterday."))).toEqual({
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: {
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.4",
            speak: "New question in Support: How do we restore a backup?",
            body: [
              { type: "TextBlock", text: "How do we restore a backup?", weight: "bolder", size: "medium", wrap: true },
              { type: "TextBlock", text: "We lost a table yesterday.", wrap: true },
              {
                type: "FactSet",
                facts: [
                  { title: "Space", value: "Support" },
                  { title: "Asked by", value: "Ada Lovelace" },
                  { title: "Tags", value: "postgres, backup" },
                ],
              },
            ],
            actions: [{ type: "Action.OpenUrl", title: "Open in Commons", url: "https://commons.example.com/questions/42/how-do-we-restore-a-backup" }],
          },
        },
      ],
    });
  });

  test("markdown in people's text stays literal: no link, bold or list", () => {
    expect(escapeTeams("[x](http://evil)")).toBe("\\[x\\]\\(http://evil\\)");
    expect(escapeTeams("**bold** _it_")).toBe("\\*\\*bold\\*\\* \\_it\\_");
    expect(escapeTeams("- item")).toBe("\\- item");
    expect(escapeTeams("1. first")).toBe("1\\. first");
    expect(escapeTeams("a-b 2.5")).toBe("a-b 2.5");
    for (const type of CHAT_EVENT_TYPES as ChatEvent[]) {
      const card = (chatPayload("teams", bodies[type](EVIL, EVIL)) as Teams).attachments[0]!.content;
      const texts = [...card.body.flatMap((b) => (b.text ? [b.text] : [])), ...card.body.flatMap((b) => b.facts?.flatMap((f) => [f.title, f.value]) ?? [])];
      for (const t of texts) {
        // Every bracket, parenthesis and star is escaped, so no [text](url) or **bold** can form.
        expect(t.replace(/\\[\\`*_[\]()<>]/g, ""), `${type}: ${t}`).not.toMatch(/[[\]()*_<>]/);
      }
      expect(card.actions.map((a) => a.url)).toEqual([expect.stringMatching(/^https:\/\/commons\.example\.com\//)]);
    }
  });

  test("each chat event is a card with its title, text and facts; an anonymous asker stays anonymous", () => {
    const card = (type: ChatEvent, title = "Title", text = "Text") => (chatPayload("teams", bodies[type](title, text)) as Teams).attachments[0]!.content;
    expect(card("question.unanswered").body[1]!.text).toBe("No answer yet after 5 hours. Can you help?");
    expect(card("idea.status_changed").body[2]!.facts).toEqual([
      { title: "Space", value: "Support" },
      { title: "Campaign", value: "Simpler HR" },
      { title: "Status", value: "Under review" },
    ]);
    expect(card("kudos.given", "Ada Lovelace").body[0]!.text).toBe("Ada Lovelace gave kudos to Grace Hopper");
    const anonymous = (chatPayload("teams", body("question.unanswered", { question: question({ author: null }), hoursUnanswered: 2 })) as Teams).attachments[0]!.content;
    expect(anonymous.body[2]!.facts![1]).toEqual({ title: "Asked by", value: "Anonymous" });
    expect(JSON.stringify(anonymous)).not.toContain("Lovelace");
  });
});

describe("both platforms", () => {
  test("excerpts are short and on one line; only http(s) URLs become links", () => {
    const long = `${"word ".repeat(100)}\n\nend`;
    expect([...shorten(long)].length).toBeLessThanOrEqual(EXCERPT_MAX);
    expect(shorten(long)).toMatch(/…$/);
    expect(shorten("a\n\nb")).toBe("a b");
    const slack = chatPayload("slack", bodies["question.created"]("T", long)) as Slack;
    expect(slack.blocks[0]!.text!.text.split("\n")[1]!.length).toBeLessThanOrEqual(EXCERPT_MAX);
    expect(safeUrl("javascript:alert(1)")).toBeNull();
    expect(safeUrl("/relative")).toBeNull();
    const bad = body("question.created", { question: question({ url: "javascript:alert(1)" }), excerpt: "x" });
    const noLink = chatPayload("slack", bad) as Slack;
    expect(noLink.blocks.map((b) => b.type)).toEqual(["section", "context"]);
    expect(noLink.blocks[0]!.text!.text).toBe("*How do we restore a backup?*\nx");
    expect((chatPayload("teams", bad) as Teams).attachments[0]!.content.actions).toEqual([]);
  });

  test("the test message names the space and the connection", () => {
    const message = describeTest({ space: { name: "Support" }, label: "#help <!here>", events: ["question.created"], url: `${APP}/spaces/support` });
    const slack = drawMessage("slack", message) as Slack;
    expect(slack.text).toBe("Commons is connected to this channel for Support");
    expect(slack.blocks[1]!.elements!.map((e) => e.text)).toEqual(["*Space:* Support", "*Connection:* #help &lt;!here&gt;"]);
    const teams = (drawMessage("teams", message) as Teams).attachments[0]!.content;
    expect(teams.body[0]!.text).toBe("Commons is connected");
    expect(teams.actions[0]!.url).toBe(`${APP}/spaces/support`);
  });
});

describe("the connection forms", () => {
  const base = { space: "3", platform: "slack", url: "https://hooks.slack.com/services/T0/B0/secretsecret", label: " #help ", events: ["question.created", "kudos.given"] };
  test("a good form, and each rule", () => {
    expect(NewConnectionSchema.parse(base)).toEqual({ space: 3, platform: "slack", url: base.url, label: "#help", events: ["question.created", "kudos.given"], unansweredHours: null });
    expect(NewConnectionSchema.parse({ ...base, events: ["question.unanswered"], unansweredHours: " 24 " })).toMatchObject({ events: ["question.unanswered"], unansweredHours: 24 });
    const errors = (input: Record<string, unknown>) => {
      const r = NewConnectionSchema.safeParse(input);
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(errors({ ...base, events: ["question.unanswered"], unansweredHours: "0" })).toHaveProperty("unansweredHours");
    expect(errors({ ...base, events: ["question.unanswered"], unansweredHours: "169" })).toHaveProperty("unansweredHours");
    expect(errors({ ...base, events: ["question.unanswered"], unansweredHours: "1.5" })).toHaveProperty("unansweredHours");
    expect(errors({ ...base, events: ["question.unanswered"], unansweredHours: "" })).toHaveProperty("unansweredHours");
    expect(errors({ ...base, unansweredHours: "12" })).toHaveProperty("unansweredHours");
    expect(errors({ ...base, events: undefined })).toHaveProperty("events");
    expect(errors({ ...base, events: ["answer.created"] })).toHaveProperty("events");
    expect(errors({ ...base, url: "hooks.slack.com/x" })).toHaveProperty("url");
    expect(errors({ ...base, url: "javascript:alert(1)" })).toHaveProperty("url");
    expect(errors({ ...base, platform: "discord" })).toHaveProperty("platform");
    expect(errors({ ...base, space: "x" })).toHaveProperty("space");
    expect(errors({ ...base, label: "x".repeat(81) })).toHaveProperty("label");
    // Editing: an empty URL keeps the current one.
    expect(EditConnectionSchema.parse({ events: "kudos.given", url: "" })).toEqual({ url: "", label: "", events: ["kudos.given"], unansweredHours: null });
  });

  test("a webhook URL is shown by its host and last four characters only", () => {
    expect(maskUrl("https://hooks.slack.com/services/T000/B000/XXXXsecretABCD")).toBe("hooks.slack.com/…ABCD");
    expect(maskUrl("http://127.0.0.1:8123/hook/abcd1234")).toBe("127.0.0.1:8123/…1234");
  });
});
