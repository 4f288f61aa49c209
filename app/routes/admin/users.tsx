import { Form, Link, href } from "react-router";
import type { Route } from "./+types/users";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { adminUserList } from "#app/features/users/admin-users.server.ts";
import { ROLES, ROLE_LABELS, parseUserFilters, type UserFilters } from "#app/features/users/user-filters.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { Badge, DeactivatedBadge, RoleBadge } from "#app/components/badge.tsx";
import { buttonClass } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { CheckCircleIcon, UsersIcon } from "#app/components/icons.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { TableHead } from "#app/components/table.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "People · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const filters = parseUserFilters(new URL(request.url).searchParams);
  return { filters, list: await adminUserList(context.db, actor, filters) };
}

function queryFor(filters: UserFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.role) params.set("role", filters.role);
  if (filters.status !== "all") params.set("status", filters.status);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return `${href("/admin/users")}${query ? `?${query}` : ""}`;
}

const control = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:ring-2 focus:ring-brand-500";

export default function AdminUsers({ loaderData }: Route.ComponentProps) {
  const { filters, list } = loaderData;
  const filtered = Boolean(filters.q || filters.role || filters.status !== "all");
  return (
    <>
      <PageHeader title="People" description="Everyone with an account: change roles, deactivate people who have left, and let them back in." />
      <Form method="get" role="search" aria-label="People" className="mb-6 flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <label htmlFor="q" className="mb-1 block text-sm font-medium text-slate-800">
            Search people
          </label>
          <input id="q" name="q" type="search" defaultValue={filters.q} placeholder="Name, email or department" className={control} />
        </div>
        <div>
          <label htmlFor="role" className="mb-1 block text-sm font-medium text-slate-800">
            Role
          </label>
          <select id="role" name="role" defaultValue={filters.role ?? ""} className={control}>
            <option value="">All roles</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="status" className="mb-1 block text-sm font-medium text-slate-800">
            Status
          </label>
          <select id="status" name="status" defaultValue={filters.status} className={control}>
            <option value="all">Everyone</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
            <option value="imported">Imported, not claimed</option>
          </select>
        </div>
        <button type="submit" className={buttonClass("primary")}>
          Search
        </button>
        {filtered ? (
          <Link to={href("/admin/users")} className={buttonClass("ghost")}>
            Clear
          </Link>
        ) : null}
      </Form>

      {list.users.length === 0 && list.total === 0 ? (
        <EmptyState icon={<UsersIcon className="size-5" />} title={filtered ? "Nobody matches" : "No accounts yet"}>
          {filtered ? "Try a shorter search or clear the filters." : null}
        </EmptyState>
      ) : (
        <Card className="overflow-hidden">
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
              <caption className="sr-only">People{filters.q ? ` matching “${filters.q}”` : ""}</caption>
              <TableHead columns={["Name", "Email", "Department", "Role", "Status"]} />
              <tbody className="divide-y divide-slate-100 bg-white">
                {list.users.map((u) => (
                  <tr key={u.id} className="hover:bg-slate-50">
                    <td className="px-5 py-3">
                      <div className="flex items-center gap-3">
                        <Avatar name={u.name} size="sm" />
                        <div className="min-w-0">
                          <Link to={href("/admin/users/:userId", { userId: String(u.id) })} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                            {u.name}
                          </Link>
                          {u.title ? <p className="truncate text-xs text-slate-500">{u.title}</p> : null}
                        </div>
                      </div>
                    </td>
                    <td className="px-5 py-3 text-slate-600">{u.email}</td>
                    <td className="px-5 py-3 text-slate-600">{u.department || "—"}</td>
                    <td className="px-5 py-3">
                      <span className="flex flex-wrap gap-1">
                        <RoleBadge role={u.role} />
                        {u.kind === "customer" ? <Badge>Customer</Badge> : null}
                      </span>
                    </td>
                    <td className="px-5 py-3">
                      {u.deactivatedAt ? (
                        <DeactivatedBadge />
                      ) : u.imported ? (
                        <Badge tone="amber">Imported, not claimed</Badge>
                      ) : (
                        <Badge tone="green" icon={<CheckCircleIcon className="size-3.5" />}>
                          Active
                        </Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="border-t border-slate-200 px-5">
            <Pagination label="People pages" offset={list.offset} pageSize={list.pageSize} total={list.total} shown={list.users.length} pageHref={(page) => queryFor(filters, page)} />
          </div>
        </Card>
      )}
    </>
  );
}
