import { Form } from "react-router";
import type { PublicationView } from "#app/features/publishing/publishing.server.ts";
import type { FormFailure } from "#app/lib/forms.ts";
import { Badge } from "#app/components/badge.tsx";
import { CardSection } from "#app/components/card.tsx";
import { FormError, SubmitButton } from "#app/components/form.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

const CAPACITY = { moderator: "moderator of the space", sme: "SME of the topic", admin: "admin (the topic has no SME)" } as const;
const AS = { moderator: "moderator", sme: "SME", admin: "admin" } as const;

/**
 * The two-person rule on the page: who approved, as what and at which version; the viewer's
 * "Approve as …" when they may, otherwise what the draft still waits for, in words.
 */
export function ApprovalsPanel({
  view,
  spaceName,
  failure,
  now,
}: {
  view: Pick<PublicationView, "approvals" | "can" | "blockers" | "revision" | "status">;
  spaceName: string;
  failure: FormFailure | null;
  now: number;
}) {
  const { approvals, can, blockers } = view;
  return (
    <CardSection
      title="Approvals"
      titleId="approvals-heading"
      description={`Two people approve it: a moderator of ${spaceName}, and an SME of its topic (an admin where the topic has none). The proposer can't approve their own draft. The second approval publishes it.`}
    >
      {approvals.length === 0 ? (
        <p className="text-sm text-slate-600">No approvals yet.</p>
      ) : (
        <ul className="space-y-2 text-sm" aria-label="Approvals given">
          {approvals.map((a) => (
            <li key={`${a.user.id}-${a.revision}`} className="flex flex-wrap items-center gap-2">
              <span className={a.current ? "text-slate-900" : "text-slate-500 line-through"}>
                {a.user.name} approved as {CAPACITY[a.capacity]} (version {a.revision}), <RelativeTime date={a.createdAt} now={now} />
              </span>
              {a.current ? <Badge tone="green">Counts</Badge> : <Badge>No longer counts: the draft changed since</Badge>}
            </li>
          ))}
        </ul>
      )}
      {view.status === "draft" && blockers.length > 0 ? (
        <div className="mt-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <p className="font-medium">It can't be approved yet:</p>
          <ul className="mt-1 list-inside list-disc">
            {blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {can.approve && can.approveAs ? (
        <Form method="post" className="mt-4">
          <input type="hidden" name="intent" value="approve" />
          <input type="hidden" name="revision" value={view.revision} />
          <FormError message={failure?.formError ?? Object.values(failure?.fieldErrors ?? {})[0]} />
          <SubmitButton pendingText="Approving…">Approve as {AS[can.approveAs]}</SubmitButton>
          <p className="mt-2 text-xs text-slate-500">You approve version {view.revision}, as shown in the preview below.</p>
        </Form>
      ) : failure ? (
        <FormError message={failure.formError ?? Object.values(failure.fieldErrors)[0]} />
      ) : null}
    </CardSection>
  );
}
