import { useState } from "react";
import { FieldShell, textControlClass } from "#app/components/form.tsx";
import { useHydrated } from "#app/components/use-hydrated.ts";
import { SimilarIdeas } from "./similar-ideas.tsx";

/**
 * The idea form's title. Without JavaScript a plain input; once hydrated, the ideas of the same
 * campaign that look like what is being typed show under it, so a duplicate can become a vote.
 */
export function IdeaTitleField({ campaignId, hint, defaultValue, error }: { campaignId: number; hint?: string; defaultValue?: string | undefined; error?: string | undefined }) {
  const hydrated = useHydrated();
  const [title, setTitle] = useState(defaultValue ?? "");
  return (
    <>
      <FieldShell label="Title" hint={hint} error={error}>
        {(control) => (
          <input type="text" {...control} name="title" defaultValue={defaultValue} onInput={(event) => setTitle(event.currentTarget.value)} className={textControlClass(error)} />
        )}
      </FieldShell>
      {hydrated ? <SimilarIdeas campaignId={campaignId} title={title} /> : null}
    </>
  );
}
