/**
 * What customers say on a published thread: comments and "Helpful" / "Not helpful", the source of
 * the internal review queue's back-sync. See docs/forum-accounts.md.
 */
export { feedbackRouter } from "./router.tsx";
export { threadFeedback, type ThreadFeedbackData } from "./feedback.server.ts";
export { ReactionButtons, ThreadFeedback } from "./thread-feedback.tsx";
