import { useId } from "react";
import { useNavigation } from "react-router";

/**
 * Form controls with labels, hints and errors wired for screen readers: the error is announced
 * through aria-describedby and aria-invalid; the first invalid field gets focus on submit.
 */

/** What the control inside a `FieldShell` spreads onto itself: its id and the screen-reader wiring. */
export type FieldControlProps = { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };

/** The look of a text input or textarea, red-bordered when it has an error. */
export function textControlClass(error: unknown): string {
  return `mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm outline-none focus:ring-2 focus:ring-brand-500 ${error ? "border-red-500" : "border-slate-300"}`;
}

/**
 * The label, hint and error around one control, which `children` renders from the props it is
 * handed (id, aria-invalid, aria-describedby pointing at the hint and the error). `after` comes
 * last, inside the wrapper (an autocomplete's popup). Pass `id` when the caller needs it too.
 */
export function FieldShell({
  label,
  hint,
  error,
  id: givenId,
  className = "mb-4",
  children,
  after,
}: {
  label: string;
  hint?: React.ReactNode;
  error?: React.ReactNode;
  id?: string;
  className?: string;
  children: (control: FieldControlProps) => React.ReactNode;
  after?: React.ReactNode;
}) {
  const generatedId = useId();
  const id = givenId ?? generatedId;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {after}
    </div>
  );
}

export function Field({
  label,
  name,
  error,
  hint,
  type = "text",
  defaultValue,
  autoComplete,
  required,
  autoFocus,
  multiline,
  rows,
  maxLength,
  placeholder,
}: {
  label: string;
  name: string;
  /** Usually a string; a node when the message carries a link ("Sign in instead"). */
  error?: React.ReactNode;
  hint?: string;
  type?: string;
  defaultValue?: string | undefined;
  autoComplete?: string;
  required?: boolean;
  autoFocus?: boolean;
  multiline?: boolean;
  rows?: number;
  maxLength?: number;
  placeholder?: string;
}) {
  return (
    <FieldShell label={label} hint={hint} error={error}>
      {(control) => {
        const common = { ...control, name, defaultValue, required, autoFocus, maxLength, placeholder, className: textControlClass(error) };
        return multiline ? <textarea rows={rows ?? 4} {...common} /> : <input type={type} autoComplete={autoComplete} {...common} />;
      }}
    </FieldShell>
  );
}

export type SelectOption = { value: string; label: string };
export type OptionGroup = { label: string; options: ReadonlyArray<SelectOption> };

/** A labelled select: flat `options`, or `groups` rendered as <optgroup>s; `emptyLabel` adds a "none" choice. */
export function SelectField({
  label,
  name,
  options = [],
  groups = [],
  emptyLabel,
  defaultValue,
  error,
  hint,
}: {
  label: string;
  name: string;
  options?: ReadonlyArray<SelectOption>;
  groups?: ReadonlyArray<OptionGroup>;
  emptyLabel?: string;
  defaultValue?: string | undefined;
  error?: string | undefined;
  hint?: string;
}) {
  const renderOptions = (list: ReadonlyArray<SelectOption>) =>
    list.map((o) => (
      <option key={o.value} value={o.value}>
        {o.label}
      </option>
    ));
  return (
    <FieldShell label={label} hint={hint} error={error}>
      {(control) => (
        <select
          {...control}
          name={name}
          defaultValue={defaultValue}
          className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:ring-2 focus:ring-brand-500 ${error ? "border-red-500" : "border-slate-300"}`}
        >
          {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
          {renderOptions(options)}
          {groups.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {renderOptions(g.options)}
            </optgroup>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

/** A form-level error (not tied to one field), announced when it appears. */
export function FormError({ message }: { message?: string | undefined }) {
  if (!message) return null;
  return (
    <div role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </div>
  );
}

/** A success or info notice, announced politely. */
export function Notice({ message }: { message?: string | undefined | null }) {
  if (!message) return null;
  return (
    <div role="status" className="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
      {message}
    </div>
  );
}

export function SubmitButton({
  children,
  name,
  value,
  variant = "primary",
  pendingText,
}: {
  children: React.ReactNode;
  name?: string;
  value?: string;
  variant?: "primary" | "secondary" | "danger";
  pendingText?: string;
}) {
  const navigation = useNavigation();
  const pending = navigation.state === "submitting" && (!name || navigation.formData?.get(name) === value);
  const styles = {
    primary: "bg-brand-600 text-white hover:bg-brand-700 focus-visible:outline-brand-600",
    secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 focus-visible:outline-brand-600",
    danger: "bg-red-600 text-white hover:bg-red-700 focus-visible:outline-red-600",
  }[variant];
  return (
    <button
      type="submit"
      name={name}
      value={value}
      disabled={pending}
      className={`inline-flex items-center justify-center rounded-md px-4 py-2 text-sm font-semibold shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-60 ${styles}`}
    >
      {pending && pendingText ? pendingText : children}
    </button>
  );
}
