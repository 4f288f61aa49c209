import { Form, Link, href } from "react-router";
import { Avatar } from "#app/components/avatar.tsx";
import { DeactivatedBadge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { TagChip } from "#app/components/content/tag-list.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

export type Holder = {
  awardId: number;
  person: { id: number; name: string; title: string; deactivated: boolean };
  createdAt: Date | string;
  reason: string;
  awardedBy: { id: number; name: string } | null;
  evidence: { kind: "tag"; name: string } | { kind: "item"; title: string; url: string } | { kind: "value"; name: string; emoji: string } | null;
};

/** What an award was for, when the reader may see it: a tag, an answer or idea, a company value. */
function Evidence({ evidence }: { evidence: Holder["evidence"] }) {
  if (!evidence) return null;
  if (evidence.kind === "tag")
    return (
      <span className="inline-flex items-center gap-1.5">
        in <TagChip name={evidence.name} />
      </span>
    );
  if (evidence.kind === "value")
    return (
      <span>
        for {evidence.emoji ? <span aria-hidden="true">{evidence.emoji} </span> : null}
        <span className="font-medium text-slate-800">{evidence.name}</span>
      </span>
    );
  return (
    <span className="min-w-0">
      for{" "}
      <Link to={evidence.url} className="font-medium break-words text-brand-700 underline">
        {evidence.title}
      </Link>
    </span>
  );
}

/**
 * Who holds a badge, newest first: each person with when and what for, the reason and who awarded
 * it for custom badges, and (for HR and admins) a button to revoke a custom award.
 */
export function BadgeHolders({ holders, now, canRevoke }: { holders: Holder[]; now: number; canRevoke: boolean }) {
  return (
    <ul className="divide-y divide-slate-100">
      {holders.map((h) => (
        <li key={h.awardId} className="flex items-start gap-3 py-3">
          <Avatar name={h.person.name} size="sm" className="mt-0.5" />
          <div className="min-w-0 flex-1">
            <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
              <Link to={href("/people/:userId", { userId: String(h.person.id) })} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                {h.person.name}
              </Link>
              {h.person.deactivated ? <DeactivatedBadge /> : null}
              {h.person.title ? <span className="text-xs text-slate-500">{h.person.title}</span> : null}
            </p>
            <p className="mt-0.5 flex flex-wrap items-center gap-x-1.5 gap-y-1 text-xs text-slate-600">
              <RelativeTime date={h.createdAt} now={now} prefix={h.awardedBy ? "awarded" : "earned"} />
              {h.awardedBy ? (
                <span>
                  by{" "}
                  <Link to={href("/people/:userId", { userId: String(h.awardedBy.id) })} className="underline hover:text-brand-700">
                    {h.awardedBy.name}
                  </Link>
                </span>
              ) : null}
              <Evidence evidence={h.evidence} />
            </p>
            {h.reason ? <p className="mt-1 text-sm break-words whitespace-pre-line text-slate-700">{h.reason}</p> : null}
          </div>
          {canRevoke ? (
            <Form method="post">
              <input type="hidden" name="awardId" value={h.awardId} />
              <Button name="intent" value="revoke" size="sm" variant="dangerOutline">
                Revoke<span className="sr-only"> from {h.person.name}</span>
              </Button>
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
