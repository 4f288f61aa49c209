import { href, redirect } from "react-router";
import type { Route } from "./+types/index";
import { requireAdmin } from "#app/features/auth/session.server.ts";

// /admin has no page of its own: admins land on the people list; everyone else gets a 404.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  throw redirect(href("/admin/users"));
}

export default function AdminIndex() {
  return null;
}
