import { data, redirect } from "react-router";
import type { Route } from "./+types/flag";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { flagComment, flagFormTarget } from "#app/features/moderation/flags.server.ts";
import { FlagSchema } from "#app/features/moderation/flag-schema.ts";
import { idParam, questionUrl } from "#app/features/qa/question-url.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { FlagForm } from "#app/components/qa/flag-form.tsx";
import { withNotice } from "#app/components/qa/moderation-notice.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Flag this comment · Commons" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const target = await flagFormTarget(context.db, actor, { commentId: idParam(params.commentId) });
  return { target, questionUrl: questionUrl(target.question), backUrl: questionUrl(target.question, target.anchor) };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  if (form.get("intent") !== "flag") throw data("Unknown action", { status: 400 });
  const commentId = idParam(params.commentId);
  const parsed = parseForm(FlagSchema, form);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await attempt(parsed.values, () => flagComment(context.db, actor, commentId, parsed.data));
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(withNotice(questionUrl(result.result.question, result.result.anchor), "flagged"));
}

export default function FlagCommentPage({ loaderData, actionData }: Route.ComponentProps) {
  return <FlagForm target={loaderData.target} questionUrl={loaderData.questionUrl} backUrl={loaderData.backUrl} failure={actionData && !actionData.ok ? actionData : null} />;
}
