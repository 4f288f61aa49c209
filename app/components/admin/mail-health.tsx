import type { DeadMail, MailHealth } from "#app/features/mail/mailer.server.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { CheckCircleIcon } from "#app/components/icons.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { TableHead } from "#app/components/table.tsx";
import { plural } from "#app/lib/plural.ts";
import { formatAge, LastErrorCell, QueuePanel, type QueueSummary, RetryCell } from "./queue-health.tsx";

/** The parts of the admin's mail page (app/routes/admin/mail.tsx). */

/** Mail normally leaves within seconds; this long a wait means the SMTP server is down or refusing. */
export const MAIL_BEHIND_WARNING_SECONDS = 5 * 60;

export function mailSummary(health: MailHealth): QueueSummary {
  const dead = health.dead > 0 ? ` ${plural(health.dead, "mail", "mails")} could not be sent and ${health.dead === 1 ? "waits" : "wait"} for a retry.` : "";
  if (health.pending === 0) return health.dead > 0 ? { tone: "failing", text: `Nothing is waiting.${dead}` } : { tone: "ok", text: "All mail has gone out." };
  const waiting = `${plural(health.pending, "mail", "mails")} waiting, the oldest for ${formatAge(health.oldestPendingSeconds)}.`;
  const tone = health.dead > 0 ? "failing" : health.oldestPendingSeconds >= MAIL_BEHIND_WARNING_SECONDS ? "warning" : "busy";
  return { tone, text: `${waiting}${dead}` };
}

export function MailQueuePanel({ health }: { health: MailHealth }) {
  return (
    <QueuePanel
      title="Outgoing mail"
      titleId="outgoing-mail"
      description="Mail written by the app (sign-up links, password resets) and waiting for the SMTP server to accept it."
      health={health}
      summary={mailSummary(health)}
    />
  );
}

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
                <LastErrorCell error={row.lastError} />
                <td className="px-5 py-3 whitespace-nowrap text-slate-600">
                  <RelativeTime date={row.createdAt} now={now} />
                </td>
                <RetryCell id={row.id} what={`the mail to ${row.to}`} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="Dead letter pages" offset={dead.offset} pageSize={dead.pageSize} total={dead.total} shown={dead.rows.length} pageHref={pageHref} />
    </>
  );
}
