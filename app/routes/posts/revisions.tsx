import { data, href, redirect } from "react-router";
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
import { FormError } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { DiffText } from "#app/components/content/diff-text.tsx";
import { PlainTags, RevisionCard, RevisionPart, TagsChange, TitleChange } from "#app/components/content/revision-card.tsx";

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
            <RevisionCard
              revision={r}
              noun="revision"
              kindLabel={KIND_LABEL[r.kind]}
              current={r.number === post.currentRevision}
              restore={canRollback ? { intent: "rollback", label: "Roll back to this revision" } : null}
              canRedact={canRedact}
              redactFailure={redactFailure}
              now={now}
            >
              {r.diff ? (
                <div className="mt-4 space-y-3 text-sm">
                  {r.title !== null && r.diff.title && r.diff.title.some((p) => p.change !== "same") ? <TitleChange parts={r.diff.title} /> : null}
                  {r.diff.tags.some((p) => p.change !== "same") ? <TagsChange parts={r.diff.tags} /> : null}
                  <RevisionPart label="Text">
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
                  </RevisionPart>
                </div>
              ) : (
                <div className="mt-4 space-y-2 text-sm">
                  {r.title !== null ? <p className="font-medium text-slate-900">{r.title}</p> : null}
                  {r.tags.length > 0 ? <PlainTags tags={r.tags} /> : null}
                  <pre className="rounded-md bg-slate-50 p-3 font-sans whitespace-pre-wrap text-slate-800">{r.body}</pre>
                </div>
              )}
            </RevisionCard>
          </li>
        ))}
      </ol>
    </div>
  );
}
