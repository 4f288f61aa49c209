import { Badge, type BadgeTone } from "#app/components/badge.tsx";
import { RULE_LABELS, type RuleName, type Severity } from "#app/features/escalations/model.ts";
import { SEVERITY_LABELS } from "#app/features/escalations/settings-form.ts";
import { absoluteTime } from "#app/lib/time.ts";

/** What the escalation queue and page show of an escalation: severity, status, rules, the SLA timer. */

const SEVERITY_TONES: Record<Severity, BadgeTone> = { critical: "red", high: "amber", medium: "brand", low: "neutral" };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={SEVERITY_TONES[severity]}>{SEVERITY_LABELS[severity]}</Badge>;
}

const STATUS_LABELS = { open: "Open", investigating: "Investigating", resolved: "Resolved", dismissed: "Dismissed" } as const;

export function EscalationStatusBadge({ status }: { status: keyof typeof STATUS_LABELS }) {
  return <Badge tone={status === "resolved" ? "green" : status === "investigating" ? "violet" : "neutral"}>{STATUS_LABELS[status]}</Badge>;
}

export function ruleLabel(rule: string): string {
  return RULE_LABELS[rule as RuleName] ?? rule;
}

/** "2 h 5 min", "3 days": the span of an SLA timer, never negative. */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days`;
}

/**
 * The SLA to a first response: "Due in 3 h", "Overdue by 2 h" (red and in words, not by colour
 * alone), or "Responded" once someone acted, and nothing for a closed escalation nobody worked.
 */
export function SlaTimer({ dueAt, firstResponseAt, closed, now }: { dueAt: Date | string; firstResponseAt: Date | string | null; closed: boolean; now: Date | string | number }) {
  const due = new Date(dueAt);
  if (firstResponseAt) {
    const late = new Date(firstResponseAt).getTime() > due.getTime();
    return <span className="text-slate-600">{late ? "Responded late" : "Responded in time"}</span>;
  }
  if (closed) return <span className="text-slate-500">Closed</span>;
  const left = due.getTime() - new Date(now).getTime();
  return left >= 0 ? (
    <time dateTime={due.toISOString()} title={absoluteTime(due)} className="text-slate-700">
      Due in {duration(left)}
    </time>
  ) : (
    <time dateTime={due.toISOString()} title={absoluteTime(due)} className="font-semibold text-red-700">
      Overdue by {duration(left)}
    </time>
  );
}
