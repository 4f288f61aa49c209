import { type RouteConfig, index, layout, prefix, route } from "@react-router/dev/routes";

export default [
  route("healthz", "routes/healthz.ts"),
  route("readyz", "routes/readyz.ts"),

  // Signed-out pages (their own minimal layout).
  route("sign-in", "routes/auth/sign-in.tsx"),
  // @unsubscribe-routes
  // Issue 21: one-click unsubscribe from a mail (RFC 8058): no sign-in, one kind of mail.
  // The page (GET); the POST is answered by express before the same-origin check (server/main.ts).
  route("unsubscribe/:token", "routes/unsubscribe.tsx"),
  route("sign-up", "routes/auth/sign-up.tsx"),
  route("sign-out", "routes/auth/sign-out.tsx"),
  // Mailed links: proving a sign-up's address (and asking for a new link), resetting a password.
  route("verify-email", "routes/auth/verify-email.tsx"),
  route("verify-email/:token", "routes/auth/verify-email-token.tsx"),
  route("forgot-password", "routes/auth/forgot-password.tsx"),
  route("reset-password/:token", "routes/auth/reset-password.tsx"),
  route("auth/sso", "routes/auth/sso-start.ts"),
  route("auth/sso/callback", "routes/auth/sso-callback.ts"),

  // The signed-in app shell.
  layout("routes/app-layout.tsx", [
    index("routes/home.tsx"),
    route("spaces", "routes/spaces/index.tsx"),
    route("spaces/:slug", "routes/spaces/space.tsx"),
    route("spaces/:slug/members", "routes/spaces/members.tsx"),
    route("questions", "routes/questions/index.tsx"),
    route("questions/ask", "routes/questions/ask.tsx"),
    // @anonymous-routes
    // Anonymous questions (issue 18): the asker's own list; a space moderator's message to the asker and break-glass
    // (two segments after the id, so no question's slug can take their place).
    route("questions/anonymous", "routes/questions/anonymous.tsx"),
    route("questions/:questionId/asker/message", "routes/questions/anonymous-relay.tsx"),
    route("questions/:questionId/asker/break-glass", "routes/questions/anonymous-break-glass.tsx"),
    route("questions/:questionId/:slug?", "routes/questions/question.tsx"),
    // Closing, flagging and the moderation queue (a static segment outranks the question's :slug).
    route("questions/:questionId/close", "routes/questions/close.tsx"),
    // @routing-routes
    // Routing (issue 18): "Ask this person" (two segments after the id, so no question's slug can take
    // their place) and a space's routing dashboard with its answer deadline.
    route("questions/:questionId/experts/ask", "routes/questions/ask-expert.tsx"),
    route("spaces/:slug/routing", "routes/spaces/routing.tsx"),
    // The social layer's pages for an item of any kind (app/features/social): flagging it, and
    // the page a vote without JavaScript lands on when it is refused.
    route("items/:itemId/flag", "routes/items/flag.tsx"),
    route("items/:itemId/vote", "routes/items/vote.tsx"),
    route("comments/:commentId/flag", "routes/comments/flag.tsx"),
    route("moderation", "routes/moderation/index.tsx"),
    route("posts/:postId/edit", "routes/posts/edit.tsx"),
    route("posts/:postId/revisions", "routes/posts/revisions.tsx"),
    // Accepts: posted to by fetchers (JSON) and by plain forms (redirect back to the answer).
    route("posts/:postId/accept", "routes/posts/accept.ts"),
    route("tags", "routes/tags/index.tsx"),
    route("tags/:name", "routes/tags/tag.tsx"),
    route("tags/:name/edit", "routes/tags/edit.tsx"),
    route("people/:userId", "routes/people/profile.tsx"),
    // @profile-expertise-routes
    // A person's own expertise explained (only they open it), and their availability and analytics opt-outs.
    route("people/:userId/expertise", "routes/people/expertise.tsx"),
    route("settings/expertise", "routes/settings/expertise.tsx"),
    // Idea campaigns: the list, a new campaign, its page (ideas), roadmap and results; ideas and their history.
    route("campaigns", "routes/campaigns/index.tsx"),
    route("campaigns/new", "routes/campaigns/new.tsx"),
    route("campaigns/:campaignId", "routes/campaigns/campaign.tsx"),
    route("campaigns/:campaignId/submit", "routes/campaigns/submit.tsx"),
    route("campaigns/:campaignId/roadmap", "routes/campaigns/roadmap.tsx"),
    route("campaigns/:campaignId/results", "routes/campaigns/results.tsx"),
    route("ideas/:ideaId", "routes/ideas/idea.tsx"),
    route("ideas/:ideaId/edit", "routes/ideas/edit.tsx"),
    route("ideas/:ideaId/history", "routes/ideas/history.tsx"),
    // The wiki's front door: every space's wiki, recent changes, the reader's reviews due.
    route("wiki", "routes/wiki/home.tsx"),
    // Wiki pages (issue 16): a space's wiki, pages, history, templates, suggested edits.
    // @wiki-routes
    // Wiki governance: reviews due, owners and protection, verification, suggested edits and the
    // space's queue of them, and promoting an answer (static segments outrank a page's :slug).
    route("wiki/review", "routes/wiki/review.tsx"),
    route("wiki/:pageId/owners", "routes/wiki/owners.tsx"),
    route("wiki/:pageId/verify", "routes/wiki/verify.tsx"),
    route("wiki/:pageId/suggest", "routes/wiki/suggest.tsx"),
    route("wiki/:pageId/suggestions", "routes/wiki/suggestions.tsx"),
    route("wiki/:pageId/suggestions/:suggestionId", "routes/wiki/suggestion.tsx"),
    route("wiki/:pageId/suggestions/:suggestionId/edit", "routes/wiki/suggestion-edit.tsx"),
    route("spaces/:slug/wiki/suggestions", "routes/spaces/wiki-suggestions.tsx"),
    route("posts/:postId/promote", "routes/wiki/promote.tsx"),
    route("spaces/:slug/wiki", "routes/wiki/space-wiki.tsx"),
    route("spaces/:slug/wiki/new", "routes/wiki/new.tsx"),
    // Following a space's wiki (the follow protocol: intent=follow|unfollow; no page of its own).
    route("spaces/:slug/wiki/follow", "routes/wiki/follow.ts"),
    // Templates before pages: "templates" is never a page id.
    route("wiki/templates", "routes/wiki/templates.tsx"),
    route("wiki/templates/new", "routes/wiki/template-new.tsx"),
    route("wiki/templates/:templateId", "routes/wiki/template-edit.tsx"),
    // A page's screens before the page itself, whose optional slug would take their names.
    route("wiki/:pageId/edit", "routes/wiki/edit.tsx"),
    route("wiki/:pageId/history", "routes/wiki/history.tsx"),
    route("wiki/:pageId/move", "routes/wiki/move.tsx"),
    route("wiki/:pageId/:slug?", "routes/wiki/page.tsx"),
    // Articles (issue 16): feeds, drafts, an article and its editor.
    // @article-routes
    route("articles", "routes/articles/index.tsx"),
    route("articles/new", "routes/articles/new.tsx"),
    route("articles/drafts", "routes/articles/drafts.tsx"),
    // A static segment outranks the article's :slug (article-url.ts keeps slugs clear of these).
    route("articles/:articleId/edit", "routes/articles/edit.tsx"),
    route("articles/:articleId/history", "routes/articles/history.tsx"),
    route("articles/:articleId/:slug?", "routes/articles/article.tsx"),
    route("spaces/:slug/articles", "routes/articles/space-feed.tsx"),
    // Recognition (issue 17): kudos and their feeds, rewards, badges, award rounds, HR's insights.
    // @kudos-routes
    // The company feed, giving, a manager's team, my points (static segments before a kudos's id),
    // one kudos, a space's feed and a person's kudos.
    route("kudos", "routes/kudos/index.tsx"),
    route("kudos/new", "routes/kudos/new.tsx"),
    route("kudos/team", "routes/kudos/team.tsx"),
    route("kudos/points", "routes/kudos/points.tsx"),
    route("kudos/:kudosId", "routes/kudos/kudos.tsx"),
    route("spaces/:slug/kudos", "routes/kudos/space-feed.tsx"),
    route("people/:userId/kudos", "routes/kudos/person.tsx"),
    // @rewards-routes
    // The catalogue (with the confirm step of redeeming), the reader's redemptions, HR's queue and editor.
    route("rewards", "routes/rewards/index.tsx"),
    route("rewards/mine", "routes/rewards/mine.tsx"),
    route("rewards/manage", "routes/rewards/manage.tsx"),
    // @badges-routes
    // Badges: the list by tier (`?kind=`, `?holder=`), a new custom badge, a badge with its holders.
    route("badges", "routes/badges/index.tsx"),
    route("badges/new", "routes/badges/new.tsx"),
    route("badges/:badgeId", "routes/badges/badge.tsx"),
    // @awards-routes
    // Award rounds: the list, a new round (HR), a round's page (nominate, shortlist, vote, results) and its editor.
    route("awards", "routes/awards/index.tsx"),
    route("awards/new", "routes/awards/new.tsx"),
    route("awards/:roundId/edit", "routes/awards/edit.tsx"),
    route("awards/:roundId", "routes/awards/round.tsx"),
    // @insights-routes
    // HR's recognition insights (groups of 5 or more, no names) and each table's CSV export.
    route("hr/recognition", "routes/hr/recognition.tsx"),
    route("hr/recognition/:table.csv", "routes/hr/recognition-csv.ts"),
    // @people-analytics-routes
    // HR's people analytics: the dashboard (and "Recompute now"), each table's CSV (before a
    // person's page, so "topics.csv" is never read as a person's id), and one person's roles.
    route("hr/people", "routes/hr/people.tsx"),
    route("hr/people/:table.csv", "routes/hr/people-csv.ts"),
    route("hr/people/:userId", "routes/hr/people-person.tsx"),
    // @experts-routes
    // Expert discovery (issue 18): the experts page, HR's shortlist export (POST only), coverage
    // (moderators, HR, admins) and a topic's SMEs (assign and remove: intent=assign|remove).
    route("experts", "routes/experts/index.tsx"),
    route("experts/shortlist.csv", "routes/experts/shortlist-csv.ts"),
    route("experts/coverage", "routes/experts/coverage.tsx"),
    route("tags/:name/smes", "routes/tags/smes.tsx"),
    // @publishing-routes
    // Publishing to the public forum (issue 19): the lists by tab, proposing (POST only), the customer
    // feedback queue (static segments before a publication's id) and a publication's page.
    route("publications", "routes/publications/index.tsx"),
    route("publications/new", "routes/publications/new.tsx"),
    route("publications/feedback", "routes/publications/feedback.tsx"),
    route("publications/:publicationId", "routes/publications/publication.tsx"),
    // The public forum, part 2 (issue 20): the forum desk. Customer questions routed to SMEs and
    // responders, first-post moderation and flags, responders and SLAs per topic.
    // @forum-queue-routes
    route("forum/queue", "routes/forum/queue.tsx"),
    route("forum/queue/:threadId", "routes/forum/queue-thread.tsx"),
    route("forum/moderation", "routes/forum/moderation.tsx"),
    route("forum/responders", "routes/forum/responders.tsx"),
    // Escalations of hot issues and the forum's dashboard.
    // @escalation-routes
    // The queue (`?filter=open|investigating|resolved|dismissed|mine`), one escalation, the dashboard (`?window=30|90`).
    route("forum/escalations", "routes/forum/escalations.tsx"),
    route("forum/escalations/:escalationId", "routes/forum/escalation.tsx"),
    route("forum/dashboard", "routes/forum/dashboard.tsx"),
    // Live expert sessions (on the forum or internal), with their Server-Sent Events stream.
    // @live-session-routes
    // The list, scheduling, the events stream (before the session's page) and the page itself.
    route("sessions", "routes/sessions/index.tsx"),
    route("sessions/new", "routes/sessions/new.tsx"),
    route("sessions/:sessionId/events", "routes/sessions/events.ts"),
    route("sessions/:sessionId", "routes/sessions/session.tsx"),
    // Share kits, personal tracked links and reach.
    // @share-routes
    // /share: the active kits, my reach and the opt-in leaderboard; curators (admins name them); a kit.
    route("share", "routes/share/index.tsx"),
    route("share/curators", "routes/share/curators.tsx"),
    route("share/kits/new", "routes/share/new-kit.tsx"),
    route("share/kits/:kitId", "routes/share/kit.tsx"),
    // Following a person: their published articles reach the follower's inbox (the one follow protocol).
    route("people/:userId/follow", "routes/people/follow.ts"),
    // Search: GET form, facets and pages as links (the header box leads here).
    route("search", "routes/search.tsx"),
    route("notifications", "routes/notifications.tsx"),
    route("settings/profile", "routes/settings/profile.tsx"),
    route("settings/password", "routes/settings/password.tsx"),
    // @mail-settings-routes
    // Issue 21: mail per kind of notification (immediately, daily or weekly digest, never).
    route("settings/notifications", "routes/settings/notifications.tsx"),
    // @api-token-routes
    // Issue 21: personal access tokens for the REST API and MCP; the API's reference page.
    route("settings/tokens", "routes/settings/tokens.tsx"),
    // Issue 23: a person's own data as a JSON download (linked from Settings → Profile).
    route("settings/export", "routes/settings/export.ts"),
    route("developers/api", "routes/developers/api.tsx"),
    ...prefix("admin", [
      index("routes/admin/index.tsx"),
      // @admin-audit-csv-route
      // Issue 23: the audit log as CSV, with the page's filters (a resource route, outside the admin layout).
      route("audit.csv", "routes/admin/audit-csv.ts"),
      // Admin pages share a section header and tabs; each page still checks the admin role itself.
      layout("routes/admin/layout.tsx", [
        route("users", "routes/admin/users.tsx"),
        route("users/:userId", "routes/admin/user.tsx"),
        route("spaces", "routes/admin/spaces.tsx"),
        route("spaces/:slug", "routes/admin/space.tsx"),
        route("reputation", "routes/admin/reputation.tsx"),
        route("search", "routes/admin/search.tsx"),
        route("mail", "routes/admin/mail.tsx"),
        // @admin-recognition-routes
        // Company values and kudos allowance rules.
        route("recognition", "routes/admin/recognition.tsx"),
        // @admin-expertise-routes
        // The expertise model's weights, half-life, thresholds and routing limits; recompute.
        route("expertise", "routes/admin/expertise.tsx"),
        // @admin-publishing-routes
        // The confidentiality scan's internal addresses and its lists of customer and code names.
        route("publishing", "routes/admin/publishing.tsx"),
        // @admin-forum-routes
        // The escalation rules (me too, urgent terms, sentiment, volume spikes) and their SLAs.
        route("forum", "routes/admin/forum.tsx"),
        // Issue 21: what connects Commons to other systems. The hub, then each kind's pages.
        route("integrations", "routes/admin/integrations.tsx"),
        // @admin-webhook-routes
        // Outgoing webhooks: the endpoints, a new one (a static segment before the id), one endpoint with its
        // delivery log; the private addresses the SSRF guard lets webhooks and chat call.
        route("integrations/webhooks", "routes/admin/integrations/webhooks.tsx"),
        route("integrations/webhooks/new", "routes/admin/integrations/webhooks-new.tsx"),
        route("integrations/webhooks/:endpointId", "routes/admin/integrations/webhooks-endpoint.tsx"),
        route("integrations/outbound", "routes/admin/integrations/outbound.tsx"),
        // @admin-chat-routes
        // Slack and Teams connections per space: the list, a new one (static before the id), one connection with its deliveries.
        route("integrations/chat", "routes/admin/integrations/chat.tsx"),
        route("integrations/chat/new", "routes/admin/integrations/chat-new.tsx"),
        route("integrations/chat/:connectionId", "routes/admin/integrations/chat-connection.tsx"),
        // @admin-scim-routes
        // SCIM provisioning: the identity provider's tokens, the group rules, the provisioned groups.
        route("integrations/scim", "routes/admin/integrations/scim.tsx"),
        route("integrations/scim/rules", "routes/admin/integrations/scim-rules.tsx"),
        route("integrations/scim/groups", "routes/admin/integrations/scim-groups.tsx"),
        // @admin-audit-routes
        // Issue 23: the audit log, newest first, 50 a page, filtered by action, actor, subject and dates.
        route("audit", "routes/admin/audit.tsx"),
      ]),
    ]),
  ]),

  // JSON for the ask form's tag autocomplete (signed-in employees; answers 401 otherwise).
  route("api/tags", "routes/api/tags.ts"),
  // Similar questions while a question's title is typed on the ask page (JSON, same rules).
  route("api/similar-questions", "routes/api/similar-questions.ts"),
  // Mention autocomplete (JSON, same rules), follow buttons and opening a notification: no page of their own.
  route("api/people", "routes/api/people.ts"),
  // The header search box's instant results (JSON, same rules; 503 when search is unavailable).
  route("api/search", "routes/api/search.ts"),
  // Similar ideas while an idea's title is typed (JSON), the CSV export of a campaign's ideas.
  route("api/similar-ideas", "routes/api/similar-ideas.ts"),
  route("campaigns/:campaignId/ideas.csv", "routes/campaigns/ideas-csv.ts"),
  // Following an item of any kind (a question, an idea) or a tag: one protocol (follow-route.server.ts).
  route("items/:itemId/follow", "routes/items/follow.ts"),
  route("tags/:name/follow", "routes/tags/follow.ts"),
  route("notifications/:notificationId", "routes/notifications/open.ts"),
  // Uploads (issue 16): the upload endpoint (JSON) and the files, served to who may see their item.
  // @upload-routes
  route("uploads", "routes/uploads/upload.ts"),
  route("uploads/:key/:filename?", "routes/uploads/file.ts"),
  // Markdown preview for every editor (JSON, signed-in employees).
  // @api-routes
  route("api/preview", "routes/api/preview.ts"),

  // The benchmark's ceiling (bench/run.ts): a page with no loader, session or queries. Only in a
  // build made with COMMONS_BENCH_ROUTES=1 (the bench's own); `npm run build` never contains it.
  ...(process.env.COMMONS_BENCH_ROUTES === "1" ? [route("bench/bare", "routes/bench-bare.tsx")] : []),

  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
