import { Form, data, href } from "react-router";
import type { Route } from "./+types/smes";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { expertsHref } from "#app/features/expertise/directory-params.ts";
import { AssignSmeSchema, RemoveSmeSchema, assignSme, removeSme, smePage } from "#app/features/expertise/smes.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { SmeList } from "#app/components/experts/sme-list.tsx";
import { FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { PersonField } from "#app/components/person-field.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `SMEs of ${loaderData.tag.name} · Tags · Commons` : "Commons" }];
}

/** `/tags/:name/smes`: a topic's subject-matter experts; moderators assign and remove them here (intent=assign|remove). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return smePage(context.db, actor, params.name.toLowerCase(), pageParam(new URL(request.url)));
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const name = params.name.toLowerCase();
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "assign") {
    const parsed = parseForm(AssignSmeSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => assignSme(context.db, actor, name, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, intent, notice: result.result.changed ? `${result.result.name} is now an SME of ${name}.` : `${result.result.name} is already an assigned SME of ${name}.` };
  }
  if (intent === "remove") {
    const parsed = parseForm(RemoveSmeSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => removeSme(context.db, actor, name, parsed.data.userId)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, intent, notice: result.result.removed ? "SME removed." : "They were not an SME of this topic." };
  }
  throw data("Unknown action", { status: 400 });
}

export default function TagSmes({ loaderData, actionData }: Route.ComponentProps) {
  const { tag, smes, total, offset, pageSize, canManage, threshold } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const tagHref = href("/tags/:name", { name: encodeURIComponent(tag.name) });
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        crumbs={[
          { label: "Tags", to: href("/tags") },
          { label: tag.name, to: tagHref },
        ]}
        title={`Subject-matter experts: ${tag.name}`}
        description="The people to ask about this topic. Moderators assign them; people also become SMEs automatically while their expertise from open spaces is past the threshold."
        actions={<ButtonLink to={expertsHref({ topics: [tag.name] })}>All experts in {tag.name}</ButtonLink>}
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      <CardSection title="SMEs" titleId="smes-heading">
        {smes.length > 0 ? <SmeList smes={smes} tagName={tag.name} manage={canManage} /> : <p className="text-sm text-slate-600">{total > 0 ? "No SMEs on this page." : "No SMEs yet."}</p>}
        {total > pageSize || offset > 0 ? (
          <Pagination
            offset={offset}
            pageSize={pageSize}
            total={total}
            shown={smes.length}
            pageHref={(p) => `${href("/tags/:name/smes", { name: encodeURIComponent(tag.name) })}${p === 1 ? "" : `?page=${p}`}`}
            label="SME pages"
          />
        ) : null}
        {failed?.intent === "remove" ? <FormError message={failed.formError ?? failed.fieldErrors.userId} /> : null}
        <p className="mt-3 text-sm text-slate-600">
          An automatic SME stays one while their ranking value in {tag.name} is at least {threshold.toLocaleString("en")}; they can't be removed by hand, but anyone can hide a topic from
          their own profile to leave its list. A person who hid the topic is never listed here.
        </p>
      </CardSection>
      {canManage ? (
        <CardSection className="mt-6" title="Assign an SME" titleId="assign-heading" description="Assigned SMEs stay until a moderator removes them.">
          <Form method="post" noValidate className="flex flex-wrap items-start gap-3" key={actionData?.ok ? actionData.notice : "assign"}>
            <div className="min-w-60 flex-1">
              <PersonField
                label="Colleague"
                name="person"
                hint="Their handle, e.g. @ada.lovelace: the part of their email before the @."
                defaultValue={failed?.intent === "assign" ? failed.values.person : undefined}
                error={failed?.intent === "assign" ? failed.fieldErrors.person : undefined}
                className=""
              />
            </div>
            <div className="pt-6">
              <SubmitButton name="intent" value="assign" pendingText="Assigning…">
                Assign
              </SubmitButton>
            </div>
            {failed?.intent === "assign" ? (
              <div className="w-full">
                <FormError message={failed.formError} />
              </div>
            ) : null}
          </Form>
        </CardSection>
      ) : null}
    </div>
  );
}
