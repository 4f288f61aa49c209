import { data, href, redirect } from "react-router";
import type { Route } from "./+types/new";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { BadgeSchema } from "#app/features/recognition/badge-schemas.ts";
import { canManageBadges, createBadge } from "#app/features/recognition/badges.server.ts";
import { attempt, ForbiddenError } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { BadgeForm } from "#app/components/recognition/badge-form.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "New badge · Commons" }];
}

const REFUSED = "Only HR and admins create badges. The automatic ones come by themselves.";

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  if (!canManageBadges(actor)) throw new ForbiddenError(REFUSED);
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  if (!canManageBadges(actor)) throw new ForbiddenError(REFUSED);
  const parsed = parseForm(BadgeSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => createBadge(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(href("/badges/:badgeId", { badgeId: String(result.result.id) }));
}

export default function NewBadge({ actionData }: Route.ComponentProps) {
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="New badge"
        crumbs={[{ label: "Badges", to: href("/badges") }]}
        description="A custom badge recognises what the automatic ones don't: a launch, a rescue, a year of mentoring. You award it from its page, with a reason."
      />
      <RecognitionTabs />
      <Card className="p-6">
        <BadgeForm failure={actionData && !actionData.ok ? actionData : null} submitLabel="Create the badge" />
      </Card>
    </div>
  );
}
