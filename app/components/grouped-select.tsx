import { useId } from "react";

export type OptionGroup = { label: string; options: ReadonlyArray<{ value: string; label: string }> };

/** A labelled select whose options are grouped (<optgroup>), with the same error wiring as form.tsx. */
export function GroupedSelectField({
  label,
  name,
  groups,
  emptyLabel,
  defaultValue,
  error,
  hint,
}: {
  label: string;
  name: string;
  groups: ReadonlyArray<OptionGroup>;
  emptyLabel?: string;
  defaultValue?: string | undefined;
  error?: string | undefined;
  hint?: string;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="mb-4">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm focus:ring-2 focus:ring-brand-500 ${error ? "border-red-500" : "border-slate-300"}`}
      >
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {groups.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
