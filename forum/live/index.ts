/**
 * Live expert sessions on the forum: the pages, the events stream and the hub that feeds it. See
 * docs/live-sessions.md.
 */
export { createForumLiveHub, forumLiveState } from "./hub.tsx";
export { liveRouter } from "./router.tsx";
