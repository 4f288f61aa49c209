import { href } from "react-router";
import type { Route } from "./+types/people-person";
import { requireRole } from "#app/features/auth/session.server.ts";
import { personAnalytics } from "#app/features/analytics/person.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { Badge, DeactivatedBadge } from "#app/components/badge.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RoleDetails } from "#app/components/analytics/person-roles.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.person.name}: people analytics · Commons` : "People analytics · Commons" }];
}

/**
 * One employee's roles, for HR and admins (a 404 for anyone else). Every opening is recorded on
 * purpose, in the loader: the person sees on their profile who from HR looked and when.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireRole(context, request, ["hr", "admin"]);
  return personAnalytics(context.db, actor, idParam(params.userId));
}

export default function PersonAnalytics({ loaderData: { person, optedOut, roles } }: Route.ComponentProps) {
  const firstName = person.name.split(/\s+/)[0] ?? person.name;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title={person.name}
        crumbs={[{ label: "People analytics", to: href("/hr/people") }]}
        description={[person.title, person.department, person.location].filter(Boolean).join(" · ") || undefined}
        actions={
          <ButtonLink to={href("/people/:userId", { userId: String(person.id) })} variant="secondary">
            Profile
          </ButtonLink>
        }
      >
        {person.deactivated ? (
          <p className="mt-2">
            <DeactivatedBadge />
          </p>
        ) : null}
      </PageHeader>
      <CardSection title="Roles" titleId="roles" description={`${firstName} sees this page's contents on their own profile, with a note that you opened it just now.`}>
        {optedOut ? (
          <p className="text-sm text-slate-700">
            <Badge>Opted out</Badge> {person.name} opted out of the role lists: their roles are not shown. They still count in the totals by department.
          </p>
        ) : roles ? (
          <RoleDetails roles={roles} subject={{ self: false, name: firstName }} />
        ) : (
          <p className="text-sm text-slate-700">{person.name} was not in the latest run (new, inactive then, or no run has finished yet).</p>
        )}
      </CardSection>
    </div>
  );
}
