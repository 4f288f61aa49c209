import { Form, Link, href } from "react-router";
import { REDEMPTION_NOTE_MAX } from "#app/features/recognition/reward-schemas.ts";
import { absoluteTime } from "#app/lib/time.ts";
import type { FieldErrors } from "#app/lib/forms.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { Button } from "#app/components/button.tsx";
import { Field } from "#app/components/form.tsx";
import { RedemptionStatusBadge, type RedemptionStatus } from "./reward-status.tsx";

/** A redemption as HR's pages list it. */
export type ManagedRedemption = {
  id: number;
  status: RedemptionStatus;
  cost: number;
  note: string;
  createdAt: Date | string;
  approvedAt: Date | string | null;
  closedAt: Date | string | null;
  reward: { id: number; name: string };
  person: { id: number; name: string; department: string };
  handledBy: { id: number; name: string } | null;
};

/** A failed form on HR's page: which one (intent and row), with what was typed and what was wrong. */
export type ManageFailure = { intent: string; target: string; fieldErrors: FieldErrors; formError?: string; values: Record<string, string> };

function PersonLink({ person }: { person: ManagedRedemption["person"] }) {
  return (
    <Link to={href("/people/:userId", { userId: String(person.id) })} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
      {person.name}
    </Link>
  );
}

/**
 * One request in HR's queue: who, what, for how much and since when, with the step it waits for
 * (approve a requested one, fulfil an approved one) and, for both, declining with a note (the
 * points and the stock go back).
 */
function QueueItem({ r, failure }: { r: ManagedRedemption; failure: ManageFailure | null }) {
  const mine = failure && failure.target === String(r.id) ? failure : null;
  const what = `${r.person.name}'s ${r.reward.name}`;
  return (
    <li className="px-5 py-4">
      <div className="flex flex-wrap items-start gap-3">
        <Avatar name={r.person.name} size="sm" className="mt-0.5" />
        <div className="min-w-0 flex-1">
          <h3 className="flex flex-wrap items-center gap-2 text-sm">
            <PersonLink person={r.person} />
            <span className="text-slate-500">{r.person.department}</span>
            <RedemptionStatusBadge status={r.status} />
          </h3>
          <p className="mt-0.5 text-sm break-words text-slate-800">
            <span className="font-semibold">{r.reward.name}</span> · {r.cost.toLocaleString("en")} points
          </p>
          <p className="mt-0.5 text-xs text-slate-500">
            Requested <time dateTime={new Date(r.createdAt).toISOString()}>{absoluteTime(r.createdAt)}</time>
            {r.approvedAt ? (
              <>
                {" "}
                · approved <time dateTime={new Date(r.approvedAt).toISOString()}>{absoluteTime(r.approvedAt)}</time>
                {r.handledBy ? ` by ${r.handledBy.name}` : ""}
              </>
            ) : null}
          </p>
        </div>
      </div>
      <div className="mt-3 flex flex-wrap items-start gap-3 pl-11">
        {r.status === "requested" ? (
          <Form method="post">
            <input type="hidden" name="redemptionId" value={r.id} />
            <Button name="intent" value="approve" size="sm" variant="primary">
              Approve<span className="sr-only"> {what}</span>
            </Button>
          </Form>
        ) : (
          <Form method="post" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="redemptionId" value={r.id} />
            <Field
              label={`How it was fulfilled, for ${r.person.name} (optional)`}
              name="note"
              maxLength={REDEMPTION_NOTE_MAX}
              defaultValue={mine?.intent === "fulfil" ? mine.values.note : undefined}
              error={mine?.intent === "fulfil" ? mine.fieldErrors.note : undefined}
            />
            <div className="mb-4">
              <Button name="intent" value="fulfil" size="sm" variant="primary">
                Mark fulfilled<span className="sr-only"> ({what})</span>
              </Button>
            </div>
          </Form>
        )}
        <details className="min-w-64 flex-1" open={mine?.intent === "decline"}>
          <summary className="cursor-pointer text-sm font-medium text-red-700">
            Decline…<span className="sr-only"> {what}</span>
          </summary>
          <Form method="post" className="mt-2">
            <input type="hidden" name="redemptionId" value={r.id} />
            <Field
              label={`Why you decline ${what}`}
              name="note"
              multiline
              rows={2}
              maxLength={REDEMPTION_NOTE_MAX}
              hint="They read this with their points back."
              defaultValue={mine?.intent === "decline" ? mine.values.note : undefined}
              error={mine?.intent === "decline" ? mine.fieldErrors.note : undefined}
            />
            <Button name="intent" value="decline" size="sm" variant="danger">
              Decline and refund<span className="sr-only"> {what}</span>
            </Button>
          </Form>
        </details>
      </div>
    </li>
  );
}

export function RedemptionQueue({ rows, failure }: { rows: ManagedRedemption[]; failure: ManageFailure | null }) {
  return (
    <ul aria-label="Redemptions waiting" className="-mx-5 -my-4 divide-y divide-slate-100">
      {rows.map((r) => (
        <QueueItem key={r.id} r={r} failure={failure} />
      ))}
    </ul>
  );
}

const OUTCOME_TIME = (r: ManagedRedemption) => r.closedAt ?? r.createdAt;

/** Closed redemptions: who, what, how it ended, when and by whom, and what HR wrote. */
export function RedemptionHistory({ rows }: { rows: ManagedRedemption[] }) {
  return (
    <div className="-mx-5 -my-4 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Closed redemptions, most recently closed first</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-5 py-3">
              Person
            </th>
            <th scope="col" className="px-5 py-3">
              Reward
            </th>
            <th scope="col" className="px-5 py-3 text-right">
              Points
            </th>
            <th scope="col" className="px-5 py-3">
              Outcome
            </th>
            <th scope="col" className="px-5 py-3">
              Closed (UTC)
            </th>
            <th scope="col" className="px-5 py-3">
              Note
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="px-5 py-3 whitespace-nowrap">
                <PersonLink person={r.person} />
              </td>
              <td className="px-5 py-3 break-words text-slate-800">{r.reward.name}</td>
              <td className="px-5 py-3 text-right text-slate-800 tabular-nums">{r.cost.toLocaleString("en")}</td>
              <td className="px-5 py-3 whitespace-nowrap">
                <RedemptionStatusBadge status={r.status} />
                {r.handledBy && r.status !== "cancelled" ? <span className="ml-1 text-xs text-slate-500">by {r.handledBy.name}</span> : null}
              </td>
              <td className="px-5 py-3 whitespace-nowrap text-slate-600">
                <time dateTime={new Date(OUTCOME_TIME(r)).toISOString()}>{absoluteTime(OUTCOME_TIME(r))}</time>
              </td>
              <td className="px-5 py-3 break-words whitespace-pre-line text-slate-700">{r.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
