import { Link, href } from "react-router";

/** A tag as a link to its page. Tag names are plain text, always; `href` does not encode, and "c#" needs it. */
export function TagChip({ name }: { name: string }) {
  return (
    <Link
      to={href("/tags/:name", { name: encodeURIComponent(name) })}
      className="inline-flex items-center rounded-md bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-sky-200 ring-inset hover:bg-sky-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700"
    >
      {name}
    </Link>
  );
}

export function TagList({ tags, label = "Tags" }: { tags: readonly string[]; label?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label={label}>
      {tags.map((t) => (
        <li key={t}>
          <TagChip name={t} />
        </li>
      ))}
    </ul>
  );
}
