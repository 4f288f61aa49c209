import { Form } from "react-router";
import type { RunsState } from "#app/features/analytics/dashboard.server.ts";
import { RECOMPUTE_WINDOWS } from "#app/features/analytics/schemas.ts";
import { absoluteDate, absoluteTime } from "#app/lib/time.ts";
import { CardSection } from "#app/components/card.tsx";
import { FormError, Notice, SelectField, SubmitButton } from "#app/components/form.tsx";

/**
 * The SNA job's state on HR's dashboard: the run whose results show (the date they describe and
 * what it measured), one running now, a failure since, and "Recompute now" (refused while a run
 * is in progress, by the job itself as well as here).
 */
export function RunPanel({
  runs,
  failed,
  notice,
}: {
  runs: RunsState;
  failed: { formError?: string | undefined; fieldErrors: Partial<Record<string, string>>; values: Record<string, string> } | null;
  notice: string | null;
}) {
  const { latest, running, failed: lastFailure } = runs;
  return (
    <CardSection
      title="Social network analysis"
      titleId="run"
      description="Who interacts with whom (answers, comments, votes, kudos, co-owned ideas, co-edited pages), recomputed every night in the background."
    >
      <Notice message={notice} />
      <FormError message={failed?.formError} />
      {latest ? (
        <p className="text-sm text-slate-700">
          The roles below describe the {Math.round((Date.parse(latest.windowEnd) - Date.parse(latest.windowStart)) / 86_400_000)} days up to{" "}
          <strong className="font-semibold">{absoluteDate(latest.windowEnd)}</strong>: {latest.people.toLocaleString("en")} people, {latest.interactions.toLocaleString("en")} interactions
          between {latest.edges.toLocaleString("en")} pairs of colleagues
          {latest.durationMs !== null ? `, computed in ${(latest.durationMs / 1000).toFixed(1)} s` : ""}.
        </p>
      ) : (
        <p className="text-sm text-slate-700">No run has finished yet: the roles show here after the first one.</p>
      )}
      {running ? (
        <p role="status" className="mt-2 text-sm text-slate-700">
          A run started {absoluteTime(running.startedAt)} is in progress; reload the page to see its results when it is done.
        </p>
      ) : null}
      {lastFailure ? (
        <p className="mt-2 text-sm text-red-800">
          The run started {absoluteTime(lastFailure.startedAt)} failed: {lastFailure.error ?? "no reason was recorded"}.
        </p>
      ) : null}
      {running ? null : (
        <Form method="post" className="mt-4 flex flex-wrap items-end gap-3">
          <input type="hidden" name="intent" value="recompute" />
          <div className="w-48">
            <SelectField
              label="Window"
              name="windowDays"
              defaultValue={failed?.values.windowDays ?? "90"}
              error={failed?.fieldErrors.windowDays}
              options={RECOMPUTE_WINDOWS.map((d) => ({ value: String(d), label: `Last ${d} days` }))}
            />
          </div>
          <div className="pb-4">
            <SubmitButton variant="secondary" pendingText="Starting…">
              Recompute now
            </SubmitButton>
          </div>
        </Form>
      )}
    </CardSection>
  );
}
