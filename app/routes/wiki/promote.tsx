import { Form, Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/promote";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { PromoteSchema } from "#app/features/wiki/governance-schemas.ts";
import { promoteAnswer, promotionForm } from "#app/features/wiki/promotion.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card, CardSection } from "#app/components/card.tsx";
import { Field, FormError, SelectField, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RadioCards } from "#app/components/radio-cards.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Promote to wiki: ${loaderData.question.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const form = await promotionForm(context.db, actor, idParam(params.postId));
  return { ...form, submissionKey: crypto.randomUUID() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(PromoteSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => promoteAnswer(context.db, actor, idParam(params.postId), parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(result.result.url);
}

export default function PromoteAnswer({ loaderData, actionData }: Route.ComponentProps) {
  const { answer, question, space, defaultTitle, mayCreatePages, pages, promotedTo, submissionKey } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const v = failed?.values;
  const e = failed?.fieldErrors;
  const pageOptions = pages.map((p) => ({ value: String(p.id), label: p.title }));
  const sectionOptions = pages.map((p) => ({ value: String(p.id), label: p.direct ? p.title : `${p.title} (suggested edit, reviewed by its owners)` }));
  const choices = [
    ...(mayCreatePages ? [{ value: "page", label: "A new page", description: "The answer's text becomes a page of its own, which you own." }] : []),
    {
      value: "section",
      label: "A section of an existing page",
      description: "The answer is added at the end of a page under the question's title; on a protected page, as a suggested edit its owners review.",
    },
  ];
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
          { label: question.title, to: question.url },
        ]}
        title="Promote to wiki"
        description={`The answer's text as it is now goes to the ${space.name} wiki with a credit to ${answer.author.name}, the question and who asked it. Later edits to the answer don't change the page. Answers stay in their own space's wiki, so no one reads them who can't see the question.`}
      />
      {promotedTo.length > 0 ? (
        <p role="status" className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
          Already in the wiki as{" "}
          {promotedTo.map((p, i) => (
            <span key={p.id}>
              {i > 0 ? ", " : null}
              <Link to={p.url} className="font-semibold underline">
                {p.title}
              </Link>
            </span>
          ))}
          .
        </p>
      ) : null}
      <CardSection title={`The answer by ${answer.author.name}`} titleId="answer-heading">
        <PostBody html={answer.bodyHtml} />
      </CardSection>
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="submissionKey" value={submissionKey} />
          <RadioCards legend="Where the answer goes" name="mode" choices={choices} defaultValue={v?.mode ?? choices[0]!.value} error={e?.mode} />
          {mayCreatePages ? (
            <fieldset className="mb-4 rounded-lg border border-slate-200 p-4">
              <legend className="px-1 text-sm font-medium text-slate-800">For a new page</legend>
              <Field label="Page title" name="title" defaultValue={v?.title ?? defaultTitle} error={e?.title} />
              <SelectField label="Under the page" name="parentId" emptyLabel="At the top of the wiki" options={pageOptions} defaultValue={v?.parentId} error={e?.parentId} />
            </fieldset>
          ) : null}
          <fieldset className="mb-4 rounded-lg border border-slate-200 p-4">
            <legend className="px-1 text-sm font-medium text-slate-800">For a section of a page</legend>
            {pages.length === 0 ? (
              <p className="text-sm text-slate-600">This space's wiki has no pages yet.</p>
            ) : (
              <SelectField label="Page" name="pageId" emptyLabel="Choose a page" options={sectionOptions} defaultValue={v?.pageId} error={e?.pageId} />
            )}
          </fieldset>
          <div className="flex items-center justify-end gap-3 border-t border-slate-100 pt-5">
            <ButtonLink to={question.url} variant="ghost">
              Cancel
            </ButtonLink>
            <SubmitButton pendingText="Promoting…">Promote to wiki</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
