import type { NotificationKind } from "#app/features/social/registry.server.ts";

/**
 * How a notification reads, the same in the inbox and in mail: what follows the actor's name
 * ("Ann Lee answered “Title”"), and what the notifications nobody made say (the review job, the
 * grant job, routing, expiry).
 */
export const NOTIFICATION_VERBS: Record<NotificationKind, string> = {
  answer: "answered",
  comment: "commented on",
  accept: "accepted your answer to",
  mention: "mentioned you in",
  tag_question: "asked, in a tag you follow,",
  idea_status: "gave a new status to the idea",
  idea_comment: "commented on the idea",
  idea_invite: "invited you to co-own the idea",
  page_edit: "changed the page",
  page_review: "asks you to review the page",
  suggestion: "suggested an edit to the page",
  suggestion_outcome: "reviewed your suggested edit to",
  article: "published the article",
  promotion: "made your answer into the page",
  kudos: "gave you",
  badge: "awarded you the badge",
  reward: "updated your redemption of",
  reward_request: "asked to redeem",
  award: "nominated you in",
  routed: "asks you to answer",
  relay: "sent you a message about your anonymous question",
  publication: "wrote to you about the public forum version of",
};

export const NOTIFICATION_ALONE: Partial<Record<NotificationKind, string>> = {
  badge: "You earned the badge",
  award: "The results are out for",
  reward: "There is news about your reward",
  routed: "A question was routed to you:",
  relay: "A moderator wrote to you about your anonymous question",
  publication: "News about the public forum version of",
  page_review: "A page you own is due for review:",
};
