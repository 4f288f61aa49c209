import { Form, data, href } from "react-router";
import type { Route } from "./+types/curators";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { addCurator, listCurators, removeCurator } from "#app/features/share/curators.server.ts";
import { CuratorSchema, RemoveCuratorSchema } from "#app/features/share/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PersonField } from "#app/components/person-field.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Share kit curators · Commons" }];
}

/** `/share/curators`: admins name the communications staff who curate share kits (intent=add|remove). Anyone else gets a 404. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  return { curators: await listCurators(context.db) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "add") {
    const parsed = parseForm(CuratorSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => addCurator(context.db, actor, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, intent, notice: result.result.added ? `${result.result.name} now curates share kits.` : `${result.result.name} already curates share kits.` };
  }
  if (intent === "remove") {
    const parsed = parseForm(RemoveCuratorSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => removeCurator(context.db, actor, parsed.data.userId)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, intent, notice: result.result ? "Curator removed." : "They were not a curator." };
  }
  throw data("Unknown action", { status: 400 });
}

export default function Curators({ loaderData, actionData }: Route.ComponentProps) {
  const { curators } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="Share kit curators"
        crumbs={[{ label: "Share kits", to: href("/share") }]}
        description="Communications staff who put share kits together. Admins curate too, without being listed here."
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      <CardSection title="Curators" titleId="curators-heading">
        {curators.length === 0 ? (
          <p className="text-sm text-slate-600">No one is named yet: only admins curate.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {curators.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 py-2.5">
                <span>
                  <span className="font-medium text-slate-900">{c.name}</span>
                  {c.title ? <span className="ml-2 text-sm text-slate-600">{c.title}</span> : null}
                </span>
                <Form method="post">
                  <input type="hidden" name="userId" value={c.id} />
                  <Button name="intent" value="remove" size="sm" variant="dangerOutline" aria-label={`Remove ${c.name}`}>
                    Remove
                  </Button>
                </Form>
              </li>
            ))}
          </ul>
        )}
        {failed?.intent === "remove" ? <FormError message={failed.formError ?? failed.fieldErrors.userId} /> : null}
      </CardSection>
      <CardSection className="mt-6" title="Name a curator" titleId="add-heading">
        <Form method="post" noValidate className="flex flex-wrap items-start gap-3" key={actionData?.ok ? actionData.notice : "add"}>
          <div className="min-w-60 flex-1">
            <PersonField
              label="Colleague"
              name="person"
              hint="Their handle, e.g. @ada.lovelace: the part of their email before the @."
              defaultValue={failed?.intent === "add" ? failed.values.person : undefined}
              error={failed?.intent === "add" ? failed.fieldErrors.person : undefined}
              className=""
            />
          </div>
          <div className="pt-6">
            <SubmitButton name="intent" value="add" pendingText="Adding…">
              Add
            </SubmitButton>
          </div>
          {failed?.intent === "add" ? (
            <div className="w-full">
              <FormError message={failed.formError} />
            </div>
          ) : null}
        </Form>
      </CardSection>
    </div>
  );
}
