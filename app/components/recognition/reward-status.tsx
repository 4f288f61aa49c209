import { absoluteTime } from "#app/lib/time.ts";
import { Badge, type BadgeTone } from "#app/components/badge.tsx";

/** What a redemption's status reads as, and its tone (the words always say it; colour only helps). */
const STATUS: Record<RedemptionStatus, { label: string; tone: BadgeTone }> = {
  requested: { label: "Requested", tone: "amber" },
  approved: { label: "Approved", tone: "brand" },
  fulfilled: { label: "Fulfilled", tone: "green" },
  declined: { label: "Declined", tone: "red" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export type RedemptionStatus = "requested" | "approved" | "fulfilled" | "declined" | "cancelled";

export function RedemptionStatusBadge({ status }: { status: RedemptionStatus }) {
  const { label, tone } = STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}

export type TimelineRedemption = {
  id: number;
  status: RedemptionStatus;
  createdAt: Date | string;
  approvedAt: Date | string | null;
  fulfilledAt: Date | string | null;
  closedAt: Date | string | null;
  handledBy: { name: string } | null;
};

function When({ date }: { date: Date | string }) {
  return <time dateTime={new Date(date).toISOString()}>{absoluteTime(date)}</time>;
}

/**
 * The steps a redemption went through, each with its time (UTC): requested, approved, fulfilled,
 * or how it ended (declined, cancelled); the step still to come is named, so the person knows
 * what happens next.
 */
export function RedemptionTimeline({ redemption: r }: { redemption: TimelineRedemption }) {
  const steps: Array<{ label: string; at: Date | string | null; done: boolean }> = [{ label: "Requested", at: r.createdAt, done: true }];
  if (r.approvedAt) steps.push({ label: "Approved", at: r.approvedAt, done: true });
  if (r.status === "fulfilled") steps.push({ label: "Fulfilled", at: r.fulfilledAt ?? r.closedAt, done: true });
  else if (r.status === "declined") steps.push({ label: `Declined${r.handledBy ? ` by ${r.handledBy.name}` : ""}`, at: r.closedAt, done: true });
  else if (r.status === "cancelled") steps.push({ label: "Cancelled by you", at: r.closedAt, done: true });
  else if (r.status === "requested") steps.push({ label: "Waiting for HR to approve it", at: null, done: false });
  else steps.push({ label: "Waiting for HR to fulfil it", at: null, done: false });
  return (
    <ol aria-label="Steps" className="mt-3 space-y-1.5 border-l-2 border-slate-200 pl-4 text-sm">
      {steps.map((step) => (
        <li key={step.label} className={step.done ? "text-slate-800" : "text-slate-500 italic"}>
          <span className="font-medium">{step.label}</span>
          {step.at ? (
            <>
              {" "}
              <span className="text-slate-600">
                · <When date={step.at} />
              </span>
            </>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
