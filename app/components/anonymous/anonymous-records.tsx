import { Link, href } from "react-router";
import { Avatar } from "#app/components/avatar.tsx";
import { RelativeTime } from "#app/components/relative-time.tsx";

/**
 * What moderators did about an anonymous question, as its asker (and the moderators themselves)
 * read it: relay messages, and break-glass look-ups with who looked, when and why. Both texts are
 * plain text, rendered as text.
 */

type Person = { id: number; name: string };
export type RelayMessageView = { id: number; body: string; createdAt: Date | string; sender: Person };
export type BreakGlassView = { id: number; reason: string; createdAt: Date | string; moderator: Person };

function PersonLink({ person }: { person: Person }) {
  return (
    <Link to={href("/people/:userId", { userId: String(person.id) })} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
      {person.name}
    </Link>
  );
}

export function RelayMessageList({ messages, now, label = "Messages from moderators" }: { messages: RelayMessageView[]; now: number; label?: string }) {
  return (
    <ul aria-label={label} className="space-y-3">
      {messages.map((m) => (
        <li key={m.id} className="flex gap-3">
          <Avatar name={m.sender.name} size="sm" className="mt-0.5" />
          <div className="min-w-0 flex-1 rounded-md bg-slate-50 px-3 py-2">
            <p className="text-xs text-slate-600">
              <PersonLink person={m.sender} /> <RelativeTime date={m.createdAt} now={now} prefix="wrote" />
            </p>
            <p className="mt-1 text-sm break-words whitespace-pre-line text-slate-800">{m.body}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function BreakGlassList({ records, now, label = "Who looked up the asker" }: { records: BreakGlassView[]; now: number; label?: string }) {
  return (
    <ul aria-label={label} className="space-y-3">
      {records.map((r) => (
        <li key={r.id} className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2">
          <p className="text-xs text-amber-900">
            <PersonLink person={r.moderator} /> looked up who asked, <RelativeTime date={r.createdAt} now={now} />.
          </p>
          <p className="mt-1 text-sm break-words whitespace-pre-line text-slate-800">
            <span className="font-medium">Reason: </span>
            {r.reason}
          </p>
        </li>
      ))}
    </ul>
  );
}
