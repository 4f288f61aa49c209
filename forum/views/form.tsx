import type { ReactNode } from "react";

/**
 * The forum's form controls, for plain HTML forms (the forum sends no scripts): each control has
 * its label, an optional hint and its error, wired for screen readers through aria-describedby and
 * aria-invalid. Ids come from the field's name, so they are stable and the error summary can link
 * to them (`#field-email`). A form that comes back with errors starts with an `ErrorSummary`.
 */

export function fieldId(name: string): string {
  return `field-${name}`;
}

function described(name: string, hint: ReactNode, error: ReactNode): string | undefined {
  const id = fieldId(name);
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function HintAndError({ name, hint, error }: { name: string; hint?: ReactNode; error?: ReactNode }) {
  const id = fieldId(name);
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </>
  );
}

export function Field({
  label,
  name,
  type = "text",
  defaultValue,
  error,
  hint,
  autoComplete,
  required,
  maxLength,
}: {
  label: string;
  name: string;
  type?: "text" | "email" | "password" | "search" | "url";
  defaultValue?: string;
  error?: ReactNode;
  hint?: ReactNode;
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
}) {
  const id = fieldId(name);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        // A password is never sent back into the page.
        defaultValue={type === "password" ? undefined : defaultValue}
        autoComplete={autoComplete}
        required={required}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={described(name, hint, error)}
      />
      <HintAndError name={name} hint={hint} error={error} />
    </div>
  );
}

export function TextArea({
  label,
  name,
  defaultValue,
  error,
  hint,
  rows = 5,
  required,
  maxLength,
}: {
  label: string;
  name: string;
  defaultValue?: string;
  error?: ReactNode;
  hint?: ReactNode;
  rows?: number;
  required?: boolean;
  maxLength?: number;
}) {
  const id = fieldId(name);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        required={required}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={described(name, hint, error)}
      />
      <HintAndError name={name} hint={hint} error={error} />
    </div>
  );
}

/**
 * The problems of a form that came back, each linking to its field. `errors` maps field names to
 * messages; a message under `form` (or any name without a field) is listed without a link.
 * `role="alert"` has screen readers read it when the page loads, since no script can move focus.
 */
export function ErrorSummary({ errors, title = "Please fix the following" }: { errors: Record<string, string | undefined> | undefined; title?: string }) {
  const entries = Object.entries(errors ?? {}).filter((entry): entry is [string, string] => Boolean(entry[1]));
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {entries.map(([name, message]) => (
          <li key={name}>{name === "form" ? message : <a href={`#${fieldId(name)}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}
