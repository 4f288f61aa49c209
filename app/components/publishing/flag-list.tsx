import { Form } from "react-router";
import type { PublicationView } from "#app/features/publishing/publishing.server.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { Field, FormError } from "#app/components/form.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { REASON_MAX } from "./form-schemas.ts";

type Flag = PublicationView["flags"][number];
type Part = PublicationView["parts"][number];

/** Where in the draft a finding is: the title, the question, or an answer by its author. */
export function partName(partId: number | null, parts: Part[]): string {
  if (partId === null) return "Title";
  const part = parts.find((p) => p.id === partId);
  if (!part) return "A part you can't see";
  return part.kind === "question" ? "The question" : `The answer by ${part.author.name}`;
}

const STATUS = { open: { tone: "amber", label: "Open" }, redacted: { tone: "green", label: "Redacted" }, accepted: { tone: "brand", label: "Accepted" } } as const;

/**
 * What the confidentiality scan found, open ones first, each with a few words around it. An open
 * finding is either redacted (replaced by “[redacted]” in the draft) or accepted with a reason;
 * both are small forms that work without JavaScript, and a refused reason comes back with its text.
 */
export function FlagList({
  flags,
  parts,
  canResolve,
  failure,
  now,
}: {
  flags: Flag[];
  parts: Part[];
  canResolve: boolean;
  /** The redact or accept form that failed, with the flag it was for. */
  failure: (FormFailure & { intent: string; flagId: number | null }) | null;
  now: number;
}) {
  const open = flags.filter((f) => f.status === "open");
  const ordered = [...open, ...flags.filter((f) => f.status !== "open")];
  return (
    <CardSection
      title="Confidentiality scan"
      titleId="flags-heading"
      description={
        flags.length === 0
          ? "The scan found nothing that must not go out."
          : open.length === 0
            ? "Every finding is redacted or accepted."
            : `${open.length === 1 ? "1 finding is" : `${open.length} findings are`} open: redact or accept each before the draft can be approved.`
      }
    >
      {flags.length === 0 ? (
        <p className="text-sm text-slate-600">
          It looks for email addresses, phone numbers, internal hosts, links and IP addresses, secrets, names of colleagues who haven't agreed to be named, customers and code names. It runs
          again at every save.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Findings">
          {ordered.map((flag) => {
            const failed = failure && failure.flagId === flag.id ? failure : null;
            const { tone, label } = STATUS[flag.status];
            return (
              <li key={flag.id} className="py-3">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-semibold text-slate-900">{flag.label}</span>
                  <span className="text-slate-500">in {partName(flag.partId, parts).replace(/^The /, "the ")}</span>
                  <Badge tone={tone}>{label}</Badge>
                </div>
                <p className="mt-1 rounded-md bg-slate-50 px-3 py-2 font-mono text-sm break-words whitespace-pre-wrap text-slate-700">
                  {flag.context.before ? `…${flag.context.before}` : null}
                  <mark className="rounded-sm bg-amber-200 px-0.5 font-semibold text-slate-900">{flag.context.match}</mark>
                  {flag.context.after ? `${flag.context.after}…` : null}
                </p>
                {flag.status !== "open" && flag.resolvedBy ? (
                  <p className="mt-1 text-xs text-slate-600">
                    {flag.status === "redacted" ? "Redacted" : "Accepted"} by {flag.resolvedBy.name}
                    {flag.resolvedAt ? (
                      <>
                        , <RelativeTime date={flag.resolvedAt} now={now} />
                      </>
                    ) : null}
                    {flag.status === "accepted" && flag.reason ? `: “${flag.reason}”` : "."}
                  </p>
                ) : null}
                {flag.status === "open" && canResolve ? (
                  <div className="mt-2 flex flex-wrap items-start gap-3">
                    <Form method="post">
                      <input type="hidden" name="intent" value="redact" />
                      <input type="hidden" name="flagId" value={flag.id} />
                      <Button size="sm" variant="secondary">
                        Redact
                        <span className="sr-only">
                          {" "}
                          {flag.label.toLowerCase()} “{flag.match}”
                        </span>
                      </Button>
                    </Form>
                    <details className="min-w-0 flex-1" open={failed?.intent === "accept" ? true : undefined}>
                      <summary className="inline-flex cursor-pointer rounded-md px-2.5 py-1.5 text-xs font-semibold text-slate-700 hover:bg-slate-100">
                        Accept…
                        <span className="sr-only">
                          {" "}
                          {flag.label.toLowerCase()} “{flag.match}” with a reason
                        </span>
                      </summary>
                      <Form method="post" className="mt-2 max-w-xl">
                        <input type="hidden" name="intent" value="accept" />
                        <input type="hidden" name="flagId" value={flag.id} />
                        <Field
                          label="Why may this be published?"
                          name="reason"
                          multiline
                          rows={2}
                          required
                          maxLength={REASON_MAX}
                          hint="For example: “a public support address”. Kept on the draft's timeline."
                          defaultValue={failed?.intent === "accept" ? failed.values.reason : undefined}
                          error={failed?.intent === "accept" ? failed.fieldErrors.reason : undefined}
                        />
                        <Button size="sm" variant="secondary">
                          Accept with this reason
                        </Button>
                      </Form>
                    </details>
                  </div>
                ) : null}
                {failed ? <FormError message={failed.formError ?? failed.fieldErrors.flag ?? (failed.intent === "redact" ? Object.values(failed.fieldErrors)[0] : undefined)} /> : null}
              </li>
            );
          })}
        </ul>
      )}
    </CardSection>
  );
}
