import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/edit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { loadPage } from "#app/features/wiki/access.server.ts";
import { EditConflictError, savePage } from "#app/features/wiki/pages.server.ts";
import { spaceWikiUrl, wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { EditPageSchema, PAGE_TITLE_MAX } from "#app/features/wiki/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { type FormFailure, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";
import { TagInput } from "#app/components/qa/tag-input.tsx";
import { ConflictChanges, type ConflictView, CurrentText } from "#app/components/wiki/edit-conflict.tsx";
import { PageBodyField } from "#app/components/wiki/page-body-field.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Edit: ${loaderData.page.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const pageId = idParam(params.pageId);
  const { page, space, canEditDirectly } = await loadPage(context.db, actor, { pageId });
  // A protected page takes suggested edits from everyone but its owners and moderators.
  if (!canEditDirectly) throw redirect(`/wiki/${pageId}/suggest`);
  return {
    page: { id: page.id, title: page.title, body: page.body, tags: page.tags, url: wikiPageUrl(page), revisionCount: page.revisionCount },
    space: { slug: space.slug, name: space.name },
    now: Date.now(),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(EditPageSchema, await readForm(request));
  if (!parsed.ok) return data({ ...parsed, conflict: null }, { status: 400 });
  const result = await attempt(parsed.values, async () => {
    try {
      return { saved: await savePage(context.db, actor, idParam(params.pageId), parsed.data), conflict: null };
    } catch (error) {
      if (error instanceof EditConflictError) return { saved: null, conflict: error };
      throw error;
    }
  });
  if (!result.ok) return data({ ...result, conflict: null }, { status: 400 });
  const { saved, conflict } = result.result;
  if (saved) throw redirect(saved.url);
  // Someone saved meanwhile: the form comes back with this editor's text as typed, the current
  // version beside it and what changed; the next save starts from the current version.
  const view: ConflictView = { current: conflict!.current, meanwhile: conflict!.meanwhile };
  const failure: FormFailure = { ok: false, fieldErrors: {}, formError: conflict!.message, values: { ...parsed.values, baseRevision: String(view.current.revision) } };
  return data({ ...failure, conflict: view }, { status: 409 });
}

export default function EditPage({ loaderData, actionData }: Route.ComponentProps) {
  const { page, space, now } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const v = failed?.values;
  const e = failed?.fieldErrors;
  const conflict = failed?.conflict ?? null;
  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug", { slug: encodeURIComponent(space.slug) }) },
          { label: "Wiki", to: spaceWikiUrl(space) },
          { label: page.title, to: page.url },
        ]}
        title="Edit page"
        description="Every save is kept in the page's history. If someone saves while you edit, your text is kept and theirs is shown beside it."
      />
      <FormError message={failed?.formError} />
      {conflict ? <ConflictChanges conflict={conflict} now={now} /> : null}
      <Card className="p-6">
        <Form method="post" noValidate>
          <input type="hidden" name="baseRevision" value={v?.baseRevision ?? String(page.revisionCount)} />
          <Field label="Title" name="title" hint={`One line, up to ${PAGE_TITLE_MAX} characters.`} defaultValue={v?.title ?? page.title} error={e?.title} />
          <PageBodyField
            label={conflict ? "Your text (not saved yet)" : "Page text"}
            defaultValue={v?.body ?? page.body}
            error={e?.body}
            space={space.slug}
            beside={conflict ? <CurrentText conflict={conflict} /> : undefined}
          />
          <MarkdownHelp />
          <TagInput label="Tags (optional)" defaultValue={v?.tags ?? page.tags.join(" ")} error={e?.tags} spaceSlug={space.slug} />
          <Field label="Edit summary (optional)" name="comment" hint="What you changed and why, e.g. “added the escalation numbers”." defaultValue={v?.comment} error={e?.comment} />
          <div className="flex justify-end gap-3 border-t border-slate-100 pt-5">
            <SubmitButton pendingText="Saving…">{conflict ? "Save my version" : "Save"}</SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
