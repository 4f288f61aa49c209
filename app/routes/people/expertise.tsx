import { Form, Link, data, href } from "react-router";
import type { Route } from "./+types/expertise";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { declareTopics, DeclareSchema, ownExpertise, setTopicHidden, TopicSchema, undeclareTopic } from "#app/features/expertise/topics.server.ts";
import { NotFoundError, attempt } from "#app/lib/errors.ts";
import { pageParam, parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { CardSection } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { FormError, Notice, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { TagInput } from "#app/components/qa/tag-input.tsx";
import { AvailabilityBadge } from "#app/components/expertise/availability.tsx";
import { HowScoresWork } from "#app/components/expertise/how-scores-work.tsx";
import { TopicExplanation } from "#app/components/expertise/topic-explanation.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Your expertise · Commons" }];
}

/** Only its person opens this page; everyone else (HR and admins too) gets the 404 of a missing one. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const expertise = await ownExpertise(context.db, actor, idParam(params.userId), { page: pageParam(new URL(request.url)) });
  return { ...expertise, userId: actor.id };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  if (actor.id !== idParam(params.userId)) throw new NotFoundError();
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "declare") {
    const parsed = parseForm(DeclareSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => declareTopics(context.db, actor, parsed.data.tags)) : parsed;
    if (!result.ok) return data({ ...result, intent }, { status: 400 });
    const added = result.result;
    return { ok: true as const, intent, notice: added.length > 0 ? `Declared: ${added.join(", ")}.` : "You had declared those skills already." };
  }
  if (intent === "undeclare" || intent === "hide" || intent === "show") {
    const parsed = parseForm(TopicSchema, form);
    if (!parsed.ok) return data({ ...parsed, intent }, { status: 400 });
    const { tag } = parsed.data;
    if (intent === "undeclare") await undeclareTopic(context.db, actor, tag);
    else await setTopicHidden(context.db, actor, tag, intent === "hide");
    const notice = { undeclare: `${tag} is no longer one of your declared skills.`, hide: `${tag} is hidden from everyone else.`, show: `${tag} is shown to others again.` }[intent];
    return { ok: true as const, intent, notice };
  }
  throw data("Unknown action", { status: 400 });
}

export default function YourExpertise({ loaderData, actionData }: Route.ComponentProps) {
  const { userId, topics, settings, total, offset, pageSize, pending, availability, hiddenCount, declaredCount, declaredMax } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  const profileUrl = href("/people/:userId", { userId: String(userId) });
  const here = href("/people/:userId/expertise", { userId: String(userId) });
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Your profile", to: profileUrl }]}
        title="Your expertise"
        description="Every score shown about you, explained: which of your work counts, how much, and how it fades. You choose which topics others see."
      />
      <Notice message={actionData?.ok ? actionData.notice : null} />
      {failed && failed.intent !== "declare" ? <FormError message={failed.formError ?? Object.values(failed.fieldErrors)[0]} /> : null}
      {pending ? (
        <p role="status" className="mb-4 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
          Your latest changes are being applied: the experts page and search show them within a minute.
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {total === 0 ? (
            <EmptyState title="No expertise yet">
              Answers, accepted answers, pages you own or verify, ideas that are accepted and kudos on tagged work build it. You can declare skills too: they count least until evidence backs
              them.
            </EmptyState>
          ) : (
            <>
              <p className="text-sm text-slate-600">
                {total.toLocaleString("en")} {total === 1 ? "topic" : "topics"}, strongest first
                {hiddenCount > 0 ? `; ${hiddenCount.toLocaleString("en")} hidden from others` : ""}.
              </p>
              {topics.map((t) => (
                <TopicExplanation key={t.tagId} topic={t} settings={settings} />
              ))}
              <Pagination offset={offset} pageSize={pageSize} total={total} shown={topics.length} pageHref={(page) => `${here}?page=${page}`} label="Topic pages" />
            </>
          )}
        </div>
        <div className="space-y-6">
          <CardSection
            title="Declare a skill"
            titleId="declare"
            description={`Topics you know that your work here doesn't show yet: existing tags only, ${declaredMax} at most (${declaredCount} declared).`}
          >
            <Form method="post" key={actionData?.ok && actionData.intent === "declare" ? actionData.notice : "declare"}>
              <input type="hidden" name="intent" value="declare" />
              <TagInput
                label="Skills"
                defaultValue={failed?.intent === "declare" ? failed.values.tags : undefined}
                error={failed?.intent === "declare" ? failed.fieldErrors.tags : undefined}
              />
              {failed?.intent === "declare" ? <FormError message={failed.formError} /> : null}
              <SubmitButton pendingText="Declaring…">Declare</SubmitButton>
            </Form>
          </CardSection>
          <CardSection title="Availability" titleId="availability">
            <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
              <AvailabilityBadge availability={availability} />
              <Link to={href("/settings/expertise")} className="font-medium text-brand-700 hover:underline">
                Change
              </Link>
            </p>
            <p className="mt-2 text-xs text-slate-500">
              {availability.rolesOptOut ? "You are left out of the people analytics' role lists." : "The people analytics' role lists may name you."}
            </p>
          </CardSection>
          <HowScoresWork settings={settings} />
        </div>
      </div>
    </>
  );
}
