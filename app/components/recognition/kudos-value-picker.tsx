import { useId } from "react";

export type PickableValue = { id: number; name: string; emoji: string; description: string };

/**
 * The company's values as radio cards (emoji, name, description): one is required. A plain
 * fieldset of radio buttons, so it works without JavaScript and with the keyboard (arrows move
 * between choices); the error is announced through aria-describedby on the group.
 */
export function KudosValuePicker({
  values,
  name = "valueId",
  defaultValue,
  error,
}: {
  values: PickableValue[];
  name?: string;
  defaultValue?: string | undefined;
  error?: string | undefined;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset className="mb-5" aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend className="text-sm font-medium text-slate-800">Value</legend>
      <p className="text-xs text-slate-500">Which of the company's values did they live?</p>
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {values.map((v) => {
          const choiceId = `${id}-${v.id}`;
          return (
            <label
              key={v.id}
              htmlFor={choiceId}
              className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2.5 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500"
            >
              <input
                id={choiceId}
                type="radio"
                name={name}
                value={v.id}
                defaultChecked={defaultValue === String(v.id)}
                aria-labelledby={`${choiceId}-label`}
                aria-describedby={v.description ? `${choiceId}-description` : undefined}
                className="mt-1 size-4 accent-brand-600"
              />
              {v.emoji ? (
                <span aria-hidden="true" className="text-xl leading-6">
                  {v.emoji}
                </span>
              ) : null}
              <span className="min-w-0">
                <span id={`${choiceId}-label`} className="block text-sm font-medium text-slate-900">
                  {v.name}
                </span>
                {v.description ? (
                  <span id={`${choiceId}-description`} className="block text-sm text-slate-600">
                    {v.description}
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
