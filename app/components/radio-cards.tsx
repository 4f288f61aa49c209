import { useId } from "react";

export type RadioChoice = { value: string; label: string; description?: string };

/**
 * A group of radio buttons with a legend, each choice with a line of description; the error is
 * announced through aria-describedby on the group, like `Field`'s.
 */
export function RadioCards({
  legend,
  name,
  choices,
  defaultValue,
  error,
  required,
}: {
  legend: string;
  name: string;
  choices: ReadonlyArray<RadioChoice>;
  defaultValue?: string | undefined;
  error?: string | undefined;
  required?: boolean;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset className="mb-4" aria-describedby={error ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <div className="mt-2 space-y-2">
        {choices.map((choice) => {
          const choiceId = `${id}-${choice.value}`;
          return (
            <label
              key={choice.value}
              htmlFor={choiceId}
              className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2.5 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50"
            >
              <input
                id={choiceId}
                type="radio"
                name={name}
                value={choice.value}
                defaultChecked={defaultValue === choice.value}
                required={required}
                // The name is the label line only; the description is read after it.
                aria-labelledby={`${choiceId}-label`}
                aria-describedby={choice.description ? `${choiceId}-description` : undefined}
                className="mt-0.5 size-4 accent-brand-600"
              />
              <span className="min-w-0">
                <span id={`${choiceId}-label`} className="block text-sm font-medium text-slate-900">
                  {choice.label}
                </span>
                {choice.description ? (
                  <span id={`${choiceId}-description`} className="block text-sm text-slate-600">
                    {choice.description}
                  </span>
                ) : null}
              </span>
            </label>
          );
        })}
      </div>
      {error ? (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
