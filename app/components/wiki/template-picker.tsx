import { useId, useRef, useState } from "react";
import { Form } from "react-router";
import { fillTextarea } from "./page-body-field.tsx";

export type TemplateChoice = { id: number; name: string; description: string; body: string };

/**
 * Choosing a template for a new page. Without JavaScript it is a GET form: the page reloads with
 * `?template=<id>` and the text starts from it (the title and parent chosen so far travel along).
 * With JavaScript the text is filled in place as soon as a template is chosen; text the writer had
 * typed is kept aside, one click away from coming back.
 */
export function TemplatePicker({
  templates,
  selected,
  keep,
  bodyRef,
}: {
  templates: TemplateChoice[];
  selected: number | null;
  /** Query parameters to carry through the reload (title, parent). */
  keep: Record<string, string>;
  bodyRef: React.RefObject<HTMLTextAreaElement | null>;
}) {
  const id = useId();
  const lastFilled = useRef<string>(templates.find((t) => t.id === selected)?.body ?? "");
  const [replaced, setReplaced] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");

  function apply(templateId: string) {
    const textarea = bodyRef.current;
    if (!textarea) return false;
    const template = templates.find((t) => String(t.id) === templateId);
    const next = template?.body ?? "";
    const typed = textarea.value;
    // Text the writer typed (not just the last template's) is kept for "Put back my text".
    setReplaced(typed.trim() !== "" && typed !== lastFilled.current ? typed : null);
    fillTextarea(textarea, next);
    lastFilled.current = next;
    setAnnouncement(template ? `The page text now starts from the ${template.name} template.` : "The page text is blank.");
    return true;
  }

  function putBack() {
    const textarea = bodyRef.current;
    if (!textarea || replaced === null) return;
    fillTextarea(textarea, replaced);
    lastFilled.current = "";
    setReplaced(null);
    setAnnouncement("Your text is back.");
  }

  if (templates.length === 0) return null;
  return (
    <Form
      method="get"
      className="mb-6 rounded-lg border border-slate-200 bg-slate-50 px-4 py-3"
      onSubmit={(event) => {
        // With JavaScript the text fills in place; the reload is for browsers without it.
        const select = event.currentTarget.elements.namedItem("template");
        if (select instanceof HTMLSelectElement && apply(select.value)) event.preventDefault();
      }}
    >
      {Object.entries(keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        Start from a template
      </label>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        <select
          id={id}
          name="template"
          defaultValue={selected === null ? "" : String(selected)}
          onChange={(event) => apply(event.currentTarget.value)}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:ring-2 focus:ring-brand-500"
        >
          <option value="">Blank page</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.description ? `${t.name}: ${t.description}` : t.name}
            </option>
          ))}
        </select>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-100">
          Use this template
        </button>
        {replaced !== null ? (
          <button type="button" onClick={putBack} className="text-sm font-medium text-brand-700 hover:underline">
            Put back my text
          </button>
        ) : null}
      </div>
      <p className="mt-1 text-xs text-slate-500">The template replaces the page text below.</p>
      <span role="status" className="sr-only">
        {announcement}
      </span>
    </Form>
  );
}
