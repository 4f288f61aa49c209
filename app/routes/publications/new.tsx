import { Link, data, href, redirect } from "react-router";
import type { Route } from "./+types/new";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { proposePublication } from "#app/features/publishing/publishing.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { Card } from "#app/components/card.tsx";
import { FormError } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { ProposeSchema } from "#app/components/publishing/form-schemas.ts";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Propose for the public forum · Commons" }];
}

// Proposing is a button on the question's page; this URL has no page of its own.
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireEmployee(context, request);
  throw redirect(href("/publications"));
}

/**
 * A draft from the question (or the draft already open for it) and to its page. The one refusal
 * a person can read about (an anonymous question) comes back here with a way back.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const parsed = parseForm(ProposeSchema, await readForm(request));
  const result = parsed.ok ? await attempt(parsed.values, () => proposePublication(context.db, actor, parsed.data.questionId)) : parsed;
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(href("/publications/:publicationId", { publicationId: String(result.result.id) }));
}

export default function ProposePublication({ actionData }: Route.ComponentProps) {
  const message = actionData ? (actionData.formError ?? Object.values(actionData.fieldErrors)[0] ?? "This question can't be proposed.") : undefined;
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Propose for the public forum" />
      <Card className="p-5">
        <FormError message={message} />
        <p className="text-sm text-slate-700">
          Questions are proposed from their own page.{" "}
          <Link to={href("/publications")} className="font-medium text-brand-700 hover:underline">
            See what is in review
          </Link>
          .
        </p>
      </Card>
    </div>
  );
}
