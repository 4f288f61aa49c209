import type { WebhookBody } from "#app/features/webhooks/events.ts";

/**
 * The message a chat connection posts for an event: Slack blocks, or a Teams Adaptive Card in the
 * incoming-webhook envelope. Text from people is escaped for each platform's markup.
 * STUB: filled in by the chat work.
 */
export function chatPayload(_platform: "slack" | "teams", _body: WebhookBody): unknown {
  return {};
}
