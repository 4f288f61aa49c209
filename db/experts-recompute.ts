import { createDb } from "./client.server.ts";
import { recomputeAll } from "#app/features/expertise/evidence.server.ts";
import { startedDirectly } from "./script.ts";

/**
 * Rebuilds the expertise model for everyone: `npm run experts:recompute`. The app keeps it current
 * from the expertise outbox; this is for after a bulk load, or to check the incremental path
 * (the result must be the same).
 */

if (startedDirectly(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("experts:recompute needs DATABASE_URL");
    process.exit(1);
  }
  const db = createDb(url, { max: 1 });
  try {
    const started = Date.now();
    const { evidence, people } = await recomputeAll(db);
    process.stdout.write(`${evidence} pieces of evidence for ${people} people, in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    await db.close();
  }
}
