import { Link, href } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { Card } from "#app/components/card.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

/** The forum queue's tabs, rows and SLA label (app/routes/forum/queue.tsx). */

export type QueueTabName = "mine" | "open" | "answered" | "solved";
export const QUEUE_TAB_LABELS: Array<{ tab: QueueTabName; label: string; empty: { title: string; text: string } }> = [
  { tab: "mine", label: "Routed to me", empty: { title: "Nothing routed to you", text: "Customer questions on your topics come here, and by mail, when customers ask them." } },
  { tab: "open", label: "Open", empty: { title: "No open customer questions", text: "Every customer question has an answer." } },
  { tab: "answered", label: "Answered", empty: { title: "No answered questions waiting", text: "Questions with an answer the customer has not accepted yet show here." } },
  { tab: "solved", label: "Solved", empty: { title: "Nothing solved yet", text: "Questions whose customer accepted an answer show here." } },
];

function tabClass(active: boolean) {
  return `-mb-px inline-flex items-center gap-2 border-b-2 px-1 pb-3 text-sm font-medium ${
    active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
  }`;
}

export function QueueTabs({ current, mineCount }: { current: QueueTabName; mineCount: number }) {
  const base = href("/forum/queue");
  return (
    <nav aria-label="Customer questions" className="mb-6 border-b border-slate-200">
      <ul className="flex flex-wrap gap-x-6">
        {QUEUE_TAB_LABELS.map(({ tab, label }) => (
          <li key={tab}>
            <Link to={`${base}?tab=${tab}`} className={tabClass(tab === current)} aria-current={tab === current ? "page" : undefined}>
              {label}
              {tab === "mine" && mineCount > 0 ? <Badge tone="brand">{mineCount}</Badge> : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export type SlaView = { state: "due" | "overdue" | "met" | "late"; text: string };

/** The SLA in words, with a tone that only repeats what the words say. */
export function QueueSla({ sla }: { sla: SlaView }) {
  const tone = sla.state === "overdue" || sla.state === "late" ? "red" : sla.state === "met" ? "green" : "amber";
  return <Badge tone={tone}>SLA: {sla.text}</Badge>;
}

export function EscalationBadge({ state }: { state: "escalated" | "resolved" | null }) {
  if (state === "escalated") return <Badge tone="red">Escalated</Badge>;
  if (state === "resolved") return <Badge tone="green">Escalation resolved</Badge>;
  return null;
}

export type QueueRowView = {
  threadId: number;
  title: string;
  topics: string[];
  customerName: string;
  askedAt: Date | string;
  answers: number;
  meToos: number;
  escalation: "escalated" | "resolved" | null;
  sla: SlaView;
};

export function QueueRowItem({ row, now }: { row: QueueRowView; now: number }) {
  return (
    <Card as="li" className="p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 className="min-w-0 text-base font-semibold text-slate-900">
          <Link to={href("/forum/queue/:threadId", { threadId: String(row.threadId) })} className="hover:text-brand-700 hover:underline">
            {row.title}
          </Link>
        </h2>
        <div className="flex flex-wrap gap-2">
          <EscalationBadge state={row.escalation} />
          <QueueSla sla={row.sla} />
        </div>
      </div>
      <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-600">
        <span>{row.customerName}</span>
        <RelativeTime date={row.askedAt} now={now} prefix="asked" />
        <span>
          {row.answers} {row.answers === 1 ? "answer" : "answers"}
        </span>
        <span>{row.meToos} “me too”</span>
      </p>
      {row.topics.length > 0 ? (
        <ul aria-label="Topics" className="mt-2 flex flex-wrap gap-1.5">
          {row.topics.map((topic) => (
            <li key={topic}>
              <Badge>{topic}</Badge>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
