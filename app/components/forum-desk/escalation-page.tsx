import { Form, Link, href } from "react-router";
import type { EscalationDetail } from "#app/features/escalations/escalations.server.ts";
import { SEVERITIES } from "#app/features/escalations/model.ts";
import { OUTCOME_MAX } from "#app/features/escalations/schemas.ts";
import { SEVERITY_LABELS } from "#app/features/escalations/settings-form.ts";
import type { FieldErrors } from "#app/lib/forms.ts";
import { absoluteTime } from "#app/lib/time.ts";
import { CardSection } from "#app/components/card.tsx";
import { Field, FormError, Notice, SelectField, SubmitButton } from "#app/components/form.tsx";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { EscalationStatusBadge, SeverityBadge, SlaTimer, ruleLabel } from "#app/components/forum-desk/escalation-parts.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PersonField } from "#app/components/person-field.tsx";

/** One escalation's page: why it escalated, the customer's question, and the forms that work it. */

type Page = EscalationDetail & { now: number; desk: boolean; submissionKey: string };
type Result = { ok: true; intent: string; notice: string } | { ok: false; intent: string; fieldErrors: FieldErrors; formError?: string; values: Record<string, string> } | null;

// Dates arrive as strings after serialization; a type that admits both keeps the component honest.
type Serialized<T> = T extends Date ? Date | string : T extends Array<infer U> ? Array<Serialized<U>> : T extends object ? { [K in keyof T]: Serialized<T[K]> } : T;

export function EscalationView({ page, result }: { page: Serialized<Page>; result: Result }) {
  const { escalation: e, thread, question, questionHidden, spaces, suggestedTags, can, now, desk, submissionKey } = page;
  const failed = result && !result.ok ? result : null;
  const failedFor = (intent: string) => (failed?.intent === intent ? failed : null);
  const closed = e.status === "resolved" || e.status === "dismissed";
  return (
    <div className="mx-auto max-w-5xl">
      <ForumDeskNav hide={desk ? [] : ["moderation", "dashboard", "responders"]} />
      <PageHeader
        crumbs={[{ label: "Escalations", to: href("/forum/escalations") }]}
        title={thread.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={e.severity} />
            <EscalationStatusBadge status={e.status} />
            <span>
              Escalated {absoluteTime(e.createdAt)} · <SlaTimer dueAt={e.dueAt} firstResponseAt={e.firstResponseAt} closed={closed} now={now} />
            </span>
          </span>
        }
      />
      <Notice message={result?.ok ? result.notice : null} />
      <FormError message={failed?.formError} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <CardSection title="Why it escalated" titleId="why">
            <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800">
              {e.reasons.map((reason, i) => (
                <li key={i}>
                  <span className="font-medium">{ruleLabel(e.rules[i] ?? "")}:</span> {reason}
                </li>
              ))}
            </ul>
            {e.status === "resolved" ? (
              <div className="mt-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
                <p className="font-medium">Outcome customers see{e.resolvedAt ? ` (resolved ${absoluteTime(e.resolvedAt)})` : ""}:</p>
                <p className="mt-1 whitespace-pre-line">{e.outcome}</p>
              </div>
            ) : null}
            {e.status === "dismissed" ? <p className="mt-4 text-sm text-slate-600">Dismissed as a false alarm{e.resolvedAt ? ` ${absoluteTime(e.resolvedAt)}` : ""}.</p> : null}
          </CardSection>
          <CardSection
            title="The customer's question"
            titleId="customer-question"
            description={`Asked ${absoluteTime(thread.askedAt)} · ${thread.meToos} ${thread.meToos === 1 ? "customer says" : "customers say"} “me too” · ${thread.answerCount} ${thread.answerCount === 1 ? "answer" : "answers"}${thread.solved ? " · solved" : ""}`}
          >
            <div className="prose-commons" dangerouslySetInnerHTML={{ __html: thread.bodyHtml }} />
            {thread.tags.length > 0 ? <p className="mt-3 text-sm text-slate-600">Topics: {thread.tags.join(", ")}</p> : null}
            <p className="mt-3 flex flex-wrap gap-4 text-sm">
              <a href={thread.publicUrl} className="font-medium text-brand-700 hover:underline">
                The public thread
              </a>
              <a href={thread.queueUrl} className="font-medium text-brand-700 hover:underline">
                In the customer questions queue
              </a>
            </p>
          </CardSection>
          <CardSection title="Internal question" titleId="internal-question" description="Where colleagues work the issue, away from the customer's thread.">
            {question ? (
              <p className="text-sm">
                <Link to={question.url} className="font-medium text-brand-700 hover:underline">
                  {question.title}
                </Link>
              </p>
            ) : questionHidden ? (
              <p className="text-sm text-slate-600">It has an internal question in a space you are not a member of.</p>
            ) : can.work ? (
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="open-question" />
                <input type="hidden" name="submissionKey" value={submissionKey} />
                <SelectField
                  label="Space"
                  name="space"
                  emptyLabel="Choose a space"
                  options={spaces}
                  hint="Who can read it: everyone for an open space, only members for a restricted one."
                  defaultValue={failedFor("open-question")?.values.space}
                  error={failedFor("open-question")?.fieldErrors.space}
                />
                <Field
                  label="Tags"
                  name="tags"
                  hint="Up to 5, separated by spaces or commas."
                  defaultValue={failedFor("open-question")?.values.tags ?? suggestedTags.join(" ")}
                  error={failedFor("open-question")?.fieldErrors.tags}
                />
                <p className="mb-3 text-sm text-slate-600">It is titled “Escalation: {thread.title}”, quotes the customer and links the public thread and this page.</p>
                <SubmitButton pendingText="Opening…">Open an internal question</SubmitButton>
              </Form>
            ) : (
              <p className="text-sm text-slate-600">No internal question was opened.</p>
            )}
          </CardSection>
        </div>
        <div className="space-y-6">
          {can.manage ? (
            <CardSection title="Owner and severity" titleId="owner">
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="assign" />
                <PersonField
                  label="Assignee"
                  name="assignee"
                  hint="A colleague's handle, like @ada.lovelace. Leave empty to unassign."
                  defaultValue={failedFor("assign")?.values.assignee ?? e.assignee?.handle ?? ""}
                  error={failedFor("assign")?.fieldErrors.assignee}
                />
                <SubmitButton variant="secondary" pendingText="Saving…">
                  Save assignee
                </SubmitButton>
              </Form>
              <Form method="post" noValidate className="mt-5">
                <input type="hidden" name="intent" value="severity" />
                <SelectField
                  label="Severity"
                  name="severity"
                  options={[...SEVERITIES].reverse().map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
                  hint="While nobody has responded, the deadline follows the severity's SLA."
                  defaultValue={failedFor("severity")?.values.severity ?? e.severity}
                  error={failedFor("severity")?.fieldErrors.severity}
                />
                <SubmitButton variant="secondary" pendingText="Saving…">
                  Save severity
                </SubmitButton>
              </Form>
            </CardSection>
          ) : (
            <CardSection title="Owner" titleId="owner">
              <p className="text-sm text-slate-700">{e.assignee ? e.assignee.name : "Nobody is assigned."}</p>
            </CardSection>
          )}
          {can.work ? (
            <CardSection title="Status" titleId="status">
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="status" />
                <SelectField
                  label="Status"
                  name="status"
                  options={[
                    { value: "open", label: "Open" },
                    { value: "investigating", label: "Investigating" },
                  ]}
                  defaultValue={failedFor("status")?.values.status ?? e.status}
                  error={failedFor("status")?.fieldErrors.status}
                />
                <SubmitButton variant="secondary" pendingText="Saving…">
                  Save status
                </SubmitButton>
              </Form>
            </CardSection>
          ) : null}
          {can.resolve ? (
            <CardSection title="Resolve" titleId="resolve" description="Customers read the outcome on the thread, as plain text.">
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="resolve" />
                <Field
                  label="Outcome"
                  name="outcome"
                  multiline
                  rows={5}
                  maxLength={OUTCOME_MAX}
                  hint={`What was done, for customers. Up to ${OUTCOME_MAX.toLocaleString("en")} characters.`}
                  defaultValue={failedFor("resolve")?.values.outcome}
                  error={failedFor("resolve")?.fieldErrors.outcome}
                />
                <SubmitButton pendingText="Resolving…">Resolve</SubmitButton>
              </Form>
            </CardSection>
          ) : null}
          {can.dismiss ? (
            <CardSection title="False alarm?" titleId="dismiss" description="Dismissing closes it and removes “escalated” from the customer's thread.">
              <Form method="post">
                <SubmitButton name="intent" value="dismiss" variant="danger" pendingText="Dismissing…">
                  Dismiss
                </SubmitButton>
              </Form>
            </CardSection>
          ) : null}
        </div>
      </div>
    </div>
  );
}
