/** The header row of the admin data tables: same look everywhere, columns scoped for screen readers. */
export function TableHead({ columns }: { columns: ReadonlyArray<string | { label: string; align: "right" }> }) {
  return (
    <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
      <tr>
        {columns.map((column) => {
          const { label, align } = typeof column === "string" ? { label: column, align: undefined } : column;
          return (
            <th key={label} scope="col" className={`px-5 py-3${align === "right" ? " text-right" : ""}`}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
