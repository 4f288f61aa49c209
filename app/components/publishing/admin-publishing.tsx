import { Form } from "react-router";
import type { FormFailure } from "#app/lib/forms.ts";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { Field, FormError, SubmitButton } from "#app/components/form.tsx";

export type TermKind = "customer" | "codename";
export type Term = { id: number; term: string };
export type AdminFailure = FormFailure & { intent: string; kind: string | null };

/** A field's message, or the first message about one of its lines (`internalHosts.2`). */
function errorFor(errors: Record<string, string | undefined>, field: string): string | undefined {
  return errors[field] ?? Object.entries(errors).find(([key]) => key.startsWith(`${field}.`))?.[1];
}

/** The patterns that make a host, link or IP address internal, one per line. */
export function ScanSettingsForm({ settings, failure }: { settings: { internalHosts: string[]; internalIpRanges: string[] }; failure: AdminFailure | null }) {
  const failed = failure?.intent === "save-settings" ? failure : null;
  const errors = failed?.fieldErrors ?? {};
  return (
    <CardSection
      title="Internal addresses"
      titleId="hosts-heading"
      description="Host names and IP ranges that exist only inside the company. Private ranges (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, loopback, link-local, fc00::/7) are always internal."
    >
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="save-settings" />
        <FormError message={failed ? (failed.formError ?? "Some lines need fixing; nothing was saved.") : undefined} />
        <div className="grid gap-x-6 md:grid-cols-2">
          <Field
            label="Internal host patterns"
            name="internalHosts"
            multiline
            rows={8}
            hint="One a line: a host (intranet.northwind.com) or a wildcard for every host under a domain (*.corp). Links and bare host names that match are flagged."
            defaultValue={failed ? failed.values.internalHosts : settings.internalHosts.join("\n")}
            error={errorFor(errors, "internalHosts")}
          />
          <Field
            label="Internal IP ranges"
            name="internalIpRanges"
            multiline
            rows={8}
            hint="One a line, in CIDR notation (100.64.0.0/10, 2001:db8::/32), for ranges beyond the private ones."
            defaultValue={failed ? failed.values.internalIpRanges : settings.internalIpRanges.join("\n")}
            error={errorFor(errors, "internalIpRanges")}
          />
        </div>
        <SubmitButton pendingText="Saving…">Save addresses</SubmitButton>
      </Form>
    </CardSection>
  );
}

const LISTS: Record<TermKind, { title: string; description: string; label: string; empty: string }> = {
  customer: {
    title: "Customer names",
    description: "Customers the company must not name in public. Matched whole-word, whatever the case.",
    label: "Customer name",
    empty: "No customer names yet.",
  },
  codename: {
    title: "Project code names",
    description: "Internal names of projects and products not announced yet.",
    label: "Code name",
    empty: "No code names yet.",
  },
};

/** One term list: its entries, each with Remove, and a field to add one. */
export function TermList({ kind, terms, failure }: { kind: TermKind; terms: Term[]; failure: AdminFailure | null }) {
  const list = LISTS[kind];
  const failed = failure?.kind === kind ? failure : null;
  return (
    <CardSection title={list.title} titleId={`${kind}-heading`} description={list.description}>
      {terms.length === 0 ? (
        <p className="mb-4 text-sm text-slate-600">{list.empty}</p>
      ) : (
        <ul className="mb-4 divide-y divide-slate-100" aria-label={list.title}>
          {terms.map((t) => (
            <li key={t.id} className="flex items-center justify-between gap-3 py-2">
              <span className="min-w-0 text-sm break-words text-slate-900">{t.term}</span>
              <Form method="post">
                <input type="hidden" name="intent" value="remove-term" />
                <input type="hidden" name="kind" value={kind} />
                <input type="hidden" name="id" value={t.id} />
                <Button size="sm" variant="ghost">
                  Remove<span className="sr-only"> {t.term}</span>
                </Button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      {failed?.intent === "remove-term" ? <FormError message={failed.formError} /> : null}
      <Form method="post" noValidate className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="intent" value="add-term" />
        <input type="hidden" name="kind" value={kind} />
        <div className="min-w-0 flex-1">
          <Field
            label={`Add a ${list.label.toLowerCase()}`}
            name="term"
            maxLength={100}
            defaultValue={failed?.intent === "add-term" ? failed.values.term : undefined}
            error={failed?.intent === "add-term" ? (failed.fieldErrors.term ?? failed.formError ?? Object.values(failed.fieldErrors)[0]) : undefined}
          />
        </div>
        <div className="mb-4">
          <Button variant="secondary">
            Add<span className="sr-only"> this {list.label.toLowerCase()}</span>
          </Button>
        </div>
      </Form>
    </CardSection>
  );
}
