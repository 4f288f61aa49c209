import { type RouteConfig, index, layout, prefix, route } from "@react-router/dev/routes";

export default [
  route("healthz", "routes/healthz.ts"),
  route("readyz", "routes/readyz.ts"),

  // Signed-out pages (their own minimal layout).
  route("sign-in", "routes/auth/sign-in.tsx"),
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
    route("questions/:questionId/:slug?", "routes/questions/question.tsx"),
    // Closing, flagging and the moderation queue (a static segment outranks the question's :slug).
    route("questions/:questionId/close", "routes/questions/close.tsx"),
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
    // Wiki pages (issue 16): a space's wiki, pages, history, templates, suggested edits.
    // @wiki-routes
    // Articles (issue 16): feeds, drafts, an article and its editor.
    // @article-routes
    // Search: GET form, facets and pages as links (the header box leads here).
    route("search", "routes/search.tsx"),
    route("notifications", "routes/notifications.tsx"),
    route("settings/profile", "routes/settings/profile.tsx"),
    route("settings/password", "routes/settings/password.tsx"),
    ...prefix("admin", [
      index("routes/admin/index.tsx"),
      // Admin pages share a section header and tabs; each page still checks the admin role itself.
      layout("routes/admin/layout.tsx", [
        route("users", "routes/admin/users.tsx"),
        route("users/:userId", "routes/admin/user.tsx"),
        route("spaces", "routes/admin/spaces.tsx"),
        route("spaces/:slug", "routes/admin/space.tsx"),
        route("reputation", "routes/admin/reputation.tsx"),
        route("search", "routes/admin/search.tsx"),
        route("mail", "routes/admin/mail.tsx"),
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
  // Markdown preview for every editor (JSON, signed-in employees).
  // @api-routes

  // The benchmark's ceiling (bench/run.ts): a page with no loader, session or queries. Only in a
  // build made with COMMONS_BENCH_ROUTES=1 (the bench's own); `npm run build` never contains it.
  ...(process.env.COMMONS_BENCH_ROUTES === "1" ? [route("bench/bare", "routes/bench-bare.tsx")] : []),

  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
