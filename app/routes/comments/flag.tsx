import type { Route } from "./+types/flag";
import { flagPage, submitFlag } from "#app/features/moderation/flag-page.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { FlagForm } from "#app/components/qa/flag-form.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Flag this comment · Commons" }];
}

export function loader({ request, context, params }: Route.LoaderArgs) {
  return flagPage(context, request, { commentId: idParam(params.commentId) });
}

export function action({ request, context, params }: Route.ActionArgs) {
  return submitFlag(context, request, { commentId: idParam(params.commentId) });
}

export default function FlagCommentPage({ loaderData, actionData }: Route.ComponentProps) {
  return <FlagForm target={loaderData.target} failure={actionData && !actionData.ok ? actionData : null} />;
}
