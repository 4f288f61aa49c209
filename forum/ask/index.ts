/**
 * Customers ask on the forum (issue 20): questions, accepting an answer, "me too", the question
 * lists, and thread page views. See docs/forum.md, "Customers ask".
 */
export { askRouter } from "./router.tsx";
export { meTooState, INTAKE_CHANNEL } from "./ask.server.ts";
export { ViewCounter } from "./views.server.ts";
