import { type RouteConfig, index, layout, prefix, route } from "@react-router/dev/routes";

export default [
  route("healthz", "routes/healthz.ts"),
  route("readyz", "routes/readyz.ts"),

  // Signed-out pages (their own minimal layout).
  route("sign-in", "routes/auth/sign-in.tsx"),
  route("sign-up", "routes/auth/sign-up.tsx"),
  route("sign-out", "routes/auth/sign-out.tsx"),
  route("auth/sso", "routes/auth/sso-start.ts"),
  route("auth/sso/callback", "routes/auth/sso-callback.ts"),

  // The signed-in app shell.
  layout("routes/app-layout.tsx", [
    index("routes/home.tsx"),
    route("spaces", "routes/spaces/index.tsx"),
    route("spaces/:slug", "routes/spaces/space.tsx"),
    route("spaces/:slug/members", "routes/spaces/members.tsx"),
    route("people/:userId", "routes/people/profile.tsx"),
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
      ]),
    ]),
  ]),

  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
