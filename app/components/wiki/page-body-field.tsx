import { useState } from "react";
import { FieldShell, textControlClass } from "#app/components/form.tsx";
import { MarkdownPreview } from "#app/components/markdown-preview.tsx";
import { MentionTextarea } from "#app/components/mention-textarea.tsx";

/**
 * Replaces the text of a page's textarea as if typed (a template chosen with JavaScript): the
 * field's own input handler sees it, so the preview follows.
 */
export function fillTextarea(textarea: HTMLTextAreaElement, text: string): void {
  textarea.value = text;
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

/**
 * A wiki page's markdown text with a live preview beside it (below it on narrow screens). The
 * textarea is a plain form field (before JavaScript it is all there is) with @mention
 * suggestions; the preview resolves `[[links]]` in `space` as saving will. `beside` replaces the
 * preview's place (the current text in an edit conflict), and the preview moves below.
 */
export function PageBodyField({
  label = "Page text",
  name = "body",
  defaultValue,
  error,
  space,
  beside,
  textareaRef,
  rows = 18,
}: {
  label?: string;
  name?: string;
  defaultValue?: string | undefined;
  error?: string | undefined;
  /** The space's slug: mentions suggest its readers; links resolve in it. Without one the preview is plain markdown. */
  space?: string | undefined;
  beside?: React.ReactNode;
  textareaRef?: React.Ref<HTMLTextAreaElement>;
  rows?: number;
}) {
  const [text, setText] = useState(defaultValue ?? "");
  const preview = <MarkdownPreview text={text} space={space} title="Preview" />;
  return (
    <div className="mb-4">
      <div className="grid gap-4 lg:grid-cols-2">
        <FieldShell
          label={label}
          className=""
          error={error}
          hint={
            <>
              Markdown. Link to another page with <code>[[Page title]]</code>
              {space ? " (a title no page has yet links to a form that writes it)" : ""}. Type @ and a name to mention someone.
            </>
          }
        >
          {(control) => (
            <MentionTextarea
              {...control}
              ref={textareaRef}
              name={name}
              rows={rows}
              defaultValue={defaultValue}
              mentionSpace={space}
              uploads
              onInput={(event) => setText(event.currentTarget.value)}
              className={`${textControlClass(error)} font-mono`}
            />
          )}
        </FieldShell>
        {beside ?? preview}
      </div>
      {beside ? <div className="mt-4">{preview}</div> : null}
    </div>
  );
}
