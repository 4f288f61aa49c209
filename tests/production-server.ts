import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startCommons, type RunningCommons } from "../server/main.ts";
import { freePort } from "../server/processes.ts";
import { testMeili } from "./db.ts";
import { closedPort } from "./helpers.ts";
import { ensureBuild } from "./launcher/commons-process.ts";

/**
 * The real server (startCommons with the production build) in this test file's process, on the
 * file's database and the run's Meilisearch, for tests of what only the whole stack does (body
 * limits, error pages). Call at the top level, after setupTestDb:
 *
 *   const t = setupTestDb();
 *   const server = useProductionServer(t, "body-limit");
 *   test("...", async () => { await fetch(`${server.base}/...`); });
 */
export function useProductionServer(t: { readonly url: string }, name: string): { readonly base: string } {
  const state: { commons?: RunningCommons; base?: string; dataDir?: string } = {};
  const saved = { ...process.env };

  beforeAll(async () => {
    await ensureBuild();
    state.dataDir = await mkdtemp(path.join(os.tmpdir(), `commons-${name}-`));
    const meili = testMeili();
    const port = await freePort();
    Object.assign(process.env, {
      DATABASE_URL: t.url,
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.key,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: state.dataDir,
      DEMO_SEED: "never",
      // Nothing is mailed here; a closed port keeps the embedded MailDev from starting.
      SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`,
    });
    state.commons = await startCommons({ mode: "production" });
    state.base = `http://127.0.0.1:${port}`;
  }, 240_000);

  afterAll(async () => {
    await state.commons?.stop();
    process.env = saved;
    if (state.dataDir) await rm(state.dataDir, { recursive: true, force: true });
  });

  return {
    get base() {
      if (!state.base) throw new Error("useProductionServer: the server starts in beforeAll; use it inside tests");
      return state.base;
    },
  };
}
