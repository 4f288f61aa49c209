import { Link, href } from "react-router";
import { Avatar } from "./avatar.tsx";
import { DeactivatedBadge } from "./badge.tsx";

export type PersonData = { id: number; name: string; title?: string; deactivated?: boolean };

/** A colleague in a list: avatar, linked name, title. */
export function PersonRow({ person, extra }: { person: PersonData; extra?: React.ReactNode }) {
  return (
    <div className="flex items-center gap-3 py-2">
      <Avatar name={person.name} size="sm" />
      <div className="min-w-0 flex-1">
        <Link to={href("/people/:userId", { userId: String(person.id) })} className="block truncate text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline">
          {person.name}
        </Link>
        {person.title ? <p className="truncate text-xs text-slate-500">{person.title}</p> : null}
      </div>
      {person.deactivated ? <DeactivatedBadge /> : null}
      {extra}
    </div>
  );
}

export function PersonList({ people }: { people: PersonData[] }) {
  return (
    <ul className="divide-y divide-slate-100">
      {people.map((p) => (
        <li key={p.id}>
          <PersonRow person={p} />
        </li>
      ))}
    </ul>
  );
}
