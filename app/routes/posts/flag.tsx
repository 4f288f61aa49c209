import type { Route } from "./+types/flag";
import { flagPage, submitFlag } from "#app/features/moderation/flag-page.server.ts";
import { idParam } from "#app/features/qa/question-url.ts";
import { FlagForm } from "#app/components/qa/flag-form.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Flag this ${loaderData.target.kind} · Commons` : "Commons" }];
}

export function loader({ request, context, params }: Route.LoaderArgs) {
  return flagPage(context, request, { postId: idParam(params.postId) });
}

export function action({ request, context, params }: Route.ActionArgs) {
  return submitFlag(context, request, { postId: idParam(params.postId) });
}

export default function FlagPost({ loaderData, actionData }: Route.ComponentProps) {
  return <FlagForm target={loaderData.target} questionUrl={loaderData.questionUrl} backUrl={loaderData.backUrl} failure={actionData && !actionData.ok ? actionData : null} />;
}
