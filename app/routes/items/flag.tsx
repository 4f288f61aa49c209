import type { Route } from "./+types/flag";
import { flagPage, submitFlag } from "#app/features/moderation/flag-page.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { FlagForm } from "#app/components/qa/flag-form.tsx";

/** The flag page of any item whose kind takes flags (a question, an answer, an idea). */

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Flag this ${loaderData.target.kind} · Commons` : "Commons" }];
}

export function loader({ request, context, params }: Route.LoaderArgs) {
  return flagPage(context, request, { itemId: idParam(params.itemId) });
}

export function action({ request, context, params }: Route.ActionArgs) {
  return submitFlag(context, request, { itemId: idParam(params.itemId) });
}

export default function FlagItem({ loaderData, actionData }: Route.ComponentProps) {
  return <FlagForm target={loaderData.target} failure={actionData && !actionData.ok ? actionData : null} />;
}
