export type DiffPart = { value: string; change: "added" | "removed" | "same" };

/**
 * A word diff as <ins>/<del> runs. Colour and strike-through show it to the eye; a hidden
 * "added:"/"removed:" label, and a closing marker, say it to screen readers.
 */
export function DiffText({ parts }: { parts: DiffPart[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.change === "added" ? (
          <ins key={i} className="rounded-sm bg-emerald-100 text-emerald-900 no-underline">
            <span className="sr-only">[added: </span>
            {p.value}
            <span className="sr-only">]</span>
          </ins>
        ) : p.change === "removed" ? (
          <del key={i} className="rounded-sm bg-red-100 text-red-900">
            <span className="sr-only">[removed: </span>
            {p.value}
            <span className="sr-only">]</span>
          </del>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </>
  );
}

/** Tags before and after: added ones marked, removed ones struck through, each with a text label. */
export function TagDiff({ parts }: { parts: DiffPart[] }) {
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Tags">
      {parts.map((p, i) => (
        <li
          key={`${p.value}-${i}`}
          className={`rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
            p.change === "added"
              ? "bg-emerald-50 text-emerald-900 ring-emerald-300"
              : p.change === "removed"
                ? "bg-red-50 text-red-900 line-through ring-red-300"
                : "bg-sky-50 text-sky-800 ring-sky-200"
          }`}
        >
          {p.change === "added" ? <span className="sr-only">added: </span> : p.change === "removed" ? <span className="sr-only">removed: </span> : null}
          {p.value}
        </li>
      ))}
    </ul>
  );
}
