import { useRef } from "react";
import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/new";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { isModerator } from "#app/features/reputation/rules.server.ts";
import { spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { createPage } from "#app/features/wiki/pages.server.ts";
import { spaceWikiUrl, wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { NewPageSchema, PAGE_TITLE_MAX } from "#app/features/wiki/schemas.ts";
import { templatesFor } from "#app/features/wiki/templates.server.ts";
import { outline, wholeSpaceTree } from "#app/features/wiki/view.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { idParam } from "#app/lib/ids.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SelectField, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";
import { TagInput } from "#app/components/qa/tag-input.tsx";
import { PageBodyField } from "#app/components/wiki/page-body-field.tsx";
import { TemplatePicker } from "#app/components/wiki/template-picker.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `New page · ${loaderData.space.name} wiki · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { space, membership } = await spaceBySlugForActor(context.db, actor, params.slug);
  const [tree, templates] = await Promise.all([wholeSpaceTree(context.db, space.id), templatesFor(context.db, actor, space.id)]);
  const url = new URL(request.url);
  const pages = outline(tree);
  // Prefills from links: "create this page" ([[a title no page has]]), "add a subpage", a template.
  const parentId = idParam(url.searchParams.get("parent"));
  const template = templates.find((t) => t.id === idParam(url.searchParams.get("template"))) ?? null;
  return {
    space: { slug: space.slug, name: space.name },
    protectedWiki: space.wikiProtected && !isModerator(actor, membership),
    pages,
    templates: templates.map((t) => ({ id: t.id, name: t.name, description: t.description, body: t.body })),
    prefill: {
      title: (url.searchParams.get("title") ?? "").replace(/\s+/g, " ").trim().slice(0, PAGE_TITLE_MAX),
      parentId: pages.some((p) => p.id === parentId) ? parentId : null,
      templateId: template?.id ?? null,
      body: template?.body ?? "",
    },
    submissionKey: crypto.randomUUID(),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(NewPageSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => createPage(context.db, actor, params.slug, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(wikiPageUrl(result.result));
}

export default function NewPage({ loaderData, actionData }: Route.ComponentProps) {
  const { space, pages, templates, prefill, protectedWiki, submissionKey } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const v = failed?.values;
  const e = failed?.fieldErrors;
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        crumbs={[
          { label: "Spaces", to: href("/spaces") },
          { label: space.name, to: href("/spaces/:slug", { slug: encodeURIComponent(space.slug) }) },
          { label: "Wiki", to: spaceWikiUrl(space) },
        ]}
        title="New page"
        description={`A page in the ${space.name} wiki: everyone who can see the space can read it. You become its first owner.`}
      />
      {protectedWiki ? (
        <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          This space&apos;s wiki is protected: only its moderators and the owners of its pages can add pages.
        </p>
      ) : null}
      <TemplatePicker
        templates={templates}
        selected={prefill.templateId}
        keep={{ title: prefill.title, parent: prefill.parentId === null ? "" : String(prefill.parentId) }}
        bodyRef={bodyRef}
      />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="submissionKey" value={submissionKey} />
          <Field
            label="Title"
            name="title"
            hint={`One line, up to ${PAGE_TITLE_MAX} characters. Other pages link here with [[its title]].`}
            defaultValue={v?.title ?? prefill.title}
            error={e?.title}
          />
          <SelectField
            label="Parent page"
            name="parentId"
            emptyLabel="None: a top-level page"
            options={pages.map((p) => ({ value: String(p.id), label: `${"— ".repeat(p.depth)}${p.title}` }))}
            hint="Where the page sits in the wiki's tree. You can move it later."
            defaultValue={v?.parentId ?? (prefill.parentId === null ? "" : String(prefill.parentId))}
            error={e?.parentId}
          />
          <PageBodyField defaultValue={v?.body ?? prefill.body} error={e?.body} space={space.slug} textareaRef={bodyRef} />
          <MarkdownHelp />
          <TagInput label="Tags (optional)" defaultValue={v?.tags} error={e?.tags} spaceSlug={space.slug} />
          <div className="flex justify-end border-t border-slate-100 pt-5">
            <SubmitButton pendingText="Creating…">Create page</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
