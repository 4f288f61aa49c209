import { data, href, redirect } from "react-router";
import type { Route } from "./+types/new";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { giveFormView, receiversText } from "#app/features/recognition/feeds.server.ts";
import { giveKudos, resolveReceivers } from "#app/features/recognition/kudos.server.ts";
import { GiveKudosFormSchema } from "#app/features/recognition/kudos-schemas.ts";
import { attempt, NotFoundError } from "#app/lib/errors.ts";
import { type FormFailure, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { EmptyState } from "#app/components/empty-state.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RecognitionTabs } from "#app/components/recognition/recognition-tabs.tsx";
import { KudosGiveForm } from "#app/components/recognition/kudos-give-form.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Give kudos · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const search = new URL(request.url).searchParams;
  // `?item=` names the thing thanked: anything but a thing the reader sees is the 404 of a missing one.
  const item = search.has("item") ? idParam(search.get("item")) : undefined;
  if (Number.isNaN(item)) throw new NotFoundError();
  const to = idParam(search.get("to"));
  const view = await giveFormView(context.db, actor, { item, to: Number.isNaN(to) ? [] : [to] });
  return { ...view, receivers: receiversText(view.preselected), submissionKey: crypto.randomUUID() };
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(GiveKudosFormSchema, await readForm(request));
  const result = parsed.ok
    ? await attempt(parsed.values, async () => {
        const receivers = await resolveReceivers(context.db, parsed.data.receivers);
        return giveKudos(context.db, actor, {
          receiverIds: receivers.map((r) => r.id),
          valueId: parsed.data.valueId,
          pointsEach: parsed.data.pointsEach,
          message: parsed.data.message,
          private: parsed.data.private,
          subjectItemId: parsed.data.subjectItemId,
          submissionKey: parsed.data.submissionKey ?? null,
        });
      })
    : parsed;
  if (!result.ok) return data(onReceiversField(result), { status: 400 });
  throw redirect(href("/kudos/:kudosId", { kudosId: String(result.result.id) }));
}

/** The feature names the receivers `receiverIds`; the form's field is `receivers`. */
function onReceiversField(failure: FormFailure): FormFailure {
  const { receiverIds, ...rest } = failure.fieldErrors;
  return receiverIds ? { ...failure, fieldErrors: { receivers: receiverIds, ...rest } } : failure;
}

export default function GiveKudos({ loaderData, actionData }: Route.ComponentProps) {
  const { values, allowance, subject, receivers, submissionKey } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        crumbs={[{ label: "Kudos", to: href("/kudos") }]}
        title="Give kudos"
        description="Thank colleagues for something they did, for one of the company's values, with points from your monthly allowance."
      />
      <RecognitionTabs />
      {values.length === 0 ? (
        <EmptyState title="No company values yet">Kudos are given for one of the company's values, and an admin has not added any yet.</EmptyState>
      ) : (
        <KudosGiveForm values={values} allowance={allowance} subject={subject} receivers={receivers} failed={failed} submissionKey={submissionKey} />
      )}
    </div>
  );
}
