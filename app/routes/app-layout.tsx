import { Outlet } from "react-router";
import type { Route } from "./+types/app-layout";
import { requireUser } from "#app/features/auth/session.server.ts";
import { unreadCount } from "#app/features/notifications/inbox.server.ts";
import { moderationSummary } from "#app/features/moderation/flags.server.ts";
import { AppShell } from "#app/components/app-shell.tsx";
import { useOptionalUser } from "#app/components/use-user.ts";

// Every page in here needs someone signed in; page loaders check the finer rules themselves,
// because a layout's loader does not guard its children's actions.
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  // The inbox bell's count: one query on the partial index of unread notifications.
  // The Moderation link (null for people who moderate nothing) and its pending count: one query.
  const [unread, moderation] = await Promise.all([user.kind === "employee" ? unreadCount(context.db, user) : 0, moderationSummary(context.db, user)]);
  return { unread, moderation };
}

export default function AppLayout({ loaderData }: Route.ComponentProps) {
  const user = useOptionalUser();
  return (
    <AppShell user={user} unread={loaderData.unread} moderation={loaderData.moderation}>
      <Outlet />
    </AppShell>
  );
}
