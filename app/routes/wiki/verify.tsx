import { Form, data, href, redirect } from "react-router";
import type { Route } from "./+types/verify";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { loadPage } from "#app/features/wiki/access.server.ts";
import { DEFAULT_REVIEW_INTERVAL, REVIEW_INTERVALS, VerifySchema } from "#app/features/wiki/governance-schemas.ts";
import { wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { unverifyPage, verifyPage } from "#app/features/wiki/verification.server.ts";
import { needsReview } from "#app/features/wiki/view.server.ts";
import { attempt, ForbiddenError } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { FormError, SubmitButton } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { RadioCards } from "#app/components/radio-cards.tsx";
import { VerificationLine } from "#app/components/wiki/verification-status.tsx";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Verify ${loaderData.page.title} · Commons` : "Commons" }];
}

/** The verify form on its own page (the page's panel carries the same form); owners and moderators only. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const { page, space, canManage } = await loadPage(context.db, actor, { pageId: idParam(params.pageId) });
  if (!canManage) throw new ForbiddenError("Only the page's owners and the space's moderators verify it.");
  const now = new Date();
  return {
    page: { id: page.id, title: page.title, url: wikiPageUrl(page) },
    space: { slug: space.slug, name: space.name },
    verification: {
      verifiedAt: page.verifiedAt,
      verifiedBy: null,
      reviewIntervalDays: page.reviewIntervalDays,
      reviewDueAt: page.reviewDueAt,
      needsReview: needsReview(page, now),
    },
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const pageId = idParam(params.pageId);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "unverify") {
    await unverifyPage(context.db, actor, pageId);
  } else if (intent === "verify") {
    const parsed = parseForm(VerifySchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => verifyPage(context.db, actor, pageId, parsed.data)) : parsed;
    if (!result.ok) return data(result, { status: 400 });
  } else {
    throw data("Unknown action", { status: 400 });
  }
  const { page } = await loadPage(context.db, actor, { pageId });
  throw redirect(wikiPageUrl(page));
}

export default function VerifyPage({ loaderData, actionData }: Route.ComponentProps) {
  const { page, space, verification } = loaderData;
  const failed = actionData && !actionData.ok ? actionData : null;
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        crumbs={[
          { label: space.name, to: href("/spaces/:slug/wiki", { slug: space.slug }) },
          { label: page.title, to: page.url },
        ]}
        title="Verify this page"
        description="Verifying says you checked the page and it is right. Readers see it as verified until its review date; then it shows “needs review” and its owners are reminded."
      />
      <Card className="p-6">
        <div className="mb-4">
          <VerificationLine verification={verification} />
        </div>
        <FormError message={failed?.formError} />
        <Form method="post" noValidate>
          <RadioCards
            legend="Review it again after"
            name="intervalDays"
            choices={REVIEW_INTERVALS.map((days) => ({ value: String(days), label: `${days} days` }))}
            defaultValue={failed?.values.intervalDays ?? String(verification.reviewIntervalDays ?? DEFAULT_REVIEW_INTERVAL)}
            error={failed?.fieldErrors.intervalDays}
          />
          <div className="flex items-center justify-end gap-3 border-t border-slate-100 pt-5">
            <ButtonLink to={page.url} variant="ghost">
              Cancel
            </ButtonLink>
            <SubmitButton name="intent" value="verify" pendingText="Verifying…">
              Verify
            </SubmitButton>
          </div>
        </Form>
        {verification.verifiedAt ? (
          <Form method="post" className="mt-4 border-t border-slate-100 pt-4">
            <SubmitButton name="intent" value="unverify" variant="secondary">
              Remove verification
            </SubmitButton>
          </Form>
        ) : null}
      </Card>
    </div>
  );
}
