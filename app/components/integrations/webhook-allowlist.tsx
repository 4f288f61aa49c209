import { Form } from "react-router";
import type { AllowlistEntry } from "#app/features/webhooks/allowlist.server.ts";
import { NOTE_MAX } from "#app/features/webhooks/schemas.ts";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Field, FormError } from "#app/components/form.tsx";
import { TableHead } from "#app/components/table.tsx";
import type { FieldErrors } from "#app/lib/forms.ts";

/** Admin → Integrations → Private addresses allowed: the entries, and the form that adds one. */

const KIND_LABELS: Record<AllowlistEntry["kind"], string> = { host: "Host name", address: "Address", range: "Range" };

export function AllowlistTable({ entries, removeError }: { entries: ReadonlyArray<Omit<AllowlistEntry, "createdAt"> & { createdAt: Date | string }>; removeError?: string | undefined }) {
  if (entries.length === 0) {
    return (
      <EmptyState title="Nothing is allowed beyond the public internet">
        Webhooks and chat connections may only call public addresses. Add an internal host or range here when an endpoint lives inside your network.
      </EmptyState>
    );
  }
  return (
    <>
      <FormError message={removeError} />
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">Hosts and ranges allowed though private</caption>
          <TableHead columns={["Entry", "Kind", "Note", "Added by", "Action"]} />
          <tbody className="divide-y divide-slate-100">
            {entries.map((e) => (
              <tr key={e.id} className="align-top">
                <td className="px-5 py-3 font-mono text-xs break-all text-slate-900">{e.pattern}</td>
                <td className="px-5 py-3 text-slate-700">{KIND_LABELS[e.kind]}</td>
                <td className="max-w-sm px-5 py-3 break-words text-slate-700">{e.note || "—"}</td>
                <td className="px-5 py-3 text-slate-700">{e.createdBy ?? "—"}</td>
                <td className="px-5 py-3">
                  <Form method="post">
                    <input type="hidden" name="id" value={e.id} />
                    <Button name="intent" value="remove" size="sm" variant="ghost">
                      Remove<span className="sr-only"> {e.pattern}</span>
                    </Button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function AllowlistAddForm({ values, errors, formError }: { values: Record<string, string>; errors: FieldErrors; formError?: string | undefined }) {
  return (
    <CardSection className="mt-6" title="Allow a host or range" titleId="allow-entry">
      <Form method="post" noValidate className="max-w-xl">
        <FormError message={formError} />
        <Field
          label="Host name, address or range"
          name="pattern"
          required
          maxLength={300}
          defaultValue={values.pattern}
          error={errors.pattern}
          hint="hooks.internal (that exact name), 10.0.0.5 or fd00::5 (one address), 10.20.0.0/16 (a CIDR range)."
        />
        <Field label="Note (optional)" name="note" maxLength={NOTE_MAX} defaultValue={values.note} error={errors.note} hint="Why it is allowed, and who asked." />
        <div className="flex justify-end">
          <Button name="intent" value="add" variant="primary">
            Allow
          </Button>
        </div>
      </Form>
    </CardSection>
  );
}
