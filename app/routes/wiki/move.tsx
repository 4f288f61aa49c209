import { Form, data, href, redirect, useNavigate } from "react-router";
import type { Route } from "./+types/move";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { movePage } from "#app/features/wiki/pages.server.ts";
import { spaceWikiUrl } from "#app/features/wiki/page-url.ts";
import { MovePageSchema } from "#app/features/wiki/schemas.ts";
import { moveChoices } from "#app/features/wiki/view.server.ts";
import { attempt, ForbiddenError } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Button } from "#app/components/button.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { FieldShell, FormError, Notice, SelectField, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Move: ${loaderData.page.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  // `?parentId=` (from the parent picker) lists the places under that parent; "" is the top level.
  const raw = new URL(request.url).searchParams.get("parentId");
  const chosen = raw === null ? undefined : raw === "" ? null : idParam(raw);
  const choices = await moveChoices(context.db, actor, idParam(params.pageId), Number.isNaN(chosen) ? undefined : chosen);
  if (!choices.permissions.canEdit) throw new ForbiddenError("This page is protected: its owners and moderators move it.");
  return { ...choices, moved: new URL(request.url).searchParams.get("moved") === "1" };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const pageId = idParam(params.pageId);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent !== "move" && intent !== "reorder") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(MovePageSchema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => movePage(context.db, actor, pageId, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  // Up and down stay here (a page often moves more than one step); a new place goes back to the page.
  if (intent === "reorder") throw redirect(`${href("/wiki/:pageId/move", { pageId: String(pageId) })}?moved=1`);
  throw redirect(href("/wiki/:pageId/:slug?", { pageId: String(pageId) }));
}

export default function MovePage({ loaderData, actionData }: Route.ComponentProps) {
  const { page, space, parents, parentId, places, siblings, up, down, moved } = loaderData;
  const navigate = useNavigate();
  const failed = actionData && !actionData.ok ? actionData : null;
  const chosenParent = parentId === null ? "" : String(parentId);
  const currentParent = page.parentId === null ? "" : String(page.parentId);
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug", { slug: encodeURIComponent(space.slug) }) },
          { label: "Wiki", to: spaceWikiUrl(space) },
          { label: page.title, to: page.url },
        ]}
        title="Move page"
        description="Choose where the page sits in the wiki's tree. Its address stays the same, and its subpages move with it."
      />
      <FormError message={failed?.formError ?? failed?.fieldErrors.beforeId ?? failed?.fieldErrors.parentId} />
      {moved && !failed ? <Notice message="Moved. The order below is the new one." /> : null}
      <CardSection title="Among its siblings" titleId="reorder-heading" className="mb-6" description="Move it one place up or down under the same parent.">
        <ol className="mb-4 list-decimal space-y-0.5 pl-6 text-sm text-slate-700" aria-label="The order at its level">
          {siblings.map((s) => (
            <li key={s.id} aria-current={s.id === page.id ? "true" : undefined} className={s.id === page.id ? "font-semibold text-slate-900" : undefined}>
              {s.title}
              {s.id === page.id ? <span className="font-normal text-slate-500"> (this page)</span> : null}
            </li>
          ))}
        </ol>
        <div className="flex flex-wrap gap-2">
          {up ? (
            <Form method="post">
              <input type="hidden" name="parentId" value={currentParent} />
              <input type="hidden" name="beforeId" value={String(up.beforeId)} />
              <Button name="intent" value="reorder">
                Move up
              </Button>
            </Form>
          ) : null}
          {down ? (
            <Form method="post">
              <input type="hidden" name="parentId" value={currentParent} />
              <input type="hidden" name="beforeId" value={down.beforeId === null ? "" : String(down.beforeId)} />
              <Button name="intent" value="reorder">
                Move down
              </Button>
            </Form>
          ) : null}
          {!up && !down ? <p className="text-sm text-slate-600">It is the only page at its level.</p> : null}
        </div>
      </CardSection>
      <Card className="p-6">
        <h2 className="mb-4 text-base font-semibold text-slate-900">A new place</h2>
        <Form method="post" noValidate>
          <FieldShell label="Parent page" hint="The page it goes under, or the top level of the wiki." error={failed?.fieldErrors.parentId}>
            {(control) => (
              <select
                {...control}
                name="parentId"
                defaultValue={failed?.values.parentId ?? chosenParent}
                // With JavaScript the places below follow the parent at once; without, "Show places" reloads.
                onChange={(event) => void navigate(`?parentId=${encodeURIComponent(event.currentTarget.value)}`, { replace: true, preventScrollReset: true })}
                className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:ring-2 focus:ring-brand-500"
              >
                <option value="">Top level of the wiki</option>
                {parents.map((p) => (
                  <option key={p.id} value={p.id}>
                    {`${"— ".repeat(p.depth)}${p.title}`}
                  </option>
                ))}
              </select>
            )}
          </FieldShell>
          <p className="-mt-2 mb-4">
            <button type="submit" formMethod="get" className="text-sm font-medium text-brand-700 hover:underline">
              Show the places under this parent
            </button>
          </p>
          <SelectField
            key={chosenParent}
            label="Position"
            name="beforeId"
            emptyLabel="Last"
            options={places.map((p) => ({ value: String(p.id), label: `Before “${p.title}”` }))}
            defaultValue={failed?.values.beforeId ?? ""}
            error={failed?.fieldErrors.beforeId}
          />
          <div className="flex justify-end border-t border-slate-100 pt-5">
            <SubmitButton name="intent" value="move" pendingText="Moving…">
              Move page
            </SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
