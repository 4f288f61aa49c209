import { Link, href } from "react-router";
import type { QuietTag, UncoveredTag } from "#app/features/expertise/coverage.server.ts";
import { RelativeTime } from "#app/components/relative-time.tsx";
import { TableHead } from "#app/components/table.tsx";

type Props = { kind: "uncovered"; rows: UncoveredTag[]; now: number; caption: string } | { kind: "quiet"; rows: QuietTag[]; now: number; caption: string };

function TopicCell({ name }: { name: string }) {
  return (
    <th scope="row" className="px-5 py-3 text-left font-medium text-slate-900">
      <Link to={href("/tags/:name/smes", { name: encodeURIComponent(name) })} className="hover:text-brand-700 hover:underline">
        {name}
      </Link>
    </th>
  );
}

/** A coverage list as a table: each topic links to its SMEs screen, where moderators assign them. */
export function CoverageTable(props: Props) {
  if (props.rows.length === 0) {
    return <p className="text-sm text-slate-600">{props.kind === "uncovered" ? "Every topic you can see has an SME." : "No topic's SMEs have gone quiet."}</p>;
  }
  const number = "px-5 py-3 text-right tabular-nums text-slate-700";
  return (
    <div className="-mx-5 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-100 text-sm">
        <caption className="sr-only">{props.caption}</caption>
        <TableHead
          columns={
            props.kind === "uncovered"
              ? ["Topic", { label: "Questions, 90 days", align: "right" }, { label: "Unanswered", align: "right" }]
              : ["Topic", { label: "Questions, 90 days", align: "right" }, { label: "Unanswered", align: "right" }, "SMEs", "Latest evidence"]
          }
        />
        <tbody className="divide-y divide-slate-100">
          {props.kind === "uncovered"
            ? props.rows.map((r) => (
                <tr key={r.name}>
                  <TopicCell name={r.name} />
                  <td className={number}>{r.recent.toLocaleString("en")}</td>
                  <td className={number}>{r.unanswered.toLocaleString("en")}</td>
                </tr>
              ))
            : props.rows.map((r) => (
                <tr key={r.name}>
                  <TopicCell name={r.name} />
                  <td className={number}>{r.recent.toLocaleString("en")}</td>
                  <td className={number}>{r.unanswered.toLocaleString("en")}</td>
                  <td className="px-5 py-3 text-slate-700">{r.activeSmes === 0 ? `${r.smes === 1 ? "The SME has" : `All ${r.smes} SMEs have`} left` : `${r.activeSmes} active`}</td>
                  <td className="px-5 py-3 text-slate-700">{r.lastEvidenceAt ? <RelativeTime date={r.lastEvidenceAt} now={props.now} /> : "None you can see"}</td>
                </tr>
              ))}
        </tbody>
      </table>
    </div>
  );
}
