import { createDb } from "./client.server.ts";
import { recomputeReputation, type ReputationDrift } from "#app/features/reputation/ledger.server.ts";
import { startedDirectly } from "./script.ts";

/**
 * Compares every stored reputation total and per-tag score with the ledger and prints the drift;
 * with --fix, sets them to the ledger's values. `npm run reputation:recompute [-- --fix]`.
 */

export function driftSummary(drift: ReputationDrift): string {
  const lines: string[] = [];
  if (drift.users.length === 0 && drift.tags.length === 0) return "reputation matches the ledger: no drift";
  lines.push(`${drift.users.length} ${drift.users.length === 1 ? "person's total differs" : "people's totals differ"} from the ledger`);
  for (const u of drift.users) lines.push(`  user ${u.userId} (${u.name}): stored ${u.stored}, ledger ${u.ledger}`);
  lines.push(`${drift.tags.length} per-tag ${drift.tags.length === 1 ? "score differs" : "scores differ"}`);
  for (const d of drift.tags) lines.push(`  user ${d.userId} (${d.name}), tag ${d.tag}, space ${d.spaceId}: stored ${d.stored}, ledger ${d.ledger}`);
  lines.push(drift.fixed ? "fixed: the stored values now match the ledger" : "run with --fix to set them to the ledger's values");
  return lines.join("\n");
}

if (startedDirectly(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("reputation:recompute needs DATABASE_URL");
    process.exit(1);
  }
  const db = createDb(url, { max: 1 });
  try {
    const drift = await recomputeReputation(db, {
      fix: process.argv.includes("--fix"),
    });
    process.stdout.write(`${driftSummary(drift)}\n`);
    // A drift found and left in place is worth a non-zero exit for scripts and cron.
    if (!drift.fixed && (drift.users.length > 0 || drift.tags.length > 0)) process.exitCode = 2;
  } finally {
    await db.close();
  }
}
