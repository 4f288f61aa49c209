import { Form, Link } from "react-router";
import type { OwnExpertise } from "#app/features/expertise/topics.server.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { TableHead } from "#app/components/table.tsx";
import { TagChip } from "#app/components/content/tag-list.tsx";
import { plural } from "#app/lib/plural.ts";
import { absoluteDate } from "#app/lib/time.ts";
import { EVIDENCE_KIND_LABELS, formatNumber, formatPercent } from "./kinds.ts";

type Topic = OwnExpertise["topics"][number];
type Settings = OwnExpertise["settings"];

/**
 * One topic of "your expertise" with its arithmetic in the open: the score (what is left of each
 * piece of evidence after decay, added up), the confidence from how many pieces there are, the
 * rank value they make together, and the evidence itself, newest first. The buttons hide the
 * topic from everyone else or show it again, and remove a declared skill.
 */
export function TopicExplanation({ topic, settings, failure }: { topic: Topic; settings: Settings; failure?: string | undefined }) {
  const headingId = `topic-${topic.tagId}`;
  const declaredPart = topic.declared ? settings.weights.declared : 0;
  return (
    <Card as="section" aria-labelledby={headingId}>
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            {topic.tag}
          </h2>
          {topic.declared ? <Badge tone="brand">Self-declared</Badge> : null}
          {topic.hidden ? <Badge tone="amber">Hidden from others</Badge> : null}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Form method="post">
            <input type="hidden" name="tag" value={topic.tag} />
            {/* The name starts with the visible words (WCAG 2.5.3) and says which topic. */}
            <Button name="intent" value={topic.hidden ? "show" : "hide"} size="sm" aria-label={`${topic.hidden ? "Show to others" : "Hide from others"}: ${topic.tag}`}>
              {topic.hidden ? "Show to others" : "Hide from others"}
            </Button>
          </Form>
          {topic.declared ? (
            <Form method="post">
              <input type="hidden" name="tag" value={topic.tag} />
              <Button name="intent" value="undeclare" size="sm" variant="dangerOutline" aria-label={`Remove skill: ${topic.tag}`}>
                Remove skill
              </Button>
            </Form>
          ) : null}
        </div>
      </div>
      <div className="space-y-4 px-5 py-4">
        {failure ? (
          <p role="alert" className="text-sm text-red-700">
            {failure}
          </p>
        ) : null}
        <dl className="grid gap-3 sm:grid-cols-3">
          <div className="rounded-lg bg-slate-50 px-3 py-2">
            <dt className="text-xs font-medium text-slate-600">Score</dt>
            <dd className="text-lg font-semibold text-slate-900 tabular-nums">{formatNumber(topic.score)}</dd>
          </div>
          <div className="rounded-lg bg-slate-50 px-3 py-2">
            <dt className="text-xs font-medium text-slate-600">Confidence</dt>
            <dd className="text-lg font-semibold text-slate-900 tabular-nums">{formatPercent(topic.confidence)}</dd>
          </div>
          <div className="rounded-lg bg-slate-50 px-3 py-2">
            <dt className="text-xs font-medium text-slate-600">Rank value</dt>
            <dd className="text-lg font-semibold text-slate-900 tabular-nums">{formatNumber(topic.value)}</dd>
          </div>
        </dl>
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>
            {plural(topic.evidenceCount, "piece of evidence", "pieces of evidence")} → {formatPercent(topic.confidence)} confidence ({topic.evidenceCount} ÷ ({topic.evidenceCount} +{" "}
            {formatNumber(settings.confidenceK)})).
          </li>
          <li>
            Rank value: {formatNumber(topic.score)} × {formatPercent(topic.confidence)}
            {topic.declared ? ` + ${formatNumber(declaredPart)} for declaring it` : ""} = {formatNumber(topic.value)}.
          </li>
          {topic.hidden ? <li>Hidden: nobody else sees this topic on your profile, on the experts page or in suggestions, and it never routes a question to you.</li> : null}
        </ul>
        {topic.evidence.length > 0 ? (
          <div className="overflow-x-auto rounded-lg border border-slate-200">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">Evidence for {topic.tag}, newest first</caption>
              <TableHead columns={["What", "Kind", { label: "Weight", align: "right" }, "Date", { label: "Left now", align: "right" }]} />
              <tbody className="divide-y divide-slate-100">
                {topic.evidence.map((e, i) => (
                  <tr key={i}>
                    <td className="max-w-xs px-5 py-2.5">
                      {e.url ? (
                        <Link to={e.url} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                          {e.title || "Untitled"}
                        </Link>
                      ) : (
                        <span className="text-slate-600">{e.title || "Something you can no longer open"}</span>
                      )}
                    </td>
                    <td className="px-5 py-2.5 whitespace-nowrap text-slate-700">{EVIDENCE_KIND_LABELS[e.kind]}</td>
                    <td className="px-5 py-2.5 text-right text-slate-700 tabular-nums">{formatNumber(e.weight)}</td>
                    <td className="px-5 py-2.5 whitespace-nowrap text-slate-700">
                      <time dateTime={new Date(e.occurredAt).toISOString()}>{absoluteDate(e.occurredAt)}</time>
                    </td>
                    <td className="px-5 py-2.5 text-right whitespace-nowrap text-slate-700 tabular-nums">
                      {formatNumber(e.now)} <span className="text-xs text-slate-500">({e.weight > 0 ? formatPercent(e.now / e.weight) : "0%"})</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="text-sm text-slate-600">
            No evidence yet. {topic.declared ? `A declared skill adds ${formatNumber(settings.weights.declared)} to the rank value until answers, pages, ideas or kudos back it.` : ""}
          </p>
        )}
        {topic.evidenceCount > topic.evidence.length ? (
          <p className="text-xs text-slate-500">
            The {topic.evidence.length} newest of {plural(topic.evidenceCount, "piece", "pieces")} of evidence; the score counts them all. Open the <TagChip name={topic.tag} /> tag for the
            rest of your work on it.
          </p>
        ) : null}
      </div>
    </Card>
  );
}
