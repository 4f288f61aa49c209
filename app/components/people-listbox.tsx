/** A colleague as `/api/people` answers. */
export type Person = { id: number; name: string; handle: string; title: string };

/** The id of the `i`th option of the listbox `listId` (for `aria-activedescendant`). */
export const personOptionId = (listId: string, i: number) => `${listId}-${i}`;

/**
 * The suggestions of a people autocomplete (mentions in a textarea, a kudos's receivers): an ARIA
 * listbox whose active option the field points at with `aria-activedescendant`, focus staying in
 * the field.
 */
export function PeopleListbox({
  id,
  label,
  people,
  active,
  onChoose,
  onActive,
  className = "",
}: {
  id: string;
  label: string;
  people: Person[];
  active: number;
  onChoose: (person: Person) => void;
  onActive: (i: number) => void;
  className?: string;
}) {
  return (
    <ul
      id={id}
      role="listbox"
      aria-label={label}
      className={`absolute z-30 mt-1 max-h-72 w-full max-w-sm overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg ${className}`.trim()}
    >
      {people.map((person, i) => (
        <li
          key={person.id}
          id={personOptionId(id, i)}
          role="option"
          aria-selected={i === active}
          // Pick on mouse down, before the field would lose focus (and close the list).
          onMouseDown={(event) => {
            event.preventDefault();
            onChoose(person);
          }}
          onMouseEnter={() => onActive(i)}
          className={`cursor-pointer px-3 py-2 ${i === active ? "bg-brand-50 text-brand-800" : "text-slate-800"}`}
        >
          <span className="font-medium">{person.name}</span> <span className="text-slate-600">@{person.handle}</span>
          {person.title ? <span className="block truncate text-xs text-slate-600">{person.title}</span> : null}
        </li>
      ))}
    </ul>
  );
}
