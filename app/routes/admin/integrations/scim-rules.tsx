import { Form, data, href } from "react-router";
import type { Route } from "./+types/scim-rules";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { createScimRule, deleteScimRule, listScimRules, ruleSpaceChoices } from "#app/features/scim/rules.server.ts";
import { ScimRuleSchema } from "#app/features/scim/schemas.ts";
import { attempt } from "#app/lib/errors.ts";
import { idParam } from "#app/lib/ids.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card, CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Field, FormError, Notice, SelectField, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { TableHead } from "#app/components/table.tsx";
import { IntentButton } from "#app/components/intent-button.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "SCIM group rules · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const [rules, spaces] = await Promise.all([listScimRules(context.db, actor), ruleSpaceChoices(context.db, actor)]);
  return { rules, spaces };
}

/** intent=create-rule (applied at once to the group's members) or delete-rule (what it gave is taken back). */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "delete-rule") {
    const result = await attempt({}, () => deleteScimRule(context.db, actor, idParam(form.get("ruleId"))));
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, intent, notice: "Rule deleted. What it gave is taken back, unless another rule gives it too." };
  }
  if (intent !== "create-rule") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(ScimRuleSchema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => createScimRule(context.db, actor, parsed.data)) : parsed;
  if (!result.ok) return data({ ...result, intent }, { status: 400 });
  const n = result.result.applied;
  return { ok: true as const, intent, notice: `Rule added and applied to ${n} ${n === 1 ? "member" : "members"} of the group.` };
}

const SITE_ROLE_LABELS = { member: "Member", moderator: "Moderator", hr: "HR", admin: "Admin" } as const;

export default function AdminScimRules({ loaderData: d, actionData }: Route.ComponentProps) {
  const failed = actionData && !actionData.ok ? actionData : null;
  const createFailed = failed?.intent === "create-rule" ? failed : null;
  const v = (key: string, fallback = "") => createFailed?.values[key] ?? fallback;
  const errors = createFailed?.fieldErrors ?? {};
  return (
    <>
      <PageHeader
        title="Group rules"
        crumbs={[
          { label: "Integrations", to: href("/admin/integrations") },
          { label: "SCIM", to: href("/admin/integrations/scim") },
        ]}
        description="Members of a group your identity provider pushes join a space with a role, or hold a site role. Leaving the group takes back only what a rule gave, and only when no other rule still gives it; memberships given by hand are never touched."
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      {failed?.intent === "delete-rule" ? <FormError message={failed.formError} /> : null}
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="lg:col-span-3">
          {d.rules.length === 0 ? (
            <EmptyState title="No group rules yet">Provisioned people get no spaces or roles from their groups until you add a rule.</EmptyState>
          ) : (
            <Card className="overflow-hidden">
              <div className="overflow-x-auto">
                <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
                  <caption className="sr-only">Group rules</caption>
                  <TableHead columns={["Group", "Gives", { label: "People", align: "right" }, "Delete"]} />
                  <tbody className="divide-y divide-slate-100">
                    {d.rules.map((rule) => (
                      <tr key={rule.id}>
                        <td className="px-5 py-3 font-medium text-slate-900">{rule.groupName}</td>
                        <td className="px-5 py-3 text-slate-700">
                          {rule.space ? `${rule.spaceRole === "moderator" ? "Moderator" : "Member"} of ${rule.space.name}` : `Site role: ${SITE_ROLE_LABELS[rule.siteRole ?? "member"]}`}
                        </td>
                        <td className="px-5 py-3 text-right text-slate-700 tabular-nums">{rule.grants}</td>
                        <td className="px-5 py-3">
                          <IntentButton intent="delete-rule" fields={{ ruleId: rule.id }} variant="dangerOutline" label={`Delete the rule for ${rule.groupName}`}>
                            Delete
                          </IntentButton>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          )}
        </div>
        <div className="lg:col-span-2">
          <CardSection title="New rule" titleId="new-scim-rule">
            <Form method="post">
              <FormError message={createFailed?.formError} />
              <Field
                label="Group"
                name="groupName"
                hint="Its display name in the identity provider; case doesn't matter."
                defaultValue={v("groupName")}
                error={errors.groupName}
                maxLength={200}
                required
              />
              <fieldset className="mb-4">
                <legend className="text-sm font-medium text-slate-800">Members of the group get</legend>
                {errors.target ? <p className="mt-1 text-sm text-red-700">{errors.target}</p> : null}
                {(["space", "site"] as const).map((target) => (
                  <label key={target} className="mt-2 flex items-center gap-2 text-sm text-slate-700">
                    <input type="radio" name="target" value={target} defaultChecked={v("target", "space") === target} />
                    {target === "space" ? "A space, with a role" : "A site role"}
                  </label>
                ))}
              </fieldset>
              <SelectField
                label="Space"
                name="spaceId"
                emptyLabel="Choose a space"
                options={d.spaces.map((s) => ({ value: String(s.id), label: `${s.name}${s.visibility === "restricted" ? " (restricted)" : ""}` }))}
                defaultValue={v("spaceId")}
                error={errors.spaceId}
              />
              <SelectField
                label="Role in the space"
                name="spaceRole"
                options={[
                  { value: "member", label: "Member" },
                  { value: "moderator", label: "Moderator" },
                ]}
                defaultValue={v("spaceRole", "member")}
                error={errors.spaceRole}
              />
              <SelectField
                label="Site role"
                name="siteRole"
                emptyLabel="Choose a site role"
                options={(["moderator", "hr", "admin"] as const).map((r) => ({ value: r, label: SITE_ROLE_LABELS[r] }))}
                defaultValue={v("siteRole")}
                error={errors.siteRole}
                hint="A site role raises members only: a role an admin gave by hand stays."
              />
              <div className="mb-4">
                <label className="flex items-start gap-2 text-sm text-slate-700">
                  <input
                    type="checkbox"
                    name="confirmAdmin"
                    defaultChecked={v("confirmAdmin") === "on"}
                    aria-describedby={errors.confirmAdmin ? "confirm-admin-error" : undefined}
                    className="mt-1"
                  />
                  For an admin rule: I understand that whoever manages this group in the identity provider decides who administers Commons.
                </label>
                {errors.confirmAdmin ? (
                  <p id="confirm-admin-error" className="mt-1 text-sm text-red-700">
                    {errors.confirmAdmin}
                  </p>
                ) : null}
              </div>
              <SubmitButton name="intent" value="create-rule" pendingText="Adding…">
                Add rule
              </SubmitButton>
            </Form>
          </CardSection>
        </div>
      </div>
    </>
  );
}
