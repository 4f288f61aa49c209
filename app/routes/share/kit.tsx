import { Form, data, href } from "react-router";
import type { Route } from "./+types/kit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { kitAction } from "#app/features/share/kit-actions.server.ts";
import { kitPage } from "#app/features/share/kits.server.ts";
import { KIT_DESCRIPTION_MAX, KIT_TITLE_MAX, SUGGESTED_TEXT_MAX } from "#app/features/share/schemas.ts";
import { idParam } from "#app/lib/ids.ts";
import { readForm } from "#app/lib/forms.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { AddItemForms } from "#app/components/share/add-item.tsx";
import { deskHide } from "#app/components/share/desk.ts";
import { KitFields } from "#app/components/share/kit-fields.tsx";
import { KitItem } from "#app/components/share/kit-item.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.kit.title} · Share kits · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = await kitPage(context.db, actor, idParam(params.kitId));
  return { ...page, hide: deskHide(actor) };
}

/** intent=link (every employee) | add-thread | add-article | edit-text | remove-item | edit-kit | archive (curators). */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const result = await kitAction(context.db, actor, idParam(params.kitId), await readForm(request));
  if (!result.ok) return data(result, { status: 400 });
  return result;
}

export default function Kit({ loaderData, actionData }: Route.ComponentProps) {
  const { kit, items, totals, canCurate, forumUrl, hide } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const curate = canCurate && !kit.archived;
  return (
    <div className="mx-auto max-w-4xl">
      <ForumDeskNav hide={hide} />
      <PageHeader
        title={kit.title}
        crumbs={[{ label: "Share kits", to: href("/share") }]}
        description={
          <span>
            {totals.clicks30.toLocaleString("en")} clicks in the last 30 days · {totals.clicksAll.toLocaleString("en")} all time, on everyone’s links
            {kit.createdBy ? ` · curated by ${kit.createdBy}` : ""}
          </span>
        }
        actions={kit.archived ? <Badge tone="amber">Archived</Badge> : null}
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      {kit.descriptionHtml ? <div className="prose-commons mb-6" dangerouslySetInnerHTML={{ __html: kit.descriptionHtml }} /> : null}
      <section aria-labelledby="items-heading" className="mb-8">
        <h2 id="items-heading" className="mb-3 text-lg font-semibold text-slate-900">
          To share
        </h2>
        {items.length === 0 ? (
          <EmptyState title="Nothing in this kit yet">{curate ? "Add a forum thread or an article below." : "The curators are still putting it together."}</EmptyState>
        ) : (
          <ul className="space-y-4">
            {items.map((item) => (
              <KitItem key={item.id} item={item} curate={curate} archived={kit.archived} failure={failed && "itemId" in failed ? failed : null} maxText={SUGGESTED_TEXT_MAX} />
            ))}
          </ul>
        )}
      </section>
      {curate ? (
        <div className="space-y-6">
          <AddItemForms failure={failed} forumUrl={forumUrl} maxText={SUGGESTED_TEXT_MAX} resetKey={actionData?.ok ? actionData.notice : "add"} />
          <CardSection title="The kit" titleId="kit-heading" description="Change its title and description, or archive it when it has run its course (links keep working).">
            <Form method="post" noValidate>
              <FormError message={failed?.intent === "edit-kit" ? failed.formError : undefined} />
              <KitFields
                values={failed?.intent === "edit-kit" ? failed.values : kit}
                errors={failed?.intent === "edit-kit" ? failed.fieldErrors : undefined}
                titleMax={KIT_TITLE_MAX}
                descriptionMax={KIT_DESCRIPTION_MAX}
              />
              <SubmitButton name="intent" value="edit-kit" pendingText="Saving…">
                Save the kit
              </SubmitButton>
            </Form>
            <Form method="post" className="mt-4 border-t border-slate-100 pt-4">
              <FormError message={failed?.intent === "archive" ? failed.formError : undefined} />
              <Button name="intent" value="archive" variant="dangerOutline">
                Archive the kit
              </Button>
            </Form>
          </CardSection>
        </div>
      ) : null}
    </div>
  );
}
