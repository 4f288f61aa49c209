import { Link, data, redirect } from "react-router";
import type { Route } from "./+types/ask-expert";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { loadQuestion } from "#app/features/qa/access.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { askExpert } from "#app/features/routing/ask.server.ts";
import { AskExpertSchema } from "#app/features/routing/schemas.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { Card } from "#app/components/card.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

/**
 * POST /questions/:questionId/experts/ask with `intent=ask` and `userId`: "Ask this person" on the
 * question page. Its buttons post here through a fetcher (`_fetcher=1`) and get JSON back,
 * `{ ok: true, created, name }` or `{ ok: false, message }` with a 400. Without JavaScript the
 * browser goes back to the question, or, when the ask was refused, sees why on this page. A person
 * who does not exist, or cannot see the question's space, is the 404 of a missing one.
 */

export function meta(_: Route.MetaArgs) {
  return [{ title: "Ask this person · Commons" }];
}

/** The way back to the question (this page only shows when an ask without JavaScript was refused). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { post } = await loadQuestion(context.db, actor, idParam(params.questionId));
  return { back: questionUrl(post) };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  if (form.get("intent") !== "ask") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(AskExpertSchema, form);
  // The page fills the person in: anything but an id names no one.
  if (!parsed.ok) throw new NotFoundError();
  let url: string;
  try {
    const result = await askExpert(context.db, actor, idParam(params.questionId), parsed.data.userId);
    if (form.get("_fetcher") === "1") return { ok: true as const, created: result.created, name: result.name };
    url = result.url;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return data({ ok: false as const, message: error.message }, { status: 400 });
  }
  throw redirect(`${url}#experts`);
}

export default function AskExpertRefused({ loaderData, actionData }: Route.ComponentProps) {
  const message = actionData && !actionData.ok ? actionData.message : null;
  return (
    <div className="mx-auto max-w-xl">
      <PageHeader title={message ? "The question was not sent" : "Ask this person"} />
      <Card className="p-6">
        <p role="alert" className="text-base text-slate-700">
          {message ?? "People are asked from a question's page, under “People who could answer”."}
        </p>
        <p className="mt-4">
          <Link to={loaderData.back} className="font-medium text-brand-700 hover:underline">
            Back to the question
          </Link>
        </p>
      </Card>
    </div>
  );
}
