import { Form } from "react-router";
import { CardSection } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";
import { SuggestedTextField } from "./suggested-text-field.tsx";

type Failure = { intent: string; formError?: string | undefined; fieldErrors: Partial<Record<string, string>>; values: Record<string, string> } | null;

/** A curator's two ways to add to a kit: a forum thread (by its address) or a public article. */
export function AddItemForms({ failure, forumUrl, maxText, resetKey }: { failure: Failure; forumUrl: string; maxText: number; resetKey: string }) {
  const thread = failure?.intent === "add-thread" ? failure : null;
  const article = failure?.intent === "add-article" ? failure : null;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <CardSection title="Add a forum thread" titleId="add-thread-heading" description="A thread the forum shows now; its title is copied from the forum.">
        <Form method="post" noValidate key={`thread-${resetKey}`}>
          <FormError message={thread?.formError} />
          <Field label="Thread" name="thread" hint={`Its address on the forum (${forumUrl}/t/…) or its number.`} defaultValue={thread?.values.thread} error={thread?.fieldErrors.thread} />
          <SuggestedTextField max={maxText} defaultValue={thread?.values.suggestedText} error={thread?.fieldErrors.suggestedText} />
          <SubmitButton name="intent" value="add-thread" pendingText="Adding…">
            Add the thread
          </SubmitButton>
        </Form>
      </CardSection>
      <CardSection title="Add a public article" titleId="add-article-heading" description="An https:// address anyone can open: a blog post, a press release.">
        <Form method="post" noValidate key={`article-${resetKey}`}>
          <FormError message={article?.formError} />
          <Field label="Address" name="url" type="url" hint="Starting with https://." defaultValue={article?.values.url} error={article?.fieldErrors.url} />
          <Field label="Title" name="title" hint="As people will see it in the kit." defaultValue={article?.values.title} error={article?.fieldErrors.title} />
          <SuggestedTextField max={maxText} defaultValue={article?.values.suggestedText} error={article?.fieldErrors.suggestedText} />
          <SubmitButton name="intent" value="add-article" pendingText="Adding…">
            Add the article
          </SubmitButton>
        </Form>
      </CardSection>
    </div>
  );
}
