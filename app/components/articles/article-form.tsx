import { Form } from "react-router";
import { ARTICLE_TYPES, type ArticleStatus, type ArticleType, datetimeLocalValue, TYPE_DESCRIPTIONS, TYPE_LABELS } from "#app/features/articles/schemas.ts";
import { TITLE_MAX } from "#app/features/qa/schemas.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { Field, FormError, SelectField, SubmitButton } from "#app/components/form.tsx";
import { MentionField } from "#app/components/mention-textarea.tsx";
import { MarkdownHelp } from "#app/components/qa/markdown-help.tsx";
import { TagInput } from "#app/components/qa/tag-input.tsx";
import { RadioCards } from "#app/components/radio-cards.tsx";

export type ArticleDefaults = { type: ArticleType | ""; title: string; body: string; tags: string[]; publishAt: Date | string | null };

/**
 * The article editor, for a new article and for an edit. One form whose buttons say what happens:
 * a new article is saved as a draft, scheduled or published; a draft or scheduled one keeps or
 * changes its status; a published one is saved. The safe button comes first in the form, so Enter
 * in a field never publishes. A failed save comes back with the typed text.
 */
export function ArticleForm({
  failed,
  defaults,
  status,
  spaces,
  preselectedSpace,
  mentionSpace,
  submissionKey,
}: {
  failed: FormFailure | null;
  defaults: ArticleDefaults;
  /** The current status when editing; null for a new article. */
  status: ArticleStatus | null;
  /** The spaces a new article may go to (new articles only). */
  spaces?: Array<{ value: string; label: string }>;
  preselectedSpace?: string;
  mentionSpace?: string;
  submissionKey?: string;
}) {
  const v = failed?.values;
  const e = failed?.fieldErrors;
  const typeChoices = ARTICLE_TYPES.map((type) => ({ value: type, label: TYPE_LABELS[type], description: TYPE_DESCRIPTIONS[type] }));
  const publishable = status !== "published";
  return (
    <Card className="p-6">
      {/* A forged or stale button (an unknown intent) has no field to show its message beside. */}
      <FormError message={failed?.formError ?? e?.intent} />
      <Form method="post" noValidate>
        {submissionKey ? <input type="hidden" name="submissionKey" value={submissionKey} /> : null}
        {spaces ? (
          <SelectField
            label="Space"
            name="space"
            emptyLabel="Choose a space"
            options={spaces}
            hint="Who can read it: everyone for an open space, only members for a restricted one."
            defaultValue={v?.space ?? preselectedSpace}
            error={e?.space}
          />
        ) : null}
        <RadioCards legend="Type" name="type" choices={typeChoices} defaultValue={v?.type ?? defaults.type} error={e?.type} />
        <Field label="Title" name="title" hint={`A headline of up to ${TITLE_MAX} characters.`} defaultValue={v?.title ?? defaults.title} error={e?.title} />
        <MentionField label="Article" name="body" rows={16} hint="Markdown." defaultValue={v?.body ?? defaults.body} error={e?.body} mentionSpace={mentionSpace} />
        <MarkdownHelp />
        <TagInput label="Tags (optional)" defaultValue={v?.tags ?? defaults.tags.join(" ")} error={e?.tags} />
        {status !== null ? (
          <Field label="Edit summary (optional)" name="comment" hint="What you changed and why, e.g. “added the new deadline”." defaultValue={v?.comment} error={e?.comment} />
        ) : null}
        {publishable ? (
          <fieldset className="mb-4 rounded-lg border border-slate-200 p-4">
            <legend className="px-1 text-sm font-medium text-slate-800">Publishing</legend>
            <p className="mb-3 text-sm text-slate-600">
              {status === "scheduled"
                ? "This article is scheduled: it goes out at the time below. Until then only you can see it."
                : "A draft is yours alone until you publish it. Publishing tells the people who follow you."}
            </p>
            <Field
              label="Publish at (UTC)"
              name="publishAt"
              type="datetime-local"
              hint="For “Schedule”: when it goes out, in UTC. It is published within a minute of that time."
              defaultValue={v?.publishAt ?? datetimeLocalValue(defaults.publishAt)}
              error={e?.publishAt}
            />
          </fieldset>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2 border-t border-slate-100 pt-5">
          {status === null ? (
            <>
              <SubmitButton name="intent" value="draft" variant="secondary" pendingText="Saving…">
                Save draft
              </SubmitButton>
              <SubmitButton name="intent" value="schedule" variant="secondary" pendingText="Scheduling…">
                Schedule
              </SubmitButton>
              <SubmitButton name="intent" value="publish" pendingText="Publishing…">
                Publish
              </SubmitButton>
            </>
          ) : status === "published" ? (
            <SubmitButton name="intent" value="save" pendingText="Saving…">
              Save changes
            </SubmitButton>
          ) : (
            <>
              <SubmitButton name="intent" value="save" variant="secondary" pendingText="Saving…">
                {status === "scheduled" ? "Save, keep the schedule" : "Save draft"}
              </SubmitButton>
              {status === "scheduled" ? (
                <SubmitButton name="intent" value="draft" variant="secondary" pendingText="Saving…">
                  Unschedule
                </SubmitButton>
              ) : null}
              <SubmitButton name="intent" value="schedule" variant="secondary" pendingText="Scheduling…">
                {status === "scheduled" ? "Reschedule" : "Schedule"}
              </SubmitButton>
              <SubmitButton name="intent" value="publish" pendingText="Publishing…">
                Publish now
              </SubmitButton>
            </>
          )}
        </div>
      </Form>
    </Card>
  );
}
