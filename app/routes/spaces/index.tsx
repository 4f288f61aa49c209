import { Link, href } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { visibleSpaces } from "#app/features/spaces/spaces.server.ts";
import { ModeratorBadge, Badge, VisibilityBadge } from "#app/components/badge.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { SpacesIcon, UsersIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { memberCountLabel } from "#app/components/space-card.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Spaces · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return { spaces: await visibleSpaces(context.db, actor), isAdmin: actor.role === "admin" };
}

export default function Spaces({ loaderData }: Route.ComponentProps) {
  const { spaces, isAdmin } = loaderData;
  return (
    <>
      <PageHeader
        title="Spaces"
        description="Every space you can see. Open spaces are visible to all employees; restricted spaces only to their members."
        actions={
          isAdmin ? (
            <ButtonLink to={href("/admin/spaces")} variant="secondary">
              Manage spaces
            </ButtonLink>
          ) : null
        }
      />
      {spaces.length === 0 ? (
        <EmptyState icon={<SpacesIcon className="size-5" />} title="No spaces yet">
          {isAdmin ? "Create the first space from the admin pages." : "When an admin creates a space, it will show up here."}
        </EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-slate-100">
            {spaces.map((s) => (
              <li key={s.slug} className="relative flex flex-col gap-2 px-5 py-4 hover:bg-slate-50 sm:flex-row sm:items-center sm:gap-6">
                <div className="min-w-0 flex-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <h2 className="text-base font-semibold text-slate-900">
                      <Link to={href("/spaces/:slug", { slug: s.slug })} className="after:absolute after:inset-0 hover:text-brand-700">
                        {s.name}
                      </Link>
                    </h2>
                    <VisibilityBadge visibility={s.visibility} />
                    {s.myRole === "moderator" ? <ModeratorBadge /> : s.myRole === "member" ? <Badge>You're a member</Badge> : null}
                  </div>
                  <p className="mt-1 line-clamp-2 text-sm text-slate-600">{s.description || "No description yet."}</p>
                </div>
                <p className="inline-flex shrink-0 items-center gap-1.5 text-sm text-slate-600">
                  <UsersIcon className="size-4 text-slate-400" />
                  {memberCountLabel(s.memberCount)}
                </p>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
