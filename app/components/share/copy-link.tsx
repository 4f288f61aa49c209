import { useId, useState } from "react";
import { buttonClass } from "#app/components/button.tsx";
import { useHydrated } from "#app/components/use-hydrated.ts";

/**
 * A personal link in a read-only field: selectable and copyable by hand without JavaScript; with
 * it, a "Copy" button puts it on the clipboard and says so.
 */
export function CopyLink({ link, label }: { link: string; label: string }) {
  const id = useId();
  const hydrated = useHydrated();
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id={id}
          type="text"
          readOnly
          value={link}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900"
        />
        {hydrated ? (
          <button
            type="button"
            className={buttonClass("secondary")}
            onClick={() => {
              void navigator.clipboard?.writeText(link).then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            Copy
          </button>
        ) : null}
      </div>
      <p className="mt-1 text-xs text-slate-500" aria-live="polite">
        {copied ? "Copied to the clipboard." : "Anyone who opens it goes to the page; the click is counted, nothing about them is kept."}
      </p>
    </div>
  );
}
