import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/new-kit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { requireCurator } from "#app/features/share/curators.server.ts";
import { createKit } from "#app/features/share/kits.server.ts";
import { KIT_DESCRIPTION_MAX, KIT_TITLE_MAX, KitSchema } from "#app/features/share/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { FormError, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { KitFields } from "#app/components/share/kit-fields.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "New share kit · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  await requireCurator(context.db, actor);
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(KitSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => createKit(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(href("/share/kits/:kitId", { kitId: String(result.result.id) }));
}

export default function NewKit({ actionData }: Route.ComponentProps) {
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="New share kit"
        crumbs={[{ label: "Share kits", to: href("/share") }]}
        description="A kit gathers forum threads and public articles for employees to share, each with suggested text. You add the items on the kit's page."
      />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <KitFields values={failed?.values} errors={failed?.fieldErrors} titleMax={KIT_TITLE_MAX} descriptionMax={KIT_DESCRIPTION_MAX} />
          <div className="flex justify-end border-t border-slate-100 pt-5">
            <SubmitButton pendingText="Creating…">Create the kit</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
