import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/edit";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { editPost, editablePost } from "#app/features/qa/edit.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { idParam } from "#app/lib/ids.ts";
import { EDIT_COMMENT_MAX, EditAnswerSchema, EditQuestionSchema } from "#app/features/qa/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { MentionField } from "#app/components/mention-textarea.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";
import { TagInput } from "#app/components/qa/tag-input.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Edit ${loaderData.post.type === "question" ? "question" : "answer"} · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return editablePost(context.db, actor, idParam(params.postId));
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const { post, question } = await editablePost(context.db, actor, idParam(params.postId));
  const form = await readForm(request);
  if (form.get("intent") !== "edit") throw data("Unknown action", { status: 400 });
  const parsed = post.type === "question" ? parseForm(EditQuestionSchema, form) : parseForm(EditAnswerSchema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => editPost(context.db, actor, post.id, parsed.data)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  const title = parsed.ok && "title" in parsed.data ? String(parsed.data.title) : question.title;
  throw redirect(questionUrl({ id: question.id, title }, post.type === "answer" ? `answer-${post.id}` : undefined));
}

export default function EditPost({ loaderData, actionData }: Route.ComponentProps) {
  const { post, question, space } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const isQuestion = post.type === "question";
  const back = questionUrl(question, isQuestion ? undefined : `answer-${post.id}`);
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug", { slug: space.slug }) },
          { label: question.title, to: questionUrl(question) },
        ]}
        title={isQuestion ? "Edit question" : "Edit answer"}
        description="Your edit is kept in the post's history with the summary you give; anyone can see what changed."
        actions={
          <ButtonLink to={href("/posts/:postId/revisions", { postId: String(post.id) })} variant="ghost">
            History
          </ButtonLink>
        }
      />
      <Card className="p-6">
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          {isQuestion ? <Field label="Title" name="title" defaultValue={failed?.values.title ?? post.title ?? ""} error={failed?.fieldErrors.title} /> : null}
          <MentionField label={isQuestion ? "Details" : "Answer"} name="body" rows={14} hint="Markdown." defaultValue={failed?.values.body ?? post.body} error={failed?.fieldErrors.body} />
          <MarkdownHelp />
          {isQuestion ? <TagInput spaceSlug={space.slug} defaultValue={failed?.values.tags ?? post.tags.join(", ")} error={failed?.fieldErrors.tags} /> : null}
          <Field
            label="Edit summary"
            name="comment"
            hint={`Why you changed it, e.g. “fixed the code sample” (optional, up to ${EDIT_COMMENT_MAX} characters).`}
            defaultValue={failed?.values.comment}
            error={failed?.fieldErrors.comment}
          />
          <div className="flex items-center justify-end gap-3 border-t border-slate-100 pt-5">
            <ButtonLink to={back} variant="ghost">
              Cancel
            </ButtonLink>
            <SubmitButton name="intent" value="edit" pendingText="Saving…">
              Save edits
            </SubmitButton>
          </div>
        </Form>
      </Card>
    </div>
  );
}
