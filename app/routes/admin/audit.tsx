import { Form, Link, data, href } from "react-router";
import type { Route } from "./+types/audit";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { AUDIT_ACTIONS } from "#app/features/audit/actions.ts";
import { auditPage, parseAuditCursor, parseAuditFilters, type AuditFilterValues, type AuditPerson } from "#app/features/audit/log.server.ts";
import { buttonClass } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Field, SelectField } from "#app/components/form.tsx";
import { ShieldIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { PersonField } from "#app/components/person-field.tsx";
import { TableHead } from "#app/components/table.tsx";
import { absoluteTime } from "#app/lib/time.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Audit log · Admin · Commons" }];
}

const ACTION_OPTIONS = Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }));

/** `/admin/audit`: the audit log for admins (anyone else: the admin pages' 404). A bad filter is a field error, with what was typed kept. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const params = new URL(request.url).searchParams;
  const { values, fieldErrors, filters } = await parseAuditFilters(context.db, params);
  if (Object.keys(fieldErrors).length > 0) return data({ values, fieldErrors, page: null }, { status: 400 });
  return { values, fieldErrors, page: await auditPage(context.db, actor, filters, parseAuditCursor(params)) };
}

/** The filters as a query string, with a page cursor when one is given. */
function queryOf(values: AuditFilterValues, cursor?: { before?: number; after?: number }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  if (cursor?.before) params.set("before", String(cursor.before));
  if (cursor?.after) params.set("after", String(cursor.after));
  const query = params.toString();
  return query ? `?${query}` : "";
}

function Person({ person }: { person: AuditPerson | null }) {
  if (!person) return <span className="text-slate-400">—</span>;
  if (!person.url) return <span className={person.id === null ? "text-slate-500 italic" : ""}>{person.name}</span>;
  return (
    <Link to={person.url} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
      {person.name}
    </Link>
  );
}

export default function AdminAudit({ loaderData }: Route.ComponentProps) {
  const { values, fieldErrors, page } = loaderData;
  const filtered = Object.values(values).some(Boolean);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who changed roles, memberships and visibility, deleted or redacted content, decided on ideas and drafts, looked at people as HR, and made tokens. Entries are never changed or removed."
        actions={
          <a href={`${href("/admin/audit.csv")}${queryOf(values)}`} className={buttonClass("secondary")} download>
            Download CSV
          </a>
        }
      />
      <Form method="get" role="search" aria-label="Audit log" className="mb-6 grid gap-x-4 sm:grid-cols-2 lg:grid-cols-3">
        <SelectField label="Action" name="action" options={ACTION_OPTIONS} emptyLabel="All actions" defaultValue={values.action} error={fieldErrors.action} />
        <PersonField label="Done by" name="actor" hint="A colleague's handle, e.g. @ada.lovelace." defaultValue={values.actor} error={fieldErrors.actor} />
        <PersonField label="About" name="subject" hint="The person the entry is about." defaultValue={values.subject} error={fieldErrors.subject} />
        <Field label="From" name="from" type="date" hint="UTC, inclusive." defaultValue={values.from} error={fieldErrors.from} />
        <Field label="To" name="to" type="date" hint="UTC, inclusive." defaultValue={values.to} error={fieldErrors.to} />
        <div className="mb-4 flex items-end gap-3">
          <button type="submit" className={buttonClass("primary")}>
            Filter
          </button>
          {filtered ? (
            <Link to={href("/admin/audit")} className={buttonClass("ghost")}>
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

      {!page ? null : page.rows.length === 0 ? (
        <EmptyState icon={<ShieldIcon className="size-5" />} title={filtered ? "No entries match" : "Nothing recorded yet"}>
          {filtered ? "Try a wider date range or clear the filters." : "Entries appear here as roles change, content is deleted, decisions are made and HR looks at people."}
        </EmptyState>
      ) : (
        <Card className="overflow-hidden">
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
              <caption className="sr-only">Audit log entries, newest first</caption>
              <TableHead columns={["When", "Who", "What", "About", "Target", "Details"]} />
              <tbody className="divide-y divide-slate-100 bg-white">
                {page.rows.map((row) => (
                  <tr key={row.id} className="align-top">
                    <td className="px-5 py-3 whitespace-nowrap text-slate-600">
                      <time dateTime={row.at}>{absoluteTime(row.at)}</time>
                    </td>
                    <td className="px-5 py-3">
                      <Person person={row.actor} />
                      {row.via !== "user" && row.actor.id !== null ? <span className="ml-1 text-xs text-slate-500">via {row.via.toUpperCase()}</span> : null}
                    </td>
                    <td className="px-5 py-3 text-slate-900">{row.label}</td>
                    <td className="px-5 py-3">
                      <Person person={row.subject} />
                    </td>
                    <td className="px-5 py-3">
                      {!row.target ? (
                        <span className="text-slate-400">—</span>
                      ) : row.target.url ? (
                        <Link to={row.target.url} className="text-brand-700 hover:underline">
                          {row.target.label}
                        </Link>
                      ) : (
                        row.target.label
                      )}
                    </td>
                    <td className="max-w-md px-5 py-3 break-words text-slate-600">{row.details || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Audit log pages" className="flex justify-between border-t border-slate-200 px-5 py-3">
            {page.newerThan ? (
              <Link to={`${href("/admin/audit")}${queryOf(values, { after: page.newerThan })}`} className={buttonClass("secondary", "sm")} rel="prev">
                Previous
              </Link>
            ) : (
              <span />
            )}
            {page.olderThan ? (
              <Link to={`${href("/admin/audit")}${queryOf(values, { before: page.olderThan })}`} className={buttonClass("secondary", "sm")} rel="next">
                Next
              </Link>
            ) : null}
          </nav>
        </Card>
      )}
    </>
  );
}
