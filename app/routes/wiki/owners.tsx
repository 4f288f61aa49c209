import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/owners";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { AddOwnerSchema, RemoveOwnerSchema } from "#app/features/wiki/governance-schemas.ts";
import { addOwner, pageOwnersView, removeOwner, setPageProtection } from "#app/features/wiki/owners.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { Notice } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PersonRow } from "#app/components/person.tsx";
import { AddOwnerForm } from "#app/components/wiki/owners-form.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Owners of ${loaderData.page.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return pageOwnersView(context.db, actor, idParam(params.pageId));
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const pageId = idParam(params.pageId);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "add-owner") {
    const parsed = parseForm(AddOwnerSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => addOwner(context.db, actor, pageId, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, intent, notice: result.result.added ? `${result.result.name} now owns this page.` : `${result.result.name} owns this page already.` };
  }
  if (intent === "remove-owner") {
    const parsed = parseForm(RemoveOwnerSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => removeOwner(context.db, actor, pageId, parsed.data.userId)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, intent, notice: "Owner removed." };
  }
  if (intent === "protect" || intent === "unprotect") {
    await setPageProtection(context.db, actor, pageId, intent === "protect");
    // The page's panel posts here too, and goes back to the page.
    if (form.get("back") === "page") {
      const { page } = await pageOwnersView(context.db, actor, pageId);
      throw redirect(page.url);
    }
    return { ok: true as const, intent, notice: intent === "protect" ? "The page is protected." : "The page's protection is lifted." };
  }
  throw data("Unknown action", { status: 400 });
}

export default function PageOwners({ loaderData, actionData }: Route.ComponentProps) {
  const { page, space, owners, permissions } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug/wiki", { slug: space.slug }) },
          { label: page.title, to: page.url },
        ]}
        title="Owners"
        description="Owners vouch for the page: they verify it, review the edits suggested to it and are reminded when its review is due. The space's moderators can do the same."
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      <CardSection title="Who owns this page" titleId="owners-heading">
        <ul aria-labelledby="owners-heading" className="divide-y divide-slate-100">
          {owners.map((o) => (
            <li key={o.id}>
              <PersonRow
                person={o}
                extra={
                  permissions.canManage && owners.length > 1 ? (
                    <Form method="post">
                      <input type="hidden" name="userId" value={o.id} />
                      <Button name="intent" value="remove-owner" size="sm" variant="dangerOutline" aria-label={`Remove ${o.name} as an owner`}>
                        Remove
                      </Button>
                    </Form>
                  ) : null
                }
              />
            </li>
          ))}
        </ul>
        {failed?.intent === "remove-owner" && failed.formError ? <p className="mt-2 text-sm text-red-700">{failed.formError}</p> : null}
        {permissions.canManage ? (
          <div className="mt-4 border-t border-slate-100 pt-4">
            <AddOwnerForm spaceSlug={space.slug} failure={failed?.intent === "add-owner" ? failed : null} key={actionData?.ok ? `added-${actionData.notice}` : "add"} />
          </div>
        ) : (
          <p className="mt-3 text-sm text-slate-600">Owners and the space's moderators add and remove owners.</p>
        )}
      </CardSection>
      {permissions.canManage ? (
        <CardSection
          title="Protection"
          titleId="protection-heading"
          description={
            space.wikiProtected
              ? "This space's whole wiki is protected by its moderators, so this page is too, whatever its own setting."
              : "A protected page takes edits from its owners and moderators only; everyone else suggests edits, which the owners review."
          }
        >
          <Form method="post" className="flex flex-wrap items-center gap-3">
            <p className="text-sm text-slate-700">{page.protected ? "This page is protected." : "This page is open to edits by everyone who can see it."}</p>
            <Button name="intent" value={page.protected ? "unprotect" : "protect"} size="sm">
              {page.protected ? "Lift protection" : "Protect this page"}
            </Button>
          </Form>
        </CardSection>
      ) : null}
    </div>
  );
}
