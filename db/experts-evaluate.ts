import { parseArgs } from "node:util";
import { createDb } from "./client.server.ts";
import {
  EvaluationInputError,
  type EvaluationReport,
  type Metrics,
  prepareEvaluation,
  RANKERS,
  type Ranker,
  scoreEvaluation,
  sensitivity,
  type SweepRow,
} from "#app/features/expertise/evaluate.server.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { startedDirectly } from "./script.ts";

/**
 * `npm run experts:evaluate -- [--space <slug>] [--split 0.8] [--json] [--sweep]`: measures the
 * expertise model on a space's questions (an imported Stack Exchange site by default) against two
 * baselines, as docs/expertise-evaluation.md describes. Needs DATABASE_URL, MEILI_URL and
 * MEILI_MASTER_KEY (it builds, and deletes, a temporary index). Exit codes: 0 done, 1 failed,
 * 2 bad arguments or no such space.
 */

const USAGE = "usage: npm run experts:evaluate -- [--space <slug>] [--split <history share, e.g. 0.8>] [--json] [--sweep]";

/** Requests of the evaluation (indexing a large site) may wait on Meilisearch much longer than a search would. */
const REQUEST_TIMEOUT_MS = 60_000;

const LABELS: Record<Ranker, string> = { model: "model", reputation: "reputation", perTag: "per-tag answers" };
const fixed = (n: number) => n.toFixed(3);
const percent = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : "-");

/** The report as a small table with its counts. */
export function formatReport(report: EvaluationReport): string {
  const lines = [
    `${report.space.slug} (${report.space.name}): ${report.questions} questions, the first ${report.history} history` +
      (report.splitAt ? ` (until ${report.splitAt.toISOString().slice(0, 10)})` : ""),
    `${report.test} test questions (after the split, with an answer accepted from someone other than the asker)`,
    `${report.withHistory} of ${report.test} gold answerers (${percent(report.withHistory, report.test)}) had answered during the history; ` +
      `${report.reachable} had answered anything before their question`,
    "",
    `${"ranker".padEnd(16)}${["MRR", "P@1", "hit@5", "coverage", "ranked"].map((h) => h.padStart(10)).join("")}`,
  ];
  for (const ranker of RANKERS) {
    const m: Metrics = report[ranker];
    lines.push(`${LABELS[ranker].padEnd(16)}${[m.mrr, m.p1, m.hit5, report.coverage, m.ranked].map((v) => fixed(v).padStart(10)).join("")}`);
  }
  lines.push("", "coverage: the share of gold answerers with any history; ranked: the share the ranker ranked at all");
  return lines.join("\n");
}

export function formatSweep(rows: SweepRow[]): string {
  const lines = [`${"setting".padEnd(26)}${"value".padStart(9)}${"MRR".padStart(9)}${"1st half".padStart(10)}${"2nd half".padStart(10)}`];
  for (const r of rows) lines.push(`${r.setting.padEnd(26)}${String(r.value).padStart(9)}${fixed(r.mrr).padStart(9)}${fixed(r.firstHalf).padStart(10)}${fixed(r.secondHalf).padStart(10)}`);
  return lines.join("\n");
}

export async function main(argv: string[], out: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { space: { type: "string" }, split: { type: "string" }, json: { type: "boolean" }, sweep: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const split = values.split === undefined ? 0.8 : Number(values.split);
  if (!(split > 0 && split < 1)) {
    console.error(`--split is the history's share of the questions: a number between 0 and 1, such as 0.8\n${USAGE}`);
    return 2;
  }
  const { DATABASE_URL, MEILI_URL, MEILI_MASTER_KEY } = process.env;
  if (!DATABASE_URL || !MEILI_URL || !MEILI_MASTER_KEY) {
    console.error("experts:evaluate needs DATABASE_URL, MEILI_URL and MEILI_MASTER_KEY");
    return 2;
  }
  const db = createDb(DATABASE_URL, { max: 2 });
  try {
    const data = await prepareEvaluation(db, createMeiliClient(MEILI_URL, MEILI_MASTER_KEY, REQUEST_TIMEOUT_MS), { space: values.space, split });
    const report = scoreEvaluation(data);
    const sweep = values.sweep ? sensitivity(data) : undefined;
    if (values.json) out(`${JSON.stringify(sweep ? { ...report, sweep } : report, null, 2)}\n`);
    else out(`${formatReport(report)}\n${sweep ? `\n${formatSweep(sweep)}\n` : ""}`);
    return 0;
  } catch (error) {
    if (error instanceof EvaluationInputError) {
      console.error(error.message);
      return 2;
    }
    console.error(`experts:evaluate failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await db.close();
  }
}

if (startedDirectly(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
