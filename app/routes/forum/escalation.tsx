import { data, redirect } from "react-router";
import type { Route } from "./+types/escalation";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import {
  assignEscalation,
  dismissEscalation,
  escalationPage,
  openInternalQuestion,
  resolveEscalation,
  setEscalationSeverity,
  setEscalationStatus,
} from "#app/features/escalations/escalations.server.ts";
import { AssignSchema, OpenQuestionSchema, ResolveSchema, SeveritySchema, StatusSchema } from "#app/features/escalations/schemas.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { EscalationView } from "#app/components/forum-desk/escalation-page.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Escalation: ${loaderData.thread.title} · Forum desk · Commons` : "Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = await escalationPage(context.db, actor, idParam(params.escalationId));
  return { ...page, now: Date.now(), desk: actor.role === "moderator" || actor.role === "admin", submissionKey: crypto.randomUUID() };
}

const INTENTS = ["assign", "severity", "status", "open-question", "resolve", "dismiss"] as const;
type Intent = (typeof INTENTS)[number];

/** intent=assign|severity|status|open-question|resolve|dismiss; each one form, its errors beside its fields. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const id = idParam(params.escalationId);
  const db = context.db;
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "") as Intent;
  if (!INTENTS.includes(intent)) throw data("Unknown action", { status: 400 });
  const run = async <T,>(
    parsed: { ok: true; data: T; values: Record<string, string> } | { ok: false; fieldErrors: Record<string, string | undefined>; values: Record<string, string> },
    call: (input: T) => Promise<string>,
  ) => {
    const result = parsed.ok ? await attempt(parsed.values, () => call(parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    return { ok: true as const, intent, notice: result.result };
  };
  switch (intent) {
    case "assign":
      return run(parseForm(AssignSchema, form), async (input) => {
        const { changed, name } = await assignEscalation(db, actor, id, input);
        return !changed ? "Nothing changed." : name ? `Assigned to ${name}.` : "Nobody is assigned now.";
      });
    case "severity":
      return run(parseForm(SeveritySchema, form), async (input) => ((await setEscalationSeverity(db, actor, id, input.severity)).changed ? "Severity changed." : "Nothing changed."));
    case "status":
      return run(parseForm(StatusSchema, form), async (input) => ((await setEscalationStatus(db, actor, id, input.status)).changed ? "Status changed." : "Nothing changed."));
    case "open-question": {
      const parsed = parseForm(OpenQuestionSchema, form);
      const result = parsed.ok ? await attempt(parsed.values, () => openInternalQuestion(db, actor, id, parsed.data)) : parsed;
      if (!result.ok) return data({ ...result, intent }, { status: 400 });
      throw redirect(questionUrl({ id: result.result.questionId, title: result.result.title }));
    }
    case "resolve":
      return run(parseForm(ResolveSchema, form), async (input) =>
        (await resolveEscalation(db, actor, id, input)).changed ? "Resolved. Customers see the outcome on the thread now." : "It was resolved already.",
      );
    case "dismiss":
      return run({ ok: true, data: null, values: {} }, async () =>
        (await dismissEscalation(db, actor, id)).changed ? "Dismissed as a false alarm. The thread no longer says it was escalated." : "It was dismissed already.",
      );
  }
}

export default function Escalation({ loaderData, actionData }: Route.ComponentProps) {
  return <EscalationView page={loaderData} result={actionData ?? null} />;
}
