import { Link } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { Card } from "#app/components/card.tsx";
import { PostBody } from "#app/components/content/post-body.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { absoluteTime } from "#app/lib/time.ts";
import { QueueSla, type SlaView } from "./queue-list.tsx";

/** A customer's question as the queue shows it: as customers see it, then who it went to and the SLA. */

type ThreadView = {
  title: string;
  bodyHtml: string;
  topics: string[];
  askedAt: Date | string;
  solved: boolean;
  escalation: "escalated" | "resolved" | null;
  escalationOutcome: string;
  customerName: string;
  meToos: number;
};
type QueueView = { status: string; routedAt: Date | string; dueAt: Date | string; firstResponseBy: string | null; sla: SlaView } | null;
type AnswerView = { id: number; html: string; authorName: string; authorTitle: string; accepted: boolean; answeredAt: Date | string; creditName: string };
type RouteView = { userId: number; name: string; title: string; topic: string; reason: "sme" | "responder" | "expert" };

const REASONS: Record<RouteView["reason"], string> = { sme: "SME of", responder: "responder for", expert: "expertise in" };

export function QueueQuestion({
  thread,
  queue,
  answers,
  routes,
  forumUrl,
  now,
}: {
  thread: ThreadView;
  queue: QueueView;
  answers: AnswerView[];
  routes: RouteView[];
  forumUrl: string;
  now: number;
}) {
  return (
    <>
      <Card as="article" className="p-5" aria-labelledby="the-question">
        <h2 id="the-question" className="sr-only">
          The question
        </h2>
        <p className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
          <span className="font-medium text-slate-900">{thread.customerName}</span>
          <RelativeTime date={thread.askedAt} now={now} prefix="asked" />
          <span>{thread.meToos} “me too”</span>
          {thread.solved ? <Badge tone="green">Solved</Badge> : null}
          <a href={forumUrl} className="text-brand-700 hover:underline">
            See it on the forum
          </a>
        </p>
        <PostBody html={thread.bodyHtml} />
        {thread.topics.length > 0 ? (
          <ul aria-label="Topics" className="mt-4 flex flex-wrap gap-1.5">
            {thread.topics.map((topic) => (
              <li key={topic}>
                <Badge>{topic}</Badge>
              </li>
            ))}
          </ul>
        ) : null}
        {thread.escalation ? (
          <p className="mt-4 text-sm text-slate-700">
            {thread.escalation === "escalated" ? <Badge tone="red">Escalated to our team</Badge> : <Badge tone="green">Escalation resolved</Badge>}{" "}
            {thread.escalation === "resolved" && thread.escalationOutcome ? <span>{thread.escalationOutcome} </span> : null}
            <Link to="/forum/escalations" className="text-brand-700 hover:underline">
              See the escalations
            </Link>
          </p>
        ) : null}
      </Card>

      <section aria-labelledby="routing" className="mt-6 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">
        <h2 id="routing" className="mb-2 font-semibold text-slate-900">
          Routing and SLA
        </h2>
        {queue ? (
          <p className="mb-2 flex flex-wrap items-center gap-2">
            <QueueSla sla={queue.sla} />
            <span>
              due {absoluteTime(queue.dueAt)}
              {queue.firstResponseBy ? `; first answered by ${queue.firstResponseBy}` : ""}
            </span>
          </p>
        ) : (
          <p className="mb-2">Not routed yet: it will be within a minute.</p>
        )}
        {routes.length > 0 ? (
          <ul aria-label="Routed to" className="list-disc space-y-0.5 pl-5">
            {routes.map((r) => (
              <li key={r.userId}>
                {r.name}
                {r.title ? `, ${r.title}` : ""}: {REASONS[r.reason]} {r.topic}
              </li>
            ))}
          </ul>
        ) : queue ? (
          <p>No one takes this topic yet: a moderator can name responders for it.</p>
        ) : null}
      </section>

      <section aria-labelledby="answers" className="mt-8">
        <h2 id="answers" className="mb-3 text-lg font-semibold text-slate-900">
          {answers.length === 0 ? "No answers yet" : `${answers.length} ${answers.length === 1 ? "answer" : "answers"}`}
        </h2>
        <ul className="space-y-3">
          {answers.map((a) => (
            <Card as="li" key={a.id} className="p-4">
              <p className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                <span className="font-medium text-slate-900">{a.authorName}</span>
                {a.authorTitle ? <span>{a.authorTitle}</span> : null}
                <RelativeTime date={a.answeredAt} now={now} />
                {a.accepted ? <Badge tone="green">Accepted by the customer</Badge> : null}
                {a.creditName ? <span>suggested by {a.creditName}</span> : null}
              </p>
              <PostBody html={a.html} />
            </Card>
          ))}
        </ul>
      </section>
    </>
  );
}
