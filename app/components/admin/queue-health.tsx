import type { ReactNode } from "react";
import { Form } from "react-router";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { AlertIcon, CheckCircleIcon } from "#app/components/icons.tsx";
import { plural } from "#app/lib/plural.ts";
import type { QueueHealth } from "#db/outbox-queue.ts";

/**
 * What the admin pages of both outboxes (Admin → Search's relay, Admin → Mail's mailer) show
 * alike: a queue's health in a sentence and three figures, and a dead letter's error and Retry.
 */

export type QueueTone = "ok" | "busy" | "warning" | "failing";
export type QueueSummary = { tone: QueueTone; text: string };

export const TONE_STYLES: Record<QueueTone, string> = {
  ok: "border-green-200 bg-green-50 text-green-800",
  busy: "border-slate-200 bg-slate-50 text-slate-800",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  failing: "border-red-200 bg-red-50 text-red-800",
};

export function formatAge(seconds: number): string {
  if (seconds < 60) return plural(seconds, "second", "seconds");
  if (seconds < 3600) return plural(Math.floor(seconds / 60), "minute", "minutes");
  if (seconds < 86_400) return plural(Math.floor(seconds / 3600), "hour", "hours");
  return plural(Math.floor(seconds / 86_400), "day", "days");
}

export function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold text-slate-900 tabular-nums">{value}</dd>
    </div>
  );
}

/** How far a queue is behind: the sentence, then the numbers it is made of. */
export function QueuePanel(props: { title: string; titleId: string; description: string; health: QueueHealth; summary: QueueSummary }) {
  const { health, summary } = props;
  const worried = summary.tone === "warning" || summary.tone === "failing";
  return (
    <CardSection title={props.title} titleId={props.titleId} description={props.description}>
      <p className={`flex items-start gap-2 rounded-md border px-3 py-2 text-sm ${TONE_STYLES[summary.tone]}`}>
        {worried ? <AlertIcon className="mt-0.5" /> : summary.tone === "ok" ? <CheckCircleIcon className="mt-0.5" /> : null}
        <span>{summary.text}</span>
      </p>
      <dl className="mt-4 grid grid-cols-3 gap-4">
        <Stat label="Waiting" value={health.pending.toLocaleString("en")} />
        <Stat label="Dead letters" value={health.dead.toLocaleString("en")} />
        <Stat label="Oldest waiting" value={health.pending > 0 ? formatAge(health.oldestPendingSeconds) : "—"} />
      </dl>
    </CardSection>
  );
}

const ERROR_PREVIEW = 80;

/** A dead letter's last error: the first 80 characters, the rest behind a disclosure. */
export function LastErrorCell({ error }: { error: string | null }) {
  const text = error ?? "";
  return (
    <td className="max-w-xs px-5 py-3">
      {text.length > ERROR_PREVIEW ? (
        <details>
          <summary className="cursor-pointer font-mono text-xs break-words text-slate-700">{text.slice(0, ERROR_PREVIEW)}…</summary>
          <p className="mt-1 font-mono text-xs break-words whitespace-pre-wrap text-slate-700">{text}</p>
        </details>
      ) : (
        <span className="font-mono text-xs break-words text-slate-700">{text || "—"}</span>
      )}
    </td>
  );
}

/** Retry for one dead letter; `what` finishes the button's name for screen readers. */
export function RetryCell({ id, what }: { id: number; what: string }) {
  return (
    <td className="px-5 py-3">
      <Form method="post">
        <input type="hidden" name="id" value={id} />
        <Button name="intent" value="retry" size="sm">
          Retry<span className="sr-only"> {what}</span>
        </Button>
      </Form>
    </td>
  );
}

/** The dead letters of a queue in a card, with Retry all while there are any. */
export function DeadLettersCard({ description, total, children }: { description: string; total: number; children: ReactNode }) {
  return (
    <CardSection
      className="mt-6"
      title="Dead letters"
      titleId="dead-letters"
      description={description}
      actions={
        total > 0 ? (
          <Form method="post">
            <Button name="intent" value="retry-all" size="sm">
              Retry all
            </Button>
          </Form>
        ) : null
      }
    >
      {children}
    </CardSection>
  );
}
