import type { ReputationDrift } from "#app/features/reputation/ledger.server.ts";
import { TableHead } from "#app/components/table.tsx";

/** What "Check reputation against the ledger" found: nothing, or each stored value that differs. */
export function DriftReport({ drift }: { drift: ReputationDrift }) {
  const clean = drift.users.length === 0 && drift.tags.length === 0;
  if (clean) {
    return (
      <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
        {drift.fixed ? "Fixed: every stored value now matches the ledger." : "Every stored total and per-tag score matches the ledger."}
      </p>
    );
  }
  return (
    <div role="status" className="space-y-4">
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        {drift.fixed ? "Fixed these differences: the stored values now match the ledger." : "These stored values differ from the ledger."} {drift.users.length}{" "}
        {drift.users.length === 1 ? "total" : "totals"}, {drift.tags.length} per-tag {drift.tags.length === 1 ? "score" : "scores"}.
      </p>
      {drift.users.length > 0 ? (
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">Totals that differ from the ledger</caption>
          <TableHead columns={["Person", { label: "Stored", align: "right" }, { label: "Ledger", align: "right" }]} />
          <tbody className="divide-y divide-slate-100">
            {drift.users.map((u) => (
              <tr key={u.userId}>
                <td className="px-5 py-2">{u.name}</td>
                <td className="px-5 py-2 text-right tabular-nums">{u.stored}</td>
                <td className="px-5 py-2 text-right tabular-nums">{u.ledger}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {drift.tags.length > 0 ? (
        <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
          <caption className="sr-only">Per-tag scores that differ from the ledger</caption>
          <TableHead columns={["Person", "Tag", { label: "Stored", align: "right" }, { label: "Ledger", align: "right" }]} />
          <tbody className="divide-y divide-slate-100">
            {drift.tags.map((d) => (
              <tr key={`${d.userId}-${d.tagId}-${d.spaceId}`}>
                <td className="px-5 py-2">{d.name}</td>
                <td className="px-5 py-2">{d.tag}</td>
                <td className="px-5 py-2 text-right tabular-nums">{d.stored}</td>
                <td className="px-5 py-2 text-right tabular-nums">{d.ledger}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
