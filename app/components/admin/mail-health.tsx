import { Form } from "react-router";
import type { DeadMail, MailHealth } from "#app/features/mail/mailer.server.ts";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { AlertIcon, CheckCircleIcon } from "#app/components/icons.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { TableHead } from "#app/components/table.tsx";
import { plural } from "#app/lib/plural.ts";

/** The parts of the admin's mail page (app/routes/admin/mail.tsx). */

export type MailSummary = { tone: "ok" | "busy" | "warning" | "failing"; text: string };

/** Mail normally leaves within seconds; this long a wait means the SMTP server is down or refusing. */
export const MAIL_BEHIND_WARNING_SECONDS = 5 * 60;

const STYLES: Record<MailSummary["tone"], string> = {
  ok: "border-green-200 bg-green-50 text-green-800",
  busy: "border-slate-200 bg-slate-50 text-slate-800",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  failing: "border-red-200 bg-red-50 text-red-800",
};

export function mailSummary(health: MailHealth): MailSummary {
  const dead = health.dead > 0 ? ` ${plural(health.dead, "mail", "mails")} could not be sent and ${health.dead === 1 ? "waits" : "wait"} for a retry.` : "";
  if (health.pending === 0) return health.dead > 0 ? { tone: "failing", text: `Nothing is waiting.${dead}` } : { tone: "ok", text: "All mail has gone out." };
  const waiting = `${plural(health.pending, "mail", "mails")} waiting, the oldest for ${formatAge(health.oldestPendingSeconds)}.`;
  const tone = health.dead > 0 ? "failing" : health.oldestPendingSeconds >= MAIL_BEHIND_WARNING_SECONDS ? "warning" : "busy";
  return { tone, text: `${waiting}${dead}` };
}

function formatAge(seconds: number): string {
  if (seconds < 60) return plural(seconds, "second", "seconds");
  if (seconds < 3600) return plural(Math.floor(seconds / 60), "minute", "minutes");
  if (seconds < 86_400) return plural(Math.floor(seconds / 3600), "hour", "hours");
  return plural(Math.floor(seconds / 86_400), "day", "days");
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold text-slate-900 tabular-nums">{value}</dd>
    </div>
  );
}

export function MailQueuePanel({ health }: { health: MailHealth }) {
  const summary = mailSummary(health);
  const worried = summary.tone === "warning" || summary.tone === "failing";
  return (
    <CardSection title="Outgoing mail" titleId="outgoing-mail" description="Mail written by the app (sign-up links, password resets) and waiting for the SMTP server to accept it.">
      <p className={`flex items-start gap-2 rounded-md border px-3 py-2 text-sm ${STYLES[summary.tone]}`}>
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

/** Mail the mailer gave up on, newest first, each with its own Retry button. */
export function DeadMailTable({
  dead,
  now,
  pageHref,
}: {
  dead: { rows: Array<Omit<DeadMail, "createdAt"> & { createdAt: Date | string }>; total: number; offset: number; pageSize: number };
  now: number;
  pageHref: (page: number) => string;
}) {
  if (dead.total === 0) {
    return (
      <EmptyState icon={<CheckCircleIcon className="size-5" />} title="No dead letters">
        Every mail was sent or is still being tried.
      </EmptyState>
    );
  }
  return (
    <>
      <div className="-mx-5 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">Mail that could not be sent, newest first</caption>
          <TableHead columns={["To", "Kind", "Subject", { label: "Attempts", align: "right" }, "Last error", "Written", "Action"]} />
          <tbody className="divide-y divide-slate-100">
            {dead.rows.map((row) => (
              <tr key={row.id} className="align-top">
                <td className="px-5 py-3 break-all">{row.to}</td>
                <td className="px-5 py-3 font-mono text-xs">{row.template}</td>
                <td className="max-w-xs px-5 py-3">{row.subject}</td>
                <td className="px-5 py-3 text-right tabular-nums">{row.attempts}</td>
                <td className="max-w-xs px-5 py-3">
                  {(row.lastError ?? "").length > ERROR_PREVIEW ? (
                    <details>
                      <summary className="cursor-pointer font-mono text-xs break-words text-slate-700">{row.lastError!.slice(0, ERROR_PREVIEW)}…</summary>
                      <p className="mt-1 font-mono text-xs break-words whitespace-pre-wrap text-slate-700">{row.lastError}</p>
                    </details>
                  ) : (
                    <span className="font-mono text-xs break-words text-slate-700">{row.lastError || "—"}</span>
                  )}
                </td>
                <td className="px-5 py-3 whitespace-nowrap text-slate-600">
                  <RelativeTime date={row.createdAt} now={now} />
                </td>
                <td className="px-5 py-3">
                  <Form method="post">
                    <input type="hidden" name="id" value={row.id} />
                    <Button name="intent" value="retry" size="sm">
                      Retry<span className="sr-only"> the mail to {row.to}</span>
                    </Button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="Dead letter pages" offset={dead.offset} pageSize={dead.pageSize} total={dead.total} shown={dead.rows.length} pageHref={pageHref} />
    </>
  );
}
