import { Form } from "react-router";
import type { AllowanceRuleRow } from "#app/features/recognition/allowance-rules.server.ts";
import { ALLOWANCE_MAX, ALLOWANCE_ROLES, DEPARTMENT_MAX, ROLE_LABELS, VALUE_DESCRIPTION_MAX, VALUE_NAME_MAX } from "#app/features/recognition/kudos-schemas.ts";
import type { CompanyValue } from "#app/features/recognition/values.server.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { plural } from "#app/lib/plural.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { Field, FieldShell, FormError, SelectField, SubmitButton, textControlClass } from "#app/components/form.tsx";

/** The admin's recognition page: company values and kudos allowance rules. Every control is a plain form with an intent. */

export type AdminFailure = FormFailure & { intent: string; id: number | null };

function failureFor(failed: AdminFailure | null, intent: string, id: number | null = null, form?: string): FormFailure | null {
  if (!failed || failed.intent !== intent || failed.id !== id) return null;
  if (form !== undefined && failed.values.form !== form) return null;
  return failed;
}

function ValueFields({ failure, value }: { failure: FormFailure | null; value?: CompanyValue }) {
  const v = failure?.values;
  return (
    <div className="grid gap-x-4 sm:grid-cols-[8rem_1fr]">
      <Field label="Emoji" name="emoji" defaultValue={v?.emoji ?? value?.emoji ?? ""} error={failure?.fieldErrors.emoji} hint="Optional, e.g. 🤝" />
      <Field label="Name" name="name" required maxLength={VALUE_NAME_MAX} defaultValue={v?.name ?? value?.name ?? ""} error={failure?.fieldErrors.name} />
      <div className="sm:col-span-2">
        <Field
          label="Description"
          name="description"
          multiline
          rows={2}
          maxLength={VALUE_DESCRIPTION_MAX}
          defaultValue={v?.description ?? value?.description ?? ""}
          error={failure?.fieldErrors.description}
          hint="Shown when people choose a value."
        />
      </div>
    </div>
  );
}

export function ValuesSection({ values, failed }: { values: CompanyValue[]; failed: AdminFailure | null }) {
  const active = values.filter((v) => !v.archived);
  const createFailure = failureFor(failed, "create-value");
  return (
    <CardSection title="Company values" titleId="values" description="Every kudos is given for one of these. Archived values stay on the kudos that carry them but are no longer offered.">
      {values.length === 0 ? <p className="mb-4 text-sm text-slate-600">No values yet: add the first below. Nobody can give kudos until there is one.</p> : null}
      <ul className="divide-y divide-slate-100">
        {values.map((value) => {
          const at = active.findIndex((a) => a.id === value.id);
          const editFailure = failureFor(failed, "update-value", value.id);
          return (
            <li key={value.id} className="py-3">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
                    {value.emoji ? <span aria-hidden="true">{value.emoji}</span> : null}
                    {value.name}
                    {value.archived ? <Badge>Archived</Badge> : null}
                    <span className="text-xs font-normal text-slate-500">{plural(value.kudosCount, "kudos", "kudos")}</span>
                  </p>
                  {value.description ? <p className="mt-0.5 text-sm text-slate-600">{value.description}</p> : null}
                </div>
                <div className="flex flex-wrap gap-2">
                  {value.archived ? null : (
                    <Form method="post" className="flex gap-1">
                      <input type="hidden" name="intent" value="move-value" />
                      <input type="hidden" name="id" value={value.id} />
                      <Button name="direction" value="up" size="sm" disabled={at <= 0}>
                        Up<span className="sr-only"> ({value.name})</span>
                      </Button>
                      <Button name="direction" value="down" size="sm" disabled={at === active.length - 1}>
                        Down<span className="sr-only"> ({value.name})</span>
                      </Button>
                    </Form>
                  )}
                  <Form method="post">
                    <input type="hidden" name="id" value={value.id} />
                    <Button name="intent" value={value.archived ? "unarchive-value" : "archive-value"} size="sm" variant={value.archived ? "secondary" : "dangerOutline"}>
                      {value.archived ? "Restore" : "Archive"}
                      <span className="sr-only"> {value.name}</span>
                    </Button>
                  </Form>
                </div>
              </div>
              <details className="mt-2" open={editFailure !== null}>
                <summary className="cursor-pointer text-sm font-medium text-brand-700">
                  Edit<span className="sr-only"> {value.name}</span>
                </summary>
                <Form method="post" noValidate className="mt-3 max-w-xl">
                  <input type="hidden" name="id" value={value.id} />
                  <FormError message={editFailure?.formError} />
                  <ValueFields failure={editFailure} value={value} />
                  <SubmitButton name="intent" value="update-value" variant="secondary" pendingText="Saving…">
                    Save value
                  </SubmitButton>
                </Form>
              </details>
            </li>
          );
        })}
      </ul>
      <div className="mt-4 border-t border-slate-100 pt-4">
        <h3 className="mb-3 text-sm font-semibold text-slate-900">Add a value</h3>
        <Form method="post" noValidate className="max-w-xl">
          <FormError message={createFailure?.formError} />
          <ValueFields failure={createFailure} />
          <SubmitButton name="intent" value="create-value" pendingText="Adding…">
            Add value
          </SubmitButton>
        </Form>
      </div>
    </CardSection>
  );
}

function ruleLabel(rule: AllowanceRuleRow): string {
  if (rule.scope === "role" && rule.role) return `Role: ${ROLE_LABELS[rule.role]}`;
  if (rule.scope === "department") return `Department: ${rule.department}`;
  return "Company default";
}

function PointsField({ failure, defaultValue }: { failure: FormFailure | null; defaultValue?: string }) {
  return (
    <Field
      label="Points a month"
      name="points"
      type="number"
      required
      defaultValue={failure?.values.points ?? defaultValue ?? ""}
      error={failure?.fieldErrors.points}
      hint={`0 to ${ALLOWANCE_MAX.toLocaleString("en")}.`}
    />
  );
}

export function AllowanceRulesSection({ rules, uncovered, departments, failed }: { rules: AllowanceRuleRow[]; uncovered: number; departments: string[]; failed: AdminFailure | null }) {
  const defaultRule = rules.find((r) => r.scope === "default");
  const setFailure = (form: string) => failureFor(failed, "set-rule", null, form);
  const removeFailure = failed?.intent === "remove-rule" ? failed : null;
  return (
    <CardSection
      title="Kudos allowance"
      titleId="allowance"
      description="How many points each person may give a month. A department's rule wins over a role's, which wins over the company default. Allowances reset on the 1st (UTC) and unused points lapse."
    >
      <FormError message={removeFailure?.formError} />
      <table className="w-full text-sm">
        <caption className="sr-only">Allowance rules and who they apply to</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs text-slate-500">
            <th scope="col" className="py-2 pr-3 font-medium">
              Rule
            </th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">
              Points
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Applies to
            </th>
            <th scope="col" className="py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rules.map((rule) => (
            <tr key={rule.id}>
              <th scope="row" className="py-2 pr-3 text-left font-medium text-slate-900">
                {ruleLabel(rule)}
              </th>
              <td className="py-2 pr-3 text-right tabular-nums">{rule.points.toLocaleString("en")}</td>
              <td className="py-2 pr-3 text-slate-600">
                {plural(rule.people, "person", "people")}
                {rule.sample.length > 0 ? `: ${rule.sample.join(", ")}${rule.people > rule.sample.length ? ` and ${rule.people - rule.sample.length} more` : ""}` : ""}
              </td>
              <td className="py-2 text-right">
                {rule.scope === "default" ? null : (
                  <Form method="post">
                    <input type="hidden" name="id" value={rule.id} />
                    <Button name="intent" value="remove-rule" size="sm" variant="dangerOutline">
                      Remove<span className="sr-only"> {ruleLabel(rule)}</span>
                    </Button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {uncovered > 0 ? <p className="mt-2 text-sm text-amber-900">{plural(uncovered, "person has", "people have")} no rule and no allowance: set a company default.</p> : null}

      <div className="mt-6 grid gap-6 border-t border-slate-100 pt-4 lg:grid-cols-3">
        <Form method="post" noValidate>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Company default</h3>
          <input type="hidden" name="scope" value="default" />
          <PointsField failure={setFailure("default")} defaultValue={defaultRule ? String(defaultRule.points) : "100"} />
          <SubmitButton name="intent" value="set-rule" variant="secondary" pendingText="Saving…">
            Set default
          </SubmitButton>
        </Form>
        <Form method="post" noValidate>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">For a role</h3>
          <input type="hidden" name="scope" value="role" />
          <SelectField
            label="Role"
            name="role"
            options={ALLOWANCE_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
            defaultValue={setFailure("role")?.values.role}
            error={setFailure("role")?.fieldErrors.role}
          />
          <PointsField failure={setFailure("role")} />
          <SubmitButton name="intent" value="set-rule" variant="secondary" pendingText="Saving…">
            Set for the role
          </SubmitButton>
        </Form>
        <Form method="post" noValidate>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">For a department</h3>
          <input type="hidden" name="scope" value="department" />
          <FieldShell label="Department" error={setFailure("department")?.fieldErrors.department} hint="As people write it on their profile; case does not matter.">
            {(control) => (
              <input
                {...control}
                name="department"
                list="known-departments"
                maxLength={DEPARTMENT_MAX}
                defaultValue={setFailure("department")?.values.department}
                className={textControlClass(setFailure("department")?.fieldErrors.department)}
              />
            )}
          </FieldShell>
          <datalist id="known-departments">
            {departments.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
          <PointsField failure={setFailure("department")} />
          <SubmitButton name="intent" value="set-rule" variant="secondary" pendingText="Saving…">
            Set for the department
          </SubmitButton>
        </Form>
      </div>
    </CardSection>
  );
}
