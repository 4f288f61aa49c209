import { Form, data } from "react-router";
import type { Route } from "./+types/expertise";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { recomputeStatus, startRecompute } from "#app/features/expertise/recompute.server.ts";
import { ExpertiseFormSchema, WEIGHT_FIELDS, expertiseFormValues, weightField } from "#app/features/expertise/settings-form.ts";
import { getExpertiseSettings, saveExpertiseSettings } from "#app/features/expertise/settings.server.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { plural } from "#app/lib/plural.ts";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { Field, FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Expertise · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireAdmin(context, request);
  const [settings, status] = await Promise.all([getExpertiseSettings(context.db), recomputeStatus(context.db)]);
  return { values: expertiseFormValues(settings), status };
}

/**
 * intent=save-settings (field errors with the typed values kept; a new half-life or weight starts
 * a full recompute in the background) or intent=recompute. The request never waits for a recompute.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireAdmin(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "recompute") {
    const started = startRecompute(context.db, context.log);
    return { ok: true as const, notice: started === "started" ? "Recomputing everyone's expertise in the background." : "A recompute is already running." };
  }
  if (intent !== "save-settings") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(ExpertiseFormSchema, form);
  if (!parsed.ok) return data(parsed, { status: 400 });
  // Settings this form doesn't show (added to the model later) keep their stored values.
  const current = await getExpertiseSettings(context.db);
  const { needsRecompute } = await saveExpertiseSettings(context.db, actor.id, { ...current, ...parsed.data });
  if (needsRecompute) startRecompute(context.db, context.log);
  return {
    ok: true as const,
    notice: needsRecompute
      ? "Saved. The half-life or a weight changed, so everyone's expertise is being recomputed in the background; rankings use the new values once it finishes."
      : "Saved. The new values apply from now on.",
  };
}

export default function AdminExpertise({ loaderData, actionData }: Route.ComponentProps) {
  const { values, status } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const notice = actionData?.ok ? actionData.notice : null;
  // After a failed save the form shows what the admin typed; otherwise the settings in force.
  const value = (key: string) => failed?.values[key] ?? values[key];
  const number = (key: string, label: string, hint?: string) => (
    <Field key={key} label={label} name={key} type="text" hint={hint} required defaultValue={value(key)} error={failed?.fieldErrors[key]} />
  );
  return (
    <>
      <PageHeader title="Expertise" description="How the expertise model weighs evidence, how fast it fades, when someone becomes a topic's SME, and how routing spreads questions." />
      <Notice message={notice} />
      <FormError message={failed ? "Some values need fixing; nothing was saved." : undefined} />
      <CardSection
        className="mb-6"
        title="Model status"
        titleId="model-status"
        actions={
          <Form method="post">
            <Button name="intent" value="recompute" variant="secondary" size="sm">
              Recompute now
            </Button>
          </Form>
        }
      >
        <p role="status" className="text-sm text-slate-700">
          {status.running ? "Recomputing… Rankings show the previous model until it finishes." : "Up to date: no full recompute is running."}{" "}
          {status.backlog > 0
            ? `${plural(status.backlog, "person waits", "people wait")} for the expertise worker to catch up with their latest work.`
            : "No one waits for the expertise worker."}
        </p>
      </CardSection>
      <Form method="post" noValidate className="space-y-6">
        <input type="hidden" name="intent" value="save-settings" />
        <CardSection title="Decay and confidence" titleId="decay" description="Changing the half-life recomputes everyone's expertise.">
          <div className="grid gap-x-6 sm:grid-cols-2">
            {number("halfLifeDays", "Half-life (days)", "Evidence counts half as much after this many days, a quarter after twice as many. 7 to 3,650.")}
            {number("confidenceK", "Confidence constant", "Confidence is n / (n + this), for n pieces of evidence: with 3, three pieces give 0.5.")}
          </div>
        </CardSection>
        <CardSection title="Evidence weights" titleId="weights" description="What each piece of evidence is worth before decay, 0 to 100. Changing one recomputes everyone's expertise.">
          <div className="grid gap-x-6 sm:grid-cols-2 lg:grid-cols-3">{WEIGHT_FIELDS.map((f) => number(weightField(f.kind), f.label, f.hint))}</div>
        </CardSection>
        <CardSection title="SMEs and suggestions" titleId="smes">
          <div className="grid gap-x-6 sm:grid-cols-2">
            {number("smeThreshold", "SME threshold", "A person becomes a topic's SME automatically while their ranking value there, from open spaces, is at least this.")}
            {number("similarityWeight", "Similarity weight", "How much similar past work counts against topic expertise when suggesting people for a question, 0 to 10.")}
          </div>
        </CardSection>
        <CardSection title="Routing" titleId="routing" description="For spaces with an answer deadline.">
          <div className="grid gap-x-6 sm:grid-cols-3">
            {number("expertsPerRound", "Experts per round", "How many experts each round reaches, 1 to 10.")}
            {number("weeklyLimit", "Weekly limit", "Nobody is routed more than this many questions in seven days, 1 to 100.")}
            {number("answerReputation", "Reputation for a routed answer", "Earned by answering a question routed to you, 0 to 100.")}
          </div>
        </CardSection>
        <div className="flex justify-end">
          <SubmitButton pendingText="Saving…">Save settings</SubmitButton>
        </div>
      </Form>
    </>
  );
}
