import { Outlet } from "react-router";
import type { Route } from "./+types/app-layout";
import { requireUser } from "#app/features/auth/session.server.ts";
import { shellCounts } from "#app/features/shell/counts.server.ts";
import { AppShell } from "#app/components/app-shell.tsx";
import { useOptionalUser } from "#app/components/use-user.ts";

// Every page in here needs someone signed in; page loaders check the finer rules themselves,
// because a layout's loader does not guard its children's actions.
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await requireUser(context, request);
  // The inbox bell's count and the Moderation link's (null for people who moderate nothing): one statement.
  return shellCounts(context.db, user);
}

export default function AppLayout({ loaderData }: Route.ComponentProps) {
  const user = useOptionalUser();
  return (
    <AppShell user={user} unread={loaderData.unread} moderation={loaderData.moderation}>
      <Outlet />
    </AppShell>
  );
}
