import { Form, data, href } from "react-router";
import type { Route } from "./+types/search";
import { requireAdmin } from "#app/features/auth/session.server.ts";
import { checkIndexes, deadLetters, retryDeadLetters, searchHealth } from "#app/features/search/admin.server.ts";
import { pageParam, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { FormError, Notice } from "#app/components/form.tsx";
import { DeadLetterTable, MeiliPanel, OutboxPanel } from "#app/components/admin/search-health.tsx";
import { DeadLettersCard } from "#app/components/admin/queue-health.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Search · Admin · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireAdmin(context, request);
  const [health, dead] = await Promise.all([searchHealth(context.db, context.search), deadLetters(context.db, actor, pageParam(new URL(request.url)))]);
  return { health, dead, now: Date.now() };
}

export async function action({ request, context }: Route.ActionArgs) {
  await requireAdmin(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "retry" || intent === "retry-all") {
    const id = idParam(form.get("id"));
    if (intent === "retry" && Number.isNaN(id)) throw data(null, { status: 400 });
    const retried = await retryDeadLetters(context.db, intent === "retry" ? [id] : undefined);
    const notice =
      retried === 0
        ? "Nothing to retry: those changes are no longer waiting for a retry."
        : `${retried === 1 ? "1 change is" : `${retried} changes are`} back in line; the relay indexes ${retried === 1 ? "it" : "them"} in a moment.`;
    return { intent, ok: true, notice };
  }
  if (intent === "check-index") {
    const check = await checkIndexes(context.db, context.search, {
      onError: (error) => context.log.warn({ err: error }, "search admin: reconcile failed"),
    });
    return { intent, ok: check.ok, notice: check.message };
  }
  throw data(null, { status: 400 });
}

export default function AdminSearch({ loaderData, actionData }: Route.ComponentProps) {
  const { health, dead, now } = loaderData;
  const retried = actionData && actionData.intent !== "check-index" ? actionData : null;
  const checked = actionData?.intent === "check-index" ? actionData : null;
  const pageHref = (page: number) => (page > 1 ? `${href("/admin/search")}?page=${page}` : href("/admin/search"));
  return (
    <>
      <PageHeader title="Search" description="Whether the search index keeps up with what people write, and what to do when it does not." />
      {retried ? <Notice message={retried.notice} /> : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <OutboxPanel health={health.outbox} summary={health.summary} />
        <MeiliPanel status={health.meili} />
      </div>
      <DeadLettersCard
        total={dead.total}
        description="Changes the relay gave up on after repeated failures. Fix the cause (the error says what), then retry: the relay indexes the item as it is now."
      >
        <DeadLetterTable dead={dead} now={now} pageHref={pageHref} />
      </DeadLettersCard>
      <CardSection
        className="mt-6"
        title="Index check"
        titleId="index-check"
        description="Compares every question, person, idea, wiki page, article, public kudos and badge in the database with the search indexes and queues whatever is missing, out of date or left over for the relay."
      >
        <Form method="post">
          <Button name="intent" value="check-index">
            Check index now
          </Button>
        </Form>
        {checked ? <div className="mt-4">{checked.ok ? <Notice message={checked.notice} /> : <FormError message={checked.notice} />}</div> : null}
        <div className="mt-4 text-sm text-slate-600">
          <p>From the command line, on a server with the app's environment:</p>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            <li>
              <code className="rounded bg-slate-100 px-1 py-0.5 text-slate-800">npm run search:reconcile</code>: the same check as this button.
            </li>
            <li>
              <code className="rounded bg-slate-100 px-1 py-0.5 text-slate-800">npm run search:reindex</code>: rebuilds every index from the database into a new one and swaps it in; search
              keeps working while it runs.
            </li>
          </ul>
        </div>
      </CardSection>
    </>
  );
}
