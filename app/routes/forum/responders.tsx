import { data } from "react-router";
import type { z } from "zod";
import type { Route } from "./+types/responders";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { AddResponderSchema, ClearTopicSlaSchema, DefaultSlaSchema, RemoveResponderSchema, TopicSlaSchema } from "#app/features/forum-queue/schemas.ts";
import { addResponder, clearTopicSla, isForumModerator, removeResponder, respondersPage, saveDefaultSla, setTopicSla } from "#app/features/forum-queue/settings.server.ts";
import { attempt, ForbiddenError } from "#app/lib/errors.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { ResponderForms, TopicList, type ResponderFailure } from "#app/components/forum-desk/queue-responders.tsx";
import { Notice } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Responders and SLAs · Forum desk · Commons" }];
}

/** `/forum/responders`: who answers customers per topic besides its SMEs, and each topic's SLA. Every employee reads; moderators and admins edit. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  return respondersPage(context.db, actor, pageParam(new URL(request.url)));
}

type Done = { ok: true; intent: string; notice: string };

/** Runs one intent's schema and feature; a bad form or a refused change comes back with the typed values. */
async function run<S extends z.ZodType>(intent: string, schema: S, form: FormData, feature: (input: z.output<S>) => Promise<string>) {
  const parsed = parseForm(schema, form);
  const result = parsed.ok ? await attempt(parsed.values, () => feature(parsed.data)) : parsed;
  if (!result.ok) return data({ ...result, intent } satisfies ResponderFailure, { status: 400 });
  return { ok: true, intent, notice: result.result } satisfies Done;
}

/** intent=add-responder | remove-responder | set-sla | clear-sla | default-sla; moderators and admins only (403 otherwise). */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  if (!isForumModerator(actor)) throw new ForbiddenError("Only moderators and admins change forum responders and SLAs.");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const db = context.db;
  switch (intent) {
    case "add-responder":
      return run(intent, AddResponderSchema, form, async (d) => {
        const r = await addResponder(db, actor, d);
        return r.added ? `${r.name} now answers customers on ${d.topic}.` : `${r.name} was a responder for ${d.topic} already.`;
      });
    case "remove-responder":
      return run(intent, RemoveResponderSchema, form, async (d) =>
        (await removeResponder(db, actor, d.topic, d.userId)) ? "Responder removed." : "They were not a responder for that topic.",
      );
    case "set-sla":
      return run(intent, TopicSlaSchema, form, async (d) => {
        await setTopicSla(db, actor, d.topic, d.slaHours);
        return `Customers asking on ${d.topic} now get a first answer within ${d.slaHours} h.`;
      });
    case "clear-sla":
      return run(intent, ClearTopicSlaSchema, form, async (d) => {
        await clearTopicSla(db, actor, d.topic);
        return `${d.topic} uses the default SLA again.`;
      });
    case "default-sla":
      return run(intent, DefaultSlaSchema, form, async (d) => {
        await saveDefaultSla(db, actor, d.defaultSlaHours);
        return `The default SLA is now ${d.defaultSlaHours} h.`;
      });
    default:
      throw data("Unknown action", { status: 400 });
  }
}

export default function ForumResponders({ loaderData, actionData }: Route.ComponentProps) {
  const { topics, total, offset, pageSize, defaultSlaHours, canEdit } = loaderData;
  const failure = actionData && !actionData.ok ? (actionData as ResponderFailure) : null;
  return (
    <div className="mx-auto max-w-4xl">
      <ForumDeskNav hide={canEdit ? [] : ["moderation"]} />
      <PageHeader
        title="Responders and SLAs"
        description="A customer's question goes to the SMEs of its topics and to the responders moderators name here; only they answer in public. Each topic promises a first answer within its SLA."
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      {canEdit ? <ResponderForms defaultSlaHours={defaultSlaHours} failure={failure} /> : <p className="mb-6 text-sm text-slate-600">The default SLA is {defaultSlaHours} h.</p>}
      <TopicList topics={topics} total={total} offset={offset} pageSize={pageSize} canEdit={canEdit} defaultSlaHours={defaultSlaHours} />
    </div>
  );
}
