import { Form, Link, href } from "react-router";
import type { FieldErrors } from "#app/lib/forms.ts";
import { Avatar } from "./avatar.tsx";
import { DeactivatedBadge } from "./badge.tsx";
import { Button } from "./button.tsx";
import { Field, FormError, SubmitButton } from "./form.tsx";

export type ManagedMember = { id: number; name: string; email: string; title: string; role: "member" | "moderator"; deactivated: boolean };

const selectClass = "rounded-md border border-slate-300 bg-white py-1.5 pr-8 pl-2.5 text-sm shadow-sm focus:ring-2 focus:ring-brand-500";

/** The add-by-email form. Keyed by the caller so a successful add clears it. */
export function AddMemberForm({ values, fieldErrors = {}, formError }: { values: Record<string, string>; fieldErrors?: FieldErrors; formError?: string | undefined }) {
  return (
    <Form method="post" noValidate className="flex flex-wrap items-start gap-3">
      <div className="min-w-60 flex-1 [&>div]:mb-0">
        <Field label="Work email" name="email" type="email" autoComplete="off" defaultValue={values.email} error={fieldErrors.email} placeholder="name@company.example" />
      </div>
      <div>
        <label htmlFor="add-role" className="block text-sm font-medium text-slate-800">
          Role in this space
        </label>
        <select id="add-role" name="role" defaultValue={values.role ?? "member"} className={`mt-1 block ${selectClass} py-2`}>
          <option value="member">Member</option>
          <option value="moderator">Moderator</option>
        </select>
      </div>
      <div className="pt-6">
        <SubmitButton name="intent" value="add-member" pendingText="Adding…">
          Add member
        </SubmitButton>
      </div>
      <div className="w-full">
        <FormError message={formError} />
      </div>
    </Form>
  );
}

/** Members with a role select (saved by its own button, so it works without JavaScript) and remove. */
export function MembersTable({ members, linkToAdmin }: { members: ManagedMember[]; linkToAdmin: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
        <caption className="sr-only">Members</caption>
        <thead className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Person
            </th>
            <th scope="col" className="py-2 pr-4">
              Role in this space
            </th>
            <th scope="col" className="py-2 text-right">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {members.map((m) => (
            <tr key={m.id}>
              <td className="py-3 pr-4">
                <div className="flex items-center gap-3">
                  <Avatar name={m.name} size="sm" />
                  <div className="min-w-0">
                    <Link
                      to={linkToAdmin ? href("/admin/users/:userId", { userId: String(m.id) }) : href("/people/:userId", { userId: String(m.id) })}
                      className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                    >
                      {m.name}
                    </Link>
                    <p className="truncate text-xs text-slate-500">{m.email}</p>
                  </div>
                  {m.deactivated ? <DeactivatedBadge /> : null}
                </div>
              </td>
              <td className="py-3 pr-4">
                <Form method="post" className="flex items-center gap-2">
                  <input type="hidden" name="userId" value={m.id} />
                  <label htmlFor={`role-${m.id}`} className="sr-only">
                    Role of {m.name}
                  </label>
                  <select id={`role-${m.id}`} name="role" defaultValue={m.role} className={selectClass}>
                    <option value="member">Member</option>
                    <option value="moderator">Moderator</option>
                  </select>
                  <Button name="intent" value="set-role" size="sm" aria-label={`Update role of ${m.name}`}>
                    Update
                  </Button>
                </Form>
              </td>
              <td className="py-3 text-right">
                <Form method="post">
                  <input type="hidden" name="userId" value={m.id} />
                  <Button name="intent" value="remove-member" size="sm" variant="dangerOutline" aria-label={`Remove ${m.name} from this space`}>
                    Remove
                  </Button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
