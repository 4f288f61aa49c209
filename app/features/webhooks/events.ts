/**
 * The events Commons sends to outgoing webhooks and chat connections (issue 21), and the shape of
 * each one's `data`. This file is the contract between what emits events (the features' write
 * paths, through `emitEvent` in emit.server.ts), what formats them for chat (app/features/chat)
 * and what receivers get (docs/webhooks.md documents the same shapes).
 *
 * Every payload carries absolute URLs (APP_URL) so a receiver can link back, and never carries
 * more than a member of the space would see on the page: no anonymous asker's name, no deleted text.
 */

export const EVENT_TYPES = ["question.created", "question.unanswered", "answer.created", "answer.accepted", "idea.created", "idea.status_changed", "kudos.given"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What admins read when they choose the events of an endpoint or a connection. */
export const EVENT_LABELS: Record<EventType, string> = {
  "question.created": "A question is asked",
  "question.unanswered": "A question is still unanswered after some hours (chat only: set the hours on the connection)",
  "answer.created": "An answer is posted",
  "answer.accepted": "An answer is accepted",
  "idea.created": "An idea is submitted to a campaign",
  "idea.status_changed": "An idea's status changes",
  "kudos.given": "Someone gives kudos",
};

/** Events a chat connection may take (the others are for webhooks only). */
export const CHAT_EVENT_TYPES: readonly EventType[] = ["question.created", "question.unanswered", "idea.status_changed", "kudos.given"];

export interface EventPerson {
  id: number;
  name: string;
  /** Absolute URL of their profile. */
  url: string;
}

export interface EventSpace {
  id: number;
  slug: string;
  name: string;
  visibility: "open" | "restricted";
}

export interface EventQuestion {
  id: number;
  title: string;
  /** Absolute URL of the question's page. */
  url: string;
  tags: string[];
  /** Null when the question was asked anonymously. */
  author: EventPerson | null;
  createdAt: string;
}

export interface EventDataMap {
  "question.created": { question: EventQuestion; excerpt: string };
  "question.unanswered": { question: EventQuestion; hoursUnanswered: number };
  "answer.created": { question: EventQuestion; answer: { id: number; url: string; author: EventPerson; excerpt: string } };
  "answer.accepted": { question: EventQuestion; answer: { id: number; url: string; author: EventPerson } };
  "idea.created": { idea: { id: number; title: string; url: string; campaign: { id: number; title: string; url: string }; author: EventPerson; excerpt: string } };
  "idea.status_changed": {
    idea: { id: number; title: string; url: string; campaign: { id: number; title: string; url: string } };
    from: string;
    to: string;
    /** The status's label as people read it ("Under review"). */
    toLabel: string;
    changedBy: EventPerson;
  };
  "kudos.given": { kudos: { id: number; url: string; message: string; value: string | null; points: number }; from: EventPerson; to: EventPerson[] };
}

/** One event: what happened, in which space, and its data. */
export type CommonsEvent = {
  [T in EventType]: { type: T; spaceId: number; occurredAt: Date; data: EventDataMap[T] };
}[EventType];

/**
 * The body a webhook endpoint receives (Standard Webhooks: `type`, `timestamp`, `data`). The
 * `webhook-id` header carries the delivery's message id, the same on every retry.
 */
export interface WebhookBody<T extends EventType = EventType> {
  type: T;
  timestamp: string;
  space: EventSpace;
  data: EventDataMap[T];
}

/**
 * The "Send test event" button's delivery: a type of its own, never an event an endpoint chooses,
 * with no space (it is about the endpoint, not about anything in Commons).
 */
export const TEST_EVENT_TYPE = "webhook.test";

export interface WebhookTestBody {
  type: typeof TEST_EVENT_TYPE;
  timestamp: string;
  data: { endpoint: { id: number; description: string }; message: string };
}
