import { data } from "react-router";
import type { Route } from "./+types/recognition";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { allowanceRules, knownDepartments, removeAllowanceRule, setAllowanceRule } from "#app/features/recognition/allowance-rules.server.ts";
import { AllowanceRuleSchema, ValueSchema } from "#app/features/recognition/kudos-schemas.ts";
import { allValues, createCompanyValue, moveCompanyValue, setValueArchived, updateCompanyValue } from "#app/features/recognition/values.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { type FormFailure, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Notice } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { AllowanceRulesSection, ValuesSection } from "#app/components/recognition/kudos-admin.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Recognition · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  const [values, rules, departments] = await Promise.all([allValues(context.db), allowanceRules(context.db), knownDepartments(context.db)]);
  return { values, rules, departments };
}

const NOTICES: Record<string, string> = {
  "create-value": "Value added: people can choose it on their next kudos.",
  "update-value": "Value saved.",
  "archive-value": "Value archived: old kudos keep it, new ones can't choose it.",
  "unarchive-value": "Value restored.",
  "move-value": "Order saved.",
  "set-rule": "Allowance saved. People who already gave this month keep this month's allowance; the rule applies to everyone else now, and to all from next month.",
  "remove-rule": "Rule removed: its people fall back to the next rule.",
};

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const db = context.db;
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const id = idParam(form.get("id"));
  const fail = (result: FormFailure) => data({ intent, id: Number.isNaN(id) ? null : id, ...result }, { status: 400 });
  const done = () => ({ ok: true as const, intent, notice: NOTICES[intent] ?? "Saved." });
  switch (intent) {
    case "create-value":
    case "update-value": {
      const parsed = parseForm(ValueSchema, form);
      const result = parsed.ok
        ? await attempt(parsed.values, async () => {
            if (intent === "create-value") await createCompanyValue(db, actor, parsed.data);
            else await updateCompanyValue(db, actor, id, parsed.data);
          })
        : parsed;
      return result.ok ? done() : fail(result);
    }
    case "archive-value":
    case "unarchive-value":
      await setValueArchived(db, actor, id, intent === "archive-value");
      return done();
    case "move-value": {
      const direction = form.get("direction");
      if (direction !== "up" && direction !== "down") throw data("Unknown direction", { status: 400 });
      await moveCompanyValue(db, actor, id, direction);
      return done();
    }
    case "set-rule": {
      const parsed = parseForm(AllowanceRuleSchema, form);
      const result = parsed.ok ? await attempt(parsed.values, () => setAllowanceRule(db, actor, parsed.data)) : parsed;
      return result.ok ? done() : fail({ ...result, values: { ...result.values, form: String(form.get("scope") ?? "") } });
    }
    case "remove-rule": {
      const result = await attempt({}, () => removeAllowanceRule(db, actor, id));
      return result.ok ? done() : fail(result);
    }
    default:
      throw data("Unknown action", { status: 400 });
  }
}

export default function AdminRecognition({ loaderData, actionData }: Route.ComponentProps) {
  const { values, rules, departments } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const notice = actionData && actionData.ok ? actionData.notice : null;
  return (
    <>
      <PageHeader title="Recognition" description="The company's values people choose on kudos, and how many points each person may give a month." />
      <Notice message={notice} />
      <div className="space-y-8">
        <ValuesSection values={values} failed={failed} />
        <AllowanceRulesSection rules={rules.rules} uncovered={rules.uncovered} departments={departments} failed={failed} />
      </div>
    </>
  );
}
