import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/revisions";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { redactRevision } from "#app/features/moderation/redaction.server.ts";
import { RedactSchema } from "#app/features/moderation/redaction-schema.ts";
import { rollbackPost } from "#app/features/qa/edit.server.ts";
import { postItemId } from "#app/features/qa/posts.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { idParam } from "#app/lib/ids.ts";
import { postHistory } from "#app/features/qa/revisions.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { FormError } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { DiffText, TagDiff } from "#app/components/content/diff-text.tsx";
import { RedactForm, RedactedOriginal } from "#app/components/moderation/redaction.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `History: ${loaderData.question.title} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const history = await postHistory(context.db, actor, idParam(params.postId));
  return { ...history, now: Date.now() };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  const postId = idParam(params.postId);
  if (form.get("intent") === "redact") {
    const parsed = parseForm(RedactSchema, form);
    const redacting = idParam(form.get("revision"));
    if (!parsed.ok) return data({ ...parsed, redacting }, { status: 400 });
    // The revisions are the post's item's; the item's kind decides who may redact (a 404 for a hidden post).
    const redacted = await attempt(parsed.values, async () => redactRevision(context.db, actor, await postItemId(context.db, postId), parsed.data));
    if (!redacted.ok) return data({ ...redacted, redacting }, { status: 400 });
    throw redirect(`${href("/posts/:postId/revisions", { postId: String(postId) })}#revision-${redacted.result.revision}`);
  }
  if (form.get("intent") !== "rollback") throw data("Unknown action", { status: 400 });
  const result = await attempt({}, () => rollbackPost(context.db, actor, postId, idParam(form.get("revision"))));
  if (!result.ok) return data(result, { status: 400 });
  const { post, question } = await postHistory(context.db, actor, postId);
  throw redirect(questionUrl(question, post.type === "answer" ? `answer-${post.id}` : undefined));
}

const KIND_LABEL = { create: "Original", edit: "Edited", rollback: "Rolled back" } as const;

export default function Revisions({ loaderData, actionData }: Route.ComponentProps) {
  const { post, question, space, revisions, canRollback, canRedact, now } = loaderData;
  const redactFailure = actionData && !actionData.ok && "redacting" in actionData ? actionData : null;
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
          { label: question.title, to: questionUrl(question) },
        ]}
        title={post.type === "question" ? "Question history" : "Answer history"}
        description={`${revisions.length} ${revisions.length === 1 ? "revision" : "revisions"}, newest first. Each shows what changed from the one before it.`}
      />
      <FormError message={actionData && !actionData.ok && !redactFailure ? actionData.formError : undefined} />
      <ol className="space-y-4">
        {revisions.map((r) => (
          <li key={r.number}>
            <Card as="section" aria-labelledby={`revision-${r.number}`} className="p-5">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div>
                  <h2 id={`revision-${r.number}`} className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
                    Revision {r.number}
                    <Badge tone={r.kind === "rollback" ? "amber" : r.kind === "create" ? "neutral" : "brand"}>{KIND_LABEL[r.kind]}</Badge>
                    {r.number === post.currentRevision ? <Badge tone="green">Current</Badge> : null}
                    {r.redacted ? <Badge tone="red">Redacted</Badge> : null}
                  </h2>
                  <p className="mt-1 text-sm text-slate-600">
                    {r.editor.name} · <RelativeTime date={r.createdAt} now={now} />
                    {r.comment ? <> · “{r.comment}”</> : null}
                  </p>
                </div>
                {canRollback && r.number !== post.currentRevision && !r.redacted ? (
                  <Form method="post">
                    <input type="hidden" name="revision" value={r.number} />
                    <Button name="intent" value="rollback" size="sm">
                      Roll back to this revision<span className="sr-only"> ({r.number})</span>
                    </Button>
                  </Form>
                ) : null}
              </div>
              {r.diff ? (
                <div className="mt-4 space-y-3 text-sm">
                  {r.title !== null && r.diff.title && r.diff.title.some((p) => p.change !== "same") ? (
                    <div>
                      <h3 className="text-xs font-semibold text-slate-500 uppercase">Title</h3>
                      <p className="mt-1 font-medium text-slate-900">
                        <DiffText parts={r.diff.title} />
                      </p>
                    </div>
                  ) : null}
                  {r.diff.tags.some((p) => p.change !== "same") ? (
                    <div>
                      <h3 className="text-xs font-semibold text-slate-500 uppercase">Tags</h3>
                      <div className="mt-1">
                        <TagDiff parts={r.diff.tags} />
                      </div>
                    </div>
                  ) : null}
                  <div>
                    <h3 className="text-xs font-semibold text-slate-500 uppercase">Text</h3>
                    {r.diff.body ? (
                      <pre className="mt-1 overflow-x-auto rounded-md bg-slate-50 p-3 font-sans whitespace-pre-wrap text-slate-800">
                        <DiffText parts={r.diff.body} />
                      </pre>
                    ) : (
                      <>
                        <p className="mt-1 text-slate-600">Too different from the previous revision to compare word by word; this is the full text.</p>
                        <pre className="mt-1 rounded-md bg-slate-50 p-3 font-sans whitespace-pre-wrap text-slate-800">{r.body}</pre>
                      </>
                    )}
                  </div>
                </div>
              ) : (
                <div className="mt-4 space-y-2 text-sm">
                  {r.title !== null ? <p className="font-medium text-slate-900">{r.title}</p> : null}
                  {r.tags.length > 0 ? <TagDiff parts={r.tags.map((value) => ({ value, change: "same" as const }))} /> : null}
                  <pre className="rounded-md bg-slate-50 p-3 font-sans whitespace-pre-wrap text-slate-800">{r.body}</pre>
                </div>
              )}
              {r.original ? <RedactedOriginal original={r.original} now={now} /> : null}
              {canRedact && !r.redacted && r.number !== post.currentRevision ? (
                <RedactForm revision={r.number} noun="revision" failure={redactFailure?.redacting === r.number ? redactFailure : null} />
              ) : null}
            </Card>
          </li>
        ))}
      </ol>
    </div>
  );
}
