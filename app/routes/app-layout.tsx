import { Outlet } from "react-router";
import type { Route } from "./+types/app-layout";
import { requireUser } from "#app/features/auth/session.server.ts";
import { AppShell } from "#app/components/app-shell.tsx";
import { useOptionalUser } from "#app/components/use-user.ts";

// Every page in here needs someone signed in; page loaders check the finer rules themselves,
// because a layout's loader does not guard its children's actions.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request);
  return null;
}

export default function AppLayout() {
  const user = useOptionalUser();
  return (
    <AppShell user={user}>
      <Outlet />
    </AppShell>
  );
}
