import { Form, data } from "react-router";
import type { Route } from "./+types/reputation";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { privilegeHolders } from "#app/features/reputation/admin.server.ts";
import { recomputeReputation } from "#app/features/reputation/ledger.server.ts";
import { RulesFormSchema, THRESHOLD_FIELDS, WEIGHT_FIELDS, rulesFormValues } from "#app/features/reputation/rules-form.ts";
import { DEFAULT_REPUTATION_RULES, getReputationRules, saveReputationRules } from "#app/features/reputation/rules.server.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { Field, FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { DriftReport } from "#app/components/reputation/drift-report.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Reputation · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  const rules = await getReputationRules(context.db);
  return { values: rulesFormValues(rules), holders: await privilegeHolders(context.db, rules) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "check-drift" || intent === "fix-drift") {
    return { intent, drift: await recomputeReputation(context.db, { fix: intent === "fix-drift" }) };
  }
  if (intent === "restore-defaults") {
    await saveReputationRules(context.db, actor, DEFAULT_REPUTATION_RULES);
    return { intent, notice: "The default weights, cap and thresholds are back in force." };
  }
  if (intent !== "save-rules") throw data(null, { status: 400 });
  const parsed = parseForm(RulesFormSchema, form);
  if (!parsed.ok) return data({ intent, ...parsed }, { status: 400 });
  await saveReputationRules(context.db, actor, parsed.data);
  return { intent, notice: "Saved. New votes and accepts use these rules; reputation already earned stays as it is." };
}

export default function AdminReputation({ loaderData, actionData }: Route.ComponentProps) {
  const { values, holders } = loaderData;
  const failed = actionData && "ok" in actionData && !actionData.ok ? actionData : null;
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  const drift = actionData && "drift" in actionData ? actionData.drift : null;
  // After a failed save the form shows what the admin typed; otherwise the rules in force.
  const value = (key: string) => failed?.values[key] ?? values[key];
  const number = (key: string, label: string, hint?: string) => (
    <Field key={key} label={label} name={key} type="number" hint={hint} required defaultValue={value(key)} error={failed?.fieldErrors[key]} />
  );
  return (
    <>
      <PageHeader title="Reputation" description="How much each event is worth, how much people can earn from votes in a day, and what reputation unlocks." />
      <Notice message={notice} />
      <FormError message={failed ? "Some values need fixing; nothing was saved." : undefined} />
      <Form method="post" noValidate className="space-y-6">
        <input type="hidden" name="intent" value="save-rules" />
        <CardSection title="Weights" titleId="weights" description="Reputation given (or taken) by each event. Changes apply to new events only.">
          <div className="grid gap-x-6 sm:grid-cols-2 lg:grid-cols-3">{WEIGHT_FIELDS.map((f) => number(f.key, f.label, f.hint))}</div>
          {number("dailyCap", "Daily cap", "The most a person can earn from votes per UTC day. Accepts are not counted.")}
        </CardSection>
        <CardSection title="Privileges" titleId="privileges" description="The reputation each privilege needs. Moderators and admins hold them all.">
          <div className="grid gap-x-6 sm:grid-cols-2">
            {THRESHOLD_FIELDS.map((f) => (
              <div key={f.key}>
                {number(f.key, f.label)}
                <p className="-mt-3 mb-4 text-xs text-slate-600">
                  {holders[f.key].toLocaleString("en")} {holders[f.key] === 1 ? "person holds" : "people hold"} this now
                </p>
              </div>
            ))}
          </div>
        </CardSection>
        <div className="flex justify-end">
          <SubmitButton pendingText="Saving…">Save rules</SubmitButton>
        </div>
      </Form>
      <Form method="post" className="mt-4 flex justify-end">
        <Button name="intent" value="restore-defaults" variant="secondary">
          Restore defaults
        </Button>
      </Form>
      <CardSection
        className="mt-8"
        title="Ledger check"
        titleId="ledger-check"
        description="Totals and per-tag scores are kept in step with the reputation ledger. Check that they match, and set them to the ledger's values if not."
      >
        <Form method="post" className="mb-4 flex flex-wrap gap-3">
          <Button name="intent" value="check-drift" variant="secondary">
            Check reputation against the ledger
          </Button>
          {drift && !drift.fixed && (drift.users.length > 0 || drift.tags.length > 0) ? (
            <Button name="intent" value="fix-drift" variant="danger">
              Set them to the ledger's values
            </Button>
          ) : null}
        </Form>
        {drift ? <DriftReport drift={drift} /> : null}
      </CardSection>
    </>
  );
}
