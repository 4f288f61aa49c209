import { useId, useState } from "react";
import { useHydrated } from "#app/components/use-hydrated.ts";

/**
 * "Ask anonymously" on the ask form. Without JavaScript the box is always there when any space
 * takes anonymous questions (the server refuses it, with this field's error, for a space that
 * doesn't); with it, the box appears when the chosen space allows it, and stays while ticked, so
 * changing the space never drops the choice silently.
 */
export function AskAnonymouslyField({ anonymousSpaces, space, defaultChecked, error }: { anonymousSpaces: string[]; space: string; defaultChecked: boolean; error?: string | undefined }) {
  const hydrated = useHydrated();
  const [checked, setChecked] = useState(defaultChecked);
  const id = useId();
  if (anonymousSpaces.length === 0) return null;
  const allowed = anonymousSpaces.includes(space);
  if (hydrated && !allowed && !checked && !error) return null;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const warning = hydrated && checked && !allowed && !error ? "This space doesn't take anonymous questions: choose one that does, or untick the box." : null;
  return (
    <div className="mb-4 rounded-lg border border-slate-200 bg-slate-50 px-4 py-3">
      <div className="flex items-start gap-3">
        <input
          id={id}
          type="checkbox"
          name="anonymous"
          value="on"
          checked={checked}
          onChange={(event) => setChecked(event.currentTarget.checked)}
          aria-invalid={error || warning ? true : undefined}
          aria-describedby={[hintId, error || warning ? errorId : null].filter(Boolean).join(" ")}
          className="mt-1 size-4 accent-brand-600"
        />
        <div>
          <label htmlFor={id} className="text-sm font-medium text-slate-800">
            Ask anonymously
          </label>
          <p id={hintId} className="text-xs text-slate-600">
            Your name is shown to no one, admins included: the question appears as asked by “Anonymous”. You still get its answers and comments in your inbox, and you find it under “Your
            anonymous questions”. Moderators can write to you without learning who you are; only to handle abuse can one of them look you up, and you will see who did, when and why.
          </p>
          {error || warning ? (
            <p id={errorId} className="mt-1 text-sm text-red-700">
              {error ?? warning}
            </p>
          ) : null}
        </div>
      </div>
    </div>
  );
}
