import { LockIcon } from "#app/components/icons.tsx";

/** The notice on a closed question, in place of the answer form. */
export function ClosedNotice({ reason }: { reason: string | null }) {
  return (
    <div role="note" className="mt-8 flex items-start gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <LockIcon className="mt-0.5 text-amber-700" />
      <p>
        <strong className="font-semibold">This question is closed</strong>
        {reason ? ` (${reason.replace("_", " ")})` : ""}. It takes no new answers.
      </p>
    </div>
  );
}
